import {
  allowsNothing,
  coversBothDirections,
  isEmptySelector,
  policyNames,
  quarantineLabel,
  specOf,
  workloadNamespacePolicies,
} from '../../../nag-rules/core/network-policies';
import { TemplateModel } from '../../../nag-rules/core/template-model';

const denyAll = (namespace: string, name = 'default-deny') => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace },
  spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
});
const model = new TemplateModel({
  Resources: {
    Cluster: { Type: 'AWS::EKS::Cluster', Properties: {} },
    Manifest: {
      Type: 'Custom::AWSCDK-EKS-KubernetesResource',
      Properties: {
        ClusterName: { Ref: 'Cluster' },
        Manifest: JSON.stringify([
          { kind: 'Namespace', metadata: { name: 'team' } },
          { kind: 'Namespace', metadata: { name: 'kube-system' } },
          { kind: 'Namespace', metadata: { name: 'empty' } },
          denyAll('team'),
          denyAll('${Token:Ns}', 'somewhere'),
        ]),
      },
    },
  },
});

test('workload namespaces with their policies; a policy whose namespace is a placeholder is uncertain', () => {
  const { namespaces, uncertain, findings } = workloadNamespacePolicies(model, 'Cluster');
  expect(namespaces.map((n) => [n.namespace, policyNames(n.policies)])).toEqual([
    ['team', 'default-deny'],
    ['empty', ''],
  ]);
  expect(uncertain.map((p) => p.metadata.name)).toEqual(['somewhere']);
  expect(findings).toEqual([]);
});

test('what a policy selects and allows', () => {
  expect([
    isEmptySelector({}),
    isEmptySelector({ matchLabels: {} }),
    isEmptySelector({ matchLabels: { app: 'x' } }),
    isEmptySelector(undefined),
  ]).toEqual([true, true, false, false]);
  expect(coversBothDirections(denyAll('team'))).toBe(true);
  expect(coversBothDirections({ spec: { policyTypes: ['Ingress'] } })).toBe(false);
  expect(allowsNothing(denyAll('team'))).toBe(true);
  expect(allowsNothing({ spec: { ingress: [{}] } })).toBe(false);
  expect(specOf({ spec: 'x' })).toEqual({});
});

test('quarantineLabel: the one label a deny-all policy selects pods by', () => {
  const quarantine = (podSelector: unknown) => ({
    kind: 'NetworkPolicy',
    metadata: { name: 'q', namespace: 'team' },
    spec: { podSelector, policyTypes: ['Ingress', 'Egress'] },
  });
  expect(quarantineLabel(quarantine({ matchExpressions: [{ key: 'quarantine', operator: 'Exists' }] }))).toBe(
    'quarantine',
  );
  expect(quarantineLabel(quarantine({ matchLabels: { quarantine: 'true' } }))).toBe('quarantine');
  expect(quarantineLabel(quarantine({ matchLabels: { quarantine: 'true', app: 'web' } }))).toBeUndefined();
  expect(quarantineLabel(quarantine({ matchLabels: { '${Token:Label}': 'true' } }))).toBeUndefined();
});
