import { UnscopedValidationError } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { lit } from 'aws-cdk-lib/core/lib/helpers-internal';
import { Construct } from 'constructs';

/**
 * The EKS APIs the guardrail keeps to break-glass roles and the launch role: the threat model's admin APIs
 * ADM-1..ADM-12 and every other EKS API that grants access to a cluster or weakens one of its controls
 * (ADM-13..ADM-36), in ADM order.
 */
export const ADMIN_API_ACTIONS = [
  'eks:CreateNodegroup',
  'eks:DeleteNodegroup',
  'eks:UpdateNodegroupConfig',
  'eks:UpdateNodegroupVersion',
  'eks:CreateFargateProfile',
  'eks:DeleteFargateProfile',
  'eks:CreateCluster',
  'eks:DeleteCluster',
  'eks:UpdateClusterConfig',
  'eks:UpdateClusterVersion',
  'eks:AssociateIdentityProviderConfig',
  'eks:DisassociateIdentityProviderConfig',
  // Who may use the Kubernetes API: access entries and their access policies (the API-mode form of aws-auth).
  'eks:CreateAccessEntry',
  'eks:UpdateAccessEntry',
  'eks:DeleteAccessEntry',
  'eks:AssociateAccessPolicy',
  'eks:DisassociateAccessPolicy',
  // Which IAM role a service account gets.
  'eks:CreatePodIdentityAssociation',
  'eks:UpdatePodIdentityAssociation',
  'eks:DeletePodIdentityAssociation',
  // Add-ons carry service-account roles, pod identities and configuration values (CoreDNS, VPC CNI, GuardDuty agent).
  'eks:CreateAddon',
  'eks:UpdateAddon',
  'eks:DeleteAddon',
  // Managed capabilities run controllers with their own IAM roles in the cluster.
  'eks:CreateCapability',
  'eks:UpdateCapability',
  'eks:DeleteCapability',
  // Secrets encryption, the cluster's certificate authorities, registration of outside clusters.
  'eks:AssociateEncryptionConfig',
  'eks:CreateCertificateAuthority',
  'eks:ActivateCertificateAuthority',
  'eks:DeleteCertificateAuthority',
  'eks:RegisterCluster',
  'eks:DeregisterCluster',
  // Tags (conditions and alerts key on them), cancelling an update in flight, and writes through the Kubernetes API.
  'eks:TagResource',
  'eks:UntagResource',
  'eks:CancelUpdate',
  'eks:MutateViaKubernetesApi',
] as const;

/**
 * EKS write actions (IAM service reference) the guardrail leaves alone, each with the reason it was reviewed as
 * harmless to the product's clusters. A test fails on any EKS write action in neither list.
 */
export const REVIEWED_UNGUARDED_EKS_ACTIONS: Readonly<Record<string, string>> = {
  'eks:CreateEksAnywhereSubscription':
    'Buys an EKS Anywhere support subscription for on-premises clusters; no AWS cluster changes.',
  'eks:UpdateEksAnywhereSubscription':
    'Changes the term of an EKS Anywhere support subscription; no AWS cluster changes.',
  'eks:DeleteEksAnywhereSubscription': 'Cancels an EKS Anywhere support subscription; no AWS cluster changes.',
  'eks:StartInsightsRefresh': 'Re-runs the read-only upgrade-readiness insights of a cluster; changes nothing in it.',
};

export interface AdminApiGuardrailOptions {
  /** Break-glass roles (ARNs or ARN patterns): the only people who may call the guarded APIs, from the corporate network only. */
  readonly adminRoleArns: string[];
  /** Roles that deploy clusters through CloudFormation (the Service Catalog launch roles): network condition does not apply. */
  readonly deploymentRoleArns: string[];
  /**
   * Who may create or change a role the guardrail trusts (deployment and admin roles, and these managers' own
   * names). Anyone else creating a role of a trusted name would inherit its exemption, so nobody else may.
   */
  readonly trustedRoleManagerArns: string[];
  /**
   * Roles of a trusted name that only an AWS service can create (service-managed StackSet execution roles): the
   * service-linked role of that service is the one manager allowed to create them.
   */
  readonly serviceCreatedRoles?: { roleArns: string[]; creatorArns: string[] }[];
  /**
   * Managed policies the trusted roles depend on (the product roles' permissions boundary): only the same managers
   * may create, rewrite or delete them, or a new version would widen every role that carries them.
   * @default - none
   */
  readonly protectedPolicyArns?: string[];
  /** Public egress ranges of the corporate network, as AWS sees them (`aws:SourceIp`). */
  readonly corporateEgressCidrs: string[];
  /** VPC endpoints of the corporate network (`aws:SourceVpce`). */
  readonly corporateVpcEndpointIds: string[];
  /** Private source ranges accepted through those VPC endpoints (`aws:VpcSourceIp`); empty: any. */
  readonly corporateVpcSourceCidrs: string[];
}

