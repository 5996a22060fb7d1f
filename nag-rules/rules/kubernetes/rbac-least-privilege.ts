import { hasToken } from '../../core/intrinsics';
import {
  describeObject,
  KUBERNETES_RESOURCE_TYPES,
  objectsAppliedBy,
  ofKinds,
  stringsOf,
  unresolvedField,
} from '../../core/kubernetes-objects';
import { COMPLIANT, NOT_APPLICABLE, RuleFinding, ThreatModelRule } from '../../core/rule';
import { isObject } from '../../core/template-model';

const ESCALATING_VERBS = ['escalate', 'bind', 'impersonate'];
const READ_VERBS = ['get', 'list', 'watch'];
/** Subresources that run commands in containers or on nodes, with the verbs that reach them. */
const COMMAND_SUBRESOURCES: Readonly<Record<string, readonly string[]>> = {
  'pods/exec': ['create'],
  'pods/attach': ['create'],
  // The kubelet API behind nodes/proxy runs commands in any pod of the node; its exec endpoint is reachable with get too.
  'nodes/proxy': ['create', 'get'],
};

function checkRule(kind: string, rule: Record<string, any>, where: string): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const field of ['verbs', 'resources', 'apiGroups']) {
    const value = rule[field];
    if (hasToken(value) || (Array.isArray(value) && value.some(hasToken)))
      findings.push(unresolvedField(`the ${field} of ${where}`, value));
  }
  const verbs = stringsOf(rule.verbs).filter((v) => !hasToken(v));
  const resources = stringsOf(rule.resources).filter((v) => !hasToken(v));
  // A rule without apiGroups is read as the core group, where secrets, pods and nodes live.
  const apiGroups = rule.apiGroups === undefined ? [''] : stringsOf(rule.apiGroups).filter((v) => !hasToken(v));
  for (const [field, values] of [
    ['verbs', verbs],
    ['resources', resources],
    ['apiGroups', apiGroups],
  ] as const) {
    const wild = values.filter((v) => v.includes('*'));
    if (wild.length)
      findings.push({ message: `${where} grants a wildcard in ${field} (${wild.map((w) => `'${w}'`).join(', ')})` });
  }
  const escalating = verbs.filter((v) => ESCALATING_VERBS.includes(v));
  if (escalating.length)
    findings.push({ message: `${where} grants ${escalating.join(', ')} (privilege escalation through RBAC)` });
  if (!apiGroups.includes('')) return findings;
  const reads = verbs.filter((v) => READ_VERBS.includes(v));
  const named = stringsOf(rule.resourceNames).length > 0;
  if (kind === 'ClusterRole' && resources.includes('secrets') && reads.length && !named) {
    findings.push({
      message: `${where} grants ${reads.join(', ')} on every secret (a ClusterRole without resourceNames)`,
    });
  }
  for (const [subresource, dangerous] of Object.entries(COMMAND_SUBRESOURCES)) {
    const granted = verbs.filter((v) => dangerous.includes(v));
    if (resources.includes(subresource) && granted.length)
      findings.push({
        message: `${where} grants ${granted.join(', ')} on ${subresource} (runs commands in containers)`,
      });
  }
  return findings;
}

/** K8S-3: Roles and ClusterRoles without wildcards, cluster-wide secret reads, escalate/bind/impersonate, or exec. */
export const RbacLeastPrivilege: ThreatModelRule = {
  controlId: 'K8S-3',
  threats: ['TH-2', 'TH-3', 'LM-3', 'PV-3'],
  level: 'error',
  kind: 'misconfiguration',
  description:
    'Applied Roles and ClusterRoles have no wildcard verbs, resources or API groups, no cluster-wide secret reads, ' +
    'no escalate/bind/impersonate, and no create on pods/exec, pods/attach or nodes/proxy',
  explanation:
    'Wildcards grant whatever the API offers now and later; reading every secret hands over every credential (LM-3); ' +
    'escalate, bind and impersonate let a subject give itself any role; exec and the kubelet proxy run commands in any pod. ' +
    'Each turns one compromised service account or user into cluster takeover (TH-2, TH-3). A ClusterRole that reads secrets only ' +
    'through resourceNames is accepted.',
  resourceTypes: KUBERNETES_RESOURCE_TYPES,
  evaluate({ model, logicalId }) {
    const { objects, findings } = objectsAppliedBy(model, logicalId);
    const { matches, findings: kindFindings } = ofKinds(objects, ['Role', 'ClusterRole']);
    findings.push(...kindFindings);
    for (const role of matches) {
      const where = describeObject(role);
      if (hasToken(role.rules)) {
        findings.push(unresolvedField(`the rules of ${where}`, role.rules));
        continue;
      }
      (Array.isArray(role.rules) ? role.rules : []).forEach((rule: unknown, i: number) => {
        if (hasToken(rule)) findings.push(unresolvedField(`rule ${i + 1} of ${where}`, rule));
        else if (isObject(rule)) findings.push(...checkRule(role.kind, rule, `rule ${i + 1} of ${where}`));
      });
    }
    if (findings.length) return findings;
    return matches.length ? COMPLIANT : NOT_APPLICABLE;
  },
};
