import { OIDC_PROVIDER_TYPES } from '../../core/cluster-properties';
import { coversAction, isAllow, literalStrings, Statement, statementsOf } from '../../core/iam-documents';
import { branchValues, getAtt, hasToken, isIntrinsic, parseJsonDocument } from '../../core/intrinsics';
import { COMPLIANT, NOT_APPLICABLE, RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';
import { isObject, TemplateModel } from '../../core/template-model';
import { why } from '../../core/values';

/** CDK renders conditions whose keys hold tokens through this custom resource; its `Value` attribute is the object. */
const CFN_JSON_TYPE = 'Custom::AWSCDKCfnJson';
/** Public web-identity providers: not the cluster's OIDC issuer, so not IRSA. */
const PUBLIC_IDENTITY_PROVIDERS = [
  'cognito-identity.amazonaws.com',
  'accounts.google.com',
  'graph.facebook.com',
  'www.amazon.com',
];
const SERVICE_ACCOUNT = /^system:serviceaccount:[a-z0-9]([-a-z0-9]*[a-z0-9])?:[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/;
const AUDIENCE = 'sts.amazonaws.com';

/** IDN-2: IRSA trust policies pin one service account (`:sub`) and the STS audience (`:aud`) with StringEquals. */
export const IrsaTrustScoped: ThreatModelRule = {
  controlId: 'IDN-2',
  threats: ['TH-2', 'LM-1', 'LM-2', 'PV-3'],
  level: 'error',
  kind: 'misconfiguration',
  description:
    'Every role trusted through sts:AssumeRoleWithWebIdentity from an OIDC provider has StringEquals on <issuer>:sub ' +
    "(one system:serviceaccount:<namespace>:<name>, never a namespace's default service account) and on <issuer>:aud (sts.amazonaws.com)",
  explanation:
    'Without a StringEquals on :sub any pod of the cluster (or StringLike: any matching service account) can assume ' +
    'the role with its projected token and use its AWS permissions (LM-1, LM-2); :aud keeps tokens minted for other audiences out.',
  resourceTypes: ['AWS::IAM::Role'],
  evaluate({ model, properties }) {
    const document = properties.AssumeRolePolicyDocument;
    if (document === undefined) return NOT_APPLICABLE;
    const { statements, unreadable } = statementsOf(document);
    const web = statements.filter(
      (s) => isAllow(s) && coversAction(s, 'sts:AssumeRoleWithWebIdentity') !== 'no' && trustsOidcProvider(s),
    );
    if (web.length === 0) {
      return unreadable.length && JSON.stringify(document).includes('WebIdentity')
        ? [unresolved('The web-identity trust policy', unreadable[0])]
        : NOT_APPLICABLE;
    }
    const findings = web.flatMap((s) => statementFindings(model, s));
    return findings.length ? findings : COMPLIANT;
  },
};

function trustsOidcProvider(statement: Statement): boolean {
  const principal = statement.Principal;
  if (principal === '*') return true;
  if (!isObject(principal)) return false;
  if (literalStrings(principal.AWS).values.includes('*')) return true;
  if (principal.Federated === undefined) return false;
  const { values, unknown } = literalStrings(principal.Federated);
  return unknown.length > 0 || values.some((v) => !PUBLIC_IDENTITY_PROVIDERS.includes(v));
}

type Blocks = Record<string, Record<string, unknown>>;

/** The condition blocks of a statement, with CfnJson values followed; or why they cannot be read. */
function conditionBlocks(model: TemplateModel, condition: unknown): { blocks: Blocks; unreadable: string[] } {
  const unreadable: string[] = [];
  const resolve = (value: unknown): unknown => {
    const att = getAtt(value);
    const resource = att ? model.resource(att[0]) : undefined;
    if (att && resource?.Type === CFN_JSON_TYPE && att[1] === 'Value') {
      const parsed = parseJsonDocument(resource.Properties?.Value);
      if (parsed.ok) return parsed.value;
      unreadable.push(`${att[0]}'s Value: ${parsed.reason}`);
      return undefined;
    }
    if (isIntrinsic(value)) {
      unreadable.push(why(value));
      return undefined;
    }
    return value;
  };
  const blocks: Blocks = {};
  const top = resolve(condition);
  if (isObject(top)) {
    for (const [operator, block] of Object.entries(top)) {
      const value = resolve(block);
      if (isObject(value)) blocks[operator] = value;
    }
  }
  return { blocks, unreadable };
}

function statementFindings(model: TemplateModel, statement: Statement): RuleFinding[] {
  const where = typeof statement.Sid === 'string' ? `statement ${statement.Sid}` : 'the web-identity statement';
  const { blocks, unreadable } = conditionBlocks(model, statement.Condition);
  const findings: RuleFinding[] = [];
  const equals = blocks.StringEquals ?? {};
  const likes = Object.entries(blocks)
    .filter(([operator]) => /StringLike/i.test(operator))
    .flatMap(([, block]) => Object.keys(block));
  for (const [suffix, check] of [
    [':sub', checkSubject],
    [':aud', checkAudience],
  ] as const) {
    const key = Object.keys(equals).find((k) => k.endsWith(suffix));
    if (key === undefined) {
      if (unreadable.length) findings.push(unresolved(`The ${suffix} condition of ${where}`, unreadable[0]));
      else {
        const like = likes.some((k) => k.endsWith(suffix)) ? ' (it uses StringLike, which admits wildcards)' : '';
        findings.push({ message: `${where} has no StringEquals on <issuer>${suffix}${like}` });
      }
      continue;
    }
    findings.push(...check(where, key, equals[key]));
  }
  findings.push(...issuerFindings(model, statement, where, Object.keys(equals)));
  return findings;
}

function checkSubject(where: string, key: string, value: unknown): RuleFinding[] {
  const { values, unknown } = literalStrings(value);
  if (unknown.length) return [unresolved(`${key} of ${where}`, unknown[0])];
  if (values.length !== 1)
    return [{ message: `${where} trusts ${values.length} service accounts on ${key}: one role per service account` }];
  const [subject] = values;
  if (hasToken(subject)) return [unresolved(`${key} of ${where}`, `an intrinsic inside '${subject}'`)];
  if (!SERVICE_ACCOUNT.test(subject))
    return [{ message: `${where}: ${key} is '${subject}', not one system:serviceaccount:<namespace>:<name>` }];
  if (subject.endsWith(':default'))
    return [
      {
        message: `${where}: ${key} is '${subject}', a namespace's default service account: every pod there that names none gets the role`,
      },
    ];
  return [];
}

function checkAudience(where: string, key: string, value: unknown): RuleFinding[] {
  const { values, unknown } = literalStrings(value);
  if (unknown.length) return [unresolved(`${key} of ${where}`, unknown[0])];
  if (values.length !== 1 || values[0] !== AUDIENCE) {
    return [
      { message: `${where}: ${key} is ${JSON.stringify(values.length === 1 ? values[0] : values)}, not ${AUDIENCE}` },
    ];
  }
  return [];
}

/** The condition keys must name the issuer of the provider the statement trusts. */
function issuerFindings(model: TemplateModel, statement: Statement, where: string, keys: string[]): RuleFinding[] {
  const federated = isObject(statement.Principal) ? statement.Principal.Federated : undefined;
  const trusted = model
    .referencedIds(federated)
    .filter((id) => OIDC_PROVIDER_TYPES.includes(model.resource(id)?.Type ?? ''));
  const conditionRefs = new Set(
    model.referencedIds(statement.Condition).flatMap((id) => {
      const r = model.resource(id);
      return r?.Type === CFN_JSON_TYPE ? model.referencedIds(r.Properties?.Value) : [id];
    }),
  );
  const named = [...conditionRefs].filter((id) => OIDC_PROVIDER_TYPES.includes(model.resource(id)?.Type ?? ''));
  if (trusted.length && named.length && !trusted.some((id) => named.includes(id))) {
    return [
      {
        message: `${where} trusts provider ${trusted.join(', ')} but its conditions name the issuer of ${named.join(', ')}`,
      },
    ];
  }
  const literalProvider = branchValues(federated).find(
    (f): f is string => typeof f === 'string' && f.includes(':oidc-provider/'),
  );
  if (literalProvider) {
    const issuer = literalProvider.slice(literalProvider.indexOf(':oidc-provider/') + ':oidc-provider/'.length);
    const other = keys.filter(
      (k) => !hasToken(k) && (k.endsWith(':sub') || k.endsWith(':aud')) && k.slice(0, -4) !== issuer,
    );
    if (other.length) return [{ message: `${where} trusts ${issuer} but its conditions are on ${other.join(', ')}` }];
  }
  return [];
}
