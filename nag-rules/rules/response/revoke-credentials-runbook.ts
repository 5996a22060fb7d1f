import { renderText } from '../../core/intrinsics';
import { CLUSTER_TYPES } from '../../core/kubernetes-objects';
import { ThreatModelRule } from '../../core/rule';
import { invokedFunctions, judgeRunbooks, RUNBOOK_TAG, RunbookDocument } from '../../core/runbook-documents';
import { TemplateModel } from '../../core/template-model';

/**
 * What the runbook does, as text: its content and the inline code (ZipFile) of the template's functions it invokes
 * (code in an asset cannot be read at synth time).
 */
function doneBy(model: TemplateModel, document: RunbookDocument): string {
  const code = invokedFunctions(model, document).map(
    (f) => renderText((model.resource(f.id)?.Properties?.Code as Record<string, unknown> | undefined)?.ZipFile) ?? '',
  );
  return [document.text, ...code].join('\n').replace(/\\"/g, '"');
}
const mentions = (text: string, api: string) =>
  text.includes(api) || text.includes(api.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase());

/** REM-3: the IR-3 runbook revokes a role's temporary credentials. */
export const RevokeCredentialsRunbook: ThreatModelRule = {
  controlId: 'REM-3',
  threats: ['TH-1', 'TH-2', 'TH-3', 'TH-4', 'IR-3', 'LM-1'],
  level: 'warning',
  kind: 'missing-control',
  description:
    `A runbook tagged ${RUNBOOK_TAG}=IR-3 belongs to the cluster and puts a role policy denying sessions by aws:TokenIssueTime ` +
    '(PutRolePolicy with a DateLessThan aws:TokenIssueTime condition), itself or through a function of the template with inline code',
  explanation:
    'IR-3: credentials a compromised pod or node already took (through IRSA, Pod Identity or the instance profile) stay ' +
    'valid for hours; denying every session issued before now is the only way to end them without deleting the role (LM-1).',
  resourceTypes: CLUSTER_TYPES,
  evaluate({ model, logicalId }) {
    return judgeRunbooks(model, logicalId, 'IR-3', [
      {
        does: "deny a role's sessions issued before now",
        problems: (d) => {
          const text = doneBy(model, d);
          return [
            ...(mentions(text, 'PutRolePolicy') ? [] : [`${d.logicalId} puts no role policy`]),
            // DateLessThan denies the sessions issued before now; DateGreaterThan would deny only new ones.
            ...(/DateLessThan[^{}]{0,12}\{[^{}]{0,12}aws:TokenIssueTime/.test(text)
              ? []
              : [`${d.logicalId} has no DateLessThan aws:TokenIssueTime condition`]),
          ];
        },
      },
    ]);
  },
};
