import { ADM_ACTIONS, labelAction } from '../../core/admin-api-actions';
import {
  conditionEntries,
  coverageOf,
  coversAction,
  isDeny,
  literalStrings,
  Statement,
  statementsOf,
} from '../../core/iam-documents';
import { asArray, hasToken, renderText, wildcardMatch } from '../../core/intrinsics';
import { CLUSTER_TYPES } from '../../core/kubernetes-objects';
import { COMPLIANT, RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';
import { literal } from '../../core/values';

const PRINCIPAL_OPERATOR = /^(ForAllValues:|ForAnyValue:)?(ArnNot(Equals|Like)|StringNot(Equals|Like))(IfExists)?$/i;
const SOURCE_IP_OPERATOR = /^(ForAllValues:|ForAnyValue:)?NotIpAddress(IfExists)?$/i;
const SOURCE_VPCE_OPERATOR = /^(ForAllValues:|ForAnyValue:)?StringNot(Equals|Like)(IfExists)?$/i;
const NETWORK_KEYS = ['aws:sourceip', 'aws:sourcevpce'];

/** IDN-6: the product ships the admin-API guardrail (judged on the cluster, searching the template). */
export const AdminApiGuardrailShipped: ThreatModelRule = {
  controlId: 'IDN-6',
  threats: ['TH-4', 'PV-7', 'AC-4', 'AC-5'],
  level: 'error',
  kind: 'missing-control',
  description:
    'The template has a managed policy (or SCP) whose Deny statements cover every ADM-* action on "*": one for ' +
    'principals outside a list (aws:PrincipalArn, no network condition), one outside the corporate network (aws:SourceIp with ' +
    'public ranges only, or aws:SourceVpce); and every role name the first one exempts is kept from being created or re-trusted',
  explanation:
    'PV-7: the admin APIs only for admin roles, and those only from the corporate network. A deny conditioned on both at ' +
    'once would still let any non-admin call them from inside the network, so each needs its own Deny (TH-4, AC-4, AC-5). ' +
    'aws:SourceIp carries only public addresses, so a private range there denies break-glass from everywhere. An exempted ' +
    'role name that anyone may create (or re-trust) hands its exemption to whoever does.',
  resourceTypes: CLUSTER_TYPES,
  evaluate({ model }) {
    const policies = [
      ...model.resourcesOfType('AWS::IAM::ManagedPolicy').map(([id, r]) => [id, r.Properties?.PolicyDocument] as const),
      ...model
        .resourcesOfType('AWS::Organizations::Policy')
        .filter(([, r]) => {
          const t = literal(r.Properties?.Type);
          return !t.known || t.value === 'SERVICE_CONTROL_POLICY';
        })
        .map(([id, r]) => [id, r.Properties?.Content] as const),
    ];
    const judged = policies
      .map(([id, document]) => ({ id, ...coverage(document) }))
      .filter((p) => p.denies || p.unreadable.length);
    const complete = judged.find((p) => p.principal.length === 0 && p.network.length === 0);
    if (complete) return complete.doors.length ? complete.doors : COMPLIANT;
    if (judged.length === 0)
      return [
        { message: 'no managed policy of the template denies the admin APIs (ADM-*): the guardrail is not shipped' },
      ];
    const best = [...judged].sort(
      (a, b) => a.principal.length + a.network.length - b.principal.length - b.network.length,
    )[0];
    const findings: RuleFinding[] = [...best.doors];
    if (best.unreadable.length) findings.push(unresolved(`Part of ${best.id}`, best.unreadable[0]));
    if (best.principal.length) {
      findings.push({
        message: `${best.id} does not deny ${best.principal.map(labelAction).join(', ')} to principals outside an aws:PrincipalArn list (without a network condition)`,
      });
    }
    if (best.network.length) {
      findings.push({
        message: `${best.id} does not deny ${best.network.map(labelAction).join(', ')} outside the corporate network (aws:SourceIp or aws:SourceVpce)`,
      });
    }
    return findings;
  },
};

/** ADM actions a policy document leaves without each kind of deny, and the doors its denies leave open. */
function coverage(document: unknown): {
  principal: string[];
  network: string[];
  unreadable: string[];
  denies: boolean;
  doors: RuleFinding[];
} {
  const { statements, unreadable } = statementsOf(document);
  const denies = statements.filter(
    (s) => isDeny(s) && s.NotResource === undefined && literalStrings(s.Resource).values.includes('*'),
  );
  const deniesAny = denies.some((s) => coverageOf(s, ADM_ACTIONS).includes('yes'));
  const byPrincipal = denies.filter(principalDeny);
  const byNetwork = denies.filter(networkDeny);
  const missing = (group: Statement[]) => {
    const answers = group.map((s) => coverageOf(s, ADM_ACTIONS));
    return ADM_ACTIONS.filter((_, i) => !answers.some((covered) => covered[i] === 'yes'));
  };
  const doors = [...privateSourceIps(byNetwork), ...unprotectedExemptions(byPrincipal, statements)];
  return { principal: missing(byPrincipal), network: missing(byNetwork), unreadable, denies: deniesAny, doors };
}

/** Private ranges never appear as aws:SourceIp: listed there, they can only deny. */
const PRIVATE_RANGE =
  /^(10\.|172\.(1[6-9]|2\d|3[01])\.|192\.168\.|100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.|127\.|169\.254\.)/;

function privateSourceIps(networkDenies: Statement[]): RuleFinding[] {
  const ranges = networkDenies.flatMap((s) =>
    conditionEntries(s)
      .filter((c) => c.key === 'aws:sourceip')
      .flatMap((c) => literalStrings(c.value).values.filter((v) => PRIVATE_RANGE.test(v))),
  );
  return ranges.length
    ? [
        {
          message:
            `the admin-API guardrail treats ${[...new Set(ranges)].join(', ')} as corporate aws:SourceIp, but private addresses never appear ` +
            'there (and the key is absent through VPC endpoints): list the public egress ranges, and corporate VPC endpoints under aws:SourceVpce',
        },
      ]
    : [];
}

/** Role-changing calls that would let someone take over an exempted name. */
const TAKEOVER_ACTIONS = ['iam:CreateRole', 'iam:UpdateAssumeRolePolicy'];

/**
 * Exempted principal patterns that no Deny of the same document keeps from being created or re-trusted. An exemption
 * built with intrinsics (the role of the launching account) is protected by a Deny that names the same expression.
 */
function unprotectedExemptions(principalDenies: Statement[], statements: Statement[]): RuleFinding[] {
  const exempted = new Map<string, unknown>();
  for (const entry of principalDenies.flatMap((s) =>
    conditionEntries(s)
      .filter((c) => c.key === 'aws:principalarn')
      .flatMap((c) => asArray(c.value)),
  )) {
    exempted.set(JSON.stringify(entry), entry);
  }
  const protecting = statements.filter((s) => isDeny(s) && TAKEOVER_ACTIONS.every((a) => coversAction(s, a) === 'yes'));
  const protects = (resource: unknown, pattern: unknown) =>
    typeof resource === 'string' && typeof pattern === 'string'
      ? resource === pattern || (!hasToken(resource) && !hasToken(pattern) && wildcardMatch(resource, pattern))
      : JSON.stringify(resource) === JSON.stringify(pattern);
  const open = [...exempted.values()]
    .filter((pattern) => !protecting.some((s) => asArray(s.Resource).some((resource) => protects(resource, pattern))))
    .map((pattern) => (typeof pattern === 'string' ? pattern : (renderText(pattern) ?? JSON.stringify(pattern))));
  return open.length
    ? [
        {
          message:
            `the admin-API guardrail exempts ${open.join(', ')}, but no Deny keeps ${TAKEOVER_ACTIONS.join(' and ')} on ${open.length > 1 ? 'those names' : 'that name'} ` +
            'from others: whoever creates or re-trusts such a role inherits the exemption',
        },
      ]
    : [];
}

function principalDeny(statement: Statement): boolean {
  const entries = conditionEntries(statement);
  if (entries.some((c) => NETWORK_KEYS.includes(c.key))) return false;
  return entries.some(
    (c) =>
      c.key === 'aws:principalarn' &&
      PRINCIPAL_OPERATOR.test(c.operator) &&
      !literalStrings(c.value).values.includes('*'),
  );
}

function networkDeny(statement: Statement): boolean {
  return conditionEntries(statement).some(
    (c) =>
      (c.key === 'aws:sourceip' &&
        SOURCE_IP_OPERATOR.test(c.operator) &&
        !literalStrings(c.value).values.some((v) => v === '0.0.0.0/0' || v === '::/0')) ||
      (c.key === 'aws:sourcevpce' &&
        SOURCE_VPCE_OPERATOR.test(c.operator) &&
        !literalStrings(c.value).values.includes('*')),
  );
}
