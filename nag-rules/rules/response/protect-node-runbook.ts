import { CLUSTER_TYPES } from '../../core/kubernetes-objects';
import { ThreatModelRule } from '../../core/rule';
import { judgeRunbooks, mentionsApi, RUNBOOK_TAG, RunbookDocument, stepsOf } from '../../core/runbook-documents';
import { isObject } from '../../core/template-model';
import { isTrue } from '../../core/values';

/** REM-5: the IR-5 runbook protects the node from termination and scale-in. */
export const ProtectNodeRunbook: ThreatModelRule = {
  controlId: 'REM-5',
  threats: ['TH-1', 'TH-2', 'IR-5', 'IR-6'],
  level: 'warning',
  kind: 'missing-control',
  description:
    `A runbook tagged ${RUNBOOK_TAG}=IR-5 belongs to the cluster and sets DisableApiTermination (ModifyInstanceAttribute) ` +
    'and scale-in protection (SetInstanceProtection)',
  explanation:
    'IR-5: a managed node group replaces or scales in nodes on its own, and an attacker with EC2 rights may terminate ' +
    'one; either destroys the memory and disk the investigation needs (IR-6).',
  resourceTypes: CLUSTER_TYPES,
  evaluate({ model, logicalId }) {
    return judgeRunbooks(model, logicalId, 'IR-5', [
      {
        does: 'protect a node from termination and scale-in',
        problems: (d) => [
          ...(mentionsApi(d, 'ModifyInstanceAttribute') && setsTerminationProtection(d)
            ? []
            : [`${d.logicalId} does not set DisableApiTermination to true`]),
          ...(mentionsApi(d, 'SetInstanceProtection') ? [] : [`${d.logicalId} does not set scale-in protection`]),
        ],
      },
    ]);
  },
};

/** An executeAwsApi ModifyInstanceAttribute step with DisableApiTermination true, or a script passing it True. */
function setsTerminationProtection(document: RunbookDocument): boolean {
  return stepsOf(document).some((step) => {
    const inputs = isObject(step.inputs) ? step.inputs : {};
    if (step.action === 'aws:executeAwsApi' && inputs.Api === 'ModifyInstanceAttribute') {
      const value = isObject(inputs.DisableApiTermination)
        ? inputs.DisableApiTermination.Value
        : inputs.DisableApiTermination;
      return isTrue(value);
    }
    return (
      step.action === 'aws:executeScript' &&
      typeof inputs.Script === 'string' &&
      /DisableApiTermination\s*=\s*\{\s*['"]Value['"]\s*:\s*True/.test(inputs.Script)
    );
  });
}
