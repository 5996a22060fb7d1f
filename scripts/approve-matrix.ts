/**
 * Usage: npm run approve-matrix -- --approver "<SME>" --ticket <ticket> [--date YYYY-MM-DD]
 *
 * Writes nag-rules/matrix-approval.yaml: the SME's approval of the controls matrix as it is now (its digest and
 * one digest per threat, control and rule). Commit it in the pull request the SME approves. Exits 2, with one line
 * naming the field, on a missing or invalid value.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import {
  digestMatrix,
  MATRIX_APPROVAL_FILE,
  MatrixApprovalError,
  matrixContent,
  matrixVersion,
  parseMatrixApproval,
  renderMatrixApproval,
} from '@hardened-eks/eks-threat-model/matrix';
import { isoDay } from '@hardened-eks/eks-threat-model/register';

const FILE = path.join(__dirname, '..', MATRIX_APPROVAL_FILE);

export function main(argv: readonly string[], file = FILE): number {
  let values: { approver?: string; ticket?: string; date?: string };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: { approver: { type: 'string' }, ticket: { type: 'string' }, date: { type: 'string' } },
    }));
  } catch (error) {
    console.error(`approve-matrix: ${(error as Error).message}`);
    return 2;
  }
  const digest = digestMatrix(matrixContent());
  const text = renderMatrixApproval(
    { approvedBy: values.approver ?? '', approvedOn: values.date ?? isoDay(), ticket: values.ticket ?? '' },
    digest,
  );
  try {
    // The record is checked exactly as the synth will read it.
    parseMatrixApproval(text, '--approver/--ticket/--date');
  } catch (error) {
    if (!(error instanceof MatrixApprovalError)) throw error;
    const option: Record<string, string> = { approvedBy: '--approver', approvedOn: '--date', ticket: '--ticket' };
    console.error(
      `approve-matrix: ${error.problems.map((p) => p.replace(/^(\w+):/, (all, field: string) => (option[field] ? `${option[field]}:` : all))).join('; ')}`,
    );
    return 2;
  }
  fs.writeFileSync(file, text);
  console.log(
    `Wrote ${path.relative(process.cwd(), file)}: version ${matrixVersion(digest.digest)} approved by ${values.approver} on ${values.date ?? isoDay()} (${values.ticket}).`,
  );
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
