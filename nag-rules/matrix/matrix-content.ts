import { createHash } from 'crypto';
import { ruleId, ThreatModelRule } from '../core/rule';
import { ALL_RULES } from '../rules';
import { Control, CONTROLS } from './controls';
import { Threat, THREATS } from './threat-model';

/**
 * What the SME approves in the controls matrix: every threat (its STRIDE classes, actors, impacts, entry and
 * exfiltration points, techniques and runbook), every control (title, category, the IDs it protects, its CIS EKS
 * and NIST mappings, its process-only reason and owner) with the rules that check it, their levels and kinds. Implementing files and rule
 * wording are left out: moving a file or rewording a message changes no decision.
 */

/** One item of the approved content, by ID (`TH-1`, `CLU-1`, or a rule ID whose control is not in the matrix). */
export type MatrixItem = Readonly<Record<string, unknown>>;

export interface MatrixSources {
  /** @default THREATS */
  readonly threats?: readonly Threat[];
  /** @default CONTROLS */
  readonly controls?: readonly Control[];
  /** @default ALL_RULES */
  readonly rules?: readonly ThreatModelRule[];
}

/** The digest of the matrix's content, and one short digest per item so that a change can be named. */
export interface MatrixDigest {
  /** `sha256:<hex>` of the item digests in ID order: it follows from `items`, so a hand-edited record shows. */
  readonly digest: string;
  /** Item ID → the first 16 hex digits of the item's SHA-256. */
  readonly items: Readonly<Record<string, string>>;
}

const sorted = (values: readonly string[]): string[] => [...values].sort();

const ruleContent = (rule: ThreatModelRule) => ({
  rule: ruleId(rule),
  level: rule.level,
  findingKind: rule.kind,
  threats: sorted(rule.threats),
});

/** The approved content of the matrix, item by item. */
export function matrixContent(sources: MatrixSources = {}): Record<string, MatrixItem> {
  const threats = sources.threats ?? THREATS;
  const controls = sources.controls ?? CONTROLS;
  const rules = sources.rules ?? ALL_RULES;
  const items: Record<string, MatrixItem> = {};
  for (const t of threats) {
    items[t.id] = {
      kind: 'threat',
      title: t.title,
      stride: sorted(t.stride),
      actors: sorted(t.actors),
      impacts: sorted(t.impacts),
      entryPoints: sorted(t.entryPoints),
      exfiltrationPoints: sorted(t.exfiltrationPoints),
      techniques: sorted(t.techniques),
      runbook: [...t.runbook],
    };
  }
  for (const c of controls) {
    items[c.id] = {
      kind: 'control',
      title: c.title,
      category: c.category,
      protects: sorted(c.protects),
      cisEks: sorted(c.cisEks),
      nist80053: sorted(c.nist80053),
      processOnly: c.processOnly ?? null,
      owner: c.owner ?? null,
      rules: rules
        .filter((r) => r.controlId === c.id)
        .map(ruleContent)
        .sort((a, b) => a.rule.localeCompare(b.rule)),
    };
  }
  const listed = new Set(controls.map((c) => c.id));
  for (const rule of rules.filter((r) => !listed.has(r.controlId)))
    items[ruleId(rule)] = { kind: 'rule', ...ruleContent(rule) };
  return items;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The digest of each item, and of all of them. */
export function digestMatrix(content: Readonly<Record<string, MatrixItem>>): MatrixDigest {
  const items = Object.fromEntries(
    Object.keys(content)
      .sort()
      .map((id) => [id, sha256(JSON.stringify(content[id])).slice(0, 16)]),
  );
  return { digest: digestOfItems(items), items };
}

/** The overall digest that a set of item digests gives. */
export function digestOfItems(items: Readonly<Record<string, string>>): string {
  return `sha256:${sha256(
    JSON.stringify(
      Object.keys(items)
        .sort()
        .map((id) => [id, items[id]]),
    ),
  )}`;
}

/** The version the reports show: the first 12 hex digits of the digest. */
export function matrixVersion(digest: string): string {
  return digest.replace(/^sha256:/, '').slice(0, 12);
}

/** What differs between the approved items and the current ones, one phrase per item (`control CLU-3 changed`). */
export function matrixChanges(
  approved: Readonly<Record<string, string>>,
  current: MatrixDigest,
  content: Readonly<Record<string, MatrixItem>>,
): string[] {
  // A removed item is no longer in the content: its ID says what it was.
  const kindOf = (id: string): string =>
    typeof content[id]?.kind === 'string'
      ? (content[id].kind as string)
      : id.startsWith('TH-')
        ? 'threat'
        : id.startsWith('EksThreatModel-')
          ? 'rule'
          : 'control';
  const changes: string[] = [];
  for (const id of Object.keys(current.items).sort()) {
    if (!(id in approved)) changes.push(`${kindOf(id)} ${id} added`);
    else if (approved[id] !== current.items[id]) changes.push(`${kindOf(id)} ${id} changed`);
  }
  for (const id of Object.keys(approved).sort())
    if (!(id in current.items)) changes.push(`${kindOf(id)} ${id} removed`);
  return changes;
}
