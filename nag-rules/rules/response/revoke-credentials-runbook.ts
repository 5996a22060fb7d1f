import { CLUSTER_TYPES } from '../../core/kubernetes-objects';
import { ThreatModelRule } from '../../core/rule';
import { judgeRunbooks, mentionsApi, RUNBOOK_TAG } from './runbook-documents';

/** REM-3: the IR-3 runbook revokes a role's temporary credentials. */
export const RevokeCredentialsRunbook: ThreatModelRule = {
  controlId: 'REM-3',
  threats: ['TH-1', 'TH-2', 'TH-3', 'TH-4', 'IR-3', 'LM-1'],
  level: 'warning',
  description: `A runbook tagged ${RUNBOOK_TAG}=IR-3 belongs to the cluster and puts a role policy denying sessions by aws:TokenIssueTime `
    + '(PutRolePolicy with a DateLessThan aws:TokenIssueTime condition)',
  explanation: 'IR-3: credentials a compromised pod or node already took (through IRSA, Pod Identity or the instance profile) stay '
    + 'valid for hours; denying every session issued before now is the only way to end them without deleting the role (LM-1).',
  resourceTypes: CLUSTER_TYPES,
  evaluate({ model, logicalId }) {
    return judgeRunbooks(model, logicalId, 'IR-3', [{
      does: 'deny a role\'s sessions issued before now',
      problems: (d) => [
        ...(mentionsApi(d, 'PutRolePolicy') ? [] : [`${d.logicalId} puts no role policy`]),
        // DateLessThan denies the sessions issued before now; DateGreaterThan would deny only new ones.
        ...(/DateLessThan[^{}]{0,12}\{[^{}]{0,12}aws:TokenIssueTime/.test(d.text.replace(/\\"/g, '"')) ? [] : [`${d.logicalId} has no DateLessThan aws:TokenIssueTime condition`]),
      ],
    }]);
  },
};
