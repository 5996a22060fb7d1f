import { hasToken } from '../../core/intrinsics';
import {
  describeObject,
  KUBERNETES_RESOURCE_TYPES,
  metadataOf,
  objectsAppliedBy,
  ofKinds,
  SYSTEM_NAMESPACES,
  unresolvedField,
} from '../../core/kubernetes-objects';
import { COMPLIANT, NOT_APPLICABLE, ThreatModelRule } from '../../core/rule';
import { isObject } from '../../core/template-model';

export const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

/** K8S-7: every workload namespace the template applies enforces Pod Security `restricted`. */
export const NamespacesPodSecurityRestricted: ThreatModelRule = {
  controlId: 'K8S-7',
  threats: ['TH-2', 'EP-4', 'PV-3', 'PE-2'],
  level: 'error',
  kind: 'misconfiguration',
  description: `Every applied Namespace other than the system ones (${SYSTEM_NAMESPACES.join(', ')}) has the label ${ENFORCE_LABEL}: restricted`,
  explanation:
    'Pod Security Admission is what refuses privileged, host-namespace, hostPath and root pods at the API server, whoever ' +
    'creates them (EP-4, PE-2, TH-2). Only restricted also requires non-root, dropped capabilities and no privilege escalation; ' +
    'baseline still admits root containers and is reported too. System namespaces run add-ons that need host access and are left out.',
  resourceTypes: KUBERNETES_RESOURCE_TYPES,
  evaluate({ model, logicalId }) {
    const { objects, findings } = objectsAppliedBy(model, logicalId);
    const { matches, findings: kindFindings } = ofKinds(objects, ['Namespace']);
    findings.push(...kindFindings);
    let judged = 0;
    for (const namespace of matches) {
      const { name, labels } = metadataOf(namespace);
      const where = describeObject(namespace);
      if (hasToken(name)) {
        findings.push(unresolvedField(`the name of ${where} (it may be a workload namespace)`, name));
        continue;
      }
      if (SYSTEM_NAMESPACES.includes(name)) continue;
      judged++;
      if (hasToken(labels)) {
        findings.push(unresolvedField(`the labels of ${where}`, labels));
        continue;
      }
      const level = isObject(labels) ? labels[ENFORCE_LABEL] : undefined;
      if (hasToken(level)) findings.push(unresolvedField(`${ENFORCE_LABEL} of ${where}`, level));
      else if (level === 'restricted') continue;
      else if (level === 'baseline') {
        findings.push({
          message: `${where} enforces only Pod Security baseline (warning: root containers and added capabilities are still admitted; enforce restricted)`,
        });
      } else if (level === undefined) {
        findings.push({
          message: `${where} has no ${ENFORCE_LABEL} label, so any pod, privileged ones included, is admitted`,
        });
      } else {
        findings.push({ message: `${where} enforces Pod Security '${String(level)}', not restricted` });
      }
    }
    if (findings.length) return findings;
    return judged ? COMPLIANT : NOT_APPLICABLE;
  },
};
