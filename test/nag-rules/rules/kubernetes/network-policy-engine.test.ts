import { NetworkPolicyEngine } from '../../../../nag-rules/rules/kubernetes/network-policy-engine';
import { check, failures, idsOfType, productTemplate, templateOf } from '../../rule-harness';
import { messages, unresolvedFinding } from '../../rule-findings';
import { cluster, productClusterId } from './kubernetes-fixtures';

const calicoValues = { installation: { enabled: true, kubernetesProvider: 'EKS', cni: { type: 'AmazonVPC' } } };
const calico = (values: unknown = calicoValues, chart = 'tigera-operator') => ({
  Type: 'Custom::AWSCDK-EKS-HelmChart',
  Properties: {
    ClusterName: { Ref: 'Cluster' },
    Chart: chart,
    Release: 'calico',
    Namespace: 'tigera-operator',
    Values: typeof values === 'string' ? values : JSON.stringify(values),
  },
});
const vpcCni = (configurationValues?: unknown) => ({
  Type: 'AWS::EKS::Addon',
  Properties: {
    ClusterName: { Ref: 'Cluster' },
    AddonName: 'vpc-cni',
    ...(configurationValues === undefined ? {} : { ConfigurationValues: configurationValues }),
  },
});

describe('K8S-12 NetworkPolicyEngine', () => {
  test('compliant: Calico in policy-only mode on the VPC CNI (whose own engine is off)', () => {
    const template = templateOf({
      Cluster: cluster(),
      Calico: calico(),
      Cni: vpcCni('{"enableNetworkPolicy":"false"}'),
    });
    expect(check(NetworkPolicyEngine, template, 'Cluster').status).toBe('pass');
  });

  test("compliant: the VPC CNI's own engine, with ConfigurationValues as a JSON string or YAML", () => {
    expect(
      check(
        NetworkPolicyEngine,
        templateOf({ Cluster: cluster(), Cni: vpcCni('{"enableNetworkPolicy":"true"}') }),
        'Cluster',
      ).status,
    ).toBe('pass');
    expect(
      check(
        NetworkPolicyEngine,
        templateOf({ Cluster: cluster(), Cni: vpcCni('enableNetworkPolicy: "true"\n') }),
        'Cluster',
      ).status,
    ).toBe('pass');
  });

  test('non-compliant: no engine at all, and Calico installed as the CNI rather than on the VPC CNI', () => {
    const none = check(NetworkPolicyEngine, templateOf({ Cluster: cluster(), Cni: vpcCni() }), 'Cluster');
    expect(messages(none)).toEqual([
      expect.stringMatching(/^no network-policy engine: no tigera-operator Helm release/),
    ]);
    const wrong = check(
      NetworkPolicyEngine,
      templateOf({
        Cluster: cluster(),
        Calico: calico({ installation: { kubernetesProvider: 'EKS', cni: { type: 'Calico' } } }),
      }),
      'Cluster',
    );
    expect(messages(wrong)).toEqual([
      'Helm release Calico (tigera-operator) does not install Calico in policy-only mode on the VPC CNI: installation.cni.type is "Calico", not "AmazonVPC"',
      expect.stringMatching(/^no network-policy engine/),
    ]);
  });

  test('non-compliant: both engines at once conflict', () => {
    const result = check(
      NetworkPolicyEngine,
      templateOf({ Cluster: cluster(), Calico: calico(), Cni: vpcCni('{"enableNetworkPolicy":"true"}') }),
      'Cluster',
    );
    expect(messages(result)).toEqual([expect.stringMatching(/^two network-policy engines/)]);
  });

  test('unresolved: enableNetworkPolicy from a parameter (Fn::Join), and Calico values that cannot be read', () => {
    const fromParameter = vpcCni({ 'Fn::Join': ['', ['{"enableNetworkPolicy":"', { Ref: 'NetworkPolicy' }, '"}']] });
    const result = check(NetworkPolicyEngine, templateOf({ Cluster: cluster(), Cni: fromParameter }), 'Cluster');
    expect(result.findings).toEqual([unresolvedFinding(/enableNetworkPolicy cannot be checked .*'NetworkPolicy'/)]);
    const unreadable = check(
      NetworkPolicyEngine,
      templateOf({ Cluster: cluster(), Calico: calico('{installation') }),
      'Cluster',
    );
    expect(unreadable.findings).toEqual([
      unresolvedFinding(/values of Helm release Calico \(tigera-operator\) cannot be read/),
    ]);
  });

  test('the real product passes; it fails on its cluster with the VPC CNI engine also on, or without Calico', () => {
    const template = productTemplate();
    expect(failures(NetworkPolicyEngine, template)).toEqual([]);
    const clusterId = productClusterId(template);
    const addonId = idsOfType(template, 'AWS::EKS::Addon').find(
      (id) => template.Resources[id].Properties.AddonName === 'vpc-cni',
    )!;
    const both = productTemplate();
    const config = JSON.parse(both.Resources[addonId].Properties.ConfigurationValues);
    both.Resources[addonId].Properties.ConfigurationValues = JSON.stringify({ ...config, enableNetworkPolicy: 'true' });
    expect(failures(NetworkPolicyEngine, both).map((e) => [e.logicalId, messages(e)])).toEqual([
      [clusterId, [expect.stringMatching(/^two network-policy engines/)]],
    ]);
    const [chartId] = idsOfType(template, 'Custom::AWSCDK-EKS-HelmChart');
    delete template.Resources[chartId];
    expect(failures(NetworkPolicyEngine, template).map((e) => [e.logicalId, messages(e)])).toEqual([
      [clusterId, [expect.stringMatching(/^no network-policy engine/)]],
    ]);
  });
});
