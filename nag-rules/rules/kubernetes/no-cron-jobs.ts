import { describeObject, KUBERNETES_RESOURCE_TYPES, objectsAppliedBy, ofKinds } from '../../core/kubernetes-objects';
import { COMPLIANT, ThreatModelRule } from '../../core/rule';

/** K8S-10: the template applies no CronJob. */
export const NoCronJobs: ThreatModelRule = {
  controlId: 'K8S-10',
  threats: ['TH-2', 'TH-3', 'PE-3'],
  level: 'error',
  kind: 'misconfiguration',
  description: 'No CronJob is applied',
  explanation:
    'A CronJob starts pods again and again on its own schedule: the classic way to keep a foothold in a cluster (PE-3). The ' +
    "product applies none, so any CronJob in the cluster is someone else's and stands out; one that is needed goes through the " +
    'exemption process.',
  resourceTypes: KUBERNETES_RESOURCE_TYPES,
  evaluate({ model, logicalId }) {
    const { objects, findings } = objectsAppliedBy(model, logicalId);
    const { matches, findings: kindFindings } = ofKinds(objects, ['CronJob']);
    findings.push(
      ...kindFindings,
      ...matches.map((o) => ({ message: `${describeObject(o)} is applied (a CronJob starts pods on a schedule)` })),
    );
    return findings.length ? findings : COMPLIANT;
  },
};
