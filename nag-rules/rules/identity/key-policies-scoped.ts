import {
  actionsCovered,
  coversAction,
  isAllow,
  literalStrings,
  Statement,
  statementsOf,
} from '../../core/iam-documents';
import {
  allowStatements,
  isOwnAccountRoot,
  limitedToOwnAccount,
  policiesOfPrincipal,
  PRINCIPAL_TYPES,
  principalAccount,
  trustedPrincipals,
} from '../../core/iam-principals';
import { renderText } from '../../core/intrinsics';
import { cachedReadFor } from '../../core/read-cache';
import { COMPLIANT, RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';
import { TemplateModel } from '../../core/template-model';
import { why } from '../../core/values';

/** Key calls that destroy a key, take it out of use or change who may use it. */
export const KEY_ADMIN_ACTIONS: readonly string[] = [
  'kms:ScheduleKeyDeletion',
  'kms:PutKeyPolicy',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:DeleteImportedKeyMaterial',
  'kms:ReplicateKey',
  'kms:UpdatePrimaryRegion',
];
const OWN_ACCOUNT_KEYS = ['kms:calleraccount', 'aws:principalaccount'];

/**
 * IDN-15: every KMS key's policy keeps the key in the launching account: no principal of another account, no `*` outside
 * the account, kms:* for the account root only (which hands the key to IAM), and no principal of the template (in the key
 * policy or its IAM policies) may delete or disable the key or change its policy.
 */
export const KeyPoliciesScoped: ThreatModelRule = {
  controlId: 'IDN-15',
  threats: ['TH-2', 'TH-3', 'LM-3', 'IR-6', 'AC-4'],
  level: 'error',
  kind: 'misconfiguration',
  description:
    'Every AWS::KMS::Key policy allows no principal of another account (literal, or chosen by a parameter) and no * unless a ' +
    `condition names the launching account (kms:CallerAccount, aws:PrincipalAccount); kms:* or * only to the account root; and neither the key policy nor an IAM policy of a role, user or group of the template allows ${KEY_ADMIN_ACTIONS.join(', ')} on the key`,
  explanation:
    "The product's keys hold the cluster's secrets (LM-3), the node volumes, the logs and the incident evidence (IR-6). A key " +
    'an outside principal may use is data that leaves the account (AC-4); a grant to * lets anyone delegate it. A workload principal ' +
    "(a node, pod or function role) that may schedule the key's deletion, disable it or rewrite its policy can destroy every secret and " +
    "every piece of evidence it protects, or open it up (TH-2, TH-3): key administration belongs to the account's administrators, " +
    'through the root statement and IAM.',
  resourceTypes: ['AWS::KMS::Key'],
  evaluate({ model, logicalId, properties }) {
    if (properties.KeyPolicy === undefined) return COMPLIANT; // KMS's default policy: the account root only.
    const { statements, unreadable } = statementsOf(properties.KeyPolicy);
    const findings: RuleFinding[] = unreadable.map((u) => unresolved('A statement of the key policy', u));
    for (const statement of statements.filter(isAllow)) findings.push(...keyStatementFindings(model, statement));
    findings.push(...workloadFindings(model, logicalId));
    const unique = [...new Map(findings.map((f) => [f.message, f])).values()];
    return unique.length ? unique : COMPLIANT;
  },
};

function keyStatementFindings(model: TemplateModel, statement: Statement): RuleFinding[] {
  const label = typeof statement.Sid === 'string' ? `key policy statement ${statement.Sid}` : 'the key policy';
  if (statement.NotPrincipal !== undefined)
    return [{ message: `${label} allows NotPrincipal: every principal but the ones it names` }];
  const { anyone, kinds } = trustedPrincipals(statement);
  const findings: RuleFinding[] = [];
  const everything =
    coversAction(statement, 'kms:ScheduleKeyDeletion') === 'yes' && coversAction(statement, 'kms:Decrypt') === 'yes';
  const admin = actionsCovered(statement, KEY_ADMIN_ACTIONS);
  if (anyone && !limitedToOwnAccount(statement, OWN_ACCOUNT_KEYS))
    findings.push({ message: `${label} allows ${actionsOf(statement)} to every principal (*)` });
  let onlyRoot = !anyone && (kinds.AWS ?? []).length > 0;
  for (const value of kinds.AWS ?? []) {
    if (value === '*') continue;
    const text = renderText(value) ?? '';
    if (!isOwnAccountRoot(text)) onlyRoot = false;
    const account = principalAccount(model, value);
    if (account.kind === 'literal')
      findings.push({
        message: `${label} allows ${actionsOf(statement)} to account ${account.account} (${text}), another account in every other launch`,
      });
    else if (account.kind === 'parameter')
      findings.push({ message: `${label} lets parameter '${account.name}' choose an account that may use the key` });
    else if (account.kind === 'unknown')
      findings.push(unresolved(`The account of a principal of ${label}`, why(value)));
  }
  if (Object.keys(kinds).some((k) => k !== 'AWS') || anyone) onlyRoot = false;
  if (everything && !onlyRoot)
    findings.push({ message: `${label} allows ${actionsOf(statement)} to principals other than the account root` });
  else if (admin.length && !onlyRoot)
    findings.push({ message: `${label} allows ${admin.join(', ')} to principals other than the account root` });
  return findings;
}

function actionsOf(statement: Statement): string {
  const { values } = literalStrings(statement.Action ?? statement.NotAction);
  return values.length ? values.join(', ') : 'its actions';
}

/** Principals of the template whose IAM policies allow key administration on this key (or on every key). */
function workloadFindings(model: TemplateModel, keyId: string): RuleFinding[] {
  return keyAdministrators(model)
    .filter(({ everyKey, resource }) => everyKey || model.referencedIds(resource).includes(keyId))
    .map(({ principalId, where, actions }) => ({
      message: `${principalId} may ${actions.join(', ')} on this key (${where}): only the account's administrators may destroy it or change its policy`,
    }));
}

interface KeyAdministration {
  readonly principalId: string;
  readonly where: string;
  readonly actions: string[];
  readonly resource: unknown;
  readonly everyKey: boolean;
}

/** The statements of the template's principals that allow key administration (read once per template: every key asks). */
function keyAdministrators(model: TemplateModel): KeyAdministration[] {
  return cachedReadFor('key-administrators', model.resources, () =>
    model.resourcesOfType(...PRINCIPAL_TYPES).flatMap(([principalId]) =>
      allowStatements(policiesOfPrincipal(model, principalId).documents)
        .statements.map(({ where, statement }) => ({
          principalId,
          where,
          resource: statement.Resource,
          actions: actionsCovered(statement, KEY_ADMIN_ACTIONS),
          everyKey: literalStrings(statement.Resource).values.some((r) => r === '*' || /:key\/\*$/.test(r)),
        }))
        .filter(({ actions }) => actions.length > 0),
    ),
  );
}
