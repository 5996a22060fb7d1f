import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** The threat model's admin APIs ADM-1..ADM-12, in order. */
export const ADMIN_API_ACTIONS = [
  'eks:CreateNodegroup', 'eks:DeleteNodegroup', 'eks:UpdateNodegroupConfig', 'eks:UpdateNodegroupVersion',
  'eks:CreateFargateProfile', 'eks:DeleteFargateProfile', 'eks:CreateCluster', 'eks:DeleteCluster',
  'eks:UpdateClusterConfig', 'eks:UpdateClusterVersion', 'eks:AssociateIdentityProviderConfig',
  'eks:DisassociateIdentityProviderConfig',
] as const;

export interface AdminApiGuardrailOptions {
  /** Roles that may call the admin APIs, from the corporate network only. */
  readonly adminRoleArns: string[];
  /** Roles that deploy clusters through CloudFormation (the Service Catalog launch roles): network condition does not apply. */
  readonly deploymentRoleArns: string[];
  /**
   * Who may create or change the deployment roles (e.g. the StackSet execution role that rolls them out). Anyone
   * else creating a role of that name would inherit its exemption, so nobody else may.
   */
  readonly deploymentRoleManagerArns: string[];
  /** Corporate network ranges (`aws:SourceIp`). */
  readonly corporateCidrs: string[];
  /** VPC endpoints inside the corporate network (`aws:SourceVpce`). */
  readonly corporateVpcEndpointIds: string[];
}

/** IAM calls that would let someone take over a deployment role's exemption. */
export const DEPLOYMENT_ROLE_CHANGES = [
  'iam:CreateRole', 'iam:DeleteRole', 'iam:UpdateAssumeRolePolicy', 'iam:PutRolePolicy', 'iam:AttachRolePolicy',
  'iam:DeleteRolePolicy', 'iam:DetachRolePolicy', 'iam:PutRolePermissionsBoundary', 'iam:DeleteRolePermissionsBoundary',
] as const;

/**
 * The deny statements of PV-7: the admin APIs only for admin (or deployment) roles, admin roles only from
 * the corporate network, and the deployment roles changeable only by their managers. The same statements make the product's managed policy and the organization's SCP.
 */
export function adminApiGuardrailStatements(o: AdminApiGuardrailOptions): iam.PolicyStatement[] {
  const notFromCorporateNetwork: Record<string, Record<string, string[]>> = {
    NotIpAddress: { 'aws:SourceIp': o.corporateCidrs },
    ArnNotLike: { 'aws:PrincipalArn': o.deploymentRoleArns },
  };
  if (o.corporateVpcEndpointIds.length > 0) notFromCorporateNetwork.StringNotEquals = { 'aws:SourceVpce': o.corporateVpcEndpointIds };
  return [
    new iam.PolicyStatement({
      sid: 'DenyAdminApisToNonAdmins',
      effect: iam.Effect.DENY,
      actions: [...ADMIN_API_ACTIONS],
      resources: ['*'],
      conditions: { ArnNotLike: { 'aws:PrincipalArn': [...o.adminRoleArns, ...o.deploymentRoleArns] } },
    }),
    new iam.PolicyStatement({
      sid: 'DenyAdminApisOutsideCorporateNetwork',
      effect: iam.Effect.DENY,
      actions: [...ADMIN_API_ACTIONS],
      resources: ['*'],
      conditions: notFromCorporateNetwork,
    }),
    new iam.PolicyStatement({
      sid: 'ProtectDeploymentRoles',
      effect: iam.Effect.DENY,
      actions: [...DEPLOYMENT_ROLE_CHANGES],
      resources: o.deploymentRoleArns,
      conditions: { ArnNotLike: { 'aws:PrincipalArn': o.deploymentRoleManagerArns } },
    }),
  ];
}

/** The guardrail as a service control policy document for the organization's management account. */
export function adminApiServiceControlPolicy(o: AdminApiGuardrailOptions): Record<string, unknown> {
  return new iam.PolicyDocument({ statements: adminApiGuardrailStatements(o) }).toJSON();
}

/**
 * A customer-managed policy that carries the admin-API guardrail into an account (ADM-1..12, PV-7, TH-4). Attach
 * it to every human and pipeline role of the account (or use it as their permissions boundary's deny part).
 */
export class AdminApiGuardrail extends Construct {
  readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, options: AdminApiGuardrailOptions) {
    super(scope, id);
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: 'Denies the EKS admin APIs except to admin roles from the corporate network',
      statements: adminApiGuardrailStatements(options),
    });
  }
}
