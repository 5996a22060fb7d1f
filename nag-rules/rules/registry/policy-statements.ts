import { asArray, wildcardMatch } from '../../core/intrinsics';
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
export const items = asArray;

/**
 * Whether a statement's Principal admits anyone (`*`, `{AWS: '*'}`, or `*` in a principal list): 'unknown' when a
 * principal is an intrinsic (a parameter, an import) that only deploy time knows.
 */
export function admitsAnyone(statement: PolicyStatement): 'yes' | 'no' | 'unknown' {
  const principal = statement.Principal;
  if (principal === '*') return 'yes';
  if (!isObject(principal)) return principal === undefined || typeof principal === 'string' ? 'no' : 'unknown';
  const values = Object.values(principal).flatMap(items);
  if (values.includes('*')) return 'yes';
  return values.every((v) => typeof v === 'string') ? 'no' : 'unknown';
}

const LIMITING_OPERATORS = /^(ForAnyValue:|ForAllValues:)?(StringEquals|StringEqualsIgnoreCase|StringLike|ArnEquals|ArnLike)$/i;

/**
 * Whether the statement's Condition limits one of the given keys with a positive operator (StringEquals,
 * StringLike, ArnEquals… — not a Not…, …IfExists or Null operator) to literal values that are not wildcards:
 * 'yes', 'no', or 'unknown' when the values are intrinsics (a parameter, an import) that only deploy time knows.
 */
export function conditionLimits(statement: PolicyStatement, keys: readonly string[]): 'yes' | 'no' | 'unknown' {
  if (!isObject(statement.Condition)) return 'no';
  const wanted = keys.map((k) => k.toLowerCase());
  const verdicts = Object.entries(statement.Condition).flatMap(([operator, block]) => (LIMITING_OPERATORS.test(operator) && isObject(block)
    ? Object.entries(block).filter(([key]) => wanted.includes(key.toLowerCase())).map(([, value]) => {
      const values = items(value);
      if (values.length === 0 || values.some((v) => v === '*' || v === '')) return 'no';
      return values.every((v) => typeof v === 'string') ? 'yes' : 'unknown';
    })
    : []));
  return verdicts.includes('yes') ? 'yes' : verdicts.includes('unknown') ? 'unknown' : 'no';
}

/** IAM's action matching: case-insensitive, `*` and `?` wildcards. */
export function actionMatches(pattern: unknown, action: string): boolean {
  return typeof pattern === 'string' && wildcardMatch(pattern, action);
}

/** True when a statement's Action/NotAction covers the action. */
export function statementCovers(statement: PolicyStatement, action: string): boolean {
  if (statement.Action !== undefined) return items(statement.Action).some((p) => actionMatches(p, action));
  if (statement.NotAction !== undefined) return !items(statement.NotAction).some((p) => actionMatches(p, action));
  return false;
}
