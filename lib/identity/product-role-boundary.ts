import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ADMIN_API_ACTIONS } from './admin-api-guardrail';

/**
 * Where a product's role boundary lives: beside the launch role (hub stack and the organization's StackSet), never
 * under the product's own IAM path, so the launch role that must attach it can neither create nor change it.
 */
export interface RoleBoundaryName {
  /** IAM path of the boundary policy, e.g. `/hardened-eks-boundary/`. */
  readonly path: string;
  /** Name of the boundary policy, the same in every account. */
  readonly policyName: string;
}

/** The boundary's ARN in the account the template is deployed to. */
export function roleBoundaryArn(name: RoleBoundaryName): string {
  return `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:policy${name.path}${name.policyName}`;
}

/** The boundary's ARN in every account, for policies that span the organization (the SCP). */
export function roleBoundaryArnInEveryAccount(name: RoleBoundaryName): string {
  return `arn:aws:iam::*:policy${name.path}${name.policyName}`;
}

export interface RoleBoundaryScope {
  /** IAM path of the roles the product creates: the only roles its roles may pass or assume. */
  readonly productRolePath: string;
  /** IAM paths whose roles a product role may write inline policies on (incident response's session revocation). */
  readonly revocableRolePaths: string[];
}

/** IAM writes that would let a bounded role mint or widen an identity; only inline role policies stay (IR-3 revocation). */
const IDENTITY_WRITES = [
  'iam:Add*',
  'iam:Attach*',
  'iam:Change*',
  'iam:Create*',
  'iam:Deactivate*',
  'iam:Delete*',
  'iam:Detach*',
  'iam:Enable*',
  'iam:PutGroupPolicy',
  'iam:PutUserPolicy',
  'iam:PutRolePermissionsBoundary',
  'iam:PutUserPermissionsBoundary',
  'iam:Remove*',
  'iam:Reset*',
  'iam:Resync*',
  'iam:Set*',
  'iam:Tag*',
  'iam:Untag*',
  'iam:Update*',
  'iam:Upload*',
];

/** Calls that would blind detection (DET-*) or leave the account's governance. */
const DETECTION_AND_GOVERNANCE = [
  'cloudtrail:StopLogging',
  'cloudtrail:DeleteTrail',
  'cloudtrail:UpdateTrail',
  'cloudtrail:PutEventSelectors',
  'guardduty:DeleteDetector',
  'guardduty:UpdateDetector',
  'guardduty:DisassociateFromAdministratorAccount',
  'guardduty:DisassociateFromMasterAccount',
  'guardduty:DeleteMembers',
  'guardduty:CreateFilter',
  'guardduty:UpdateFilter',
  'config:StopConfigurationRecorder',
  'config:DeleteConfigurationRecorder',
  'config:DeleteDeliveryChannel',
  'organizations:*',
  'account:*',
];

/**
 * The most any role of the product may ever do, whatever policy it is given: everything its own policies grant,
 * except the EKS admin APIs (ADM-*: only break-glass and the launch role call them), minting or widening identities,
 * passing or assuming roles that are not the product's, and blinding detection. The launch role creates or widens no
 * role without this boundary (PE-*, LM-*).
 */
export function roleBoundaryStatements(scope: RoleBoundaryScope): iam.PolicyStatement[] {
  const roles = (path: string) => `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role${path}*`;
  return [
    new iam.PolicyStatement({ sid: 'CeilingOfProductPolicies', actions: ['*'], resources: ['*'] }),
    new iam.PolicyStatement({
      sid: 'NoAdminApis',
      effect: iam.Effect.DENY,
      actions: [...ADMIN_API_ACTIONS],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'NoIdentityWrites',
      effect: iam.Effect.DENY,
      actions: IDENTITY_WRITES,
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'InlinePoliciesOnlyOnRevocableRoles',
      effect: iam.Effect.DENY,
      actions: ['iam:PutRolePolicy'],
      notResources: [scope.productRolePath, ...scope.revocableRolePaths].map(roles),
    }),
    new iam.PolicyStatement({
      sid: 'OnlyProductRolesPassedOrAssumed',
      effect: iam.Effect.DENY,
      actions: ['iam:PassRole', 'sts:AssumeRole'],
      notResources: [roles(scope.productRolePath)],
    }),
    new iam.PolicyStatement({
      sid: 'NoBlindingOrLeaving',
      effect: iam.Effect.DENY,
      actions: DETECTION_AND_GOVERNANCE,
      resources: ['*'],
    }),
  ];
}

export interface ProductRoleBoundaryProps {
  readonly name: RoleBoundaryName;
  readonly scope: RoleBoundaryScope;
  readonly productName: string;
}

/** The permissions boundary every role of a product carries, created beside the product's launch role. */
export class ProductRoleBoundary extends iam.ManagedPolicy {
  constructor(scope: Construct, id: string, props: ProductRoleBoundaryProps) {
    super(scope, id, {
      managedPolicyName: props.name.policyName,
      path: props.name.path,
      description: `Permissions boundary of every role ${props.productName} creates; its launch role creates no role without it`,
      statements: roleBoundaryStatements(props.scope),
    });
  }
}
