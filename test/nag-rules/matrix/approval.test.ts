import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  approvalStatus,
  loadMatrixApproval,
  MATRIX_APPROVAL_FILE,
  MatrixApproval,
  MatrixApprovalError,
  parseMatrixApproval,
  renderMatrixApproval,
  requireApprovedMatrix,
} from '../../../nag-rules/matrix/approval';
import { CONTROLS } from '../../../nag-rules/matrix/controls';
import { digestMatrix, matrixContent, matrixVersion } from '../../../nag-rules/matrix/matrix-content';
import { THREATS } from '../../../nag-rules/matrix/threat-model';
import { ALL_RULES } from '../../../nag-rules/rules';
import { main as approveMatrix } from '../../../scripts/approve-matrix';

const ROOT = path.join(__dirname, '..', '..', '..');
const TODAY = '2026-12-01';
const SIGNED = { approvedBy: 'Jane Doe (security SME)', approvedOn: '2026-11-30', ticket: 'SEC-42' };

/** An approval of the pack's current matrix. */
const currentApproval = (): MatrixApproval =>
  parseMatrixApproval(renderMatrixApproval(SIGNED, digestMatrix(matrixContent())), 'test', TODAY);

/** The one-line message of the MatrixApprovalError a call throws. */
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof MatrixApprovalError) return error.message;
    throw error;
  }
  throw new Error('expected a MatrixApprovalError');
}

describe('the committed approval', () => {
  test('covers the matrix as it is (else every synth fails)', () => {
    const file = path.join(ROOT, MATRIX_APPROVAL_FILE);
    const status = requireApprovedMatrix(loadMatrixApproval(file), file);
    expect(status.changes).toEqual([]);
    expect(status.approval.approvedBy).not.toBe('');
  });
});

describe('a change of the matrix since its approval', () => {
  const approval = currentApproval();
  const withControl = (id: string, change: object) => CONTROLS.map((c) => (c.id === id ? { ...c, ...change } : c));

  test('is named, item by item, in one line', () => {
    const message = errorOf(() =>
      requireApprovedMatrix(approval, 'nag-rules/matrix-approval.yaml', {
        controls: withControl('CLU-7', { title: 'Deletion protection, sometimes' }),
      }),
    );
    expect(message).toContain(
      'Invalid controls-matrix approval (nag-rules/matrix-approval.yaml): the controls matrix changed since version',
    );
    expect(message).toContain(`was approved by Jane Doe (security SME) on 2026-11-30 (SEC-42): control CLU-7 changed.`);
    expect(message).toContain('npm run approve-matrix');
    expect(message).not.toContain('\n');
  });

  test.each([
    [
      "a control's protected IDs",
      { controls: withControl('NET-1', { protects: ['TH-1'] }) },
      ['control NET-1 changed'],
    ],
    [
      'a process-only reason',
      { controls: withControl('DET-4', { processOnly: 'Someone looks at it.' }) },
      ['control DET-4 changed'],
    ],
    [
      "a rule's level",
      { rules: ALL_RULES.map((r) => (r.controlId === 'CLU-3' ? { ...r, level: 'error' as const } : r)) },
      ['control CLU-3 changed'],
    ],
    [
      "a threat's entry points",
      { threats: THREATS.map((t) => (t.id === 'TH-4' ? { ...t, entryPoints: ['EP-1'] } : t)) },
      ['threat TH-4 changed'],
    ],
    ['a new control', { controls: [...CONTROLS, { ...CONTROLS[0], id: 'CLU-99' }] }, ['control CLU-99 added']],
    ['a removed control', { controls: CONTROLS.filter((c) => c.id !== 'COR-1') }, ['control COR-1 removed']],
    [
      'a rule whose control left the matrix',
      { controls: CONTROLS.filter((c) => c.id !== 'CLU-1') },
      ['rule EksThreatModel-CLU-1 added', 'control CLU-1 removed'],
    ],
  ])('%s', (_name, sources, changes) => {
    expect(approvalStatus(approval, sources).changes).toEqual(changes);
    expect(() => requireApprovedMatrix(approval, 'x', sources)).toThrow(MatrixApprovalError);
  });

  test("moving a control's implementation to another file needs no new approval", () => {
    expect(
      approvalStatus(approval, { controls: withControl('CLU-1', { implementedBy: ['lib/elsewhere.ts'] }) }).changes,
    ).toEqual([]);
  });
});

