import { cachedParse, cachedReadFor } from './read-cache';
import { isObject, TemplateModel } from './template-model';
import { literal, Resolved, why } from './values';

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
  const text = (v: unknown): string => (typeof v === 'string' ? v : (JSON.stringify(v) ?? typeof v));
  const description = fn === 'Ref' ? text(arg) : fn === 'Fn::GetAtt' ? [arg].flat().map(text).join('.') : fn;
  return `${TOKEN_PREFIX}${description.replace(/[{}"\\]/g, '')}}`;
}

/** Whether a value is a text that holds a placeholder. */
export function hasToken(value: unknown): boolean {
  return typeof value === 'string' && value.includes(TOKEN_PREFIX);
}

/** `Fn::GetAtt` target of a value: [logicalId, attribute]. */
export function getAtt(value: unknown): [string, string] | undefined {
  if (!isObject(value)) return undefined;
  const att = value['Fn::GetAtt'];
  if (Array.isArray(att) && typeof att[0] === 'string' && typeof att[1] === 'string') return [att[0], att[1]];
  if (typeof att === 'string' && att.includes('.'))
    return [att.slice(0, att.indexOf('.')), att.slice(att.indexOf('.') + 1)];
  return undefined;
}

function expandIf(value: unknown, leaf: (value: unknown) => unknown[]): unknown[] {
  if (isObject(value) && Array.isArray(value['Fn::If']) && value['Fn::If'].length === 3) {
    return [...expandIf(value['Fn::If'][1], leaf), ...expandIf(value['Fn::If'][2], leaf)];
  }
  return leaf(value);
}

/**
 * The values an `Fn::If` tree can take (recursively), `AWS::NoValue` as undefined; any other value is its own only
 * branch value.
 */
export function branchValues(value: unknown): unknown[] {
  return expandIf(value, (leaf) => [isNoValue(leaf) ? undefined : leaf]);
}

/**
 * The values an `Fn::If` tree can take when the property is present: `AWS::NoValue` branches are left out, so a
 * property that may be removed yields fewer values (possibly none).
 */
export function presentBranchValues(value: unknown): unknown[] {
  return expandIf(value, (leaf) => (isNoValue(leaf) ? [] : [leaf]));
}

/** Whether the property is absent, or a branch of its `Fn::If` tree removes it (`AWS::NoValue`). */
export function mayBeRemoved(value: unknown): boolean {
  return branchValues(value).includes(undefined);
}

/**
 * The members of a list property: every element of every present branch list, with `Fn::If` elements expanded.
 * `unknown` is set when the list itself is an expression that cannot be read (a list parameter, a split…).
 */
export function listMembers(value: unknown): { members: unknown[]; unknown?: unknown } {
  const members: unknown[] = [];
  let unknown: unknown;
  for (const branch of presentBranchValues(value)) {
    if (Array.isArray(branch))
      branch.forEach((element) => {
        members.push(...presentBranchValues(element));
      });
    else if (branch !== undefined && branch !== null) unknown ??= branch;
  }
  return { members, unknown };
}

/**
 * The raw value at a path of nested properties, or unknown when an object on the way is an intrinsic function
 * (e.g. `MetadataOptions: { Fn::If: … }`). A missing step yields `undefined` (known).
 */
export function at(value: unknown, ...path: (string | number)[]): Resolved<unknown> {
  let current = value;
  for (const key of path) {
    if (current === undefined || current === null) return { known: true, value: undefined };
    if (isIntrinsic(current)) {
      const lit = literal(current);
      if (!lit.known) return { known: false, because: lit.because };
      current = lit.value;
      if (current === undefined || current === null) return { known: true, value: undefined };
    }
    if (typeof key === 'number' ? !Array.isArray(current) : !isObject(current))
      return { known: true, value: undefined };
    current = (current as any)[key];
  }
  return { known: true, value: current };
}

/** The literal at a path (see `at` and `literal`). */
export function literalAt(
  value: unknown,
  ...path: (string | number)[]
): Resolved<string | number | boolean | null | undefined> {
  const raw = at(value, ...path);
  if (!raw.known) return raw;
  return literal(raw.value);
}

/** Pieces of a string expression: literal strings and the intrinsics between them (Fn::Join and Fn::Sub are opened). */
export function textParts(value: unknown): unknown[] {
  const parts: unknown[] = [];
  addTextParts(value, parts);
  return parts;
}

