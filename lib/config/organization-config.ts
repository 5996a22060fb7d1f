import { ConfigError, expectArray, expectInteger, expectObject, expectString, patterns } from './validation';

/**
 * The optional organization stack (`catalog.organizationStack`): deployed in the management account or the
 * StackSets delegated administrator, it rolls out the launch roles with a service-managed StackSet and attaches
 * the products' service control policies to the target OUs.
 */
export interface OrganizationStackConfig {
  /** Region of the organization stack itself. */
  readonly region: string;
  /** `SELF` in the management account, `DELEGATED_ADMIN` in a delegated administrator account of StackSets. */
  readonly callAs: 'SELF' | 'DELEGATED_ADMIN';
  /** OUs (or the root, `r-…`) whose accounts get the launch roles and the service control policies. */
  readonly targetOrganizationalUnitIds: string[];
  /** How many accounts StackSets deploys to at once, as a percentage of the targets. @default 25 */
  readonly maxConcurrentPercentage: number;
  /** How many accounts may fail per region before StackSets stops the operation, as a percentage. @default 10 */
  readonly failureTolerancePercentage: number;
}

const CALL_AS = ['SELF', 'DELEGATED_ADMIN'] as const;

export function parseOrganizationStackConfig(raw: unknown, field: string): OrganizationStackConfig {
  const o = expectObject(raw, field, ['region', 'callAs', 'targetOrganizationalUnitIds', 'maxConcurrentPercentage', 'failureTolerancePercentage']);
  const callAs = expectString(o.callAs, `${field}.callAs`);
  if (!(CALL_AS as readonly string[]).includes(callAs)) throw new ConfigError(`${field}.callAs`, `'${callAs}' is not one of ${CALL_AS.join(', ')}`);
  const maxConcurrentPercentage = expectInteger(o.maxConcurrentPercentage ?? 25, `${field}.maxConcurrentPercentage`, 1, 100);
  const failureTolerancePercentage = expectInteger(o.failureTolerancePercentage ?? 10, `${field}.failureTolerancePercentage`, 0, 100);
  if (failureTolerancePercentage > maxConcurrentPercentage) {
    throw new ConfigError(`${field}.failureTolerancePercentage`, `${failureTolerancePercentage} is above maxConcurrentPercentage ${maxConcurrentPercentage}: StackSets cannot tolerate more failures than it runs at once`);
  }
  return {
    region: expectString(o.region, `${field}.region`, patterns.region, 'an AWS region like eu-west-1'),
    callAs: callAs as OrganizationStackConfig['callAs'],
    targetOrganizationalUnitIds: expectArray(o.targetOrganizationalUnitIds, `${field}.targetOrganizationalUnitIds`,
      (v, f) => expectString(v, f, patterns.organizationTarget, 'an organizational unit ID like ou-ab12-cd34ef56 or the root ID like r-ab12'),
      { minItems: 1 }),
    maxConcurrentPercentage,
    failureTolerancePercentage,
  };
}
