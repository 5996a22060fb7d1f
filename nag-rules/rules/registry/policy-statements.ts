import { isObject } from '../../core/template-model';
import { dependsOn, isIntrinsic, listMembers } from '../network/template-helpers';

/** An IAM-style policy statement as it stands in a template (any field may be missing or odd). */
export type PolicyStatement = Record<string, any>;

/**
 * The statements of a policy document given as an object or as a JSON string (ECR policy texts often are).
 * `unreadable` says why when the document cannot be read (e.g. a string built with intrinsic functions).
 */
export function policyStatements(document: unknown): { statements: PolicyStatement[]; unreadable?: string } {
  let doc = document;
  if (typeof doc === 'string') {
    try {
      doc = JSON.parse(doc);
    } catch {
      return { statements: [], unreadable: 'the policy text is not JSON' };
    }
  }
  if (!isObject(doc)) return { statements: [], unreadable: 'the policy document is not an object' };
  if (isIntrinsic(doc)) return { statements: [], unreadable: `the policy document is an expression (${dependsOn(doc)})` };
  const { members, unknown } = listMembers(Array.isArray(doc.Statement) ? doc.Statement : doc.Statement === undefined ? [] : [doc.Statement]);
  if (unknown !== undefined) return { statements: [], unreadable: `the statements are an expression (${dependsOn(unknown)})` };
  const statements = members.filter((m): m is PolicyStatement => isObject(m) && !isIntrinsic(m));
  return statements.length === members.length ? { statements } : { statements, unreadable: 'a statement is not an object or is an expression' };
}

/** Items of a string-or-list policy field. */
export function items(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** True when a statement's Principal admits anyone (`*`, `{AWS: '*'}`, or `*` in a principal list). */
export function admitsAnyone(statement: PolicyStatement): boolean {
  const principal = statement.Principal;
  if (principal === '*') return true;
  if (!isObject(principal)) return false;
  return Object.values(principal).some((v) => items(v).includes('*'));
}

const LIMITING_OPERATORS = /^(ForAnyValue:|ForAllValues:)?(StringEquals|StringEqualsIgnoreCase|StringLike|ArnEquals|ArnLike)$/i;

/**
 * True when the statement's Condition limits one of the given keys with a positive operator (StringEquals,
 * StringLike, ArnEquals… — not a Not…, …IfExists or Null operator) to values that are not all wildcards.
 */
export function conditionLimits(statement: PolicyStatement, keys: readonly string[]): boolean {
  if (!isObject(statement.Condition)) return false;
  const wanted = keys.map((k) => k.toLowerCase());
  return Object.entries(statement.Condition).some(([operator, block]) => LIMITING_OPERATORS.test(operator) && isObject(block)
    && Object.entries(block).some(([key, value]) => wanted.includes(key.toLowerCase())
      && items(value).length > 0 && items(value).every((v) => v !== '*' && v !== '')));
}

/** IAM's action matching: case-insensitive, `*` and `?` wildcards. */
export function actionMatches(pattern: unknown, action: string): boolean {
  if (typeof pattern !== 'string') return false;
  const regex = new RegExp(`^${pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`, 'i');
  return regex.test(action);
}

/** True when a statement's Action/NotAction covers the action. */
export function statementCovers(statement: PolicyStatement, action: string): boolean {
  if (statement.Action !== undefined) return items(statement.Action).some((p) => actionMatches(p, action));
  if (statement.NotAction !== undefined) return !items(statement.NotAction).some((p) => actionMatches(p, action));
  return false;
}
