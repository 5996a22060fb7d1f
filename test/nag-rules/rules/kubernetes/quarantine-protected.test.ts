import {
  quarantineProtection,
  QUARANTINE_LABEL_POLICY,
  QUARANTINE_NETWORK_POLICIES_POLICY,
} from '../../../../lib/kubernetes/admission-policies';
import { QuarantineProtected } from '../../../../nag-rules/rules/kubernetes/quarantine-protected';
import { failures, productTemplate } from '../../rule-harness';
import { messages } from '../../rule-findings';
import {
  checkOnCluster,
  checkOnClusterWithRef,
  defaultDeny,
  editManifestApplying,
  namespace,
  productClusterId,
  QUARANTINE_LABEL,
  quarantinePolicy,
  setPolicyBindingActions,
} from './kubernetes-fixtures';

const denyAll = defaultDeny('apps', 'deny-all');
const quarantine = quarantinePolicy('apps');
/** The admission guards of namespace apps' quarantine (with any option changed). */
const protection = (changed: Partial<Parameters<typeof quarantineProtection>[0]> = {}) =>
  quarantineProtection({
    label: QUARANTINE_LABEL,
    namespaces: ['apps'],
    protectedPolicies: ['deny-all', 'quarantine'],
    responders: { groups: ['responders'] },
    deployers: { usernames: ['deployer'] },
    ...changed,
  });
/** K8S-16 on the cluster, with namespace apps, its deny-all and quarantine policies, and the objects applied to it. */
const checkQuarantined = (...objects: unknown[]) =>
  checkOnCluster(QuarantineProtected, [namespace('apps'), denyAll, quarantine, ...objects]);

describe('K8S-16 QuarantineProtected', () => {
  test('compliant: the label, the deny policies and new allow policies are guarded', () => {
    expect(checkQuarantined(...protection()).status).toBe('pass');
  });

  test('not applicable: no workload namespace has a quarantine policy', () => {
    expect(checkOnCluster(QuarantineProtected, [namespace('apps'), denyAll]).status).toBe('not-applicable');
  });

  test('non-compliant: no admission policy names every way out', () => {
    expect(messages(checkQuarantined())).toEqual([
      `in namespace 'apps' a namespace editor can remove the quarantine label ${QUARANTINE_LABEL} from a pod, and no ValidatingAdmissionPolicy with a Deny binding refuses it`,
      `in namespace 'apps' a namespace editor can change the quarantine label ${QUARANTINE_LABEL} of a pod, and no ValidatingAdmissionPolicy with a Deny binding refuses it`,
      "in namespace 'apps' a namespace editor can delete the network policy deny-all, and no ValidatingAdmissionPolicy with a Deny binding refuses it",
      "in namespace 'apps' a namespace editor can turn the network policy deny-all into one that allows all traffic, and no ValidatingAdmissionPolicy with a Deny binding refuses it",
      "in namespace 'apps' a namespace editor can delete the network policy quarantine, and no ValidatingAdmissionPolicy with a Deny binding refuses it",
      "in namespace 'apps' a namespace editor can turn the network policy quarantine into one that allows all traffic, and no ValidatingAdmissionPolicy with a Deny binding refuses it",
      "in namespace 'apps' a namespace editor can create a network policy that allows all traffic of every pod, quarantined ones included, and no ValidatingAdmissionPolicy with a Deny binding refuses it",
    ]);
  });

  test('non-compliant: the label guard protects another label; the network-policy guard exempts every authenticated user', () => {
    const otherLabel = protection({ label: 'security.example/other' }).filter(
      (o: any) => o.metadata.name === QUARANTINE_LABEL_POLICY || o.spec?.policyName === QUARANTINE_LABEL_POLICY,
    );
    const policies = protection().filter(
      (o: any) =>
        o.metadata.name === QUARANTINE_NETWORK_POLICIES_POLICY ||
        o.spec?.policyName === QUARANTINE_NETWORK_POLICIES_POLICY,
    );
    expect(messages(checkQuarantined(...otherLabel, ...policies))).toEqual([
      expect.stringMatching(/can remove the quarantine label/),
      expect.stringMatching(/can change the quarantine label/),
    ]);
    const everyone = protection({ deployers: { groups: ['system:authenticated'] } });
    expect(checkQuarantined(...everyone).findings).toHaveLength(5);
  });

  test('unresolved: the namespaces the guard applies to come from a template parameter', () => {
    const objects = [namespace('apps'), denyAll, quarantine, ...protection({ namespaces: ['NAMESPACE'] })];
    const result = checkOnClusterWithRef(QuarantineProtected, objects, 'NAMESPACE', 'TeamNamespace');
    expect(result.findings).toHaveLength(7);
    expect(result.findings.every((f) => f.unresolved && /TeamNamespace/.test(f.message))).toBe(true);
  });

  test('the real product passes; it fails once the network-policy guard is gone, or the label guard only audits', () => {
    const template = productTemplate();
    expect(failures(QuarantineProtected, template)).toEqual([]);
    const clusterId = productClusterId(template);
    const audited = productTemplate();
    setPolicyBindingActions(audited, QUARANTINE_LABEL_POLICY, ['Audit']);
    expect(failures(QuarantineProtected, audited).map((e) => [e.logicalId, e.findings.length])).toEqual([
      [clusterId, 2],
    ]);
    editManifestApplying(
      template,
      { kind: 'ValidatingAdmissionPolicy', name: QUARANTINE_NETWORK_POLICIES_POLICY },
      (objects) => objects.filter((o) => o.metadata.name !== QUARANTINE_NETWORK_POLICIES_POLICY),
    );
    const failed = failures(QuarantineProtected, template);
    expect(failed.map((e) => e.logicalId)).toEqual([clusterId]);
    expect(messages(failed[0])).toContain(
      "in namespace 'workloads' a namespace editor can delete the network policy default-deny-all, and no ValidatingAdmissionPolicy with a Deny binding refuses it",
    );
  });
});
