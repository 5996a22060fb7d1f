import { CLUSTER_TYPES } from '../../core/kubernetes-objects';
import { COMPLIANT, RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';
import { literal } from '../../core/values';
import { ADM_ACTIONS, labelAction } from './admin-api-actions';
import { conditionEntries, coversAction, isDeny, literalStrings, Statement, statementsOf } from './iam-documents';

const PRINCIPAL_OPERATOR = /^(ForAllValues:|ForAnyValue:)?(ArnNot(Equals|Like)|StringNot(Equals|Like))(IfExists)?$/i;
const SOURCE_IP_OPERATOR = /^(ForAllValues:|ForAnyValue:)?NotIpAddress(IfExists)?$/i;
const SOURCE_VPCE_OPERATOR = /^(ForAllValues:|ForAnyValue:)?StringNot(Equals|Like)(IfExists)?$/i;
const NETWORK_KEYS = ['aws:sourceip', 'aws:sourcevpce'];

/** IDN-6: the product ships the admin-API guardrail (judged on the cluster, searching the template). */
export const AdminApiGuardrailShipped: ThreatModelRule = {
  controlId: 'IDN-6',
  threats: ['TH-4', 'PV-7', 'AC-4', 'AC-5'],
  level: 'error',
  description: 'The template has a managed policy (or SCP) whose Deny statements cover all twelve ADM-* actions on "*": one for '
    + 'principals outside a list (aws:PrincipalArn, no network condition), one outside the corporate network (aws:SourceIp/aws:SourceVpce)',
  explanation: 'PV-7: the admin APIs only for admin roles, and those only from the corporate network. A deny conditioned on both at '
    + 'once would still let any non-admin call them from inside the network, so each needs its own Deny (TH-4, AC-4, AC-5).',
  resourceTypes: CLUSTER_TYPES,
  evaluate({ model }) {
    const policies = [
      ...model.resourcesOfType('AWS::IAM::ManagedPolicy').map(([id, r]) => [id, r.Properties?.PolicyDocument] as const),
      ...model.resourcesOfType('AWS::Organizations::Policy')
        .filter(([, r]) => { const t = literal(r.Properties?.Type); return !t.known || t.value === 'SERVICE_CONTROL_POLICY'; })
        .map(([id, r]) => [id, r.Properties?.Content] as const),
    ];
    const judged = policies.map(([id, document]) => ({ id, ...coverage(document) }))
      .filter((p) => p.denies || p.unreadable.length);
    if (judged.some((p) => p.principal.length === 0 && p.network.length === 0)) return COMPLIANT;
    if (judged.length === 0) return [{ message: 'no managed policy of the template denies the admin APIs (ADM-1..12): the guardrail is not shipped' }];
    const best = [...judged].sort((a, b) => a.principal.length + a.network.length - b.principal.length - b.network.length)[0];
    const findings: RuleFinding[] = [];
    if (best.unreadable.length) findings.push(unresolved(`Part of ${best.id}`, best.unreadable[0]));
    if (best.principal.length) {
      findings.push({ message: `${best.id} does not deny ${best.principal.map(labelAction).join(', ')} to principals outside an aws:PrincipalArn list (without a network condition)` });
    }
    if (best.network.length) {
      findings.push({ message: `${best.id} does not deny ${best.network.map(labelAction).join(', ')} outside the corporate network (aws:SourceIp or aws:SourceVpce)` });
    }
    return findings;
  },
};

/** ADM actions a policy document leaves without each kind of deny. */
function coverage(document: unknown): { principal: string[]; network: string[]; unreadable: string[]; denies: boolean } {
  const { statements, unreadable } = statementsOf(document);
  const denies = statements.filter((s) => isDeny(s) && s.NotResource === undefined && literalStrings(s.Resource).values.includes('*'));
  const deniesAny = denies.some((s) => ADM_ACTIONS.some((a) => coversAction(s, a) === 'yes'));
  const byPrincipal = denies.filter(principalDeny);
  const byNetwork = denies.filter(networkDeny);
  const missing = (group: Statement[]) => ADM_ACTIONS.filter((a) => !group.some((s) => coversAction(s, a) === 'yes'));
  return { principal: missing(byPrincipal), network: missing(byNetwork), unreadable, denies: deniesAny };
}

function principalDeny(statement: Statement): boolean {
  const entries = conditionEntries(statement);
  if (entries.some((c) => NETWORK_KEYS.includes(c.key))) return false;
  return entries.some((c) => c.key === 'aws:principalarn' && PRINCIPAL_OPERATOR.test(c.operator) && !literalStrings(c.value).values.includes('*'));
}

function networkDeny(statement: Statement): boolean {
  return conditionEntries(statement).some((c) => (c.key === 'aws:sourceip' && SOURCE_IP_OPERATOR.test(c.operator)
    && !literalStrings(c.value).values.some((v) => v === '0.0.0.0/0' || v === '::/0'))
    || (c.key === 'aws:sourcevpce' && SOURCE_VPCE_OPERATOR.test(c.operator) && !literalStrings(c.value).values.includes('*')));
}
