import { CLUSTER_TYPES } from '../../core/kubernetes-objects';
import { ThreatModelRule } from '../../core/rule';
import { judgeRunbooks, kubernetesCallProblems, RUNBOOK_TAG } from './runbook-documents';

/** REM-1: the IR-1 runbook identifies the offending pod and node (judged on the cluster). */
export const IdentifyRunbook: ThreatModelRule = {
  controlId: 'REM-1',
  threats: ['TH-1', 'TH-2', 'TH-3', 'TH-4', 'IR-1'],
  level: 'warning',
  description: `An SSM Automation document (schemaVersion 0.3, with an assumeRole) tagged ${RUNBOOK_TAG}=IR-1 belongs to the cluster `
    + 'and asks the Kubernetes API, through a Lambda function of the template inside the VPC, for the pods and nodes',
  explanation: 'IR-1: every runbook starts by finding the offending pod and its node (by node, deployment, label or service account). '
    + 'The API endpoint is private, so the lookup must run inside the VPC; a responder with no tool at hand loses the volatile '
    + 'evidence the later steps capture.',
  resourceTypes: CLUSTER_TYPES,
  evaluate({ model, logicalId }) {
    return judgeRunbooks(model, logicalId, 'IR-1', [
      { does: 'find the pods and nodes through the Kubernetes API', problems: (d) => kubernetesCallProblems(model, d) },
    ]);
  },
};
