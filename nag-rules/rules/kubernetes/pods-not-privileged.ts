import { hasToken } from '../../core/intrinsics';
import { flagState, KUBERNETES_RESOURCE_TYPES, objectsAppliedBy, unresolvedField } from '../../core/kubernetes-objects';
import { containersOf, podSpecsIn } from '../../core/pod-specs';
import { COMPLIANT, NOT_APPLICABLE, ThreatModelRule } from '../../core/rule';
import { isObject } from '../../core/template-model';

const HOST_NAMESPACES = ['hostPID', 'hostIPC', 'hostNetwork'];

/** K8S-4: no privileged container, no host namespace, no privilege escalation, in any pod spec the template applies. */
export const PodsNotPrivileged: ThreatModelRule = {
  controlId: 'K8S-4',
  threats: ['TH-2', 'EP-4', 'LM-5'],
  level: 'error',
  kind: 'misconfiguration',
  description:
    'Pod specs (Pods and the templates of workloads, Jobs and CronJobs) are not privileged, share no host PID, IPC or network ' +
    'namespace, and no container or init container allows privilege escalation',
  explanation:
    "A privileged container or one in the host's PID, IPC or network namespace is the host: a compromised or rogue container " +
    'there escapes to the node and from it to the cluster (TH-2, EP-4). allowPrivilegeEscalation: true lets setuid binaries regain ' +
    'root inside the container.',
  resourceTypes: KUBERNETES_RESOURCE_TYPES,
  evaluate({ model, logicalId }) {
    const { objects, findings } = objectsAppliedBy(model, logicalId);
    const { specs, findings: specFindings } = podSpecsIn(objects);
    findings.push(...specFindings);
    for (const pod of specs) {
      for (const field of HOST_NAMESPACES) {
        const state = flagState(pod.spec[field]);
        if (state === 'true') findings.push({ message: `${pod.where} sets ${field}: true` });
        else if (state === 'token') findings.push(unresolvedField(`${field} of ${pod.where}`, pod.spec[field]));
      }
      const { containers, findings: containerFindings } = containersOf(pod);
      findings.push(...containerFindings);
      for (const { label, container } of containers) {
        const context = container.securityContext;
        if (hasToken(context)) {
          findings.push(unresolvedField(`the securityContext of ${label} of ${pod.where}`, context));
          continue;
        }
        const settings = isObject(context) ? context : {};
        for (const field of ['privileged', 'allowPrivilegeEscalation']) {
          const state = flagState(settings[field]);
          if (state === 'true') findings.push({ message: `${label} of ${pod.where} sets ${field}: true` });
          else if (state === 'token')
            findings.push(unresolvedField(`${field} of ${label} of ${pod.where}`, settings[field]));
          // Kubernetes defaults allowPrivilegeEscalation to true; Pod Security restricted requires it set to false.
          else if (field === 'allowPrivilegeEscalation' && state !== 'false') {
            findings.push({
              message: `${label} of ${pod.where} does not set allowPrivilegeEscalation: false (it defaults to true)`,
            });
          }
        }
      }
    }
    if (findings.length) return findings;
    return specs.length ? COMPLIANT : NOT_APPLICABLE;
  },
};
