import { AdmissionUser } from '../../core/admission-policy';
import {
  admissionObjects,
  changed,
  mustBeDenied,
  networkPolicyChange,
  podUpdate,
  samplePod,
} from '../../core/admission-requests';
import { CLUSTER_TYPES, metadataOf, objectsAppliedTo } from '../../core/kubernetes-objects';
import {
  allowsNothing,
  coversBothDirections,
  isEmptySelector,
  quarantineLabel,
  specOf,
  workloadNamespacePolicies,
} from '../../core/network-policies';
import { COMPLIANT, NOT_APPLICABLE, RuleFinding, ThreatModelRule } from '../../core/rule';
import { isObject } from '../../core/template-model';

/** Who tries to lift the quarantine: a namespace editor (EKS edit access), in no group of the product. */
export const NAMESPACE_EDITOR: AdmissionUser = { username: 'namespace-editor', groups: ['system:authenticated'] };

/** Whether a deny-only policy keeps quarantined pods cut off: it selects them (or every pod) for both directions. */
function keepsQuarantinedOff(policy: Record<string, any>, label: string): boolean {
  return (
    allowsNothing(policy) &&
    coversBothDirections(policy) &&
    (quarantineLabel(policy) === label || isEmptySelector(specOf(policy).podSelector))
  );
}

/**
 * K8S-16: in every workload namespace with a quarantine policy, a namespace editor can neither remove a pod's quarantine
 * label, nor change or delete the deny policies that cut quarantined pods off, nor add a policy that lets their traffic through.
 */
export const QuarantineProtected: ThreatModelRule = {
  controlId: 'K8S-16',
  threats: ['TH-2', 'TH-3', 'IR-2', 'AC-4', 'AC-5'],
  level: 'error',
  kind: 'missing-control',
  description:
    'In every workload namespace with a quarantine NetworkPolicy, the ValidatingAdmissionPolicies applied to the cluster (with ' +
    "a Deny binding) refuse a user outside the product's groups removing or changing a pod's quarantine label, changing or deleting the " +
    "namespace's deny-only policies that select quarantined pods, and creating a policy that allows traffic without leaving " +
    "quarantined pods out; the policies' CEL is evaluated on each request",
  explanation:
    "Quarantine (IR-2) is a label and two deny policies in a namespace the team edits: whoever holds the namespace's edit " +
    'access (the team, or an attacker with its credentials) could take the label off, delete the policies, or add an allow policy ' +
    'that selects the pod again, since network policies add up. Only the incident responder may touch the label and only the ' +
    "deployment the product's policies.",
  resourceTypes: CLUSTER_TYPES,
  evaluate({ model, logicalId }) {
    const { namespaces, findings } = workloadNamespacePolicies(model, logicalId);
    const objects = objectsAppliedTo(model, logicalId, 'the admission policies it applies').objects.map(
      (o) => o.object,
    );
    const admission = admissionObjects(objects);
    let judged = 0;
    for (const { namespace, policies } of namespaces) {
      const label = policies.map(quarantineLabel).find((l): l is string => l !== undefined);
      if (label === undefined) continue;
      judged += 1;
      const where = `in namespace '${namespace}' a namespace editor`;
      const quarantined = samplePod(namespace, { app: 'sample', [label]: 'true' });
      const check = (finding: RuleFinding | undefined) => {
        if (finding) findings.push(finding);
      };
      const labelEdits: [(pod: any) => void, string][] = [
        [(p) => delete p.metadata.labels[label], `can remove the quarantine label ${label} from a pod`],
        [(p) => (p.metadata.labels[label] = 'false'), `can change the quarantine label ${label} of a pod`],
      ];
      for (const [edit, what] of labelEdits) {
        const update = podUpdate(objects, NAMESPACE_EDITOR, quarantined, changed(quarantined, edit));
        check(mustBeDenied(admission, update, `${where} ${what}`));
      }
      for (const policy of policies.filter((p) => keepsQuarantinedOff(p, label))) {
        const name = String(metadataOf(policy).name);
        const existing = changed(policy, (p) => {
          p.metadata.namespace = namespace;
        });
        check(
          mustBeDenied(
            admission,
            networkPolicyChange(objects, NAMESPACE_EDITOR, 'DELETE', existing, null),
            `${where} can delete the network policy ${name}`,
          ),
        );
        check(
          mustBeDenied(
            admission,
            networkPolicyChange(
              objects,
              NAMESPACE_EDITOR,
              'UPDATE',
              existing,
              changed(existing, (p) => {
                p.spec = {
                  ...(isObject(p.spec) ? p.spec : {}),
                  policyTypes: ['Ingress', 'Egress'],
                  egress: [{}],
                  ingress: [{}],
                };
              }),
            ),
            `${where} can turn the network policy ${name} into one that allows all traffic`,
          ),
        );
      }
      const allowAll = {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'allow-all', namespace },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{}], egress: [{}] },
      };
      check(
        mustBeDenied(
          admission,
          networkPolicyChange(objects, NAMESPACE_EDITOR, 'CREATE', null, allowAll),
          `${where} can create a network policy that allows all traffic of every pod, quarantined ones included`,
        ),
      );
    }
    if (findings.length) return findings;
    return judged ? COMPLIANT : NOT_APPLICABLE;
  },
};