/** `textParts`, added to a list (large joins are read without a list per piece). */
function addTextParts(value: unknown, parts: unknown[]): void {
  if (typeof value === 'string') {
    parts.push(value);
    return;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    parts.push(String(value));
    return;
  }
  if (
    isObject(value) &&
    Array.isArray(value['Fn::Join']) &&
    value['Fn::Join'].length === 2 &&
    typeof value['Fn::Join'][0] === 'string' &&
    Array.isArray(value['Fn::Join'][1])
  ) {
    const [delimiter, items] = value['Fn::Join'] as [string, unknown[]];
    for (let i = 0; i < items.length; i++) {
      if (!(i in items)) continue;
      if (i > 0) parts.push(delimiter);
      addTextParts(items[i], parts);
    }
    return;
  }
  if (isObject(value) && value['Fn::Sub'] !== undefined) {
    const sub = value['Fn::Sub'];
    const [template, variables] =
      typeof sub === 'string'
        ? [sub, {}]
        : Array.isArray(sub) && typeof sub[0] === 'string'
          ? [sub[0], isObject(sub[1]) ? sub[1] : {}]
          : [undefined, {}];
    if (template === undefined) {
      parts.push(value);
      return;
    }
    const own: unknown[] = [];
    let last = 0;
    for (const match of template.matchAll(/\$\{([^}]*)\}/g)) {
      own.push(template.slice(last, match.index));
      const name = match[1];
      if (name.startsWith('!')) own.push(`\${${name.slice(1)}}`);
      else if (name in variables) addTextParts((variables as Record<string, unknown>)[name], own);
      else if (name.includes('.'))
        own.push({ 'Fn::GetAtt': [name.slice(0, name.indexOf('.')), name.slice(name.indexOf('.') + 1)] });
      else own.push({ Ref: name });
      last = (match.index ?? 0) + match[0].length;
    }
    own.push(template.slice(last));
    for (const part of own) if (part !== '') parts.push(part);
    return;
  }
  parts.push(value);
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
  return textParts(value)
    .map((p) => (typeof p === 'string' ? p : placeholder(p)))
    .join('');
}

/**
 * A JSON document given as an object, a string, or an Fn::Join of strings and intrinsics (how CDK renders
 * CfnJson and token-bearing documents). Intrinsics inside become `${Token:…}` placeholders.
 */
export function parseJsonDocument(value: unknown): ParsedDocument {
  if (value === undefined) return { ok: false, reason: 'no document' };
  if ((isObject(value) && !isIntrinsic(value)) || Array.isArray(value)) return { ok: true, value };
  // Every rule reads the same manifests and policies: each text is parsed once (core/read-cache.ts), and an expression
  // of the template is serialized for that key once per template.
  if (typeof value === 'string') return cachedParse('json-document', value, () => parseUncached(value));
  if (typeof value !== 'object' || value === null) return parsedByText(value);
  return cachedReadFor('json-document', value, () => parsedByText(value));
}

function parsedByText(value: unknown): ParsedDocument {
  return cachedParse('json-document', JSON.stringify(value), () => parseUncached(value));
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
  // Without wildcards only a text of the same length can match (case-insensitive matching maps one character to one):
  // most of the actions a rule asks about are told apart without an expression.
  if (!pattern.includes('*') && !pattern.includes('?')) {
    if (pattern.length !== value.length) return false;
    if (pattern === value) return true;
  }
  return compiledRegExp('iam', pattern, () => {
    const source = pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
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

const PSEUDO_PARAMETERS = [
  'AWS::Region',
  'AWS::Partition',
  'AWS::AccountId',
  'AWS::URLSuffix',
  'AWS::StackName',
  'AWS::StackId',
];

/** Marks the part of a rendered string that could not be known. */
export const UNKNOWN_PART = '\u0000';

/**
 * A string expression rendered for pattern checks: literals as they are, pseudo parameters as `{AWS::Region}`,
 * references to resources of the template as `{Ref:<id>}`, anything else (parameters, imports…) as `UNKNOWN_PART`.
 * Understands `Fn::Join` (also of a `Fn::Split`) and `Fn::Sub` strings.
 */
export function renderString(model: TemplateModel, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (['string', 'number', 'boolean'].includes(typeof value)) return String(value);
  if (!isObject(value)) return UNKNOWN_PART;
  if (typeof value.Ref === 'string') {
    if (PSEUDO_PARAMETERS.includes(value.Ref)) return `{${value.Ref}}`;
    if (model.resources.has(value.Ref)) return `{Ref:${value.Ref}}`;
    return UNKNOWN_PART;
  }
  const id = model.referencedId(value);
  if (id) return `{Ref:${id}}`;
  const join = value['Fn::Join'];
  if (Array.isArray(join) && join.length === 2 && typeof join[0] === 'string') {
    if (Array.isArray(join[1])) return join[1].map((part: unknown) => renderString(model, part)).join(join[0]);
    const split = isObject(join[1]) ? join[1]['Fn::Split'] : undefined;
    if (Array.isArray(split) && split.length === 2) return renderString(model, split[1]);
    return UNKNOWN_PART;
  }
  const sub = value['Fn::Sub'];
  const template =
    typeof sub === 'string' ? sub : Array.isArray(sub) && typeof sub[0] === 'string' ? sub[0] : undefined;
  if (template !== undefined) {
    const variables = Array.isArray(sub) && isObject(sub[1]) ? sub[1] : {};
    return template.replace(/\$\{([^}!][^}]*)\}/g, (_, name: string) => {
      if (name in variables) return renderString(model, variables[name]);
      if (PSEUDO_PARAMETERS.includes(name)) return `{${name}}`;
      const [resource] = name.split('.');
      return model.resources.has(resource) ? `{Ref:${resource}}` : UNKNOWN_PART;
    });
  }
  return UNKNOWN_PART;
}
