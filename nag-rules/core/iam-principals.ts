import {
  conditionEntries,
  isAllow,
  literalStrings,
  PlacedDocument,
  policiesOfRole,
  RolePolicies,
  Statement,
  statementsOf,
} from './iam-documents';
import { asArray, branchValues, renderText } from './intrinsics';
import { cachedReadFor } from './read-cache';
import { isObject, TemplateModel } from './template-model';

/*
 * Every IAM principal a template defines (roles, users, groups), the policies that reach each, and who may assume a
 * role. Nothing here throws on malformed input.
 */

export const PRINCIPAL_TYPES = ['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'];
/** Policy resources and the property that names the principals they attach to, by principal type. */
const ATTACHMENTS: Readonly<Record<string, readonly [string, string][]>> = {
  'AWS::IAM::Role': [
    ['AWS::IAM::Policy', 'Roles'],
    ['AWS::IAM::ManagedPolicy', 'Roles'],
    ['AWS::IAM::RolePolicy', 'RoleName'],
  ],
  'AWS::IAM::User': [
    ['AWS::IAM::Policy', 'Users'],
    ['AWS::IAM::ManagedPolicy', 'Users'],
    ['AWS::IAM::UserPolicy', 'UserName'],
  ],
  'AWS::IAM::Group': [
    ['AWS::IAM::Policy', 'Groups'],
    ['AWS::IAM::ManagedPolicy', 'Groups'],
    ['AWS::IAM::GroupPolicy', 'GroupName'],
  ],
};

/** The policies that reach a role, user or group of the template (a user's groups' policies included). */
export function policiesOfPrincipal(model: TemplateModel, principalId: string): RolePolicies {
  const principal = model.resource(principalId);
  if (!principal) return { documents: [], managedPolicyArns: [] };
  return cachedReadFor('principal-policies', principal, () => {
    if (principal.Type === 'AWS::IAM::Role') return policiesOfRole(model, principalId);
    const props = (principal.Properties ?? {}) as Record<string, unknown>;
    const documents: PlacedDocument[] = [];
    const managedPolicyArns: unknown[] = [];
    for (const policy of asArray(props.Policies).flatMap(branchValues)) {
      if (policy === undefined) continue;
      documents.push({
        where: `inline policy ${(isObject(policy) ? renderText(policy.PolicyName) : undefined) ?? '(unnamed)'} of ${principalId}`,
        document: isObject(policy) ? policy.PolicyDocument : policy,
      });
    }
    for (const [type, property] of ATTACHMENTS[principal.Type] ?? []) {
      for (const [id, r] of model.referrersVia(principalId, property, type))
        documents.push({ where: id, document: r.Properties?.PolicyDocument });
    }
    for (const arn of asArray(props.ManagedPolicyArns).flatMap(branchValues)) {
      if (arn === undefined) continue;
      const id = model.referencedId(arn);
      if (id && model.resource(id)?.Type === 'AWS::IAM::ManagedPolicy') {
        if (!documents.some((d) => d.where === id))
          documents.push({ where: id, document: model.resource(id)?.Properties?.PolicyDocument });
      } else managedPolicyArns.push(arn);
    }
    if (principal.Type === 'AWS::IAM::User') {
      for (const groupId of groupsOfUser(model, principalId)) {
        const ofGroup = policiesOfPrincipal(model, groupId);
        documents.push(...ofGroup.documents.map((d) => ({ ...d, where: `${d.where} (group ${groupId})` })));
        managedPolicyArns.push(...ofGroup.managedPolicyArns);
      }
    }
    return { documents, managedPolicyArns };
  });
}

/** The template's groups a user belongs to (its Groups property, or AWS::IAM::UserToGroupAddition). */
function groupsOfUser(model: TemplateModel, userId: string): string[] {
  const user = model.resource(userId);
  const groups = new Set(model.referencedIds(user?.Properties?.Groups));
  for (const [, addition] of model.referrersVia(userId, 'Users', 'AWS::IAM::UserToGroupAddition')) {
    model.referencedIds(addition.Properties?.GroupName).forEach((g) => {
      groups.add(g);
    });
  }
  return [...groups].filter((id) => model.resource(id)?.Type === 'AWS::IAM::Group');
}

/** An Allow statement that reaches a principal, with where it sits (for messages). */
export interface PlacedStatement {
  readonly where: string;
  readonly statement: Statement;
}

/** The Allow statements of documents, and what in them cannot be read. */
export function allowStatements(documents: readonly PlacedDocument[]): {
  statements: PlacedStatement[];
  unreadable: string[];
} {
  const statements: PlacedStatement[] = [];
  const unreadable: string[] = [];
  for (const { where, document } of documents) {
    const read = statementsOf(document);
    unreadable.push(...read.unreadable.map((u) => `${where}: ${u}`));
    for (const statement of read.statements.filter(isAllow)) {
      statements.push({
        where: `${where}${typeof statement.Sid === 'string' ? ` (${statement.Sid})` : ''}`,
        statement,
      });
    }
  }
  return { statements, unreadable };
}

/**
 * The template's roles, users and groups a policy resource is attached to (rules ask it of every policy for every
 * principal: worked out once per policy and template).
 */
export function holdersOfPolicy(model: TemplateModel, policyId: string): readonly string[] {
  const policy = model.resource(policyId);
  if (!policy) return [];
  return cachedReadFor('policy-holders', policy, () => policyHolders(model, policyId, policy.Properties ?? {}));
}

