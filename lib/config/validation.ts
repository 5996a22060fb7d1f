/**
 * Small validators for platform configuration read from `cdk.json` context.
 * Every failure names the field (as a dotted path) and the rule it broke, so a
 * platform engineer can fix `cdk.json` without reading code.
 */
export class ConfigError extends Error {
  constructor(readonly field: string, readonly rule: string) {
    super(`Invalid configuration at '${field}': ${rule}`);
    this.name = 'ConfigError';
  }
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function expectObject(value: unknown, field: string, allowedKeys: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(field, 'must be an object');
  }
  for (const key of Object.keys(value)) {
    if (!allowedKeys.includes(key)) {
      throw new ConfigError(`${field}.${key}`, `unknown key (allowed: ${allowedKeys.join(', ')})`);
    }
  }
  return value as Record<string, unknown>;
}

export function expectString(value: unknown, field: string, pattern?: RegExp, description?: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new ConfigError(field, 'must be a non-empty string');
  if (pattern && !pattern.test(value)) {
    throw new ConfigError(field, `'${value}' is not ${description ?? `a match for ${pattern}`}`);
  }
  return value;
}

export function expectBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new ConfigError(field, 'must be true or false');
  return value;
}

export function expectInteger(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(field, `must be a whole number from ${min} to ${max}`);
  }
  return value;
}

export function expectArray<T>(
  value: unknown, field: string, item: (v: unknown, f: string) => T, opts: { minItems?: number; maxItems?: number } = {},
): T[] {
  if (!Array.isArray(value)) throw new ConfigError(field, 'must be a list');
  if (opts.minItems !== undefined && value.length < opts.minItems) {
    throw new ConfigError(field, opts.minItems === 1 ? 'must not be empty' : `needs at least ${opts.minItems} entries`);
  }
  if (opts.maxItems !== undefined && value.length > opts.maxItems) {
    throw new ConfigError(field, `takes at most ${opts.maxItems} entries`);
  }
  const items = value.map((v, i) => item(v, `${field}[${i}]`));
  const seen = new Set<string>();
  items.forEach((v, i) => {
    const key = JSON.stringify(v);
    if (seen.has(key)) throw new ConfigError(`${field}[${i}]`, `duplicates an earlier entry (${key})`);
    seen.add(key);
  });
  return items;
}

export const patterns = {
  accountId: /^\d{12}$/,
  organizationId: /^o-[a-z0-9]{10,32}$/,
  organizationalUnitId: /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/,
  organizationTarget: /^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/,
  region: /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/,
  iamRoleArn: /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]{1,512}$/,
  // No account; wildcards only in the path and name (Service Catalog's IAM_PATTERN).
  iamPrincipalPattern: /^arn:aws[a-z-]*:iam:::(role|user|group)\/[\w+=,.@\/*?-]{1,900}$/,
  vpcEndpointId: /^vpce-[0-9a-f]{8,17}$/,
  bucketName: /^(?!xn--)(?!\d+\.\d+\.\d+\.\d+$)(?!.*(\.\.|\.-|-\.))[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
  kubernetesVersion: /^1\.\d{2}$/,
  namespace: /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
  instanceType: /^[a-z][a-z0-9-]*\.[a-z0-9]+$/,
  semanticVersion: /^v\d+\.\d+\.\d+$/,
  productFolder: /^[a-z0-9][a-z0-9-]{0,62}$/,
  tagKey: /^[\w.:/=+@ -]{1,128}$/,
};

/** An IPv4 CIDR block with a valid address, prefix length within bounds, and no host bits set. */
export function expectCidr(value: unknown, field: string, minPrefix = 8): string {
  const cidr = expectString(value, field);
  const octet = '(0|[1-9]\\d{0,2})';
  const match = new RegExp(`^${octet}\\.${octet}\\.${octet}\\.${octet}\\/(0|[1-9]\\d?)$`).exec(cidr);
  if (!match) throw new ConfigError(field, `'${cidr}' is not an IPv4 CIDR block like 10.0.0.0/16`);
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) throw new ConfigError(field, `'${cidr}' is not a valid IPv4 CIDR block`);
  if (prefix < minPrefix) {
    throw new ConfigError(field, `'${cidr}' is too wide: the prefix must be /${minPrefix} or longer (0.0.0.0/0 and other open ranges are refused)`);
  }
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const hostBits = 2 ** (32 - prefix);
  if (address % hostBits !== 0) throw new ConfigError(field, `'${cidr}' has host bits set; did you mean the network address?`);
  return cidr;
}
