import { z } from 'zod';
import { configObject, list, matching, oneOf, patterns, wholeNumber } from './validation';

/**
 * The optional organization stack (`catalog.organizationStack`): deployed in the management account or the
 * StackSets delegated administrator, it rolls out the launch roles with a service-managed StackSet and attaches
 * the products' service control policies to the target OUs.
 */
export const organizationStackSchema = configObject({
  region: matching(patterns.region, 'an AWS region like eu-west-1').meta({
    description: 'region of the organization stack itself',
  }),
  callAs: oneOf(['SELF', 'DELEGATED_ADMIN']).meta({
    description:
      '`SELF` in the management account, `DELEGATED_ADMIN` in a delegated administrator account of StackSets',
  }),
  targetOrganizationalUnitIds: list(
    matching(patterns.organizationTarget, 'an organizational unit ID like ou-ab12-cd34ef56 or the root ID like r-ab12'),
    { minItems: 1 },
  ).meta({
    description: 'OUs (or the root, `r-…`) whose accounts get the launch roles and the service control policies',
  }),
  /** @default 25 */
  maxConcurrentPercentage: wholeNumber(1, 100)
    .default(25)
    .meta({ description: 'how many accounts StackSets deploys to at once, as a percentage of the targets' }),
  /** @default 10 */
  failureTolerancePercentage: wholeNumber(0, 100).default(10).meta({
    description: 'how many accounts may fail per region before StackSets stops the operation, as a percentage',
  }),
})
  .superRefine((stack, context) => {
    if (stack.failureTolerancePercentage > stack.maxConcurrentPercentage) {
      context.addIssue({
        code: 'custom',
        path: ['failureTolerancePercentage'],
        message: `${stack.failureTolerancePercentage} is above maxConcurrentPercentage ${stack.maxConcurrentPercentage}: StackSets cannot tolerate more failures than it runs at once`,
      });
    }
  })
  .meta({
    description:
      "optional: synthesizes `HardenedEksOrganization` (a service-managed StackSet creating the launch roles in every account of the targets, and the products' SCPs attached to them) and `HardenedEksLaunchRoles` (the StackSet's template)",
  });

export type OrganizationStackConfig = z.output<typeof organizationStackSchema>;
