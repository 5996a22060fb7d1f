import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledge';
import { ADMIN_API_ACTIONS } from './admin-api-guardrail';

/** What an incident may need on a cluster: every guarded admin API, reading, and the Kubernetes API. */
const BREAK_GLASS_ACTIONS = [...ADMIN_API_ACTIONS, 'eks:Describe*', 'eks:List*', 'eks:AccessKubernetesApi'];

/** What a product asks of the break-glass role every launching account gets. */
export interface BreakGlassRoleSpec {
  /** The role's name, the same in every account (the guardrail and the cluster's access entry name it). */
  readonly roleName: string;
  /** Who may assume it: the security team's own break-glass identities (roles, typically of a security account). */
  readonly trustedPrincipalArns: string[];
  /** Public egress ranges of the corporate network (`aws:SourceIp`): the role's EKS rights hold only from there… */
  readonly corporateEgressCidrs: string[];
  /** …or through these corporate VPC endpoints (`aws:SourceVpce`). */
  readonly corporateVpcEndpointIds: string[];
}

/**
 * The break-glass role of one launching account (PV-7): assumed only by the security team's identities, it may use
 * the EKS APIs on this account's clusters only from the corporate network, the same paths the admin-API guardrail
 * lets through. The product's clusters give it cluster-admin; nobody else may call their admin APIs.
 */
export class BreakGlassRole extends iam.Role {
  constructor(scope: Construct, id: string, spec: BreakGlassRoleSpec) {
    const eksOfThisAccount = [`arn:${Aws.PARTITION}:eks:*:${Aws.ACCOUNT_ID}:*`];
    const fromCorporateNetwork: iam.PolicyStatement[] = [];
    if (spec.corporateEgressCidrs.length > 0) {
      fromCorporateNetwork.push(
        new iam.PolicyStatement({
          sid: 'EksFromCorporateEgress',
          actions: BREAK_GLASS_ACTIONS,
          resources: eksOfThisAccount,
          conditions: { IpAddress: { 'aws:SourceIp': spec.corporateEgressCidrs } },
        }),
      );
    }
    if (spec.corporateVpcEndpointIds.length > 0) {
      fromCorporateNetwork.push(
        new iam.PolicyStatement({
          sid: 'EksThroughCorporateEndpoints',
          actions: BREAK_GLASS_ACTIONS,
          resources: eksOfThisAccount,
          conditions: { StringEquals: { 'aws:SourceVpce': spec.corporateVpcEndpointIds } },
        }),
      );
    }
    super(scope, id, {
      roleName: spec.roleName,
      assumedBy: new iam.CompositePrincipal(...spec.trustedPrincipalArns.map((arn) => new iam.ArnPrincipal(arn))),
      description: "Break-glass: EKS administration of this account's clusters, from the corporate network only",
      inlinePolicies: {
        BreakGlass: new iam.PolicyDocument({
          statements: [
            ...fromCorporateNetwork,
            new iam.PolicyStatement({
              sid: 'ListClusters',
              actions: ['eks:ListClusters', 'eks:DescribeAddonVersions'],
              resources: ['*'],
            }),
          ],
        }),
      },
    });
    for (const action of ['eks:Describe*', 'eks:List*']) {
      acknowledge(
        this,
        `AwsSolutions-IAM5[Action::${action}]`,
        "Break-glass reads the account's EKS clusters, whatever the incident needs; " +
          "only from the corporate network (the statement's condition and the admin-API guardrail).",
      );
    }
    for (const resource of ['arn:<AWS::Partition>:eks:*:<AWS::AccountId>:*', '*']) {
      acknowledge(
        this,
        `AwsSolutions-IAM5[Resource::${resource}]`,
        'EKS clusters of this account only (ListClusters and ' +
          'DescribeAddonVersions have no resource type, so they are granted on "*").',
      );
    }
  }
}
