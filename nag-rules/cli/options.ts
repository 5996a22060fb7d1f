import { parseArgs } from 'util';
import { RuleKind, ThreatModelRule } from '../core/rule';
import type { Severity } from '../reports/findings';
import { Framework, FRAMEWORKS } from '../frameworks/frameworks';

/** The report formats: printed, or written under `--out`. */
export const FORMATS = ['text', 'json', 'sarif', 'junit', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];

/** Which rules run: `misconfigurations` only what makes a template unsafe; `product` every control of the matrix. */
export const PROFILES = ['misconfigurations', 'product'] as const;
export type Profile = (typeof PROFILES)[number];

/** What fails the run: errors only; errors and warnings; or also findings no rule could judge (unresolved). */
export const FAIL_ON = ['error', 'warning', 'unresolved'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export interface CheckOptions {
  readonly files: readonly string[];
  readonly formats: readonly Format[];
  readonly out?: string;
  readonly profile: Profile;
  readonly failOn: FailOn;
  readonly frameworks: readonly Framework[];
  readonly exemptions?: string;
  readonly awsSolutions: boolean;
  /** Templates checked at once, each thread one (`--jobs`). @default the machine's cores */
  readonly jobs?: number;
  /** DET-7's floor in days, as given (checked by the rule's own option check). @default the rule's default (90) */
  readonly evidenceRetentionDays?: string;
}

/** A command line the CLI cannot run: one line for the user, exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly showUsage = false,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** `--format a,b --format c` → [a, b, c], each once, each known. */
function listOption<T extends string>(
  given: readonly string[] | undefined,
  allowed: readonly T[],
  option: string,
): T[] {
  const values = (given ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  const unknown = values.filter((v) => !(allowed as readonly string[]).includes(v));
  if (unknown.length) throw new UsageError(`unknown ${option} '${unknown[0]}' (one of: ${allowed.join(', ')})`);
  return [...new Set(values)] as T[];
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], option: string, fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`unknown --${option} '${value}' (one of: ${allowed.join(', ')})`);
  return value as T;
}

/** The command line read by Node's own parser; what it refuses is a usage error. */
function parseCheckArgs(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: {
        'aws-solutions': { type: 'boolean', default: false },
        exemptions: { type: 'string' },
        'evidence-retention-days': { type: 'string' },
        jobs: { type: 'string', short: 'j' },
        out: { type: 'string', short: 'o' },
        format: { type: 'string', short: 'f', multiple: true },
        profile: { type: 'string' },
        'fail-on': { type: 'string' },
        framework: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0], true);
  }
}

/**
 * Reads `check`'s arguments (after the command). Without `--out` the reports print to standard output, so only one
 * format may be asked for (default `text`); with `--out` every format asked for (default all) is written there and
 * the text report still prints.
 */
export function parseCheckOptions(args: readonly string[]): CheckOptions | 'help' {
  const parsed = parseCheckArgs(args);
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  const formats = listOption(values.format, FORMATS, 'format');
  if (values.out === undefined && formats.length > 1)
    throw new UsageError(
      `--format ${formats.join(',')}: several formats need --out <dir> (without it the report prints)`,
    );
  return {
    files: positionals,
    formats: formats.length ? formats : values.out === undefined ? ['text'] : [...FORMATS],
    ...(values.out !== undefined ? { out: values.out } : {}),
    profile: oneOf(values.profile, PROFILES, 'profile', 'product'),
    failOn: oneOf(values['fail-on'], FAIL_ON, 'fail-on', 'unresolved'),
    frameworks: listOption(values.framework, FRAMEWORKS, 'framework'),
    ...(values.exemptions !== undefined ? { exemptions: values.exemptions } : {}),
    awsSolutions: values['aws-solutions'] ?? false,
    ...(values.jobs !== undefined ? { jobs: positiveWholeNumber(values.jobs, 'jobs') } : {}),
    ...(values['evidence-retention-days'] !== undefined
      ? { evidenceRetentionDays: values['evidence-retention-days'] }
      : {}),
  };
}

function positiveWholeNumber(value: string, option: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new UsageError(`--${option}: '${value}' is not a positive whole number`);
  return Number(value);
}

/** The rule kinds a profile runs. */
export function profileKinds(profile: Profile): readonly RuleKind[] {
  return profile === 'misconfigurations' ? ['misconfiguration'] : ['misconfiguration', 'missing-control'];
}

export function rulesOfProfile(rules: readonly ThreatModelRule[], profile: Profile): ThreatModelRule[] {
  const kinds = profileKinds(profile);
  return rules.filter((rule) => kinds.includes(rule.kind));
}

/** Whether a finding of this severity fails the run. */
export function fails(severity: Severity, failOn: FailOn): boolean {
  return (
    severity === 'error' ||
    (severity === 'warning' && failOn !== 'error') ||
    (severity === 'unresolved' && failOn === 'unresolved')
  );
}
