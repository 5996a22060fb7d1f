import { CLUSTER_TYPES, containsToken, objectsOf, unresolvedField } from '../../core/kubernetes-objects';
import {
  allowsNothing,
  policyNames,
  quarantineLabel,
  specOf,
  workloadNamespacePolicies,
} from '../../core/network-policies';
import { COMPLIANT, NOT_APPLICABLE, ThreatModelRule } from '../../core/rule';
import { isObject } from '../../core/template-model';

/** Whether a policy's podSelector leaves out pods carrying the label (`DoesNotExist`). */
function excludes(policy: Record<string, any>, label: string): boolean {
  const selector = specOf(policy).podSelector;
  return (
    isObject(selector) &&
    objectsOf(selector.matchExpressions).some((e) => e.key === label && e.operator === 'DoesNotExist')
  );
}

/** K8S-13: every workload namespace can isolate a pod by label: a quarantine policy, and every allow policy skips quarantined pods. */
export const NamespacesQuarantinePolicy: ThreatModelRule = {
  controlId: 'K8S-13',
  threats: ['TH-2', 'TH-3', 'IR-2'],
  level: 'warning',
  kind: 'missing-control',
  description:
    'Every workload Namespace applied to the cluster has a NetworkPolicy that selects pods by a quarantine label ' +
    '(matchExpressions Exists, or matchLabels) with policyTypes Ingress and Egress and no rules, and every policy of the namespace ' +
    'that allows traffic excludes that label (DoesNotExist)',
  explanation:
    'Isolating a compromised pod (IR-2) must be one label away and must not need a policy written under pressure. Network ' +
    'policies add up: a pod still selected by an allow policy keeps that traffic however many deny policies select it, so ' +
    'quarantine is complete only when every allow policy leaves labelled pods out. Judged on the cluster, over all manifests ' +
    'applied to it; a cluster the template applies no workload namespace to is not applicable.',
  resourceTypes: CLUSTER_TYPES,
  evaluate({ model, logicalId }) {
    const { namespaces, uncertain, findings } = workloadNamespacePolicies(model, logicalId);
    for (const { namespace, policies } of namespaces) {
      const labels = [...new Set(policies.map(quarantineLabel).filter((l): l is string => l !== undefined))];
      // A policy with rules (or rules hidden behind a template value) allows something.
      const allowing = policies.filter((p) => !allowsNothing(p));
      const complete = labels.find((label) => allowing.every((p) => excludes(p, label)));
      if (complete) continue;
      const unknowns = [...policies.filter((p) => containsToken(p)), ...uncertain];
      if (unknowns.length) {
        findings.push(unresolvedField(`the quarantine policy of namespace '${namespace}'`, unknowns));
      } else if (labels.length === 0) {
        findings.push({
          message: `namespace '${namespace}' has no quarantine NetworkPolicy (one selecting pods by a label, both policyTypes, no rules)`,
        });
      } else {
        for (const label of labels) {
          const leaks = allowing.filter((p) => !excludes(p, label));
          findings.push({
            message:
              `namespace '${namespace}': quarantine by label '${label}' is not complete: ${policyNames(leaks)} still ` +
              `${leaks.length > 1 ? 'allow' : 'allows'} traffic for quarantined pods (add matchExpressions {key: ${label}, operator: DoesNotExist} to their podSelector)`,
          });
        }
      }
    }
    if (findings.length) return findings;
    return namespaces.length ? COMPLIANT : NOT_APPLICABLE;
  },
};
