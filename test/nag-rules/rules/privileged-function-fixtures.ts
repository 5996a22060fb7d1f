import { arnOf } from './template-values';

/** Pieces of the templates of the privileged-function rules' tests (IDN-8 guards them, DET-6 alerts on them). */

/** A Lambda function running as a role of the template. */
export function functionRunningAs(roleId: string): Record<string, unknown> {
  return { Type: 'AWS::Lambda::Function', Properties: { Role: arnOf(roleId) } };
}

/** An access entry to the cluster `Cluster` for a role of the template, with the given access. */
export function accessEntryFor(roleId: string, access: Record<string, unknown>): Record<string, unknown> {
  return {
    Type: 'AWS::EKS::AccessEntry',
    Properties: { ClusterName: { Ref: 'Cluster' }, PrincipalArn: arnOf(roleId), ...access },
  };
}

/** An inline IAM policy of a role of the template. */
export function policyOfRole(roleId: string, statements: unknown[]): Record<string, unknown> {
  return {
    Type: 'AWS::IAM::Policy',
    Properties: { Roles: [{ Ref: roleId }], PolicyDocument: { Statement: statements } },
  };
}
