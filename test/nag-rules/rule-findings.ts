/** Readers of the findings a rule test gets back from the harness. */

/** The messages of an evaluation's findings, in order. */
export function messages(evaluation: { findings: readonly { message: string }[] }): string[] {
  return evaluation.findings.map((f) => f.message);
}

/** The messages of an evaluation's findings, one a line: for matching a part of any of them. */
export function messageLines(evaluation: { findings: readonly { message: string }[] }): string {
  return messages(evaluation).join('\n');
}

/** Matches a finding the template alone cannot decide (with a message matching the pattern, when given). */
export function unresolvedFinding(message?: RegExp): unknown {
  return expect.objectContaining(
    message ? { unresolved: true, message: expect.stringMatching(message) } : { unresolved: true },
  );
}
