import { hasToken } from '../../core/intrinsics';
import {
  describeObject,
  KUBERNETES_RESOURCE_TYPES,
  objectsAppliedBy,
  ofKinds,
  unresolvedField,
} from '../../core/kubernetes-objects';
import { COMPLIANT, NOT_APPLICABLE, ThreatModelRule } from '../../core/rule';
import { isObject } from '../../core/template-model';

/** K8S-2: no RoleBinding or ClusterRoleBinding to cluster-admin, and no ClusterRoleBinding to admin. */
export const NoClusterAdminBinding: ThreatModelRule = {
  controlId: 'K8S-2',
  threats: ['TH-2', 'TH-3', 'PV-2', 'PV-3'],
  level: 'error',
  kind: 'misconfiguration',
  description:
    'No applied RoleBinding or ClusterRoleBinding refers to the ClusterRole cluster-admin, and no ClusterRoleBinding to admin',
  explanation:
    'A subject bound to cluster-admin (or to admin across all namespaces) controls the whole cluster: a compromised pod whose ' +
    'service account is bound so, or a stolen credential, takes over everything (TH-2, TH-3). Cluster administrators get access through ' +
    'EKS access entries instead, which IAM and CloudTrail govern.',
  resourceTypes: KUBERNETES_RESOURCE_TYPES,
  evaluate({ model, logicalId }) {
    const { objects, findings } = objectsAppliedBy(model, logicalId);
    const { matches, findings: kindFindings } = ofKinds(objects, ['ClusterRoleBinding', 'RoleBinding']);
    findings.push(...kindFindings);
    for (const binding of matches) {
      const where = describeObject(binding);
      const roleRef = binding.roleRef;
      if (hasToken(roleRef)) {
        findings.push(unresolvedField(`the roleRef of ${where}`, roleRef));
        continue;
      }
      if (!isObject(roleRef)) continue;
      if (hasToken(roleRef.kind) || hasToken(roleRef.name)) {
        findings.push(unresolvedField(`the roleRef of ${where}`, [roleRef.kind, roleRef.name]));
        continue;
      }
      if (roleRef.kind !== 'ClusterRole') continue;
      if (roleRef.name === 'cluster-admin') findings.push({ message: `${where} binds the ClusterRole cluster-admin` });
      else if (roleRef.name === 'admin' && binding.kind === 'ClusterRoleBinding') {
        findings.push({ message: `${where} binds the ClusterRole admin in every namespace` });
      }
    }
    if (findings.length) return findings;
    return matches.length ? COMPLIANT : NOT_APPLICABLE;
  },
};
