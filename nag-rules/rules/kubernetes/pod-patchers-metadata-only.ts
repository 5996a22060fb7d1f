import {
  admissionObjects,
  changed,
  mustBeDenied,
  podUpdate,
  samplePod,
  userOfSubject,
} from '../../core/admission-requests';
import { hasToken } from '../../core/intrinsics';
import {
  CLUSTER_TYPES,
  containsToken,
  describeObject,
  metadataOf,
  objectsAppliedTo,
  objectsOf,
  stringsOf,
  SYSTEM_NAMESPACES,
  unresolvedField,
} from '../../core/kubernetes-objects';
import { COMPLIANT, NOT_APPLICABLE, RuleFinding, ThreatModelRule } from '../../core/rule';
import { isObject } from '../../core/template-model';

const WRITE_VERBS = ['patch', 'update', '*'];

/** Whether a ClusterRole rule lets its subjects change existing pods (patch or update on pods, or wildcards). */
function changesPods(rule: Record<string, any>): boolean {
  const groups = rule.apiGroups === undefined ? [''] : stringsOf(rule.apiGroups);
  const resources = stringsOf(rule.resources);
  return (
    (groups.includes('') || groups.includes('*')) &&
    ['pods', 'pods/ephemeralcontainers', '*'].some((r) => resources.includes(r)) &&
    stringsOf(rule.verbs).some((v) => WRITE_VERBS.includes(v))
  );
}

/** The subjects bound cluster-wide to a ClusterRole that changes pods, each with the binding that grants it. */
function podPatchers(objects: readonly Record<string, any>[]): {
  subjects: { subject: Record<string, any>; via: string }[];
  findings: RuleFinding[];
} {
  const findings: RuleFinding[] = [];
  const roles = new Set<string>();
  for (const role of objects.filter((o) => o.kind === 'ClusterRole')) {
    const rules = objectsOf(role.rules);
    if (containsToken(role.rules) && !rules.some(changesPods))
      findings.push(unresolvedField(`the rules of ${describeObject(role)}`, role.rules));
    else if (rules.some(changesPods)) roles.add(String(metadataOf(role).name));
  }
  const subjects: { subject: Record<string, any>; via: string }[] = [];
  for (const binding of objects.filter((o) => o.kind === 'ClusterRoleBinding')) {
    const roleRef = isObject(binding.roleRef) ? binding.roleRef : {};
    if (hasToken(roleRef.name))
      findings.push(unresolvedField(`the roleRef of ${describeObject(binding)}`, roleRef.name));
    if (roleRef.kind !== 'ClusterRole' || !roles.has(String(roleRef.name))) continue;
    for (const subject of objectsOf(binding.subjects)) {
      if (containsToken(subject)) findings.push(unresolvedField(`a subject of ${describeObject(binding)}`, subject));
      else subjects.push({ subject, via: `${describeObject(binding)} (ClusterRole ${String(roleRef.name)})` });
    }
  }
  return { subjects, findings };
}

/** K8S-15: whoever may patch every pod may change only its labels and annotations (a ValidatingAdmissionPolicy says so). */
export const PodPatchersMetadataOnly: ThreatModelRule = {
  controlId: 'K8S-15',
  threats: ['TH-2', 'TH-3', 'PV-3', 'PE-1'],
  level: 'error',
  kind: 'missing-control',
  description:
    'For every subject a ClusterRoleBinding gives patch or update on pods, the ValidatingAdmissionPolicies applied to the ' +
    'cluster (with a Deny binding) refuse that subject changing the image of a privileged pod, in kube-system and in every ' +
    "workload namespace; the policies' CEL is evaluated on that request",
  explanation:
    'Patch on pods looks harmless (the VPC CNI annotates pod IPs, the incident responder sets the quarantine label), but it ' +
    'also changes container images: a subject that can patch every pod can put its own image into a privileged pod of kube-system ' +
    'and run as root on the node, then as whatever the node can reach (TH-2, TH-3). RBAC cannot limit a patch to some fields; an ' +
    'admission policy can. The rule asks the applied policies what they decide on that request, so any policy that refuses it ' +
    'counts, however it is written.',
  resourceTypes: CLUSTER_TYPES,
  evaluate({ model, logicalId }) {
    const { objects: applied, findings } = objectsAppliedTo(
      model,
      logicalId,
      'the RBAC and admission policies it applies',
    );
    const objects = applied.map((o) => o.object);
    const { subjects, findings: subjectFindings } = podPatchers(objects);
    findings.push(...subjectFindings);
    const admission = admissionObjects(objects);
    const namespaces = [
      'kube-system',
      ...new Set(
        objects
          .filter((o) => o.kind === 'Namespace')
          .map((o) => metadataOf(o).name)
          .filter((n): n is string => typeof n === 'string' && !hasToken(n) && !SYSTEM_NAMESPACES.includes(n)),
      ),
    ];
    for (const { subject, via } of subjects) {
      const user = userOfSubject(subject);
      if (!user) continue;
      for (const namespace of namespaces) {
        const before = samplePod(namespace);
        const after = changed(before, (pod) => {
          pod.spec.containers[0].image = 'registry.example/replaced:6.6.6';
        });
        const finding = mustBeDenied(
          admission,
          podUpdate(objects, user, before, after),
          `${subject.kind} ${typeof subject.namespace === 'string' ? `${subject.namespace}/` : ''}${subject.name} may patch every pod (${via}) and can change the image of a privileged pod in ${namespace}`,
        );
        if (finding) findings.push(finding);
      }
    }
    if (findings.length) return findings;
    return subjects.length ? COMPLIANT : NOT_APPLICABLE;
  },
};
