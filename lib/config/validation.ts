import { z } from 'zod';

/**
 * The building blocks of the configuration schemas (zod 4) read from `cdk.json` context, and the one way they are
 * applied (`parseConfig`). Every failure names the field (as a dotted path) and the rule it broke, so a platform
 * engineer can fix `cdk.json` without reading code; each block's rule is also what the generated JSON Schema tells
 * editors (`npm run config-docs`).
 */
export class ConfigError extends Error {
  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super(`Invalid configuration at '${field}': ${rule}`);
    this.name = 'ConfigError';
  }
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Parses `raw` with `schema`; the first problem becomes a ConfigError at `field` followed by the problem's path
 * (`catalog.products[0].settings.corporateCidrs[1]`; `separator` goes between `field` and the first key). An unknown
 * key is reported before anything else.
 */
export function parseConfig<Schema extends z.ZodType>(
  schema: Schema,
  raw: unknown,
  field: string,
  separator = '.',
): z.output<Schema> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues.find((i) => i.code === 'unrecognized_keys') ?? result.error.issues[0];
  const at = (path: readonly PropertyKey[]) => fieldPath(field, path, separator);
  if (issue.code === 'unrecognized_keys') throw new ConfigError(at([...issue.path, issue.keys[0]]), issue.message);
  if (issue.code === 'invalid_key') throw new ConfigError(at(issue.path), issue.issues[0]?.message ?? issue.message);
  throw new ConfigError(at(issue.path), issue.message);
}

function fieldPath(field: string, path: readonly PropertyKey[], separator: string): string {
  return path.reduce<string>(
    (text, key, index) =>
      typeof key === 'number' ? `${text}[${key}]` : `${text}${index === 0 ? separator : '.'}${String(key)}`,
    field,
  );
}

/** An object of exactly these keys; any other key is refused with the list of allowed ones. */
export function configObject<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown key (allowed: ${allowed})` : 'must be an object'),
  });
}

/** A map from keys matching `key` to values of `value`. */
export function configRecord<Key extends z.core.$ZodRecordKey, Value extends z.ZodType>(key: Key, value: Value) {
  return z.record(key, value, { error: 'must be an object' });
}

export function text() {
  return z.string({ error: 'must be a non-empty string' }).min(1, { error: 'must be a non-empty string' });
}

/** A non-empty string matching `pattern`; a mismatch says what was expected (`'x' is not <description>`). */
export function matching(pattern: RegExp, description: string) {
  return text().regex(pattern, { error: (issue) => `'${String(issue.input)}' is not ${description}` });
}

/** A string from a fixed set. */
export function oneOf<const Values extends readonly [string, ...string[]]>(values: Values) {
  return z.enum(values, { error: (issue) => `'${String(issue.input)}' is not one of ${values.join(', ')}` });
}

export function wholeNumber(min: number, max: number) {
  const error = `must be a whole number from ${min} to ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

export function flag() {
  return z.boolean({ error: 'must be true or false' });
}

export interface ListRules {
  readonly minItems?: number;
  readonly maxItems?: number;
  /** What to say when the list is left out, if that is not simply "must be a list". */
  readonly whenMissing?: string;
}

/** A list of `item`s without repeats. */
export function list<Item extends z.ZodType>(item: Item, rules: ListRules = {}) {
  let schema = z.array(item, {
    error: (issue) => (issue.input === undefined && rules.whenMissing ? rules.whenMissing : 'must be a list'),
  });
  if (rules.minItems !== undefined) {
    schema = schema.min(rules.minItems, {
      error: rules.minItems === 1 ? 'must not be empty' : `needs at least ${rules.minItems} entries`,
    });
  }
  if (rules.maxItems !== undefined)
    schema = schema.max(rules.maxItems, { error: `takes at most ${rules.maxItems} entries` });
  return schema.superRefine((items, context) => {
    const seen = new Set<string>();
    items.forEach((value, index) => {
      const key = JSON.stringify(value);
      if (seen.has(key))
        context.addIssue({ code: 'custom', path: [index], message: `duplicates an earlier entry (${key})` });
      seen.add(key);
    });
  });
}

export const patterns = {
  accountId: /^\d{12}$/,
  organizationId: /^o-[a-z0-9]{10,32}$/,
  organizationalUnitId: /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/,
  organizationTarget: /^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/,
  region: /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/,
  iamRoleArn: /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/,
  // No account; wildcards only in the path and name (Service Catalog's IAM_PATTERN).
  iamPrincipalPattern: /^arn:aws[a-z-]*:iam:::(role|user|group)\/[\w+=,.@/*?-]{1,900}$/,
  vpcEndpointId: /^vpce-[0-9a-f]{8,17}$/,
  bucketName: /^(?!xn--)(?!\d+\.\d+\.\d+\.\d+$)(?!.*(\.\.|\.-|-\.))[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
  kubernetesVersion: /^1\.\d{2}$/,
  namespace: /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
  instanceType: /^[a-z][a-z0-9-]*\.[a-z0-9]+$/,
  semanticVersion: /^v\d+\.\d+\.\d+$/,
  productFolder: /^[a-z0-9][a-z0-9-]{0,62}$/,
  tagKey: /^[\w.:/=+@ -]{1,128}$/,
};

const OCTET = '(0|[1-9]\\d{0,2})';
/** The shape of an IPv4 CIDR block; `cidr` checks the numbers. */
const CIDR_SHAPE = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}\\/(0|[1-9]\\d?)$`);

/** An IPv4 CIDR block with a valid address, a prefix of `minPrefix` or longer, and no host bits set. */
export function cidr(minPrefix = 8) {
  return matching(CIDR_SHAPE, 'an IPv4 CIDR block like 10.0.0.0/16').superRefine((value, context) => {
    const match = CIDR_SHAPE.exec(value);
    if (!match) return;
    const octets = match.slice(1, 5).map(Number);
    const prefix = Number(match[5]);
    if (octets.some((o) => o > 255) || prefix > 32) {
      context.addIssue({ code: 'custom', message: `'${value}' is not a valid IPv4 CIDR block` });
    } else if (prefix < minPrefix) {
      context.addIssue({
        code: 'custom',
        message: `'${value}' is too wide: the prefix must be /${minPrefix} or longer (0.0.0.0/0 and other open ranges are refused)`,
      });
    } else if (octets.reduce((acc, o) => acc * 256 + o, 0) % 2 ** (32 - prefix) !== 0) {
      context.addIssue({ code: 'custom', message: `'${value}' has host bits set; did you mean the network address?` });
    }
  });
}