/**
 * IAM calls that would let someone take over a trusted role's exemption: create, re-trust or change it, or pass it to
 * a service (a CloudFormation stack of one's own run as the launch role, a Service Catalog launch constraint of
 * one's own naming it, a Lambda function run as break-glass).
 */
export const DEPLOYMENT_ROLE_CHANGES = [
  'iam:CreateRole',
  'iam:DeleteRole',
  'iam:UpdateRole',
  'iam:UpdateAssumeRolePolicy',
  'iam:PutRolePolicy',
  'iam:AttachRolePolicy',
  'iam:DeleteRolePolicy',
  'iam:DetachRolePolicy',
  'iam:PutRolePermissionsBoundary',
  'iam:DeleteRolePermissionsBoundary',
  'iam:PassRole',
] as const;

/** IAM calls that would change what a managed policy grants or remove it. */
export const TRUSTED_POLICY_CHANGES = [
  'iam:CreatePolicy*',
  'iam:SetDefaultPolicyVersion',
  'iam:DeletePolicy*',
] as const;

/**
 * The deny statements of PV-7: the guarded APIs only for admin (or deployment) roles, admin roles only from the
 * corporate network (its public egress addresses or its VPC endpoints), and every trusted role name changeable only
 * by its managers. The same statements make the product's managed policy and the organization's SCP.
 */
export function adminApiGuardrailStatements(o: AdminApiGuardrailOptions): iam.PolicyStatement[] {
  if (o.corporateEgressCidrs.length === 0 && o.corporateVpcEndpointIds.length === 0) {
    throw new UnscopedValidationError(
      lit`BreakGlassUnreachable`,
      'AdminApiGuardrail: corporateEgressCidrs and corporateVpcEndpointIds are both empty, so break-glass could never pass',
    );
  }
  // Blocks of one statement are ANDed: denied when the call came neither from an egress address nor through an endpoint.
  // aws:SourceIp is absent through a VPC endpoint and aws:SourceVpce absent outside one; a negated operator on an
  // absent key matches, so each block holds exactly when its path was not taken.
  const notFromCorporateNetwork: Record<string, Record<string, string[]>> = {
    ArnNotLike: { 'aws:PrincipalArn': o.deploymentRoleArns },
  };
  if (o.corporateEgressCidrs.length > 0)
    notFromCorporateNetwork.NotIpAddress = { 'aws:SourceIp': o.corporateEgressCidrs };
  if (o.corporateVpcEndpointIds.length > 0)
    notFromCorporateNetwork.StringNotEquals = { 'aws:SourceVpce': o.corporateVpcEndpointIds };
  const trustedRoles = [...new Set([...o.deploymentRoleArns, ...o.adminRoleArns, ...o.trustedRoleManagerArns])];
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
    ...(o.corporateVpcEndpointIds.length > 0 && o.corporateVpcSourceCidrs.length > 0
      ? [
          new iam.PolicyStatement({
            sid: 'DenyAdminApisFromOtherVpcSources',
            effect: iam.Effect.DENY,
            actions: [...ADMIN_API_ACTIONS],
            resources: ['*'],
            conditions: {
              Null: { 'aws:SourceVpce': 'false' },
              NotIpAddress: { 'aws:VpcSourceIp': o.corporateVpcSourceCidrs },
              ArnNotLike: { 'aws:PrincipalArn': o.deploymentRoleArns },
            },
          }),
        ]
      : []),
    new iam.PolicyStatement({
      sid: 'ProtectTrustedRoles',
      effect: iam.Effect.DENY,
      // One statement for the trusted roles and the policies they depend on keeps the SCP under its size limit; a
      // role action on a policy ARN (or the reverse) never matches a request.
      actions: [...DEPLOYMENT_ROLE_CHANGES, ...(o.protectedPolicyArns?.length ? TRUSTED_POLICY_CHANGES : [])],
      resources: [...trustedRoles, ...(o.protectedPolicyArns ?? [])],
      conditions: {
        ArnNotLike: {
          'aws:PrincipalArn': [
            ...o.trustedRoleManagerArns,
            ...(o.serviceCreatedRoles ?? []).flatMap((s) => s.creatorArns),
          ],
        },
      },
    }),
    // A service-created name (stacksets-exec-*) is a manager: only the service's own role may create or change it.
    ...(o.serviceCreatedRoles ?? []).map(
      (created, i) =>
        new iam.PolicyStatement({
          sid: `ProtectServiceCreatedRoles${i + 1}`,
          effect: iam.Effect.DENY,
          actions: [...DEPLOYMENT_ROLE_CHANGES],
          resources: created.roleArns,
          conditions: { ArnNotLike: { 'aws:PrincipalArn': created.creatorArns } },
        }),
    ),
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
