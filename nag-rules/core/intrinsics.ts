import { cachedRead } from './read-cache';
import { isObject } from './template-model';
import { literal } from './values';

/*
 * Reading CloudFormation expressions as text: intrinsic functions become `${Token:…}` placeholders, so a rule can
 * tell a literal from a value only known at deploy time. Nothing here throws on malformed input.
 */

/** Marks a value that came from an intrinsic function: it cannot be judged at synth time. */
export const TOKEN_PREFIX = '${Token:';

export function isNoValue(value: unknown): boolean {
  return isObject(value) && value.Ref === 'AWS::NoValue';
}

/** Whether an object is a CloudFormation intrinsic function (or a Ref). */
export function isIntrinsic(value: unknown): value is Record<string, unknown> {
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::') || keys[0] === 'Condition');
}

/** The placeholder that stands for an intrinsic inside rendered text. */
export function placeholder(intrinsic: unknown): string {
  if (!isObject(intrinsic)) return `${TOKEN_PREFIX}${Array.isArray(intrinsic) ? 'list' : String(intrinsic)}}`;
  const [fn, arg] = Object.entries(intrinsic)[0] ?? ['?', undefined];
  const description = fn === 'Ref' ? String(arg) : fn === 'Fn::GetAtt' ? [arg].flat().map(String).join('.') : fn;
  return `${TOKEN_PREFIX}${description.replace(/[{}"\\]/g, '')}}`;
}

/** Whether a text holds a placeholder. */
export function hasToken(text: string): boolean {
  return text.includes(TOKEN_PREFIX);
}

/** Pieces of a string expression: literal strings and the intrinsics between them (Fn::Join and Fn::Sub are opened). */
export function textParts(value: unknown): unknown[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
  if (isObject(value) && Array.isArray(value['Fn::Join']) && value['Fn::Join'].length === 2
    && typeof value['Fn::Join'][0] === 'string' && Array.isArray(value['Fn::Join'][1])) {
    const [delimiter, parts] = value['Fn::Join'] as [string, unknown[]];
    return parts.flatMap((part, i) => (i === 0 ? textParts(part) : [delimiter, ...textParts(part)]));
  }
  if (isObject(value) && value['Fn::Sub'] !== undefined) {
    const sub = value['Fn::Sub'];
    const [template, variables] = typeof sub === 'string' ? [sub, {}]
      : Array.isArray(sub) && typeof sub[0] === 'string' ? [sub[0], isObject(sub[1]) ? sub[1] : {}] : [undefined, {}];
    if (template === undefined) return [value];
    const parts: unknown[] = [];
    let last = 0;
    for (const match of template.matchAll(/\$\{([^}]*)\}/g)) {
      parts.push(template.slice(last, match.index));
      const name = match[1];
      if (name.startsWith('!')) parts.push(`\${${name.slice(1)}}`);
      else if (name in variables) parts.push(...textParts((variables as Record<string, unknown>)[name]));
      else if (name.includes('.')) parts.push({ 'Fn::GetAtt': [name.slice(0, name.indexOf('.')), name.slice(name.indexOf('.') + 1)] });
      else parts.push({ Ref: name });
      last = (match.index ?? 0) + match[0].length;
    }
    parts.push(template.slice(last));
    return parts.filter((p) => p !== '');
  }
  return [value];
}

/** Pieces of a string expression with adjacent literals merged, as a comparable key. */
export function textKey(value: unknown): string {
  const merged: unknown[] = [];
  for (const part of textParts(value)) {
    if (typeof part === 'string' && typeof merged[merged.length - 1] === 'string') merged[merged.length - 1] += part;
    else if (part !== '') merged.push(part);
  }
  return JSON.stringify(merged);
}

/** A string expression as text, intrinsics replaced by `${Token:…}` placeholders; undefined for undefined. */
export function renderText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return textParts(value).map((p) => (typeof p === 'string' ? p : placeholder(p))).join('');
}

/**
 * A JSON document given as an object, a string, or an Fn::Join of strings and intrinsics (how CDK renders
 * CfnJson and token-bearing documents). Intrinsics inside become `${Token:…}` placeholders.
 */
export function parseJsonDocument(value: unknown): ParsedDocument {
  if (value === undefined) return { ok: false, reason: 'no document' };
  if ((isObject(value) && !isIntrinsic(value)) || Array.isArray(value)) return { ok: true, value };
  // Every rule reads the same manifests and policies: each is parsed once per template (core/read-cache.ts).
  return cachedRead('json-document', typeof value === 'string' ? value : JSON.stringify(value), () => parseUncached(value));
}

export type ParsedDocument = { ok: true; value: unknown } | { ok: false; reason: string };

function parseUncached(value: unknown): ParsedDocument {
  if (isIntrinsic(value) && value['Fn::Join'] === undefined) return { ok: false, reason: why(value) };
  let text = '';
  let inString = false;
  for (const part of textParts(value)) {
    if (typeof part !== 'string') {
      text += inString ? placeholder(part) : JSON.stringify(placeholder(part));
      continue;
    }
    for (let i = 0; i < part.length; i++) {
      if (part[i] === '\\') i++;
      else if (part[i] === '"') inString = !inString;
    }
    text += part;
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, reason: `text that is not JSON (${(error as Error).message})` };
  }
}


/** A value as a list: a single value becomes a one-element list, undefined an empty one. */
export function asArray(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Case-insensitive IAM wildcard match (`*` any run, `?` one character). */
export function wildcardMatch(pattern: string, value: string): boolean {
  return compiledRegExp('iam', pattern, () => {
    const source = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
    return new RegExp(`^${source}$`, 'i');
  }).test(value);
}

/**
 * A regular expression built once per pattern of a kind: the same few patterns (IAM actions and ARNs, event-pattern
 * wildcards) are matched thousands of times per template. Keyed by the pattern itself (a key joined from kind and
 * pattern would be a new string, hashed again, on every call). Bounded, so long runs over many templates do not grow
 * it without end.
 */
export function compiledRegExp(kind: 'iam' | 'event', pattern: string, build: () => RegExp): RegExp {
  const expressions = compiledExpressions[kind];
  let expression = expressions.get(pattern);
  if (!expression) {
    expression = build();
    if (expressions.size >= 10_000) expressions.clear();
    expressions.set(pattern, expression);
  }
  return expression;
}

const compiledExpressions = { iam: new Map<string, RegExp>(), event: new Map<string, RegExp>() };

/** Why a value is not a literal, in the words of `literal()`; for a literal, the literal. */
function why(value: unknown): string {
  const resolved = literal(value);
  return resolved.known ? JSON.stringify(resolved.value) : resolved.because;
}
