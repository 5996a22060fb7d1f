import { ClusterDeletionProtection } from '../../../../nag-rules/rules/cluster/cluster-deletion-protection';
import { check, failures, productTemplate, productWithChanged, templateOf } from '../../rule-harness';
import { unresolvedFinding } from '../../rule-findings';

const cluster = (properties: Record<string, unknown>) =>
  templateOf({ C: { Type: 'AWS::EKS::Cluster', Properties: properties } });

describe('CLU-7 ClusterDeletionProtection', () => {
  test('compliant: DeletionProtection true (also as the string "true")', () => {
    expect(check(ClusterDeletionProtection, cluster({ DeletionProtection: true }), 'C').status).toBe('pass');
    expect(check(ClusterDeletionProtection, cluster({ DeletionProtection: 'true' }), 'C').status).toBe('pass');
  });
  test('non-compliant: not set, or false', () => {
    expect(check(ClusterDeletionProtection, cluster({}), 'C').findings).toEqual([
      { message: 'DeletionProtection is not set (off by default)' },
    ]);
    expect(check(ClusterDeletionProtection, cluster({ DeletionProtection: false }), 'C').status).toBe('fail');
  });
  test('aws-eks v1 custom resource: Config.deletionProtection', () => {
    const v1 = (deletionProtection?: boolean) =>
      templateOf({ C: { Type: 'Custom::AWSCDK-EKS-Cluster', Properties: { Config: { deletionProtection } } } });
    expect(check(ClusterDeletionProtection, v1(true), 'C').status).toBe('pass');
    expect(check(ClusterDeletionProtection, v1(), 'C').status).toBe('fail');
  });
  test('unresolved: a parameter decides', () => {
    const result = check(ClusterDeletionProtection, cluster({ DeletionProtection: { Ref: 'Protect' } }), 'C');
    expect(result.status).toBe('fail');
    expect(result.findings[0]).toEqual(unresolvedFinding());
  });
  test('the real product passes, and fails on its cluster without deletion protection', () => {
    expect(failures(ClusterDeletionProtection, productTemplate())).toEqual([]);
    const { template, id } = productWithChanged('AWS::EKS::Cluster', (cluster) => {
      delete cluster.DeletionProtection;
    });
    expect(failures(ClusterDeletionProtection, template).map((e) => e.logicalId)).toEqual([id]);
  });
});
