import { cachedReadFor } from '../../core/read-cache';
import { isObject, TemplateModel } from '../../core/template-model';
import { literal } from '../../core/values';
import { asArray, hasToken, isIntrinsic, isNoValue, parseJsonDocument, renderText, wildcardMatch } from '../../core/intrinsics';

export {
  asArray, hasToken, isIntrinsic, isNoValue, parseJsonDocument, placeholder, renderText, textKey, textParts, wildcardMatch,
} from '../../core/intrinsics';

/*
 * Helpers of the cluster and identity rules: template text with intrinsics, JSON documents built with Fn::Join,
 * IAM policy documents and the policies that reach a role. Nothing here throws on malformed input.
 */


/** The values an `Fn::If` tree can take (AWS::NoValue becomes undefined); any other value is its own only alternative. */
export function alternatives(value: unknown): unknown[] {
  if (isObject(value) && Array.isArray(value['Fn::If']) && value['Fn::If'].length === 3) {
    return [...alternatives(value['Fn::If'][1]), ...alternatives(value['Fn::If'][2])];
  }
  return [isNoValue(value) ? undefined : value];
}

/** Why a value is not a literal, in the words of `literal()`; for a literal, the literal. */
export function why(value: unknown): string {
  const resolved = literal(value);
  return resolved.known ? JSON.stringify(resolved.value) : resolved.because;
}


/** `Fn::GetAtt` target of a value: [logicalId, attribute]. */
export function getAtt(value: unknown): [string, string] | undefined {
  if (!isObject(value)) return undefined;
  const att = value['Fn::GetAtt'];
  if (Array.isArray(att) && typeof att[0] === 'string' && typeof att[1] === 'string') return [att[0], att[1]];
  if (typeof att === 'string' && att.includes('.')) return [att.slice(0, att.indexOf('.')), att.slice(att.indexOf('.') + 1)];
  return undefined;
}


export type Statement = Record<string, any>;

/** The statements of a policy document (object or JSON string); branches of Fn::If all count. */
export function statementsOf(document: unknown): { statements: Statement[]; unreadable: string[] } {
  const statements: Statement[] = [];
  const unreadable: string[] = [];
  for (const alternative of alternatives(document)) {
    if (alternative === undefined) continue;
    const parsed = typeof alternative === 'string' || isObject(alternative) ? parseJsonDocument(alternative) : { ok: false as const, reason: why(alternative) };
    if (!parsed.ok || !isObject(parsed.value)) {
      unreadable.push(parsed.ok ? 'a document that is not an object' : parsed.reason);
      continue;
    }
    for (const entry of asArray(parsed.value.Statement)) {
      for (const statement of alternatives(entry)) {
        if (statement === undefined) continue;
        if (isObject(statement) && !isIntrinsic(statement)) statements.push(statement);
        else unreadable.push(`a statement given by ${why(statement)}`);
      }
    }
  }
  return { statements, unreadable };
}

/** Literal strings of a statement field (Action, Resource…), and what is not literal. */
export function literalStrings(value: unknown): { values: string[]; unknown: string[] } {
  const values: string[] = [];
  const unknown: string[] = [];
  for (const entry of asArray(value)) {
    for (const alternative of alternatives(entry)) {
      if (alternative === undefined) continue;
      if (typeof alternative === 'string') values.push(alternative);
      else unknown.push(why(alternative));
    }
  }
  return { values, unknown };
}

export type Grant = 'yes' | 'no' | 'unknown';

/** Whether a statement's Action (or NotAction) covers an action. */
export function coversAction(statement: Statement, action: string): Grant {
  const negated = statement.Action === undefined && statement.NotAction !== undefined;
  // Rules ask each statement about dozens of actions: its action list is read once per template.
  const { values, unknown } = cachedReadFor('statement-actions', statement, () => literalStrings(negated ? statement.NotAction : statement.Action));
  const matched = values.some((pattern) => wildcardMatch(pattern, action));
  if (negated) return matched ? 'no' : unknown.length ? 'unknown' : 'yes';
  return matched ? 'yes' : unknown.length ? 'unknown' : 'no';
}

/** Whether a statement applies to every resource (its literal Resource includes "*"). */
export function appliesEverywhere(statement: Statement): boolean {
  if (statement.NotResource !== undefined) return false;
  const { values, unknown } = literalStrings(statement.Resource);
  return unknown.length === 0 && values.includes('*');
}

