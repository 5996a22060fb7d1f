import * as fs from 'fs';
import type { CfnResource } from 'aws-cdk-lib';
import type { IConstruct, MetadataEntry } from 'constructs';
import {
  approvedInFuture,
  checkRecordFields,
  isIsoDate,
  isMapping,
  isoDay,
  readYaml,
  RecordField,
} from '../core/approval-fields';
import { PACK_NAME, ruleId, ThreatModelRule } from '../core/rule';
import { ALL_RULES } from '../rules';

/** One approved exemption of the register (`nag-rules/exemptions.yaml`, threat-model item XM). */
export interface Exemption {
  /** `EksThreatModel-<control ID>` of an existing rule of the pack. */
  readonly rule: string;
  /** A construct path, or the logical ID of a CfnResource in any stack (product stacks included). */
  readonly resource: string;
  readonly reason: string;
  readonly approvedBy: string;
  /** YYYY-MM-DD */
  readonly approvedOn: string;
  /** YYYY-MM-DD: the last day the exemption holds. */
  readonly expires: string;
  readonly ticket: string;
}

export const EXEMPTION_FIELDS = [
  'rule',
  'resource',
  'reason',
  'approvedBy',
  'approvedOn',
  'expires',
  'ticket',
] as const;

/** Every problem found in the register or in the acknowledgements of the app, in one error. */
export class ExemptionError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid exemptions (${source}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ExemptionError';
  }
}

export interface ParseOptions {
  /** Named in error messages. @default 'exemptions.yaml' */
  readonly source?: string;
  /** The rules an entry may name. @default every rule of the pack */
  readonly rules?: readonly ThreatModelRule[];
}

// Re-exported: callers of the register read dates the way the register does.
export { isIsoDate, isoDay };

/** aws-cdk-lib on first use: the `eks-threat-model` command reads registers without loading the CDK. */
function cdk(): typeof import('aws-cdk-lib') {
  return require('aws-cdk-lib');
}

const FIELDS: readonly RecordField[] = EXEMPTION_FIELDS.map((name) => ({
  name,
  date: name === 'approvedOn' || name === 'expires',
}));

/**
 * Parses and validates the register's YAML: a list of entries with exactly the fields of `Exemption`, each a
 * non-empty string, dates real and written YYYY-MM-DD (`approvedOn` not after `expires`), the rule an existing rule
 * of the pack, and no entry twice. Throws one `ExemptionError` listing every problem by entry index and field.
 */
export function parseExemptions(text: string, options: ParseOptions = {}): Exemption[] {
  const source = options.source ?? 'exemptions.yaml';
  const known = new Set((options.rules ?? ALL_RULES).map(ruleId));
  const { value: raw, problems: yamlProblems } = readYaml(text);
  if (yamlProblems.length > 0) throw new ExemptionError(source, yamlProblems);
  // An empty document (only comments) grants nothing: the same as an empty list.
  if (raw === undefined) return [];
  if (!Array.isArray(raw))
    throw new ExemptionError(source, ['the register must be a list of entries (`[]` when there are none)']);

  const problems: string[] = [];
  const entries: Exemption[] = [];
  raw.forEach((item: unknown, index: number) => {
    const at = `exemptions[${index}]`;
    if (!isMapping(item)) {
      problems.push(`${at}: must be a mapping with the fields ${EXEMPTION_FIELDS.join(', ')}`);
      return;
    }
    const before = problems.length;
    const values = checkRecordFields(item, FIELDS, at, problems);
    const text = (field: string) => values[field] ?? '';
    if (isIsoDate(text('approvedOn')) && isIsoDate(text('expires')) && text('expires') < text('approvedOn')) {
      problems.push(`${at}.expires: ${text('expires')} is before approvedOn ${text('approvedOn')}`);
    }
    const rule = text('rule');
    if (rule && !rule.startsWith(`${PACK_NAME}-`))
      problems.push(`${at}.rule: '${rule}' is not a rule of the ${PACK_NAME} pack (${PACK_NAME}-<control ID>)`);
    else if (rule && !known.has(rule)) problems.push(`${at}.rule: '${rule}' is not an existing rule of the pack`);
    if (problems.length > before) return;
    const entry = Object.fromEntries(EXEMPTION_FIELDS.map((f) => [f, text(f)])) as unknown as Exemption;
    const twin = entries.findIndex((e) => e.rule === entry.rule && e.resource === entry.resource);
    if (twin >= 0) problems.push(`${at}: exempts ${entry.rule} on ${entry.resource} again (see the earlier entry)`);
    else entries.push(entry);
  });
  if (problems.length > 0) throw new ExemptionError(source, problems);
  return entries;
}

