import { quarantineLabel } from '../../../../nag-rules/core/network-policies';
import { NamespacesQuarantinePolicy } from '../../../../nag-rules/rules/kubernetes/namespaces-quarantine-policy';
import { failures, productTemplate } from '../../rule-harness';
import { messages, unresolvedFinding } from '../../rule-findings';
import {
  allowDns,
  checkOnCluster,
  checkOnClusterWithRef,
  defaultDeny,
  editManifestApplying,
  namespace,
  productClusterId,
  QUARANTINE_LABEL,
  quarantinePolicy,
} from './kubernetes-fixtures';

/** K8S-13 on the cluster, with namespace apps and the policies applied to it. */
const checkApps = (...policies: unknown[]) =>
  checkOnCluster(NamespacesQuarantinePolicy, [namespace('apps'), ...policies]);

describe('K8S-13 NamespacesQuarantinePolicy', () => {
  test('compliant: a quarantine policy (Exists or matchLabels) and allow policies that skip quarantined pods', () => {
    expect(checkApps(defaultDeny('apps'), quarantinePolicy('apps'), allowDns('apps')).status).toBe('pass');
    expect(
      checkApps(quarantinePolicy('apps', { matchLabels: { [QUARANTINE_LABEL]: 'true' } }), allowDns('apps')).status,
    ).toBe('pass');
  });

  test('the quarantine label is read only from a single-label selector of a deny-only policy', () => {
    expect(quarantineLabel(quarantinePolicy('apps'))).toBe(QUARANTINE_LABEL);
    expect(quarantineLabel(defaultDeny('apps'))).toBeUndefined();
    expect(
      quarantineLabel(quarantinePolicy('apps', { matchLabels: { [QUARANTINE_LABEL]: 'true', app: 'web' } })),
    ).toBeUndefined();
    expect(quarantineLabel(quarantinePolicy('apps', undefined, ['Ingress']))).toBeUndefined();
  });

  test('non-compliant: no quarantine policy; quarantine only for ingress; an allow policy that still selects quarantined pods', () => {
    const none = checkApps(defaultDeny('apps'), allowDns('apps'));
    expect(messages(none)).toEqual([
      "namespace 'apps' has no quarantine NetworkPolicy (one selecting pods by a label, both policyTypes, no rules)",
    ]);
    const ingressOnly = checkApps(quarantinePolicy('apps', undefined, ['Ingress']), allowDns('apps'));
    expect(ingressOnly.status).toBe('fail');
    const leaky = checkApps(defaultDeny('apps'), quarantinePolicy('apps'), allowDns('apps', {}));
    expect(messages(leaky)).toEqual([
      `namespace 'apps': quarantine by label '${QUARANTINE_LABEL}' is not complete: allow-dns still allows traffic for quarantined pods (add matchExpressions {key: ${QUARANTINE_LABEL}, operator: DoesNotExist} to their podSelector)`,
    ]);
  });

  test('unresolved: the quarantine label comes from a parameter (Fn::Join manifest)', () => {
    const objects = [
      namespace('apps'),
      quarantinePolicy('apps', { matchExpressions: [{ key: 'LABEL', operator: 'Exists' }] }),
      allowDns('apps', { matchExpressions: [{ key: 'LABEL', operator: 'DoesNotExist' }] }),
    ];
    const result = checkOnClusterWithRef(NamespacesQuarantinePolicy, objects, 'LABEL', 'QuarantineLabel');
    expect(result.findings).toEqual([unresolvedFinding(/quarantine policy of namespace 'apps' .*'QuarantineLabel'/)]);
  });

  test('the real product passes; it fails on its cluster once an allow policy stops skipping quarantined pods, or quarantine is removed', () => {
    const template = productTemplate();
    expect(failures(NamespacesQuarantinePolicy, template)).toEqual([]);
    const clusterId = productClusterId(template);
    const quarantineManifest = { kind: 'NetworkPolicy', name: 'quarantine' };
    const leaky = productTemplate();
    editManifestApplying(leaky, quarantineManifest, (objects) => {
      objects.find((o) => o.metadata.name === 'allow-dns-egress').spec.podSelector = {};
    });
    const failed = failures(NamespacesQuarantinePolicy, leaky);
    expect(failed.map((e) => e.logicalId)).toEqual([clusterId]);
    expect(messages(failed[0])).toEqual([
      expect.stringMatching(
        /^namespace 'workloads': quarantine by label 'security.eks-hardened\/quarantine' is not complete: allow-dns-egress still allows/,
      ),
    ]);
    editManifestApplying(template, quarantineManifest, (objects) =>
      objects.filter((o) => o.metadata.name !== 'quarantine'),
    );
    expect(failures(NamespacesQuarantinePolicy, template).map((e) => [e.logicalId, e.findings[0].message])).toEqual([
      [clusterId, expect.stringMatching(/has no quarantine NetworkPolicy/)],
    ]);
  });
});
