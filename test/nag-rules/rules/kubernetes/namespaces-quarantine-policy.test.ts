import { quarantineLabel } from '../../../../nag-rules/core/network-policies';
import { NamespacesQuarantinePolicy } from '../../../../nag-rules/rules/kubernetes/namespaces-quarantine-policy';
import { check, failures, productTemplate, templateOf, messages } from '../../rule-harness';
import {
  cluster,
  editManifest,
  manifest,
  manifestIdOf,
  manifestWithRef,
  namespace,
  networkPolicy,
  productClusterId,
} from './kubernetes-fixtures';

const LABEL = 'security.example/quarantine';
const notQuarantined = { matchExpressions: [{ key: LABEL, operator: 'DoesNotExist' }] };
const denyAll = (ns: string) =>
  networkPolicy('default-deny-all', ns, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
const quarantine = (
  ns: string,
  podSelector: unknown = { matchExpressions: [{ key: LABEL, operator: 'Exists' }] },
  policyTypes = ['Ingress', 'Egress'],
) => networkPolicy('quarantine', ns, { podSelector, policyTypes });
const allowDns = (ns: string, podSelector: unknown = notQuarantined) =>
  networkPolicy('allow-dns', ns, {
    podSelector,
    policyTypes: ['Egress'],
    egress: [{ ports: [{ protocol: 'UDP', port: 53 }] }],
  });
const withPolicies = (...policies: unknown[]) =>
  templateOf({ Cluster: cluster(), M: manifest([namespace('apps'), ...policies]) });

describe('K8S-13 NamespacesQuarantinePolicy', () => {
  test('compliant: a quarantine policy (Exists or matchLabels) and allow policies that skip quarantined pods', () => {
    expect(
      check(NamespacesQuarantinePolicy, withPolicies(denyAll('apps'), quarantine('apps'), allowDns('apps')), 'Cluster')
        .status,
    ).toBe('pass');
    expect(
      check(
        NamespacesQuarantinePolicy,
        withPolicies(quarantine('apps', { matchLabels: { [LABEL]: 'true' } }), allowDns('apps')),
        'Cluster',
      ).status,
    ).toBe('pass');
  });

  test('the quarantine label is read only from a single-label selector of a deny-only policy', () => {
    expect(quarantineLabel(quarantine('apps'))).toBe(LABEL);
    expect(quarantineLabel(denyAll('apps'))).toBeUndefined();
    expect(quarantineLabel(quarantine('apps', { matchLabels: { [LABEL]: 'true', app: 'web' } }))).toBeUndefined();
    expect(quarantineLabel(quarantine('apps', undefined, ['Ingress']))).toBeUndefined();
  });

  test('non-compliant: no quarantine policy; quarantine only for ingress; an allow policy that still selects quarantined pods', () => {
    const none = check(NamespacesQuarantinePolicy, withPolicies(denyAll('apps'), allowDns('apps')), 'Cluster');
    expect(messages(none)).toEqual([
      "namespace 'apps' has no quarantine NetworkPolicy (one selecting pods by a label, both policyTypes, no rules)",
    ]);
    const ingressOnly = check(
      NamespacesQuarantinePolicy,
      withPolicies(quarantine('apps', undefined, ['Ingress']), allowDns('apps')),
      'Cluster',
    );
    expect(ingressOnly.status).toBe('fail');
    const leaky = check(
      NamespacesQuarantinePolicy,
      withPolicies(denyAll('apps'), quarantine('apps'), allowDns('apps', {})),
      'Cluster',
    );
    expect(messages(leaky)).toEqual([
      `namespace 'apps': quarantine by label '${LABEL}' is not complete: allow-dns still allows traffic for quarantined pods (add matchExpressions {key: ${LABEL}, operator: DoesNotExist} to their podSelector)`,
    ]);
  });

  test('unresolved: the quarantine label comes from a parameter (Fn::Join manifest)', () => {
    const objects = [
      namespace('apps'),
      quarantine('apps', { matchExpressions: [{ key: 'LABEL', operator: 'Exists' }] }),
      allowDns('apps', { matchExpressions: [{ key: 'LABEL', operator: 'DoesNotExist' }] }),
    ];
    const result = check(
      NamespacesQuarantinePolicy,
      templateOf({ Cluster: cluster(), M: manifestWithRef(objects, 'LABEL', 'QuarantineLabel') }),
      'Cluster',
    );
    expect(result.findings).toEqual([
      expect.objectContaining({
        unresolved: true,
        message: expect.stringMatching(/quarantine policy of namespace 'apps' .*'QuarantineLabel'/),
      }),
    ]);
  });

  test('the real product passes; it fails on its cluster once an allow policy stops skipping quarantined pods, or quarantine is removed', () => {
    const template = productTemplate();
    expect(failures(NamespacesQuarantinePolicy, template)).toEqual([]);
    const clusterId = productClusterId(template);
    const id = manifestIdOf(template, 'NetworkPolicy', 'quarantine');
    const leaky = productTemplate();
    editManifest(leaky, id, (objects) => {
      objects.find((o) => o.metadata.name === 'allow-dns-egress').spec.podSelector = {};
    });
    const failed = failures(NamespacesQuarantinePolicy, leaky);
    expect(failed.map((e) => e.logicalId)).toEqual([clusterId]);
    expect(messages(failed[0])).toEqual([
      expect.stringMatching(
        /^namespace 'workloads': quarantine by label 'security.eks-hardened\/quarantine' is not complete: allow-dns-egress still allows/,
      ),
    ]);
    editManifest(template, id, (objects) => objects.filter((o) => o.metadata.name !== 'quarantine'));
    expect(failures(NamespacesQuarantinePolicy, template).map((e) => [e.logicalId, e.findings[0].message])).toEqual([
      [clusterId, expect.stringMatching(/has no quarantine NetworkPolicy/)],
    ]);
  });
});
