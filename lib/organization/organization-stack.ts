import { Lazy, Stack, StackProps } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import { Construct } from 'constructs';
import { OrganizationStackConfig } from '../config/organization-config';
import { ConfigError } from '../config/validation';
import { LaunchRoleStack } from './launch-role-stack';
import { ProductServiceControlPolicy } from './service-control-policies';

export interface OrganizationStackProps extends StackProps {
  readonly organization: OrganizationStackConfig;
  /** The stack whose template the StackSet deploys into every account of the target OUs. */
  readonly launchRoles: LaunchRoleStack;
  /** The one region of the StackSet's stack instances: IAM is global, so each account's roles are created once. */
  readonly launchRoleRegion: string;
  /** Service control policies attached to the target OUs. */
  readonly serviceControlPolicies: ProductServiceControlPolicy[];
}

/** CloudFormation refuses a `TemplateBody` longer than this. */
const TEMPLATE_BODY_MAX_BYTES = 51_200;

/**
 * For the organization's management account (or the StackSets delegated administrator): a service-managed
 * StackSet that creates the products' launch roles in every account of the target OUs, now and when accounts
 * join, and the products' service control policies attached to the same OUs.
 */
export class OrganizationStack extends Stack {
  readonly launchRoleStackSet: cloudformation.CfnStackSet;
  readonly policies: organizations.CfnPolicy[];

  constructor(scope: Construct, id: string, props: OrganizationStackProps) {
    super(scope, id, props);
    const { organization } = props;
    this.launchRoleStackSet = new cloudformation.CfnStackSet(this, 'LaunchRoles', {
      stackSetName: props.launchRoles.stackName,
      description: 'Service Catalog launch roles of the hardened EKS catalog, in every account of the target OUs',
      permissionModel: 'SERVICE_MANAGED',
      callAs: organization.callAs,
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      capabilities: ['CAPABILITY_NAMED_IAM'],
      managedExecution: { Active: true },
      operationPreferences: {
        maxConcurrentPercentage: organization.maxConcurrentPercentage,
        failureTolerancePercentage: organization.failureTolerancePercentage,
        regionConcurrencyType: 'SEQUENTIAL',
      },
      stackInstancesGroup: [
        {
          deploymentTargets: { organizationalUnitIds: organization.targetOrganizationalUnitIds },
          regions: [props.launchRoleRegion],
        },
      ],
      templateBody: Lazy.string({ produce: () => checkedTemplateBody(props.launchRoles) }),
    });
    this.policies = props.serviceControlPolicies.map(
      (policy) =>
        new organizations.CfnPolicy(this, policy.name, {
          name: policy.name,
          description: `Service control policy ${policy.fileName} of the hardened EKS catalog`,
          type: 'SERVICE_CONTROL_POLICY',
          content: policy.document,
          targetIds: organization.targetOrganizationalUnitIds,
        }),
    );
  }
}

function checkedTemplateBody(launchRoles: LaunchRoleStack): string {
  const body = launchRoles.templateBody();
  const bytes = Buffer.byteLength(body);
  if (bytes > TEMPLATE_BODY_MAX_BYTES) {
    throw new ConfigError(
      'catalog.products',
      `make the launch-role template ${bytes} bytes; a StackSet's TemplateBody takes at most ${TEMPLATE_BODY_MAX_BYTES}`,
    );
  }
  return body;
}
