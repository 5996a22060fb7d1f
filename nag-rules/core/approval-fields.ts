import { parseDocument } from 'yaml';

/**
 * Validation shared by the SME's approval records: the exemption register's entries (`nag-rules/exemptions.yaml`)
 * and the sign-off of the controls matrix (`nag-rules/matrix-approval.yaml`). Both are YAML, both carry an
 * approver, dates written YYYY-MM-DD and a ticket, and both report every problem by field.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether a string is a real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return (
    date.getUTCFullYear() === Number(m[1]) &&
    date.getUTCMonth() === Number(m[2]) - 1 &&
    date.getUTCDate() === Number(m[3])
  );
}

/** Today (or a given day) as YYYY-MM-DD, in UTC. */
export function isoDay(day: Date | string = new Date()): string {
  return typeof day === 'string' ? day : day.toISOString().slice(0, 10);
}

/** The YAML document as plain values, or the parser's problems (one line each). `undefined` for a document with only comments. */
export function readYaml(text: string): { value: unknown; problems: string[] } {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0)
    return {
      value: undefined,
      problems: document.errors.map((e) => `not valid YAML: ${e.message.trim().split('\n')[0].replace(/:$/, '')}`),
    };
  return { value: document.toJS() ?? undefined, problems: [] };
}

/** A field of a record: required, a non-empty string, and when `date`, a real date written YYYY-MM-DD. */
export interface RecordField {
  readonly name: string;
  readonly date?: boolean;
}

/**
 * Checks a mapping against its fields: no unknown field, every field present, a non-empty string, dates real.
 * Pushes one problem per field, `<at>.<field>: …` (just `<field>: …` when `at` is empty), onto `problems` and
 * returns the trimmed values of the fields that passed.
 */
export function checkRecordFields(
  o: Record<string, unknown>,
  fields: readonly RecordField[],
  at: string,
  problems: string[],
): Record<string, string> {
  const name = (field: string) => (at ? `${at}.${field}` : field);
  const allowed = fields.map((f) => f.name);
  for (const key of Object.keys(o)) {
    if (!allowed.includes(key)) problems.push(`${name(key)}: unknown field (allowed: ${allowed.join(', ')})`);
  }
  const values: Record<string, string> = {};
  for (const field of fields) {
    const value = o[field.name];
    if (value === undefined || value === null) problems.push(`${name(field.name)}: is missing`);
    else if (typeof value !== 'string') problems.push(`${name(field.name)}: must be a string (got ${describe(value)})`);
    else if (value.trim().length === 0) problems.push(`${name(field.name)}: must not be empty`);
    else values[field.name] = value.trim();
  }
  for (const field of fields.filter((f) => f.date && values[f.name] !== undefined)) {
    if (!isIsoDate(values[field.name])) {
      problems.push(`${name(field.name)}: '${values[field.name]}' is not a date written YYYY-MM-DD`);
      delete values[field.name];
    }
  }
  return values;
}

/** Whether a value is a YAML mapping (not a list, not a scalar). */
export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The problem with an approval date after `today` (an approval cannot come from the future), if there is one. */
export function approvedInFuture(approvedOn: string, today: Date | string): string | undefined {
  const day = isoDay(today);
  return isIsoDate(approvedOn) && approvedOn > day ? `approvedOn ${approvedOn} is after today (${day})` : undefined;
}

function describe(value: unknown): string {
  if (value instanceof Date) return 'a YAML timestamp: quote the date';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `${typeof value} ${JSON.stringify(value)}`;
}
