import { isIntrinsic, isNoValue } from '../../core/intrinsics';
import { isObject, TemplateModel } from '../../core/template-model';
import { literal, Resolved } from '../../core/values';

/**
 * Small readers shared by the nodes, network and registry rules (they never throw on odd input).
 */

export { isIntrinsic, isNoValue } from '../../core/intrinsics';

/**
 * The alternatives a value can take once `Fn::If` branches are expanded (recursively). `AWS::NoValue` branches are
 * left out, so a property that may be removed yields fewer alternatives (possibly none).
 */
export function alternatives(value: unknown): unknown[] {
  if (isNoValue(value)) return [];
  if (isObject(value) && Array.isArray(value['Fn::If']) && value['Fn::If'].length === 3) {
    return [...alternatives(value['Fn::If'][1]), ...alternatives(value['Fn::If'][2])];
  }
  return [value];
}

/** Like `alternatives`, but says whether a branch removes the property (`AWS::NoValue`). */
export function mayBeRemoved(value: unknown): boolean {
  if (value === undefined || isNoValue(value)) return true;
  if (isObject(value) && Array.isArray(value['Fn::If']) && value['Fn::If'].length === 3) {
    return mayBeRemoved(value['Fn::If'][1]) || mayBeRemoved(value['Fn::If'][2]);
  }
  return false;
}

/**
 * The members of a list property: every element of every alternative list, with `Fn::If` elements expanded.
 * `unknown` is set when the list itself is an expression that cannot be read (a list parameter, a split…).
 */
export function listMembers(value: unknown): { members: unknown[]; unknown?: unknown } {
  const members: unknown[] = [];
  let unknown: unknown;
  for (const alternative of alternatives(value)) {
    if (Array.isArray(alternative)) alternative.forEach((element) => members.push(...alternatives(element)));
    else if (alternative !== undefined && alternative !== null) unknown ??= alternative;
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
    if (typeof key === 'number' ? !Array.isArray(current) : !isObject(current)) return { known: true, value: undefined };
    current = (current as any)[key];
  }
  return { known: true, value: current };
}

/** The literal at a path (see `at` and `literal`). */
export function literalAt(value: unknown, ...path: (string | number)[]): Resolved<string | number | boolean | null | undefined> {
  const raw = at(value, ...path);
  if (!raw.known) return raw;
  return literal(raw.value);
}

const PSEUDO_PARAMETERS = ['AWS::Region', 'AWS::Partition', 'AWS::AccountId', 'AWS::URLSuffix', 'AWS::StackName', 'AWS::StackId'];

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
  const template = typeof sub === 'string' ? sub : Array.isArray(sub) && typeof sub[0] === 'string' ? sub[0] : undefined;
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

/** Joins names for a message: "a", "a and b", "a, b and c". */
export function listed(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** What an expression depends on, for `unresolved(…)` messages. */
export function dependsOn(value: unknown): string {
  const lit = literal(value);
  return lit.known ? JSON.stringify(value) : lit.because;
}
