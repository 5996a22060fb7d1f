import { asArray, branchValues, getAtt, hasToken, renderText } from '../../core/intrinsics';
import { COMPLIANT, NOT_APPLICABLE, RuleFinding, ThreatModelRule, unresolved } from '../../core/rule';
import { isObject, TemplateModel } from '../../core/template-model';
import { literal, possibleValues, why } from '../../core/values';

/** Access policies that make a principal an administrator of the whole cluster. */
export const CLUSTER_ADMIN_POLICY = 'AmazonEKSClusterAdminPolicy';
export const ADMIN_POLICY = 'AmazonEKSAdminPolicy';

/** Principals an admin-only pattern must reject. */
const NOT_ROLES = [
  '*',
  'arn:aws:iam::111122223333:root',
  'arn:aws:iam::111122223333:user/alice',
  'arn:aws:iam::111122223333:group/admins',
  'arn:aws:sts::111122223333:assumed-role/Admin/alice',
  'arn:aws:iam::111122223333:role/*',
  'arn:aws:iam::*:role/Admin',
  'arn:aws:iam::111122223333:role/Admin*',
  'arn:aws:iam::111122223333:*',
  '111122223333',
];

const TOKEN = '\\$\\{Token:[^}]*\\}';
/** The same role in two accounts: a parameter pattern that accepts both lets a launch pick the account. */
const FOREIGN_ROLES = ['arn:aws:iam::111122223333:role/Admin', 'arn:aws:iam::444455556666:role/Admin'];
const ROLE_ARN = new RegExp(`^arn:(aws[a-z-]*|${TOKEN}):iam::(\\d{12}|${TOKEN}):role/(.+)$`);

/** IDN-1: cluster-admin access entries only for named IAM roles, at cluster scope. */
export const ClusterAdminNamedRoles: ThreatModelRule = {
  controlId: 'IDN-1',
  threats: ['TH-3', 'PV-1', 'AC-4', 'AC-5'],
  level: 'error',
  kind: 'misconfiguration',
  description:
    `Access entries with ${CLUSTER_ADMIN_POLICY} (or ${ADMIN_POLICY} at cluster scope) name one IAM role, never an account root, user or wildcard, ` +
    `and a launch parameter never chooses that role's account; ${CLUSTER_ADMIN_POLICY} only at cluster scope`,
  explanation:
    'Cluster-admin reads every secret and runs anything anywhere (TH-3). Given to an account root or a pattern it goes ' +
    'to every identity of the account; given to a user it goes to long-lived keys that leak (AC-4). Named roles keep who holds ' +
    'it small, auditable and revocable. EKS accepts roles of other accounts in access entries, so a launch parameter that ' +
    'takes a whole role ARN lets a consumer give a foreign account cluster-admin: take a role name and build the ARN with AWS::AccountId.',
  resourceTypes: ['AWS::EKS::AccessEntry'],
  evaluate({ model, properties }) {
    const findings: RuleFinding[] = [];
    let admin = false;
    for (const policy of asArray(properties.AccessPolicies).flatMap(branchValues)) {
      if (!isObject(policy)) continue;
      const names = accessPolicyNames(model, policy.PolicyArn);
      if (!names.known) {
        findings.push(unresolved('Which access policy the entry grants', names.because));
        admin = true;
        continue;
      }
      const scope = isObject(policy.AccessScope) ? literal(policy.AccessScope.Type) : literal(policy.AccessScope);
      if (names.value.includes(CLUSTER_ADMIN_POLICY)) {
        admin = true;
        if (!scope.known) findings.push(unresolved(`Access scope of ${CLUSTER_ADMIN_POLICY}`, scope.because));
        else if (scope.value !== 'cluster')
          findings.push({ message: `${CLUSTER_ADMIN_POLICY} is granted at scope ${String(scope.value)}, not cluster` });
      }
      if (names.value.includes(ADMIN_POLICY)) {
        if (!scope.known) {
          admin = true;
          findings.push(unresolved(`Access scope of ${ADMIN_POLICY}`, scope.because));
        } else if (scope.value === 'cluster') admin = true;
      }
    }
    if (!admin) return NOT_APPLICABLE;
    findings.push(...principalFindings(model, properties.PrincipalArn));
    return findings.length ? findings : COMPLIANT;
  },
};

/** Names of the access policies an ARN expression can be. */
function accessPolicyNames(
  model: TemplateModel,
  arn: unknown,
): { known: true; value: string[] } | { known: false; because: string } {
  const text = renderText(arn);
  const match = text === undefined ? null : /cluster-access-policy\/([^/]+)$/.exec(text);
  if (match && !hasToken(match[1])) return { known: true, value: [match[1]] };
  if (text !== undefined && !hasToken(text)) return { known: true, value: [text.split('/').pop() ?? text] };
  const values = possibleValues(model, arn);
  if (values.known) return { known: true, value: values.value.map((v) => v.split('/').pop() ?? v) };
  return { known: false, because: values.because };
}

