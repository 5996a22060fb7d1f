import { textParts } from './intrinsics';
import { cachedReadFor } from './read-cache';
import { isObject, TemplateModel } from './template-model';

/** A value a rule judges: known (a literal), or unknown with what it depends on. */
export type Resolved<T> =
  | { readonly known: true; readonly value: T; readonly via?: string }
  | { readonly known: false; readonly because: string };

/** At most this many values are followed through one expression: a join of several choices multiplies them. */
const MAX_VALUES = 64;
/** How deep conditions and nested expressions are followed (a template may refer to itself in a loop). */
const MAX_DEPTH = 20;

/** The parameters, resources and attributes an expression reads, in order, each once. */
function referencesOf(value: unknown, found: string[] = []): string[] {
  if (typeof value === 'string') {
    // Fn::Sub's template names what it reads as ${Name} (${!Name} is a literal).
    for (const match of value.matchAll(/\$\{([^!}][^}]*)\}/g)) if (!found.includes(match[1])) found.push(match[1]);
  } else if (Array.isArray(value)) for (const item of value) referencesOf(item, found);
  else if (isObject(value)) {
    const ref = value.Ref ?? (Array.isArray(value['Fn::GetAtt']) ? value['Fn::GetAtt'].join('.') : value['Fn::GetAtt']);
    if (typeof ref === 'string' && !found.includes(ref)) found.push(ref);
    for (const child of Object.values(value)) referencesOf(child, found);
  }
  return found;
}

/** In plain words, what a value only known at deploy time depends on (whole names, nothing cut off). */
const describe = (value: unknown): string => {
  if (!isObject(value)) return JSON.stringify(value);
  const [fn, arg] = Object.entries(value)[0] ?? ['?', undefined];
  if (fn === 'Ref') return `parameter or resource '${String(arg)}'`;
  if (fn === 'Fn::ImportValue') return 'an imported value';
  if (fn === 'Fn::GetAtt') return `attribute '${[arg].flat().map(String).join('.')}'`;
  if (fn === 'Fn::If' && Array.isArray(arg)) return `condition '${String(arg[0])}'`;
  const refs = referencesOf(arg);
  return `a value ${fn} computes at deploy time${refs.length ? ` from ${refs.map((r) => `'${r}'`).join(', ')}` : ''}`;
};

/**
 * The literal a template value holds, or why it cannot be known at synth time. `Fn::If` with equal branches, and
 * `Fn::Join`, `Fn::Sub` and `Fn::Select` over literals only are folded (`via` names the function); anything else that
 * is not a literal is unknown.
 */
export function literal(value: unknown, depth = 0): Resolved<string | number | boolean | null | undefined> {
  if (value === undefined || value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
    return { known: true, value: value as string | number | boolean | null | undefined };
  }
  // Rules read the same expressions again and again (and describe the unknown ones): each is read once per template.
  if (depth === 0 && typeof value === 'object')
    return cachedReadFor('literal', value as object, () => expressionLiteral(value, 0));
  return expressionLiteral(value, depth);
}

function expressionLiteral(value: unknown, depth: number): Resolved<string | number | boolean | null | undefined> {
  if (isObject(value) && depth < MAX_DEPTH) {
    if (Array.isArray(value['Fn::If']) && value['Fn::If'].length === 3) {
      const [, a, b] = value['Fn::If'];
      const left = literal(a, depth + 1);
      const right = literal(b, depth + 1);
      if (left.known && right.known && left.value === right.value) return left;
    }
    const folded = foldedLiteral(value, depth);
    if (folded !== undefined) return { known: true, value: folded.value, via: folded.via };
  }
  return { known: false, because: describe(value) };
}

/** Why a value is not a literal, in the words of `literal()`; for a literal, the literal (for `unresolved(…)` messages). */
export function why(value: unknown): string {
  const resolved = literal(value);
  return resolved.known ? JSON.stringify(resolved.value) : resolved.because;
}

/** A string or scalar expression made of literals only, folded as CloudFormation would. */
function foldedLiteral(
  value: Record<string, any>,
  depth: number,
): { value: string | number | boolean; via: string } | undefined {
  const scalar = (v: unknown): string | undefined => {
    const lit = literal(v, depth + 1);
    return lit.known && lit.value !== undefined && lit.value !== null ? String(lit.value) : undefined;
  };
  const join = value['Fn::Join'];
  if (Array.isArray(join) && join.length === 2 && typeof join[0] === 'string' && Array.isArray(join[1])) {
    const parts = join[1].map(scalar);
    return parts.every((p) => p !== undefined) ? { value: parts.join(join[0]), via: 'Fn::Join' } : undefined;
  }
  const select = value['Fn::Select'];
  if (Array.isArray(select) && select.length === 2 && Array.isArray(select[1])) {
    const index = scalar(select[0]);
    const element = index !== undefined && /^\d+$/.test(index) ? select[1][Number(index)] : undefined;
    const lit = element === undefined ? undefined : literal(element, depth + 1);
    return lit?.known && lit.value !== undefined && lit.value !== null
      ? { value: lit.value, via: 'Fn::Select' }
      : undefined;
  }
  const sub = value['Fn::Sub'];
  if (
    typeof sub === 'string' ||
    (Array.isArray(sub) && typeof sub[0] === 'string' && (sub.length === 1 || isObject(sub[1])))
  ) {
    const [text, variables] =
      typeof sub === 'string' ? [sub, {}] : [sub[0] as string, (sub[1] ?? {}) as Record<string, unknown>];
    let complete = true;
    const result = text.replace(/\$\{([^}]*)\}/g, (match, name: string) => {
      if (name.startsWith('!')) return `\${${name.slice(1)}}`;
      const folded = name in variables ? scalar(variables[name]) : undefined;
      if (folded === undefined) complete = false;
      return folded ?? match;
    });
    return complete ? { value: result, via: 'Fn::Sub' } : undefined;
  }
  return undefined;
}

