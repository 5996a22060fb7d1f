import type { RecordedEvaluation } from '../eks-threat-model-pack';
import type { Exemption } from '../exemptions/register';
import type { RuleFinding } from '../core/rule';
import type { CheckedInput, InputOutcome } from './check-inputs';

/*
 * A template's outcome as a worker thread sends it to the calling thread. Copied as it is, its hundreds of
 * evaluations are as many objects holding the same few strings, each string copied again: the calling thread spent
 * about 0.6 ms taking in each of the workers' templates, and its collector kept busy with what they left. Here each
 * string is sent once, and an evaluation is a row of numbers.
 */

/** The string fields of an evaluation. */
const FIELDS = ['ruleId', 'controlId', 'logicalId', 'resourceType', 'status', 'stackName', 'constructPath'] as const;
/** A row: the string fields (indexes into `strings`), then the evaluation's findings (an index into `findings`, or -1). */
const ROW = FIELDS.length + 1;
const NO_FINDINGS = -1;

interface TransferredEvaluations {
  readonly strings: string[];
  readonly rows: Int32Array;
  /** The findings of the evaluations that have any. */
  readonly findings: (readonly RuleFinding[])[];
  /** The acknowledged evaluations: row, reason and the register's entry. */
  readonly acknowledged: [number, string, Exemption][];
}

/** An outcome as sent between threads: a checked input's evaluations packed, anything else as it is. */
export type TransferredOutcome =
  | (Omit<CheckedInput, 'evaluations'> & { readonly evaluations: TransferredEvaluations })
  | Exclude<InputOutcome, CheckedInput>;

/** Every evaluation without findings shares one list, as the pack's own evaluations do (read-only). */
const SHARED_NO_FINDINGS: readonly RuleFinding[] = Object.freeze([]);

export function packOutcome(outcome: InputOutcome): TransferredOutcome {
  if (!('evaluations' in outcome)) return outcome;
  const strings: string[] = [];
  const indexes = new Map<string, number>();
  const indexOf = (text: string): number => {
    let index = indexes.get(text);
    if (index === undefined) {
      index = strings.push(text) - 1;
      indexes.set(text, index);
    }
    return index;
  };
  const { evaluations } = outcome;
  const rows = new Int32Array(evaluations.length * ROW);
  const findings: (readonly RuleFinding[])[] = [];
  const acknowledged: [number, string, Exemption][] = [];
  for (let row = 0, at = 0; row < evaluations.length; row++) {
    const evaluation = evaluations[row];
    for (const field of FIELDS) {
      // A resource's evaluations follow one another: most fields repeat the row before.
      const text = evaluation[field];
      rows[at] = row > 0 && text === evaluations[row - 1][field] ? rows[at - ROW] : indexOf(text);
      at++;
    }
    rows[at++] = evaluation.findings.length ? findings.push(evaluation.findings) - 1 : NO_FINDINGS;
    // Set together (evaluateTemplateFile): an entry of the register and the reason it gives.
    if (evaluation.exemption !== undefined)
      acknowledged.push([row, evaluation.acknowledged ?? '', evaluation.exemption]);
  }
  return { ...outcome, evaluations: { strings, rows, findings, acknowledged } };
}

export function unpackOutcome(transferred: TransferredOutcome): InputOutcome {
  if (!('evaluations' in transferred)) return transferred;
  const { strings, rows, findings, acknowledged } = transferred.evaluations;
  const evaluations: RecordedEvaluation[] = new Array(rows.length / ROW);
  for (let row = 0, at = 0; row < evaluations.length; row++, at += ROW) {
    // Written out in the order of evaluateTemplateFile's objects: the JSON report lists the fields in this order.
    evaluations[row] = {
      ruleId: strings[rows[at]],
      controlId: strings[rows[at + 1]],
      logicalId: strings[rows[at + 2]],
      resourceType: strings[rows[at + 3]],
      status: strings[rows[at + 4]] as RecordedEvaluation['status'],
      findings: rows[at + 7] === NO_FINDINGS ? SHARED_NO_FINDINGS : findings[rows[at + 7]],
      stackName: strings[rows[at + 5]],
      constructPath: strings[rows[at + 6]],
    };
  }
  for (const [row, reason, exemption] of acknowledged)
    evaluations[row] = { ...evaluations[row], acknowledged: reason, exemption };
  return { ...transferred, evaluations };
}