/** Reads and parses the register file. */
export function loadExemptions(file: string, options: Omit<ParseOptions, 'source'> = {}): Exemption[] {
  if (!fs.existsSync(file))
    throw new ExemptionError(file, ['the exemption register does not exist (it may be an empty list, `[]`)']);
  return parseExemptions(fs.readFileSync(file, 'utf8'), { ...options, source: file });
}

/** The reason an exemption's acknowledgement carries: what a reviewer reads in reports. */
export function acknowledgementReason(entry: Exemption): string {
  return `${entry.reason} (approved by ${entry.approvedBy} on ${entry.approvedOn}, expires ${entry.expires}, ticket ${entry.ticket})`;
}

/** One acknowledgement of a rule of this pack found in the construct tree. */
export interface PackAcknowledgement {
  readonly constructPath: string;
  /** The rule ID, without the namespace the metadata key carries. */
  readonly rule: string;
  readonly reason: string;
  /** Whether the register made it. */
  readonly fromRegister: boolean;
}

/** What `applyExemptions` did: each entry's construct, and every acknowledgement of the pack's rules in the tree. */
export interface AppliedExemptions {
  readonly applied: readonly { readonly entry: Exemption; readonly constructPath: string }[];
  readonly acknowledgements: readonly PackAcknowledgement[];
}

/** The register's entry behind each metadata entry it wrote (a construct's metadata list holds the same entry objects). */
const REGISTER_ENTRIES = new WeakMap<object, Exemption>();

/**
 * Why an entry cannot waive anything on `today` (YYYY-MM-DD): no approver, not a date or expired, approved in the
 * future. Empty when it can.
 */
export function entryRefusals(entry: Exemption, today: string): string[] {
  const refusals: string[] = [];
  if (!entry.approvedBy || entry.approvedBy.trim().length === 0) refusals.push('has no approver (approvedBy)');
  if (!isIsoDate(entry.expires)) refusals.push(`expires '${entry.expires}' is not a date written YYYY-MM-DD`);
  else if (entry.expires < today)
    refusals.push(`expired on ${entry.expires} (today is ${today}); renew it with the SME or remove it`);
  const future = approvedInFuture(entry.approvedOn, today);
  if (future) refusals.push(future);
  return refusals;
}

/** How a refusal or problem names an entry: `exemptions[<index>] (<rule> on <resource>)`. */
function entryLabel(entry: Exemption, index: number): string {
  return `exemptions[${index}] (${entry.rule} on ${entry.resource})`;
}

/** Throws one `ExemptionError` naming every entry that cannot waive anything on `today` (see `entryRefusals`). */
export function assertExemptionsInForce(
  entries: readonly Exemption[],
  today: Date | string = new Date(),
  source = 'exemptions.yaml',
): void {
  const day = isoDay(today);
  const problems = entries.flatMap((entry, index) =>
    entryRefusals(entry, day).map((r) => `${entryLabel(entry, index)}: ${r}`),
  );
  if (problems.length > 0) throw new ExemptionError(source, problems);
}

/**
 * Turns each register entry into an acknowledgement on its construct (plain id form, `Annotation::<rule>`, so cdk-nag
 * filters the finding itself and a remaining warning still fails the synth), then checks that every acknowledgement
 * of a rule of this pack anywhere in the tree came from the register. An entry refused by `entryRefusals`, one whose
 * resource names no construct (or a logical ID found in several stacks), and an acknowledgement written in code are
 * all errors, reported together in one `ExemptionError`.
 */
