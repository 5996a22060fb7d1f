import { CfnCondition } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';

/** A principal that gets namespace-scoped access, present only when its condition holds (an optional parameter). */
export interface NamespaceAccess {
  readonly principalArn: string;
  readonly condition: CfnCondition;
  readonly namespaces: string[];
}

export interface ClusterAccessProps {
  readonly cluster: eks.ICluster;
  /** Roles that get cluster-admin (break-glass and the consumer team's admin role). Nobody else does (TH-3, PV-1). */
  readonly clusterAdminArns: string[];
  /** Optional roles with the EKS edit policy in the workload namespaces. */
  readonly editors: NamespaceAccess[];
  /** Optional roles with the EKS view policy in the workload namespaces. */
  readonly viewers: NamespaceAccess[];
}

/**
 * Access entries (authentication mode API: there is no aws-auth ConfigMap to abuse). Cluster-admin only for the
 * admin roles; edit and view only inside workload namespaces.
 */
export class ClusterAccess extends Construct {
  constructor(scope: Construct, id: string, props: ClusterAccessProps) {
    super(scope, id);
    props.clusterAdminArns.forEach((principal, i) => {
      new eks.AccessEntry(this, `ClusterAdmin${i}`, {
        cluster: props.cluster,
        principal,
        accessPolicies: [
          eks.AccessPolicy.fromAccessPolicyName('AmazonEKSClusterAdminPolicy', {
            accessScopeType: eks.AccessScopeType.CLUSTER,
          }),
        ],
      });
    });
    const scoped = (kind: string, policy: string, grants: NamespaceAccess[]) =>
      grants.forEach((grant, i) => {
        const entry = new eks.AccessEntry(this, `${kind}${i}`, {
          cluster: props.cluster,
          principal: grant.principalArn,
          accessPolicies: [
            eks.AccessPolicy.fromAccessPolicyName(policy, {
              accessScopeType: eks.AccessScopeType.NAMESPACE,
              namespaces: grant.namespaces,
            }),
          ],
        });
        (entry.node.defaultChild as eks.CfnAccessEntry).cfnOptions.condition = grant.condition;
      });
    scoped('NamespaceEditor', 'AmazonEKSEditPolicy', props.editors);
    scoped('NamespaceViewer', 'AmazonEKSViewPolicy', props.viewers);
  }
}