export function isAllow(statement: Statement): boolean {
  return statement.Effect === 'Allow';
}

export function isDeny(statement: Statement): boolean {
  return statement.Effect === 'Deny';
}

/** Condition operators and keys of a statement (keys lower-cased), when the Condition is a literal object. */
export function conditionEntries(statement: Statement): { operator: string; key: string; value: unknown }[] {
  if (!isObject(statement.Condition)) return [];
  return Object.entries(statement.Condition).flatMap(([operator, block]) => (isObject(block) && !isIntrinsic(block)
    ? Object.entries(block).map(([key, value]) => ({ operator, key: key.toLowerCase(), value }))
    : []));
}

/** Whether a statement has a condition (one that is present whatever branch Fn::If takes). */
export function hasCondition(statement: Statement): Grant {
  const branches = alternatives(statement.Condition);
  const present = branches.map((c) => c !== undefined && !(isObject(c) && !isIntrinsic(c) && Object.keys(c).length === 0));
  return present.every(Boolean) ? 'yes' : present.some(Boolean) ? 'unknown' : 'no';
}

/** A policy document somewhere in the template, with where it sits (for messages). */
export interface PlacedDocument {
  readonly where: string;
  readonly document: unknown;
}

/** Policies that reach one IAM role of the template. */
export interface RolePolicies {
  /** Inline and customer-managed policy documents of the template attached to the role. */
  readonly documents: PlacedDocument[];
  /** ManagedPolicyArns entries that are not policies of this template (AWS managed or outside ones). */
  readonly managedPolicyArns: unknown[];
}

export function policiesOfRole(model: TemplateModel, roleId: string): RolePolicies {
  const role = model.resource(roleId);
  const props = (role?.Properties ?? {}) as Record<string, unknown>;
  const documents: PlacedDocument[] = [];
  const seen = new Set<string>();
  for (const entry of asArray(props.Policies)) {
    for (const policy of alternatives(entry)) {
      if (policy === undefined) continue;
      const name = isObject(policy) ? renderText(policy.PolicyName) : undefined;
      documents.push({ where: `inline policy ${name ?? '(unnamed)'} of ${roleId}`, document: isObject(policy) ? policy.PolicyDocument : policy });
    }
  }
  const attach = (id: string, document: unknown) => {
    if (seen.has(id)) return;
    seen.add(id);
    documents.push({ where: id, document });
  };
  for (const [id, r] of model.resourcesOfType('AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy')) {
    if (model.referencedIds(r.Properties?.Roles).includes(roleId)) attach(id, r.Properties?.PolicyDocument);
  }
  for (const [id, r] of model.resourcesOfType('AWS::IAM::RolePolicy')) {
    if (model.referencedIds(r.Properties?.RoleName).includes(roleId)) attach(id, r.Properties?.PolicyDocument);
  }
  const managedPolicyArns: unknown[] = [];
  for (const entry of asArray(props.ManagedPolicyArns)) {
    for (const arn of alternatives(entry)) {
      if (arn === undefined) continue;
      const id = model.referencedId(arn);
      const policy = id ? model.resource(id) : undefined;
      if (id && policy?.Type === 'AWS::IAM::ManagedPolicy') attach(id, policy.Properties?.PolicyDocument);
      else managedPolicyArns.push(arn);
    }
  }
  return { documents, managedPolicyArns };
}

/** The name of an AWS managed policy from its ARN expression (`arn:${Partition}:iam::aws:policy/<path/name>`). */
export function awsManagedPolicyName(arn: unknown): { kind: 'aws'; name: string } | { kind: 'other'; text: string } | { kind: 'unknown'; because: string } {
  const text = renderText(arn);
  if (text === undefined) return { kind: 'unknown', because: why(arn) };
  const segment = '(?:\\$\\{Token:[^}]*\\}|[^:])*';
  const match = new RegExp(`^arn:${segment}:iam::aws:policy/(?:[\\w+=,.@-]+/)*([^/]+)$`).exec(text);
  if (match && !hasToken(match[1])) return { kind: 'aws', name: match[1] };
  if (hasToken(text) && !new RegExp(`^arn:${segment}:iam::${segment}:policy/`).test(text)) return { kind: 'unknown', because: why(arn) };
  return { kind: 'other', text };
}
