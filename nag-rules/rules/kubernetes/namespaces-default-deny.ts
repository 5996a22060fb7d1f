import { CLUSTER_TYPES, containsToken, unresolvedField } from '../../core/kubernetes-objects';
import {
  allowsNothing,
  coversBothDirections,
  isEmptySelector,
  policyNames,
  specOf,
  workloadNamespacePolicies,
} from '../../core/network-policies';
import { COMPLIANT, NOT_APPLICABLE, ThreatModelRule } from '../../core/rule';

/** K8S-8: every workload namespace applied to the cluster has a default-deny-all NetworkPolicy. */
export const NamespacesDefaultDeny: ThreatModelRule = {
  controlId: 'K8S-8',
  threats: ['TH-2', 'PV-5', 'LM-1', 'LM-4', 'EX-1'],
  level: 'error',
  kind: 'missing-control',
  description:
    'Every workload Namespace applied to the cluster has a NetworkPolicy with podSelector {}, policyTypes Ingress and Egress, ' +
    'and no ingress or egress rules',
  explanation:
    'Pods accept and send any traffic until a policy selects them. A deny-all policy in each workload namespace makes every ' +
    "allowed flow an explicit policy: a compromised pod cannot reach other pods, the node's services, cloud APIs or outside " +
    'systems unless allowed (TH-2, LM-1, LM-4, EX-1). Judged on the cluster, over all manifests applied to it; a cluster the ' +
    'template applies no workload namespace to is not applicable.',
  resourceTypes: CLUSTER_TYPES,
  evaluate({ model, logicalId }) {
    const { namespaces, uncertain, findings } = workloadNamespacePolicies(model, logicalId);
    for (const { namespace, policies } of namespaces) {
      if (policies.some((p) => isEmptySelector(specOf(p).podSelector) && coversBothDirections(p) && allowsNothing(p)))
        continue;
      const unknowns = [...policies.filter((p) => containsToken(p)), ...uncertain];
      if (unknowns.length)
        findings.push(unresolvedField(`the default-deny policy of namespace '${namespace}'`, unknowns));
      else {
        findings.push({
          message:
            `namespace '${namespace}' has no default-deny NetworkPolicy (podSelector {}, policyTypes Ingress and Egress, no rules)` +
            (policies.length ? `; its policies: ${policyNames(policies)}` : '; it has no NetworkPolicy at all'),
        });
      }
    }
    if (findings.length) return findings;
    return namespaces.length ? COMPLIANT : NOT_APPLICABLE;
  },
};
