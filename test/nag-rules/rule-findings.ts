/** Readers of the findings a rule test gets back from the harness. */

/** The messages of an evaluation's findings, in order. */
export function messages(evaluation: { findings: readonly { message: string }[] }): string[] {
  return evaluation.findings.map((f) => f.message);
}

/** The messages of an evaluation's findings, one a line: for matching a part of any of them. */
export function messageLines(evaluation: { findings: readonly { message: string }[] }): string {
  return messages(evaluation).join('\n');
}

/** The whole finding for something the template alone cannot decide: what cannot be checked, and what it depends on. */
export function exactUnresolved(what: string, because: string): { message: string; unresolved: true } {
  return { message: `${what} cannot be checked at synth time: it depends on ${because}`, unresolved: true };
}

/** Matches a finding the template alone cannot decide (with a message matching the pattern, when given). */
export function unresolvedFinding(message?: RegExp): unknown {
  return expect.objectContaining(
    message ? { unresolved: true, message: expect.stringMatching(message) } : { unresolved: true },
  );
}