/**
 * A value for a message: `'0.0.0.0/0'`, and where the template spells it with an intrinsic function or a parameter,
 * how (`'0.0.0.0/0' via Fn::Join`), so the finding names the effective value and where it came from.
 */
export function shown(value: unknown, expression: unknown): string {
  const text = `'${String(value)}'`;
  if (!isObject(expression)) return text;
  if (typeof expression.Ref === 'string') return `${text} via parameter ${expression.Ref}`;
  const fn = Object.keys(expression)[0];
  return fn?.startsWith('Fn::') ? `${text} via ${fn}` : text;
}

/** `true`/`"true"` as CloudFormation reads booleans. */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

/** `false`/`"false"` as CloudFormation reads booleans. */
export function isFalse(value: unknown): boolean {
  return value === false || value === 'false';
}

/**
 * The values a template expression can take, when they form a finite known set: literals, `Fn::If` branches,
 * parameters with AllowedValues, and list parameters whose members a template rule limits with `Fn::EachMemberIn`
 * (through `Fn::Select`/`Fn::Split`/`Fn::Join` padding, where the empty string is a possible value too).
 */
export function possibleValues(model: TemplateModel, value: unknown, depth = 0): Resolved<string[]> {
  const lit = literal(value);
  if (lit.known)
    return { known: true, value: lit.value === undefined || lit.value === null ? [] : [String(lit.value)] };
  if (!isObject(value) || depth > MAX_DEPTH) return { known: false, because: describe(value) };
  if (Array.isArray(value['Fn::If']) && value['Fn::If'].length === 3) {
    const [condition, a, b] = value['Fn::If'];
    const outcomes = conditionOutcomes(model, { Condition: condition }, depth + 1);
    const branches = [...(outcomes.has(true) ? [a] : []), ...(outcomes.has(false) ? [b] : [])].map((v) =>
      possibleValues(model, v, depth + 1),
    );
    const unknown = branches.find((b) => !b.known);
    if (unknown) return unknown;
    return { known: true, value: [...new Set(branches.flatMap((b) => (b as { value: string[] }).value))] };
  }
  const parameter = model.parameterOf(value);
  if (parameter) return parameterValues(model, parameter);
  const select = value['Fn::Select'];
  if (Array.isArray(select) && select.length === 2) {
    const index = literal(select[0]);
    if (index.known && /^\d+$/.test(String(index.value)) && Array.isArray(select[1])) {
      const element = select[1][Number(index.value)];
      return element === undefined
        ? { known: false, because: `Fn::Select of index ${String(index.value)} beyond its list` }
        : possibleValues(model, element, depth + 1);
    }
    return selectableMembers(model, select[1]);
  }
  const join = value['Fn::Join'];
  if (Array.isArray(join) && join.length === 2 && typeof join[0] === 'string' && Array.isArray(join[1])) {
    return combinations(
      join[1].map((part: unknown) => possibleValues(model, part, depth + 1)),
      join[0],
    );
  }
  if (value['Fn::Sub'] !== undefined) {
    const parts = textParts(value);
    if (!(parts.length === 1 && parts[0] === value))
      return combinations(
        parts.map((part) => possibleValues(model, part, depth + 1)),
        '',
      );
  }
  const map = value['Fn::FindInMap'];
  if (Array.isArray(map) && map.length >= 3) return mappedValues(model, map, depth);
  return { known: false, because: describe(value) };
}

/** Every string a join of parts can make, each part taking each of its values (bounded). */
function combinations(parts: Resolved<string[]>[], delimiter: string): Resolved<string[]> {
  const unknown = parts.find((p) => !p.known);
  if (unknown) return unknown;
  let results = [''];
  parts.forEach((part, i) => {
    const values = (part as { value: string[] }).value;
    results = results.flatMap((prefix) =>
      (values.length ? values : ['']).map((v) => (i === 0 ? v : `${prefix}${delimiter}${v}`)),
    );
  });
  if (results.length > MAX_VALUES) return { known: false, because: `more than ${MAX_VALUES} combinations of values` };
  return { known: true, value: [...new Set(results)] };
}

