import { Template } from 'aws-cdk-lib/assertions';
import { CONTROL_PLANE_LOG_TYPES } from '../../lib/cluster/hardened-cluster';
import { ADDON_VERSIONS } from '../../products/hardened-eks/addon-versions';
import { resourcesOfType, synthesizeCatalog } from '../support/project-app';

let template: Record<string, any>;
let product: Template;
beforeAll(() => {
  ({ productJson: template, product } = synthesizeCatalog());
});
const cluster = () => resourcesOfType(template, 'AWS::EKS::Cluster')[0][1];

describe('control plane (LM-3, CC-DET, CC-COR)', () => {
  test('secrets are envelope-encrypted with a customer-managed key that rotates', () => {
    const [config] = cluster().Properties.EncryptionConfig;
    expect(config.Resources).toEqual(['secrets']);
    const key = template.Resources[config.Provider.KeyArn['Fn::GetAtt'][0]];
    expect(key.Type).toBe('AWS::KMS::Key');
    expect(key.Properties.EnableKeyRotation).toBe(true);
  });

  test('all five control-plane log types are on', () => {
    expect(CONTROL_PLANE_LOG_TYPES).toHaveLength(5);
    expect(
      cluster()
        .Properties.Logging.ClusterLogging.EnabledTypes.map((t: any) => t.Type)
        .sort(),
    ).toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
  });

  test('they land in a pre-created log group with retention and KMS, created before the cluster', () => {
    const [id, group] = resourcesOfType(template, 'AWS::Logs::LogGroup').find(([, g]) =>
      JSON.stringify(g.Properties.LogGroupName ?? '').includes('/aws/eks/'),
    )!;
    expect(group.Properties.LogGroupName).toEqual({
      'Fn::Join': ['', ['/aws/eks/', { Ref: 'ClusterName' }, '/cluster']],
    });
    expect(group.Properties.RetentionInDays).toBe(365);
    expect(group.Properties.KmsKeyId).toBeDefined();
    expect(cluster().DependsOn).toContain(id);
  });

  test('the Kubernetes version is chosen from the allowed list, defaulting to the newest', () => {
    expect(cluster().Properties.Version).toEqual({ Ref: 'KubernetesVersion' });
    expect(template.Parameters.KubernetesVersion).toMatchObject({ AllowedValues: ['1.35', '1.36'], Default: '1.36' });
  });

  test('deletion protection is on', () => {
    expect(cluster().Properties.DeletionProtection).toBe(true);
  });

  test.each([
    ['vpc-cni', 'vpcCni'],
    ['coredns', 'coreDns'],
    ['kube-proxy', 'kubeProxy'],
    ['eks-pod-identity-agent', 'podIdentityAgent'],
  ])('the %s managed add-on is pinned per Kubernetes version', (name, key) => {
    const [, addon] = resourcesOfType(template, 'AWS::EKS::Addon').find(([, r]) => r.Properties.AddonName === name)!;
    const [mapping, top, second] = addon.Properties.AddonVersion['Fn::FindInMap'];
    expect(top).toEqual({ Ref: 'KubernetesVersion' });
    for (const version of template.Parameters.KubernetesVersion.AllowedValues) {
      expect(template.Mappings[mapping][version][second]).toBe(
        ADDON_VERSIONS[version][name as keyof (typeof ADDON_VERSIONS)[string]],
      );
      expect(template.Mappings[mapping][version][second]).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
    }
    expect(second).toBe(key);
  });

  test('the cluster runs managed node groups, not EKS Auto Mode', () => {
    expect(cluster().Properties.ComputeConfig).toEqual({ Enabled: false });
    expect(cluster().Properties.StorageConfig).toEqual({ BlockStorage: { Enabled: false } });
  });

  test('outputs tell consumers the cluster name and ARN, the OIDC issuer and how to reach the private endpoint', () => {
    for (const output of [
      'ClusterName',
      'ClusterArn',
      'OidcIssuer',
      'ApiEndpoint',
      'KubeconfigCommand',
      'NodeSessionCommand',
    ]) {
      expect(template.Outputs[output]).toBeDefined();
    }
    expect(product.findOutputs('KubeconfigCommand').KubeconfigCommand.Value['Fn::Join'][1]).toContain(
      'aws eks update-kubeconfig --region ',
    );
  });
});
