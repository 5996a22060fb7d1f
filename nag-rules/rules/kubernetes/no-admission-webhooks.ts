import { describeObject, KUBERNETES_RESOURCE_TYPES, objectsAppliedBy, ofKinds } from '../../core/kubernetes-objects';
import { COMPLIANT, ThreatModelRule } from '../../core/rule';

const WEBHOOK_KINDS = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

/** K8S-9: the template applies no admission webhook configuration. */
export const NoAdmissionWebhooks: ThreatModelRule = {
  controlId: 'K8S-9',
  threats: ['TH-2', 'TH-3', 'PE-4'],
  level: 'error',
  kind: 'misconfiguration',
  description: 'No MutatingWebhookConfiguration or ValidatingWebhookConfiguration is applied',
  explanation:
    'An admission webhook sees, and a mutating one rewrites, every object sent to the API server: a malicious or hijacked ' +
    'webhook injects containers, secrets or privileges into every new pod and persists in the cluster (PE-4). The product ships ' +
    'none; one that is needed goes through the exemption process.',
  resourceTypes: KUBERNETES_RESOURCE_TYPES,
  evaluate({ model, logicalId }) {
    const { objects, findings } = objectsAppliedBy(model, logicalId);
    const { matches, findings: kindFindings } = ofKinds(objects, WEBHOOK_KINDS);
    findings.push(
      ...kindFindings,
      ...matches.map((o) => ({
        message: `${describeObject(o)} is applied (an admission webhook sees or rewrites every API request it matches)`,
      })),
    );
    return findings.length ? findings : COMPLIANT;
  },
};