/** The values `Fn::FindInMap` can return: every key it can be given, looked up in the template's Mappings. */
function mappedValues(model: TemplateModel, [name, top, second]: unknown[], depth: number): Resolved<string[]> {
  const mapping = typeof name === 'string' ? model.mappings[name] : undefined;
  if (!isObject(mapping))
    return {
      known: false,
      because: `Fn::FindInMap of mapping ${JSON.stringify(name)}, which the template does not have`,
    };
  const tops = possibleValues(model, top, depth + 1);
  const seconds = possibleValues(model, second, depth + 1);
  if (!tops.known) return tops;
  if (!seconds.known) return seconds;
  const values = new Set<string>();
  for (const t of tops.value) {
    for (const s of seconds.value) {
      const entry = isObject(mapping[t]) ? mapping[t][s] : undefined;
      // A key the mapping does not have fails the deployment: that combination never deploys.
      if (['string', 'number', 'boolean'].includes(typeof entry)) values.add(String(entry));
      else if (entry !== undefined)
        return { known: false, because: `Fn::FindInMap ${name}.${t}.${s}, which is a list` };
    }
  }
  return { known: true, value: [...values] };
}

/**
 * The outcomes a condition can have: both unless its parameters' allowed values or its literals decide it. Unknown
 * parameters (no AllowedValues: any value at deploy time) leave both outcomes open.
 */
export function conditionOutcomes(model: TemplateModel, condition: unknown, depth = 0): Set<boolean> {
  const both = new Set([true, false]);
  if (depth > MAX_DEPTH || !isObject(condition)) return both;
  if (typeof condition.Condition === 'string')
    return conditionOutcomes(model, model.conditions[condition.Condition], depth + 1);
  const args = Object.values(condition)[0];
  if (!Array.isArray(args)) return both;
  const fn = Object.keys(condition)[0];
  if (fn === 'Fn::Equals' && args.length === 2) {
    const [a, b] = args.map((v) => possibleValues(model, v, depth + 1));
    if (!a.known || !b.known) return both;
    if (a.value.length === 1 && b.value.length === 1) return new Set([a.value[0] === b.value[0]]);
    return a.value.some((v) => b.value.includes(v)) ? both : new Set([false]);
  }
  const parts = args.map((c) => conditionOutcomes(model, c, depth + 1));
  if (fn === 'Fn::Not' && parts.length === 1) return new Set([...parts[0]].map((o) => !o));
  if (fn === 'Fn::And' && parts.length > 0) {
    return new Set([
      ...(parts.every((p) => p.has(true)) ? [true] : []),
      ...(parts.some((p) => p.has(false)) ? [false] : []),
    ]);
  }
  if (fn === 'Fn::Or' && parts.length > 0) {
    return new Set([
      ...(parts.some((p) => p.has(true)) ? [true] : []),
      ...(parts.every((p) => p.has(false)) ? [false] : []),
    ]);
  }
  return both;
}

function parameterValues(model: TemplateModel, name: string): Resolved<string[]> {
  const p = model.parameters[name];
  if (Array.isArray(p.AllowedValues)) return { known: true, value: p.AllowedValues.map(String) };
  for (const rule of Object.values(model.rules)) {
    if (rule.RuleCondition !== undefined) continue;
    for (const assertion of Array.isArray(rule.Assertions) ? rule.Assertions : []) {
      const each = isObject(assertion) && isObject(assertion.Assert) ? assertion.Assert['Fn::EachMemberIn'] : undefined;
      if (Array.isArray(each) && model.parameterOf(each[0]) === name && Array.isArray(each[1])) {
        return { known: true, value: each[1].map(String) };
      }
    }
  }
  return { known: false, because: `parameter '${name}' (no AllowedValues or template rule limits it)` };
}

/** Members of a list expression: a list parameter, a literal list, or a split of joined lists with padding. */
function selectableMembers(model: TemplateModel, list: unknown): Resolved<string[]> {
  if (Array.isArray(list)) {
    const members = list.map((m) => possibleValues(model, m));
    const unknown = members.find((m) => !m.known);
    return unknown ?? { known: true, value: [...new Set(members.flatMap((m) => (m as { value: string[] }).value))] };
  }
  const parameter = model.parameterOf(list);
  if (parameter) return parameterValues(model, parameter);
  if (isObject(list) && Array.isArray(list['Fn::Split']) && list['Fn::Split'].length === 2) {
    const [separator, source] = list['Fn::Split'];
    const pieces = joinedPieces(model, source, separator);
    return pieces;
  }
  return { known: false, because: describe(list) };
}

/** Values a `Fn::Join` can produce, seen as the pieces a later `Fn::Split` on `separator` yields. */
function joinedPieces(model: TemplateModel, value: unknown, separator: string): Resolved<string[]> {
  if (typeof value === 'string') return { known: true, value: value.split(separator) };
  if (isObject(value) && Array.isArray(value['Fn::Join']) && value['Fn::Join'].length === 2) {
    const [, parts] = value['Fn::Join'];
    if (!Array.isArray(parts)) return selectableMembers(model, parts);
    const all = parts.map((p: unknown) => joinedPieces(model, p, separator));
    const unknown = all.find((p) => !p.known);
    if (unknown) return unknown;
    return { known: true, value: [...new Set([...all.flatMap((p) => (p as { value: string[] }).value), ''])] };
  }
  return selectableMembers(model, value);
}
