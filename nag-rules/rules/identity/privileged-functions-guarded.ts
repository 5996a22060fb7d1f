import { coversAction, isDeny, literalStrings, Statement, statementsOf } from '../../core/iam-documents';
import { exemptionProblems } from '../../core/principal-exemptions';
import { IAM_WRITE_ACTIONS, PrivilegedFunction, privilegedFunctions } from '../../core/privileged-functions';
import { COMPLIANT, NOT_APPLICABLE, RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';
import { TemplateModel } from '../../core/template-model';

/** What must be denied on a privileged function, and on its execution role, to everyone but its callers and deployer. */
export const GUARDED_INVOKE_ACTION = 'lambda:InvokeFunction';
export const GUARDED_CHANGE_ACTIONS = [
  'lambda:UpdateFunctionCode',
  'lambda:UpdateFunctionConfiguration',
  'lambda:AddPermission',
] as const;
export const GUARDED_ROLE_ACTIONS = [
  'iam:PassRole',
  'iam:UpdateAssumeRolePolicy',
  'iam:PutRolePolicy',
  'iam:AttachRolePolicy',
] as const;

/** The deny statements of the template's customer-managed policies (the guardrails consumers attach), and what cannot be read. */
function guardrailDenies(model: TemplateModel): {
  denies: { policyId: string; statement: Statement }[];
  unreadable: string[];
} {
  const denies: { policyId: string; statement: Statement }[] = [];
  const unreadable: string[] = [];
  for (const [policyId, policy] of model.resourcesOfType('AWS::IAM::ManagedPolicy')) {
    const { statements, unreadable: parts } = statementsOf(policy.Properties?.PolicyDocument);
    unreadable.push(...parts.map((u) => `${policyId}: ${u}`));
    denies.push(...statements.filter(isDeny).map((statement) => ({ policyId, statement })));
  }
  return { denies, unreadable };
}

/** A finding unless some deny covers every action on the resource with acceptable exemptions. */
function requireDeny(
  model: TemplateModel,
  denies: { policyId: string; statement: Statement }[],
  unreadable: string[],
  actions: readonly string[],
  resourceId: string,
  allowedRoleIds: readonly string[],
  what: string,
): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const action of actions) {
    const candidates = denies.filter(
      ({ statement }) =>
        coversAction(statement, action) === 'yes' &&
        (model.referencedIds(statement.Resource).includes(resourceId) ||
          literalStrings(statement.Resource).values.includes('*')),
    );
    const problems = candidates.map(({ policyId, statement }) => ({
      policyId,
      problems: exemptionProblems(model, statement, allowedRoleIds, "among the function's callers"),
    }));
    if (problems.some((p) => p.problems.length === 0)) continue;
    if (problems.length) {
      findings.push({
        message: `${what}: the deny of ${action} on ${resourceId} in ${problems.map((p) => `${p.policyId} (${p.problems.join('; ')})`).join(', ')} does not hold`,
      });
    } else if (unreadable.length) {
      findings.push(unresolved(`Whether a guardrail policy denies ${action} on ${resourceId}`, unreadable[0]));
    } else {
      findings.push({
        message: `${what}: no customer-managed policy of the template denies ${action} on ${resourceId} to other principals`,
      });
    }
  }
  return findings;
}

function judge(model: TemplateModel, fn: PrivilegedFunction): RuleFinding[] {
  const { denies, unreadable } = guardrailDenies(model);
  return [
    ...requireDeny(
      model,
      denies,
      unreadable,
      [GUARDED_INVOKE_ACTION],
      fn.id,
      fn.invokerRoleIds,
      'only its callers may invoke it',
    ),
    // Only the deployment (a principal outside the template: the launch role) changes it.
    ...requireDeny(model, denies, unreadable, GUARDED_CHANGE_ACTIONS, fn.id, [], 'only the deployment may change it'),
    ...(fn.roleId
      ? requireDeny(
          model,
          denies,
          unreadable,
          GUARDED_ROLE_ACTIONS,
          fn.roleId,
          [],
          'only the deployment may pass or change its role',
        )
      : []),
  ];
}

/**
 * IDN-8: the functions that act in the cluster or write IAM policies (and those that may invoke them) are invoked only
 * by their own callers and changed only by the deployment: the template's guardrail policy denies the rest.
 */
export const PrivilegedFunctionsGuarded: ThreatModelRule = {
  controlId: 'IDN-8',
  threats: ['TH-3', 'PV-1', 'AC-4', 'AC-5'],
  level: 'error',
  kind: 'missing-control',
  description:
    `A Lambda function whose role has an access entry on a cluster of the template or may write IAM policies (${IAM_WRITE_ACTIONS.join(', ')}), ` +
    `or that may invoke such a function, is covered by ` +
    `Deny statements of a customer-managed policy of the template: ${GUARDED_INVOKE_ACTION} except for the roles the template lets invoke it; ` +
    `${GUARDED_CHANGE_ACTIONS.join(', ')} and, on its role, ${GUARDED_ROLE_ACTIONS.join(', ')}, each exempting only named principals ` +
    '(aws:PrincipalArn without wildcards, no other condition)',
  explanation:
    "CDK's kubectl handler is cluster-admin and applies whatever manifest it is invoked with: anyone in the account allowed " +
    'lambda:InvokeFunction on it, or UpdateFunctionCode, or PassRole of its role, becomes cluster-admin without touching an access entry ' +
    "(TH-3), and the same holds for the provider function that invokes it. Lambda function policies cannot deny, so the product's " +
    "guardrail policy (attached to the account's human and pipeline roles) does. The same holds for a function that patches pods " +
    '(the incident responder) or writes role policies (the IR-3 revoker): invoked or rewritten by someone else, it does their bidding.',
  resourceTypes: ['AWS::Lambda::Function'],
  evaluate({ model, logicalId }) {
    const fn = privilegedFunctions(model).get(logicalId);
    if (!fn) return NOT_APPLICABLE;
    const findings = judge(model, fn).map((f) =>
      f.unresolved ? f : { ...f, message: `${logicalId} is privileged (${fn.why}); ${f.message}` },
    );
    return findings.length ? findings : COMPLIANT;
  },
};