export function applyExemptions(
  root: IConstruct,
  entries: readonly Exemption[],
  today: Date | string = new Date(),
  source = 'exemptions.yaml',
): AppliedExemptions {
  const day = isoDay(today);
  const problems: string[] = [];
  const applied: { entry: Exemption; constructPath: string }[] = [];
  const all = root.node.findAll();
  entries.forEach((entry, index) => {
    const at = entryLabel(entry, index);
    const before = problems.length;
    problems.push(...entryRefusals(entry, day).map((r) => `${at}: ${r}`));
    const found = findConstruct(all, entry.resource);
    if (found.length === 0)
      problems.push(`${at}: names no construct (neither a construct path nor a resource's logical ID)`);
    else if (found.length > 1) {
      problems.push(
        `${at}: the logical ID is in several stacks (${found.map((c) => c.node.path).join(', ')}); name the construct path`,
      );
    }
    if (problems.length > before) return;
    const construct = found[0];
    const previous = new Set(construct.node.metadata);
    cdk()
      .Validations.of(construct)
      .acknowledge({ id: entry.rule, reason: acknowledgementReason(entry) });
    for (const m of construct.node.metadata) if (!previous.has(m)) REGISTER_ENTRIES.set(m, entry);
    applied.push({ entry, constructPath: construct.node.path });
  });

  const acknowledgements = packAcknowledgements(root);
  for (const a of acknowledgements.filter((x) => !x.fromRegister)) {
    problems.push(
      `${a.constructPath || '<app>'}: acknowledges ${a.rule} in code; a finding of the ${PACK_NAME} pack is waived only by an approved entry of the register`,
    );
  }
  if (problems.length > 0) throw new ExemptionError(source, problems);
  return { applied, acknowledgements };
}

/** Every acknowledgement of a rule of this pack in the tree, and whether the register made it. */
export function packAcknowledgements(root: IConstruct): PackAcknowledgement[] {
  const found: PackAcknowledgement[] = [];
  for (const construct of root.node.findAll()) {
    for (const m of construct.node.metadata as MetadataEntry[]) {
      if (m.type !== cdk().Validations.ACKNOWLEDGED_RULES_METADATA_KEY || typeof m.data !== 'object' || m.data === null)
        continue;
      for (const [key, reason] of Object.entries(m.data as Record<string, unknown>)) {
        const rule = packRuleOf(key);
        if (rule)
          found.push({
            constructPath: construct.node.path,
            rule,
            reason: String(reason),
            fromRegister: REGISTER_ENTRIES.has(m),
          });
      }
    }
  }
  return found;
}

/** An acknowledgement of a rule that covers a construct. */
export interface Acknowledgement {
  /** The reason it carries (for the register's entries, `acknowledgementReason`). */
  readonly reason: string;
  /** The register's entry that made it; absent for an acknowledgement written in code. */
  readonly exemption?: Exemption;
}

/**
 * The acknowledgement of `rule` that covers `node` (on it or an ancestor), if any, with the register's entry when the
 * register made it. Acknowledgements added after the register was applied (e.g. by an Aspect during synth) therefore
 * have no entry, and the pack reports them.
 */
export function acknowledgementOf(node: IConstruct, rule: string): Acknowledgement | undefined {
  for (let scope: IConstruct | undefined = node; scope; scope = scope.node.scope) {
    for (const m of scope.node.metadata as MetadataEntry[]) {
      if (m.type !== cdk().Validations.ACKNOWLEDGED_RULES_METADATA_KEY || typeof m.data !== 'object' || m.data === null)
        continue;
      const data = m.data as Record<string, unknown>;
      const reason = data[`Annotation::${rule}`] ?? data[rule] ?? data[`${PACK_NAME}::${rule}`];
      if (reason === undefined) continue;
      const exemption = REGISTER_ENTRIES.get(m);
      return { reason: String(reason), ...(exemption ? { exemption } : {}) };
    }
  }
  return undefined;
}

/** The pack's rule an acknowledgement key names (`Annotation::EksThreatModel-X`, `EksThreatModel::EksThreatModel-X`, bare), if any. */
function packRuleOf(key: string): string | undefined {
  const separator = key.indexOf('::');
  const namespace = separator >= 0 ? key.slice(0, separator) : undefined;
  const rule = separator >= 0 ? key.slice(separator + 2) : key;
  return rule.startsWith(`${PACK_NAME}-`) || namespace === PACK_NAME ? rule : undefined;
}

/** The construct at a path, else every CfnResource whose resolved logical ID is `resource`. */
function findConstruct(all: readonly IConstruct[], resource: string): IConstruct[] {
  const byPath = all.find((c) => c.node.path === resource && c.node.path !== '');
  if (byPath) return [byPath];
  return all.filter((c) => cdk().CfnResource.isCfnResource(c) && logicalIdOf(c) === resource);
}

function logicalIdOf(resource: CfnResource): string | undefined {
  try {
    const id = cdk().Stack.of(resource).resolve(resource.logicalId);
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

// The register's health checks travel with it (the package's /register entry): stale and expiring entries.
export { expiryWarnings, registerProblems, staleEntries } from './register-health';
