import { hasCondition, isAllow, Statement, statementsOf } from '../../core/iam-documents';
import { limitedToOwnAccount, principalAccount, trustedPrincipals } from '../../core/iam-principals';
import { renderText } from '../../core/intrinsics';
import { COMPLIANT, NOT_APPLICABLE, RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';
import { TemplateModel } from '../../core/template-model';
import { why } from '../../core/values';

/** Condition keys that keep a trust of `*` to principals of the launching account. */
const OWN_ACCOUNT_KEYS = ['aws:principalaccount', 'aws:sourceaccount'];

/**
 * IDN-10: every role of the template is assumable only by principals of the launching account, AWS services, or federated
 * identities under a condition: no `*`, no other account (named, or chosen by a parameter), no NotPrincipal.
 */
export const RoleTrustScoped: ThreatModelRule = {
  controlId: 'IDN-10',
  threats: ['TH-3', 'TH-4', 'AC-1', 'AC-4', 'PV-7'],
  level: 'error',
  kind: 'misconfiguration',
  description:
    'Every AWS::IAM::Role trusts only principals of the launching account (AWS::AccountId or its own roles), AWS services, ' +
    'or federated identities under a Condition: never Principal *, another account (literal, or chosen by a parameter) or NotPrincipal',
  explanation:
    'Whoever may assume a role of the product holds everything the role holds: a trust of * or of another account gives ' +
    "an outsider (AC-1) or a stolen identity elsewhere (AC-4) the product's permissions, the admin APIs among them (TH-4) or cluster " +
    'access through an access entry (TH-3). A product is launched in many accounts, so an account written into the template is ' +
    'another account in every launch but one. A federated trust (SAML, a public identity provider, an OIDC issuer) without a ' +
    'condition lets every identity of that provider in (PV-7).',
  resourceTypes: ['AWS::IAM::Role'],
  evaluate({ model, logicalId, properties }) {
    if (properties.AssumeRolePolicyDocument === undefined)
      return [{ message: `role ${logicalId} has no AssumeRolePolicyDocument` }];
    const { statements, unreadable } = statementsOf(properties.AssumeRolePolicyDocument);
    const findings: RuleFinding[] = unreadable.map((u) => unresolved(`A statement of ${logicalId}'s trust policy`, u));
    for (const statement of statements.filter(isAllow)) findings.push(...statementFindings(model, statement));
    if (statements.length === 0 && findings.length === 0) return NOT_APPLICABLE;
    return findings.length ? findings : COMPLIANT;
  },
};

function statementFindings(model: TemplateModel, statement: Statement): RuleFinding[] {
  const label = typeof statement.Sid === 'string' ? `trust statement ${statement.Sid}` : 'the trust policy';
  if (statement.NotPrincipal !== undefined)
    return [{ message: `${label} allows NotPrincipal: every principal but the ones it names may assume the role` }];
  const { anyone, kinds } = trustedPrincipals(statement);
  const findings: RuleFinding[] = [];
  if (anyone && !limitedToOwnAccount(statement, OWN_ACCOUNT_KEYS)) {
    findings.push({
      message: `${label} trusts every AWS principal (*)${hasCondition(statement) === 'no' ? '' : ' under a condition that does not name the launching account (aws:PrincipalAccount)'}`,
    });
  }
  for (const value of kinds.AWS ?? []) {
    if (value === '*') continue;
    const account = principalAccount(model, value);
    if (account.kind === 'literal') {
      findings.push({
        message: `${label} trusts account ${account.account} (${renderText(value)}): written into the template, it is another account in every other launch (use \${AWS::AccountId})`,
      });
    } else if (account.kind === 'parameter') {
      findings.push({
        message: `${label} lets parameter '${account.name}' choose the trusted account: a launch could let another account assume the role`,
      });
    } else if (account.kind === 'unknown') {
      findings.push(unresolved(`The account ${label} trusts`, why(value)));
    }
  }
  for (const value of kinds.Federated ?? []) {
    const condition = hasCondition(statement);
    const provider = typeof value === 'string' ? value : (renderText(value) ?? why(value));
    if (condition === 'no')
      findings.push({
        message: `${label} trusts federated provider ${provider} without a Condition: every identity of that provider may assume the role`,
      });
    else if (condition === 'unknown')
      findings.push(unresolved(`The condition on ${label} (federated ${provider})`, why(statement.Condition)));
  }
  if (kinds.CanonicalUser?.length)
    findings.push({
      message: `${label} trusts a canonical user (an S3 account identity), not a principal of the launching account`,
    });
  return findings;
}