function policyHolders(model: TemplateModel, policyId: string, props: Record<string, any>): string[] {
  const named = model
    .referencedIds([props.Roles, props.Users, props.Groups, props.RoleName, props.UserName, props.GroupName])
    .filter((id) => PRINCIPAL_TYPES.includes(model.resource(id)?.Type ?? ''));
  const byArn = model
    .referrers(policyId, ...PRINCIPAL_TYPES)
    .map(([id]) => id)
    .filter((id) => model.referencedIds(model.resource(id)?.Properties?.ManagedPolicyArns).includes(policyId));
  return [...new Set([...named, ...byArn])];
}

/** One colon-separated part of an ARN whose placeholders (`${Token:AWS::Partition}`) hold colons themselves. */
export const SEGMENT = '(?:\\$\\{Token:[^}]*\\}|[^:])*';

/** Whether a rendered ARN is the launching account's root (`arn:<partition>:iam::${AWS::AccountId}:root`). */
export function isOwnAccountRoot(text: string): boolean {
  return new RegExp(`^arn:${SEGMENT}:iam::\\$\\{Token:AWS::AccountId\\}:root$`).test(text);
}

/**
 * Whether a statement holds only when CloudFormation makes the call (`aws:CalledVia` is cloudformation.amazonaws.com and
 * nothing else): a grant of the deployment, whose stack template decides what it does.
 */
export function onlyThroughCloudFormation(statement: Statement): boolean {
  return conditionEntries(statement).some(
    ({ operator, key, value }) =>
      key === 'aws:calledvia' &&
      /^ForAnyValue:StringEquals$/i.test(operator) &&
      literalStrings(value).values.length > 0 &&
      literalStrings(value).values.every((v) => v === 'cloudformation.amazonaws.com') &&
      literalStrings(value).unknown.length === 0,
  );
}

/**
 * Whether a customer-managed policy of the template is a permissions boundary (a ceiling that grants nothing): a
 * principal's PermissionsBoundary refers to it, or an iam:PermissionsBoundary condition names its path and name.
 */
export function isPermissionsBoundary(model: TemplateModel, policyId: string): boolean {
  const policy = model.resource(policyId);
  if (policy?.Type !== 'AWS::IAM::ManagedPolicy') return false;
  if (
    model
      .referrers(policyId, ...PRINCIPAL_TYPES)
      .some(([, r]) => model.referencedIds(r.Properties?.PermissionsBoundary).includes(policyId))
  )
    return true;
  const name = renderText(policy.Properties?.ManagedPolicyName);
  if (name === undefined || name.includes('${Token:')) return false;
  const suffix = `:policy${renderText(policy.Properties?.Path) ?? '/'}${name}`;
  return cachedReadFor('boundary-names', model.resources, () => boundaryNames(model)).some((arn) =>
    arn.endsWith(suffix),
  );
}

/** The policy ARNs that iam:PermissionsBoundary conditions of the template name. */
function boundaryNames(model: TemplateModel): string[] {
  const names: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (isObject(value)) {
      for (const [key, v] of Object.entries(value)) {
        if (key.toLowerCase() === 'iam:permissionsboundary') names.push(...[v].flat().map((x) => renderText(x) ?? ''));
        else walk(v);
      }
    }
  };
  for (const [, r] of model.resourcesOfType(...PRINCIPAL_TYPES, 'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'))
    walk(r.Properties);
  return names;
}

/** Whether a statement's condition limits its principal to the launching account (StringEquals <key> = AWS::AccountId). */
export function limitedToOwnAccount(statement: Statement, keys: readonly string[]): boolean {
  return conditionEntries(statement).some(
    ({ operator, key, value }) =>
      keys.includes(key) && /^StringEquals$/i.test(operator) && renderText(value) === '${Token:AWS::AccountId}',
  );
}

/** The principals of one trust-policy statement, by kind: `*` (anyone), AWS, Service, Federated, CanonicalUser. */
export function trustedPrincipals(statement: Statement): { anyone: boolean; kinds: Record<string, unknown[]> } {
  const principal = statement.Principal;
  if (principal === '*') return { anyone: true, kinds: {} };
  if (!isObject(principal)) return { anyone: false, kinds: {} };
  const kinds: Record<string, unknown[]> = {};
  for (const [kind, value] of Object.entries(principal))
    kinds[kind] = asArray(value)
      .flatMap(branchValues)
      .filter((v) => v !== undefined);
  return { anyone: literalStrings(principal.AWS).values.includes('*'), kinds };
}

/** The account of an AWS principal expression: `this` (AWS::AccountId), a literal account, a parameter, or unknown. */
export function principalAccount(
  model: TemplateModel,
  value: unknown,
):
  | { kind: 'this' }
  | { kind: 'literal'; account: string }
  | { kind: 'parameter'; name: string }
  | { kind: 'unknown'; text: string } {
  const id = model.referencedId(value);
  if (id && PRINCIPAL_TYPES.includes(model.resource(id)?.Type ?? '')) return { kind: 'this' };
  const parameter = model.parameterOf(value);
  if (parameter) return { kind: 'parameter', name: parameter };
  const text = renderText(value) ?? '';
  const account = /^\d{12}$/.test(text)
    ? text
    : new RegExp(`^arn:${SEGMENT}:(?:iam|sts)::(${SEGMENT}):`).exec(text)?.[1];
  if (account === undefined) return { kind: 'unknown', text };
  if (account === '${Token:AWS::AccountId}') return { kind: 'this' };
  const token = /^\$\{Token:([^}]*)\}$/.exec(account)?.[1];
  if (token && token in model.parameters) return { kind: 'parameter', name: token };
  if (/^\d{12}$/.test(account)) return { kind: 'literal', account };
  return { kind: 'unknown', text };
}
