import { CLUSTER_TYPES } from '../../core/kubernetes-objects';
import { ThreatModelRule } from '../../core/rule';
import { judgeRunbooks, kubernetesCallProblems, RUNBOOK_TAG } from '../../core/runbook-documents';

/** REM-4: the IR-4 runbook cordons the node. */
export const CordonRunbook: ThreatModelRule = {
  controlId: 'REM-4',
  threats: ['TH-1', 'TH-2', 'TH-3', 'IR-4'],
  level: 'warning',
  kind: 'missing-control',
  description: `A runbook tagged ${RUNBOOK_TAG}=IR-4 belongs to the cluster and cordons a node through a Lambda function inside the VPC`,
  explanation:
    'IR-4: a cordoned node takes no new pods, so the scheduler stops placing workloads next to the attacker while the ' +
    'node is kept for the investigation. The API endpoint is private, so the call must come from inside the VPC.',
  resourceTypes: CLUSTER_TYPES,
  evaluate({ model, logicalId }) {
    return judgeRunbooks(model, logicalId, 'IR-4', [
      {
        does: 'cordon a node through the Kubernetes API',
        problems: (d) => [
          ...kubernetesCallProblems(model, d),
          ...(/cordon/i.test(d.text) ? [] : [`${d.logicalId} does not cordon`]),
        ],
      },
    ]);
  },
};
