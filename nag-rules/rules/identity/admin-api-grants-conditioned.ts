import { ACCESS_ENTRY_ACTIONS, ADM_ACTIONS, ADM_IDS, labelAction } from '../../core/admin-api-actions';
import {
  appliesEverywhere,
  coverageOf,
  coversAction,
  hasCondition,
  isAllow,
  isDeny,
  PlacedDocument,
  statementsOf,
} from '../../core/iam-documents';
import { asArray, branchValues, renderText } from '../../core/intrinsics';
import { COMPLIANT, NOT_APPLICABLE, RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';
import { isObject } from '../../core/template-model';
import { why } from '../../core/values';

/** Resources that carry identity policy documents, and where in them. */
const DOCUMENT_TYPES = [
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::RolePolicy',
  'AWS::IAM::UserPolicy',
  'AWS::IAM::GroupPolicy',
];
const INLINE_TYPES = ['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'];
/** The actions whose grants must be conditioned, each once. */
const WATCHED_ACTIONS: readonly string[] = [...new Set([...ADM_ACTIONS, ...ACCESS_ENTRY_ACTIONS])];

/** IDN-5: no unconditional Allow of the admin APIs (or of the access-entry calls) in any IAM policy of the template. */
export const AdminApiGrantsConditioned: ThreatModelRule = {
  controlId: 'IDN-5',
  threats: ['TH-4', 'PV-7', ...ADM_IDS],
  level: 'error',
  kind: 'misconfiguration',
  description:
    'No IAM policy statement allows an ADM-* action (or eks:CreateAccessEntry/UpdateAccessEntry/AssociateAccessPolicy), ' +
    'by name or through a wildcard, without a Condition',
  explanation:
    'Whoever holds an unconditioned grant of the admin APIs can delete the cluster, change its configuration, add node ' +
    'groups or associate an identity provider from anywhere (TH-4). Each such grant needs a condition, e.g. aws:CalledVia ' +
    'CloudFormation or the corporate network (PV-7).',
  resourceTypes: [...DOCUMENT_TYPES, ...INLINE_TYPES],
  evaluate({ logicalId, resource, properties }) {
    const documents: PlacedDocument[] = DOCUMENT_TYPES.includes(resource.Type)
      ? [{ where: logicalId, document: properties.PolicyDocument }]
      : asArray(properties.Policies)
          .flatMap(branchValues)
          .filter((p) => p !== undefined)
          .map((p) => ({
            where: `inline policy ${(isObject(p) ? renderText(p.PolicyName) : undefined) ?? '(unnamed)'}`,
            document: isObject(p) ? p.PolicyDocument : p,
          }));
    if (documents.length === 0) return NOT_APPLICABLE;
    const findings: RuleFinding[] = [];
    for (const { where, document } of documents) {
      const { statements, unreadable } = statementsOf(document);
      if (unreadable.length) findings.push(unresolved(`A statement of ${where}`, unreadable[0]));
      // An action the same document denies everywhere without a condition is granted by none of its statements (a
      // permissions boundary's ceiling of '*' minus the admin APIs).
      const deniedEverywhere = statements.filter((s) => isDeny(s) && hasCondition(s) === 'no' && appliesEverywhere(s));
      const watched = WATCHED_ACTIONS.map((a) => !deniedEverywhere.some((deny) => coversAction(deny, a) === 'yes'));
      for (const statement of statements) {
        if (isDeny(statement)) continue;
        const granted = coverageOf(statement, WATCHED_ACTIONS);
        const yes = WATCHED_ACTIONS.filter((_, i) => watched[i] && granted[i] === 'yes');
        const maybe = granted.some((g, i) => watched[i] && g === 'unknown');
        if (!yes.length && !maybe) continue;
        const label = `${where}${typeof statement.Sid === 'string' ? ` (${statement.Sid})` : ''}`;
        if (!isAllow(statement)) {
          findings.push(unresolved(`The Effect of ${label}, which names admin-API actions`, why(statement.Effect)));
          continue;
        }
        const condition = hasCondition(statement);
        if (condition === 'yes') continue;
        if (yes.length && condition === 'no') {
          findings.push({ message: `${label} allows ${yes.map(labelAction).join(', ')} without a Condition` });
        } else if (yes.length) {
          findings.push(
            unresolved(`The Condition on ${yes.map(labelAction).join(', ')} in ${label}`, why(statement.Condition)),
          );
        } else {
          findings.push(
            unresolved(
              `Whether ${label} allows admin-API actions without a Condition`,
              'an Action that is not a literal',
            ),
          );
        }
      }
    }
    return findings.length ? findings : COMPLIANT;
  },
};
