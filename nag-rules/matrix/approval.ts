import * as fs from 'fs';
import { approvedInFuture, checkRecordFields, isMapping, readYaml, RecordField } from '../core/approval-fields';
import {
  digestMatrix,
  digestOfItems,
  matrixChanges,
  matrixContent,
  MatrixDigest,
  MatrixSources,
  matrixVersion,
} from './matrix-content';

/** The SME's sign-off of the controls matrix (`nag-rules/matrix-approval.yaml`): who approved which version. */
export interface MatrixApproval {
  readonly approvedBy: string;
  /** YYYY-MM-DD */
  readonly approvedOn: string;
  readonly ticket: string;
  /** The approved content's digest (`sha256:<hex>`). */
  readonly digest: string;
  /** The approved digest of each item, so that a change can be named. */
  readonly items: Readonly<Record<string, string>>;
}

/** The approval record beside the pack's matrix. */
export const MATRIX_APPROVAL_FILE = 'nag-rules/matrix-approval.yaml';

/** The command that writes a new approval (named in the error that asks for one). */
export const APPROVE_COMMAND = 'npm run approve-matrix -- --approver "<SME>" --ticket <ticket>';

const FIELDS: readonly RecordField[] = [
  { name: 'approvedBy' },
  { name: 'approvedOn', date: true },
  { name: 'ticket' },
  { name: 'digest' },
];
const ITEM_DIGEST = /^[0-9a-f]{16}$/;

/** A record that cannot be used, or a matrix that changed since its approval: one line that names the problem. */
export class MatrixApprovalError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid controls-matrix approval (${source}): ${problems.join('; ')}`);
    this.name = 'MatrixApprovalError';
  }
}

/**
 * Parses and validates an approval record: a mapping with `approvedBy`, `approvedOn` (a real date, not after
 * `today`), `ticket`, `digest` and `items`, the digest the one the items give. Throws one `MatrixApprovalError`
 * naming every field at fault.
 */
export function parseMatrixApproval(
  text: string,
  source = MATRIX_APPROVAL_FILE,
  today: Date | string = new Date(),
): MatrixApproval {
  const { value, problems } = readYaml(text);
  if (problems.length > 0) throw new MatrixApprovalError(source, problems);
  if (!isMapping(value))
    throw new MatrixApprovalError(source, [
      `must be a mapping with the fields ${[...FIELDS.map((f) => f.name), 'items'].join(', ')}`,
    ]);
  const { items, ...fields } = value;
  const values = checkRecordFields(fields, FIELDS, '', problems);
  const future = values.approvedOn ? approvedInFuture(values.approvedOn, today) : undefined;
  if (future) problems.push(`approvedOn: ${future}`);
  if (items === undefined || items === null) problems.push('items: is missing');
  else if (!isMapping(items)) problems.push('items: must be a mapping of item ID to digest');
  else {
    for (const [id, digest] of Object.entries(items)) {
      if (typeof digest !== 'string' || !ITEM_DIGEST.test(digest)) problems.push(`items.${id}: must be 16 hex digits`);
    }
    if (problems.length === 0 && digestOfItems(items as Record<string, string>) !== values.digest) {
      problems.push('digest: does not match items (write the record with the approve-matrix script, not by hand)');
    }
  }
  if (problems.length > 0) throw new MatrixApprovalError(source, problems);
  return {
    approvedBy: values.approvedBy,
    approvedOn: values.approvedOn,
    ticket: values.ticket,
    digest: values.digest,
    items: items as Record<string, string>,
  };
}

/** Reads and parses the approval record. */
export function loadMatrixApproval(file: string, today: Date | string = new Date()): MatrixApproval {
  if (!fs.existsSync(file))
    throw new MatrixApprovalError(file, [
      `the file does not exist; have the SME approve the matrix (${APPROVE_COMMAND})`,
    ]);
  return parseMatrixApproval(fs.readFileSync(file, 'utf8'), file, today);
}

/** The approval next to the matrix it is checked against: what the reports show. */
export interface ApprovalStatus {
  readonly approval: MatrixApproval;
  /** The current matrix's digests. */
  readonly current: MatrixDigest;
  /** What changed since the approval, one phrase per item; empty when the approval covers the current matrix. */
  readonly changes: readonly string[];
}

/** Compares an approval with the current matrix (by default the pack's). */
export function approvalStatus(approval: MatrixApproval, sources: MatrixSources = {}): ApprovalStatus {
  const content = matrixContent(sources);
  const current = digestMatrix(content);
  const changes = current.digest === approval.digest ? [] : matrixChanges(approval.items, current, content);
  return { approval, current, changes };
}

/** The approval status, or a `MatrixApprovalError` naming what changed when the approval does not cover the matrix. */
export function requireApprovedMatrix(
  approval: MatrixApproval,
  source = MATRIX_APPROVAL_FILE,
  sources: MatrixSources = {},
): ApprovalStatus {
  const status = approvalStatus(approval, sources);
  if (status.changes.length > 0) {
    throw new MatrixApprovalError(source, [
      `the controls matrix changed since version ${matrixVersion(approval.digest)} was approved by ${approval.approvedBy} on ${approval.approvedOn} ` +
        `(${approval.ticket}): ${status.changes.join(', ')}. Have the SME approve the new version and commit it (${APPROVE_COMMAND})`,
    ]);
  }
  return status;
}

/** The YAML of an approval of the current matrix (what the approve-matrix script writes). */
export function renderMatrixApproval(
  fields: Pick<MatrixApproval, 'approvedBy' | 'approvedOn' | 'ticket'>,
  digest: MatrixDigest,
): string {
  const quote = (text: string): string => JSON.stringify(text);
  return [
    "# The security SME's sign-off of the controls matrix (nag-rules/matrix/): who approved which version of it.",
    '# Every synth compares the matrix with this record and fails, naming each threat, control or rule that changed,',
    '# until a new approval is committed. Write it with the approve-matrix script (never by hand: the digest covers',
    `# every item): ${APPROVE_COMMAND}`,
    '# The SME approves the pull request that commits it.',
    `approvedBy: ${quote(fields.approvedBy)}`,
    `approvedOn: ${quote(fields.approvedOn)}`,
    `ticket: ${quote(fields.ticket)}`,
    `digest: ${digest.digest}`,
    'items:',
    ...Object.entries(digest.items).map(([id, item]) => `  ${id}: ${quote(item)}`),
    '',
  ].join('\n');
}