describe('an approval record that cannot be used', () => {
  const valid = renderMatrixApproval(SIGNED, digestMatrix(matrixContent()));
  const parse = (text: string) => errorOf(() => parseMatrixApproval(text, 'approval.yaml', TODAY));

  test('a record written by the script parses, and says which version it approves', () => {
    const approval = parseMatrixApproval(valid, 'approval.yaml', TODAY);
    expect(approval).toMatchObject(SIGNED);
    expect(matrixVersion(approval.digest)).toMatch(/^[0-9a-f]{12}$/);
  });

  test.each([
    [
      'without an approver',
      valid.replace(/^approvedBy: .*\n/m, ''),
      'Invalid controls-matrix approval (approval.yaml): approvedBy: is missing',
    ],
    [
      'without a date',
      valid.replace(/^approvedOn: .*\n/m, ''),
      'Invalid controls-matrix approval (approval.yaml): approvedOn: is missing',
    ],
    ['with an empty ticket', valid.replace(/^ticket: .*$/m, 'ticket: ""'), 'ticket: must not be empty'],
    [
      'with a date that is no date',
      valid.replace(/^approvedOn: .*$/m, 'approvedOn: "2026-02-30"'),
      "approvedOn: '2026-02-30' is not a date written YYYY-MM-DD",
    ],
    [
      'approved in the future',
      valid.replace(/^approvedOn: .*$/m, 'approvedOn: "2027-01-01"'),
      'approvedOn: approvedOn 2027-01-01 is after today (2026-12-01)',
    ],
    ['with an unknown field', `${valid}owner: me\n`, 'owner: unknown field'],
    [
      'with items edited by hand',
      valid.replace(/^( {2}CLU-1: )"[0-9a-f]{16}"$/m, '$1"0000000000000000"'),
      'digest: does not match items',
    ],
    ['without items', valid.slice(0, valid.indexOf('items:')), 'items: is missing'],
    [
      'that is a list',
      '- approvedBy: x\n',
      'must be a mapping with the fields approvedBy, approvedOn, ticket, digest, items',
    ],
    ['that is not YAML', 'approvedBy: a\napprovedBy: b\n', 'not valid YAML'],
  ])('%s is refused in one line naming the field', (_name, text, message) => {
    const error = parse(text);
    expect(error).toContain(message);
    expect(error).not.toContain('\n');
  });

  test('a missing file is refused, saying how to write one', () => {
    expect(errorOf(() => loadMatrixApproval(path.join(os.tmpdir(), 'no-such-approval.yaml')))).toContain(
      'does not exist; have the SME approve the matrix (npm run approve-matrix',
    );
  });
});

describe('the approve-matrix script', () => {
  let dir: string;
  let errors: string[];
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'approve-matrix-'));
    errors = [];
    jest.spyOn(console, 'error').mockImplementation((text: string) => {
      errors.push(text);
    });
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  test('writes an approval of the current matrix that the synth accepts', () => {
    const file = path.join(dir, 'approval.yaml');
    expect(approveMatrix(['--approver', 'Jane Doe', '--ticket', 'SEC-7', '--date', '2026-11-30'], file)).toBe(0);
    const approval = loadMatrixApproval(file, TODAY);
    expect(approval).toMatchObject({ approvedBy: 'Jane Doe', approvedOn: '2026-11-30', ticket: 'SEC-7' });
    expect(requireApprovedMatrix(approval, file).changes).toEqual([]);
  });

  test('without an approver it writes nothing and names the option', () => {
    const file = path.join(dir, 'approval.yaml');
    expect(approveMatrix(['--ticket', 'SEC-7'], file)).toBe(2);
    expect(errors).toEqual(['approve-matrix: --approver: must not be empty']);
    expect(fs.existsSync(file)).toBe(false);
  });
});
