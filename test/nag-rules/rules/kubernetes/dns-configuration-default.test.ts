import { kubernetesConfigurations } from '../../../../nag-rules/core/kubernetes-configuration';
import { TemplateModel } from '../../../../nag-rules/core/template-model';
import { DnsConfigurationDefault } from '../../../../nag-rules/rules/kubernetes/dns-configuration-default';
import { check, failures, idsOfType, productTemplate, templateOf } from '../../rule-harness';
import { exactUnresolved, messages } from '../../rule-findings';

const COREFILE =
  '.:53 {\n    errors\n    health\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n      pods insecure\n      fallthrough in-addr.arpa ip6.arpa\n    }\n    forward . /etc/resolv.conf\n    cache 30\n}\n';
const addon = (name: string, configurationValues?: unknown) =>
  templateOf({
    Cluster: { Type: 'AWS::EKS::Cluster', Properties: {} },
    Addon: {
      Type: 'AWS::EKS::Addon',
      Properties: {
        ClusterName: { Ref: 'Cluster' },
        AddonName: name,
        AddonVersion: 'v1',
        ...(configurationValues === undefined ? {} : { ConfigurationValues: configurationValues }),
      },
    },
  });

describe('one reader of Kubernetes configuration', () => {
  test('manifests, Helm values and add-on configuration values (JSON or YAML) come out of one reader', () => {
    const model = new TemplateModel(
      templateOf({
        Cluster: { Type: 'AWS::EKS::Cluster', Properties: {} },
        M: {
          Type: 'Custom::AWSCDK-EKS-KubernetesResource',
          Properties: {
            ClusterName: { Ref: 'Cluster' },
            Manifest: '[{"kind":"ConfigMap","metadata":{"name":"a","namespace":"b"}}]',
          },
        },
        H: {
          Type: 'Custom::AWSCDK-EKS-HelmChart',
          Properties: { ClusterName: { Ref: 'Cluster' }, Chart: 'coredns', Values: '{"replicaCount":2}' },
        },
        A: {
          Type: 'AWS::EKS::Addon',
          Properties: { ClusterName: { Ref: 'Cluster' }, AddonName: 'kube-proxy', ConfigurationValues: 'mode: ipvs\n' },
        },
        Bad: { Type: 'AWS::EKS::Addon', Properties: { AddonName: 'vpc-cni', ConfigurationValues: '{ not: [yaml' } },
      }),
    );
    const { configurations, unreadable } = kubernetesConfigurations(model);
    expect(configurations.map((c) => [c.logicalId, c.channel, c.clusterId, c.value])).toEqual([
      ['M', 'manifest', 'Cluster', { kind: 'ConfigMap', metadata: { name: 'a', namespace: 'b' } }],
      ['H', 'helm-values', 'Cluster', { replicaCount: 2 }],
      ['A', 'addon-configuration', 'Cluster', { mode: 'ipvs' }],
    ]);
    expect(unreadable.map((u) => [u.logicalId, u.where])).toEqual([
      ['Bad', 'configuration values of add-on vpc-cni (Bad)'],
    ]);
  });
});

describe('K8S-17 DnsConfigurationDefault', () => {
  test('compliant: the default Corefile in the coredns add-on; not applicable: other add-ons', () => {
    expect(
      check(DnsConfigurationDefault, addon('coredns', JSON.stringify({ corefile: COREFILE })), 'Addon').status,
    ).toBe('pass');
    expect(check(DnsConfigurationDefault, addon('coredns'), 'Addon').status).toBe('pass');
    expect(check(DnsConfigurationDefault, addon('kube-proxy', '{"mode":"ipvs"}'), 'Addon').status).toBe(
      'not-applicable',
    );
  });
  test("non-compliant: a forward to another resolver and a rewrite, in the add-on's YAML or a CoreDNS Helm chart", () => {
    const corefile = COREFILE.replace(
      'forward . /etc/resolv.conf',
      'forward . 203.0.113.53\n    rewrite name sts.amazonaws.com sts.attacker.example',
    );
    const yaml = `corefile: |\n${corefile
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n')}\n`;
    expect(messages(check(DnsConfigurationDefault, addon('coredns', yaml), 'Addon'))).toEqual([
      'the configuration values of add-on coredns (Addon) forwards . to 203.0.113.53 instead of the VPC resolver (/etc/resolv.conf)',
      'the configuration values of add-on coredns (Addon) uses the rewrite plugin: CoreDNS answers or rewrites names itself (rewrite name sts.amazonaws.com sts.attacker.example)',
    ]);
    const helm = templateOf({
      H: {
        Type: 'Custom::AWSCDK-EKS-HelmChart',
        Properties: {
          Chart: 'coredns',
          Values: JSON.stringify({ servers: [{ plugins: [{ name: 'forward', parameters: '. 8.8.8.8' }] }] }),
        },
      },
    });
    expect(check(DnsConfigurationDefault, helm, 'H').findings[0].message).toMatch(
      /Helm values of H \(chart coredns\) forwards \. to 8\.8\.8\.8/,
    );
  });
  test('unresolved: a Corefile from a parameter, and configuration values that cannot be read', () => {
    const token = check(
      DnsConfigurationDefault,
      addon('coredns', { 'Fn::Sub': '{"corefile":"${Corefile}"}' }),
      'Addon',
    );
    expect(token.findings).toEqual([
      exactUnresolved(
        'the Corefile of the configuration values of add-on coredns (Addon)',
        "template value 'Corefile'",
      ),
    ]);
    expect(
      check(DnsConfigurationDefault, addon('coredns', 'corefile: [unclosed'), 'Addon').findings.every(
        (f) => f.unresolved,
      ),
    ).toBe(true);
  });
  test('the real product passes, and fails on its coredns add-on once its configuration values forward elsewhere', () => {
    const template = productTemplate();
    expect(failures(DnsConfigurationDefault, template)).toEqual([]);
    const [id] = idsOfType(template, 'AWS::EKS::Addon', (r) => r.Properties.AddonName === 'coredns');
    template.Resources[id].Properties.ConfigurationValues = JSON.stringify({
      corefile: COREFILE.replace('/etc/resolv.conf', '198.51.100.1'),
    });
    expect(failures(DnsConfigurationDefault, template).map((e) => e.logicalId)).toEqual([id]);
  });
});