function principalFindings(model: TemplateModel, principal: unknown): RuleFinding[] {
  return branchValues(principal).flatMap((value): RuleFinding[] => {
    if (value === undefined) return [{ message: 'the admin access entry has no PrincipalArn' }];
    const attribute = getAtt(value);
    const id = model.referencedId(value);
    if (id) {
      const type = model.resource(id)?.Type;
      if (type === 'AWS::IAM::Role' && attribute?.[1] === 'Arn') return [];
      if (type === 'AWS::IAM::User') return [{ message: `cluster-admin goes to IAM user ${id}: use a role` }];
      return [
        unresolved(
          'The cluster-admin principal',
          `${type} ${id}${attribute ? `.${attribute[1]}` : ''}, which is not the ARN of an IAM role of this template`,
        ),
      ];
    }
    const parameter = model.parameterOf(value);
    if (parameter) return parameterFindings(model, parameter);
    const text = renderText(value);
    if (text === undefined) return [unresolved('The cluster-admin principal', why(value))];
    const problem = notARole(text);
    if (problem)
      return [{ message: `cluster-admin goes to ${problem} (${text}): only named IAM roles may be cluster-admin` }];
    const match = ROLE_ARN.exec(text);
    if (!match) return [unresolved('The cluster-admin principal', why(value))];
    const [, , account, roleName] = match;
    const findings: RuleFinding[] = [];
    if (hasToken(account) && account !== THIS_ACCOUNT) {
      const chooser = wholeToken(account);
      findings.push(
        chooser && chooser in model.parameters
          ? {
              message: `parameter '${chooser}' chooses the account of the cluster-admin role: a launch could give another account cluster-admin (use \${AWS::AccountId})`,
            }
          : unresolved(
              'The account of the cluster-admin role',
              `${account}, which is not this account (AWS::AccountId)`,
            ),
      );
    }
    if (hasToken(roleName)) {
      const name = wholeToken(roleName);
      findings.push(
        ...(name && name in model.parameters
          ? roleNameParameterFindings(model, name)
          : [unresolved('The cluster-admin role name', why(value))]),
      );
    }
    return findings;
  });
}

/** The launching account, as the placeholder of `Ref: AWS::AccountId`. */
const THIS_ACCOUNT = '${Token:AWS::AccountId}';

/** The name inside a text that is exactly one placeholder (`${Token:Name}`), else undefined. */
function wholeToken(text: string): string | undefined {
  return /^\$\{Token:([^}]*)\}$/.exec(text)?.[1];
}

/** Names a role-name parameter must refuse: wildcards, and anything that would leave the role name part of the ARN. */
const NOT_ROLE_NAMES = ['*', 'Admin*', 'Ad?min', 'Admin:root', 'x:role/*'];

function roleNameParameterFindings(model: TemplateModel, name: string): RuleFinding[] {
  const p = model.parameters[name];
  if (Array.isArray(p.AllowedValues) && p.AllowedValues.length > 0) {
    const wild = p.AllowedValues.map(String).filter((v) => /[*?:]/.test(v));
    return wild.length
      ? [{ message: `parameter '${name}' allows the role name ${wild.join(', ')} as cluster-admin` }]
      : [];
  }
  const regex = patternOf(p.AllowedPattern);
  if (!regex)
    return [
      unresolved(
        'The cluster-admin role name',
        `parameter '${name}' (no AllowedPattern JavaScript can read limits it to one role name)`,
      ),
    ];
  const accepted = NOT_ROLE_NAMES.filter((sample) => regex.test(sample));
  return accepted.length
    ? [
        {
          message: `parameter '${name}' AllowedPattern ${JSON.stringify(p.AllowedPattern)} accepts ${accepted.join(', ')} as the cluster-admin role name`,
        },
      ]
    : [];
}

function patternOf(pattern: unknown): RegExp | undefined {
  if (typeof pattern !== 'string' || pattern === '') return undefined;
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch {
    return undefined;
  }
}

/**
 * What a principal ARN is when it is not one named IAM role; undefined for a role ARN, or for text whose
 * placeholders (`${Token:…}`) leave it open.
 */
function notARole(text: string): string | undefined {
  if (text.includes('*') || text.includes('?')) return 'a wildcard';
  if (/:root$/.test(text) || /^\d{12}$/.test(text)) return 'an account root (every identity of the account)';
  if (/:user\//.test(text)) return 'an IAM user';
  if (/:group\//.test(text)) return 'an IAM group';
  if (/:assumed-role\//.test(text)) return 'an STS session';
  if (!hasToken(text) && !ROLE_ARN.test(text)) return 'a principal that is not an IAM role ARN';
  return undefined;
}

function parameterFindings(model: TemplateModel, name: string): RuleFinding[] {
  const p = model.parameters[name];
  if (Array.isArray(p.AllowedValues) && p.AllowedValues.length > 0) {
    return p.AllowedValues.flatMap((v) => {
      const problem = notARole(String(v));
      return problem ? [{ message: `parameter '${name}' allows ${problem} (${String(v)}) as cluster-admin` }] : [];
    });
  }
  if (typeof p.AllowedPattern !== 'string' || p.AllowedPattern === '') {
    return [
      unresolved(
        'The cluster-admin principal',
        `parameter '${name}' (no AllowedPattern or AllowedValues limits it to IAM roles)`,
      ),
    ];
  }
  let regex: RegExp;
  try {
    regex = new RegExp(`^(?:${p.AllowedPattern})$`);
  } catch {
    return [
      unresolved('The cluster-admin principal', `parameter '${name}', whose AllowedPattern JavaScript cannot read`),
    ];
  }
  const accepted = NOT_ROLES.filter((sample) => regex.test(sample));
  if (accepted.length || !p.AllowedPattern.replace(/\\/g, '').includes(':role/')) {
    return [
      {
        message: `parameter '${name}' AllowedPattern ${JSON.stringify(p.AllowedPattern)} does not limit cluster-admin to IAM role ARNs${accepted.length ? ` (it accepts ${accepted.join(', ')})` : ''}`,
      },
    ];
  }
  // A pattern cannot know the launching account: if it takes one account's role it takes another's.
  if (FOREIGN_ROLES.every((sample) => regex.test(sample))) {
    return [
      {
        message: `parameter '${name}' takes a whole role ARN, so a launch can name a role of another account as cluster-admin (take a role name and build the ARN with \${AWS::AccountId})`,
      },
    ];
  }
  return [];
}
