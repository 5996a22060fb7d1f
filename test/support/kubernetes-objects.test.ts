import { KubectlV36Layer } from '@aws-cdk/lambda-layer-kubectl-v36';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Cluster, DefaultCapacityType, KubernetesVersion } from 'aws-cdk-lib/aws-eks-v2';
import { appliedKubernetesObjects, helmReleases, validateKubernetesObject } from './kubernetes-objects';

const networkPolicy = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'default-deny', namespace: 'apps' },
  spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
};

describe('validateKubernetesObject', () => {
  test('accepts valid objects', () => {
    validateKubernetesObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } });
    validateKubernetesObject(networkPolicy);
  });

  test('rejects a schema violation, naming the object', () => {
    const bad = { ...networkPolicy, spec: { podSelector: 'x' } };
    expect(() => validateKubernetesObject(bad)).toThrow(
      /networking\.k8s\.io\/v1 NetworkPolicy "default-deny".*spec\/podSelector must be object/,
    );
  });

  test('rejects a kind it has no model for', () => {
    expect(() =>
      validateKubernetesObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }),
    ).toThrow(/No kubernetes-models schema for example\.com\/v1 Widget/);
  });
});

describe('synthesized eks-v2 cluster', () => {
  let template: Record<string, any>;
  let clusterId: string;

  beforeAll(() => {
    const stack = new Stack(new App(), 'Test');
    const cluster = new Cluster(stack, 'Cluster', {
      version: KubernetesVersion.V1_36,
      kubectlProviderOptions: { kubectlLayer: new KubectlV36Layer(stack, 'Layer') },
      defaultCapacityType: DefaultCapacityType.NODEGROUP,
      defaultCapacity: 0,
    });
    cluster.addManifest('Apps', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'apps', labels: { cluster: cluster.clusterName } },
    });
    cluster.addHelmChart('Chart', {
      chart: 'example',
      repository: 'https://charts.example.com',
      version: '1.2.3',
      namespace: 'apps',
      values: { clusterName: cluster.clusterName, replicas: 2 },
    });
    const synthesized = Template.fromStack(stack);
    template = synthesized.toJSON();
    [clusterId] = Object.keys(synthesized.findResources('AWS::EKS::Cluster'));
  });

  test('appliedKubernetesObjects resolves tokens to placeholders', () => {
    const objects = appliedKubernetesObjects(template);
    expect(objects).toHaveLength(1);
    const [{ object }] = objects;
    expect(object).toMatchObject({
      kind: 'Namespace',
      metadata: { name: 'apps', labels: { cluster: `\${Token:${clusterId}}` } },
    });
    validateKubernetesObject(object);
  });

  test('helmReleases parses chart coordinates and values', () => {
    expect(helmReleases(template)).toEqual([
      expect.objectContaining({
        chart: 'example',
        repository: 'https://charts.example.com',
        version: '1.2.3',
        namespace: 'apps',
        values: { clusterName: `\${Token:${clusterId}}`, replicas: 2 },
      }),
    ]);
  });
});
