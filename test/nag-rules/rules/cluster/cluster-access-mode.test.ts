import { ClusterAccessMode } from '../../../../nag-rules/rules/cluster/cluster-access-mode';
import { check, failures, productTemplate, productWithChanged, templateOf } from '../../rule-harness';
import { messages, unresolvedFinding } from '../../rule-findings';

const cluster = (accessConfig: unknown) =>
  templateOf({ C: { Type: 'AWS::EKS::Cluster', Properties: { AccessConfig: accessConfig } } });

describe('CLU-6 ClusterAccessMode', () => {
  test('compliant: API mode, no admin for the creator', () => {
    expect(
      check(
        ClusterAccessMode,
        cluster({ AuthenticationMode: 'API', BootstrapClusterCreatorAdminPermissions: false }),
        'C',
      ).status,
    ).toBe('pass');
  });
  test('non-compliant: defaults (no AccessConfig) give CONFIG_MAP and a creator admin', () => {
    const result = check(ClusterAccessMode, cluster(undefined), 'C');
    expect(messages(result)).toEqual([
      expect.stringMatching(/defaults to CONFIG_MAP/),
      expect.stringMatching(/cluster creator keeps cluster-admin/),
    ]);
  });
  test('non-compliant: API_AND_CONFIG_MAP', () => {
    const result = check(
      ClusterAccessMode,
      cluster({ AuthenticationMode: 'API_AND_CONFIG_MAP', BootstrapClusterCreatorAdminPermissions: 'false' }),
      'C',
    );
    expect(result.findings).toEqual([
      { message: expect.stringMatching(/API_AND_CONFIG_MAP: the aws-auth ConfigMap can grant access/) },
    ]);
  });
  test('aws-eks v1 custom resource: Config.accessConfig', () => {
    const v1 = (accessConfig: unknown) =>
      templateOf({ C: { Type: 'Custom::AWSCDK-EKS-Cluster', Properties: { Config: { accessConfig } } } });
    expect(
      check(ClusterAccessMode, v1({ authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false }), 'C')
        .status,
    ).toBe('pass');
    expect(check(ClusterAccessMode, v1({ authenticationMode: 'CONFIG_MAP' }), 'C').findings).toHaveLength(2);
  });
  test('unresolved: the mode from a parameter', () => {
    const result = check(
      ClusterAccessMode,
      cluster({ AuthenticationMode: { Ref: 'Mode' }, BootstrapClusterCreatorAdminPermissions: false }),
      'C',
    );
    expect(result.status).toBe('fail');
    expect(result.findings).toEqual([unresolvedFinding(/^AuthenticationMode/)]);
  });
  test('the real product passes, and fails on its cluster once the creator keeps admin', () => {
    expect(failures(ClusterAccessMode, productTemplate())).toEqual([]);
    const { template, id } = productWithChanged('AWS::EKS::Cluster', (cluster) => {
      cluster.AccessConfig.BootstrapClusterCreatorAdminPermissions = true;
    });
    expect(failures(ClusterAccessMode, template).map((e) => e.logicalId)).toEqual([id]);
  });
});
