import { compiledRegExp, isIntrinsic } from './intrinsics';
import { cachedReadFor } from './read-cache';
import { isObject } from './template-model';

/*
 * EventBridge's event-pattern matching, for rules that ask whether an alert fires on a given event. Values may be
 * template intrinsics (a function's Ref, a role's ARN): an intrinsic in the pattern equals the same intrinsic in the
 * event, and a matcher whose operand is an intrinsic (a prefix built with Fn::Join) matches nothing, since its value
 * is unknown at synth time. Covered: exact values, prefix, suffix, equals-ignore-case, wildcard, anything-but (values,
 * prefix, suffix), exists, numeric, and $or. A field missing from the event matches only `exists: false`.
 */

export type EventMatch = 'match' | 'no-match';

const same = (a: unknown, b: unknown): boolean =>
  typeof a !== 'object' || a === null || typeof b !== 'object' || b === null ? a === b : jsonOf(a) === jsonOf(b);
/** An intrinsic's JSON, written once per template: a rule matches every event it builds against every pattern. */
const jsonOf = (value: object): string => cachedReadFor('event-json', value, () => JSON.stringify(value));
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function wildcard(pattern: string, value: string): boolean {
  return compiledRegExp(
    'event',
    pattern,
    () =>
      new RegExp(
        `^${pattern
          .split('*')
          .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}$`,
        's',
      ),
  ).test(value);
}

function numeric(conditions: unknown[], value: unknown): boolean {
  if (typeof value !== 'number') return false;
  for (let i = 0; i + 1 < conditions.length; i += 2) {
    const [op, bound] = [conditions[i], conditions[i + 1]];
    if (typeof bound !== 'number') return false;
    const ok =
      op === '='
        ? value === bound
        : op === '<'
          ? value < bound
          : op === '<='
            ? value <= bound
            : op === '>'
              ? value > bound
              : op === '>='
                ? value >= bound
                : false;
    if (!ok) return false;
  }
  return true;
}

/** One entry of a pattern's value list against one (present) event value. */
function matchesEntry(entry: unknown, value: unknown): boolean {
  if (!isObject(entry) || isIntrinsic(entry)) return same(entry, value);
  const [[operator, operand]] = Object.entries(entry).length === 1 ? Object.entries(entry) : [['?', undefined]];
  const v = text(value);
  switch (operator) {
    case 'prefix':
      if (isObject(operand) && typeof operand['equals-ignore-case'] === 'string')
        return v?.toLowerCase().startsWith(operand['equals-ignore-case'].toLowerCase()) ?? false;
      return typeof operand === 'string' && v !== undefined && v.startsWith(operand);
    case 'suffix':
      if (isObject(operand) && typeof operand['equals-ignore-case'] === 'string')
        return v?.toLowerCase().endsWith(operand['equals-ignore-case'].toLowerCase()) ?? false;
      return typeof operand === 'string' && v !== undefined && v.endsWith(operand);
    case 'equals-ignore-case':
      return typeof operand === 'string' && v !== undefined && v.toLowerCase() === operand.toLowerCase();
    case 'wildcard':
      return typeof operand === 'string' && v !== undefined && wildcard(operand, v);
    case 'numeric':
      return Array.isArray(operand) && numeric(operand, value);
    case 'anything-but': {
      // An unknown operand (an intrinsic inside a prefix) cannot be shown to exclude the value.
      if (isObject(operand) && !isIntrinsic(operand)) return !matchesEntry(operand, value);
      const excluded = Array.isArray(operand) ? operand : [operand];
      return !excluded.some((x) => same(x, value));
    }
    default:
      return false;
  }
}

/** Whether a list of pattern entries matches an event field (absent: only `exists: false`). */
function matchesField(entries: unknown[], present: boolean, value: unknown): boolean {
  return entries.some((entry) => {
    if (isObject(entry) && Object.keys(entry).length === 1 && 'exists' in entry) return entry.exists === present;
    if (!present) return false;
    return Array.isArray(value) ? value.some((v) => matchesEntry(entry, v)) : matchesEntry(entry, value);
  });
}

/** Whether the event matches the pattern (both already parsed; the pattern may hold intrinsics). */
export function matchesEventPattern(pattern: unknown, event: unknown): boolean {
  if (!isObject(pattern)) return false;
  const fields = isObject(event) ? event : {};
  return Object.entries(pattern).every(([key, expected]) => {
    if (key === '$or') return Array.isArray(expected) && expected.some((branch) => matchesEventPattern(branch, fields));
    const present = Object.hasOwn(fields, key);
    if (Array.isArray(expected)) return matchesField(expected, present, fields[key]);
    if (isObject(expected) && !isIntrinsic(expected))
      return present && isObject(fields[key]) && matchesEventPattern(expected, fields[key]);
    return false;
  });
}
