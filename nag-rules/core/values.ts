import { isObject, TemplateModel } from './template-model';

/** A value a rule judges: known (a literal), or unknown with what it depends on. */
export type Resolved<T> = { readonly known: true; readonly value: T } | { readonly known: false; readonly because: string };

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
 * The literal a template value holds, or why it cannot be known at synth time. `Fn::If` with equal branches and
 * CloudFormation's literal booleans in string form are understood; anything else that is not a literal is unknown.
 */
export function literal(value: unknown): Resolved<string | number | boolean | null | undefined> {
  if (value === undefined || value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
    return { known: true, value: value as string | number | boolean | null | undefined };
  }
  if (isObject(value) && Array.isArray(value['Fn::If']) && value['Fn::If'].length === 3) {
    const [, a, b] = value['Fn::If'];
    const left = literal(a);
    const right = literal(b);
    if (left.known && right.known && left.value === right.value) return left;
  }
  return { known: false, because: describe(value) };
}

/** Why a value is not a literal, in the words of `literal()`; for a literal, the literal (for `unresolved(…)` messages). */
export function why(value: unknown): string {
  const resolved = literal(value);
  return resolved.known ? JSON.stringify(resolved.value) : resolved.because;
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
export function possibleValues(model: TemplateModel, value: unknown): Resolved<string[]> {
  const lit = literal(value);
  if (lit.known) return { known: true, value: lit.value === undefined || lit.value === null ? [] : [String(lit.value)] };
  if (!isObject(value)) return { known: false, because: describe(value) };
  if (Array.isArray(value['Fn::If']) && value['Fn::If'].length === 3) {
    const branches = [possibleValues(model, value['Fn::If'][1]), possibleValues(model, value['Fn::If'][2])];
    const unknown = branches.find((b) => !b.known);
    if (unknown) return unknown;
    return { known: true, value: [...new Set(branches.flatMap((b) => (b as { value: string[] }).value))] };
  }
  const parameter = model.parameterOf(value);
  if (parameter) return parameterValues(model, parameter);
  if (Array.isArray(value['Fn::Select']) && value['Fn::Select'].length === 2) return selectableMembers(model, value['Fn::Select'][1]);
  return { known: false, because: describe(value) };
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
