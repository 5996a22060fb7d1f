import { ClusterEndpointPrivate } from '../../../../nag-rules/rules/cluster/cluster-endpoint-private';
import { check, failures, productTemplate, productWithChanged, templateOf } from '../../rule-harness';
import { unresolvedFinding } from '../../rule-findings';

const cluster = (vpcConfig: Record<string, unknown>) =>
  templateOf({ C: { Type: 'AWS::EKS::Cluster', Properties: { ResourcesVpcConfig: vpcConfig } } });

describe('CLU-1 ClusterEndpointPrivate', () => {
  test('compliant: private on, public off', () => {
    expect(
      check(ClusterEndpointPrivate, cluster({ EndpointPrivateAccess: true, EndpointPublicAccess: false }), 'C').status,
    ).toBe('pass');
  });
  test('non-compliant: public endpoint left at its default', () => {
    const result = check(ClusterEndpointPrivate, cluster({ EndpointPrivateAccess: true }), 'C');
    expect(result.status).toBe('fail');
    expect(result.findings[0].message).toMatch(/public endpoint is on/);
  });
  test('non-compliant: aws-eks v1 custom resource with a public endpoint', () => {
    const v1 = templateOf({
      C: {
        Type: 'Custom::AWSCDK-EKS-Cluster',
        Properties: { Config: { resourcesVpcConfig: { endpointPublicAccess: true, endpointPrivateAccess: true } } },
      },
    });
    expect(check(ClusterEndpointPrivate, v1, 'C').status).toBe('fail');
  });
  test('unresolved: a parameter decides', () => {
    const result = check(
      ClusterEndpointPrivate,
      cluster({ EndpointPrivateAccess: true, EndpointPublicAccess: { Ref: 'Public' } }),
      'C',
    );
    expect(result.status).toBe('fail');
    expect(result.findings[0]).toEqual(unresolvedFinding());
  });
  test('the real product passes, and fails once its endpoint is made public', () => {
    expect(failures(ClusterEndpointPrivate, productTemplate())).toEqual([]);
    const { template, id } = productWithChanged('AWS::EKS::Cluster', (cluster) => {
      cluster.ResourcesVpcConfig.EndpointPublicAccess = true;
    });
    expect(failures(ClusterEndpointPrivate, template).map((e) => e.logicalId)).toEqual([id]);
  });
});
