import type { RecordedEvaluation } from '../eks-threat-model-pack';
import { Exemption, isoDay } from './register';

/** How many days before an entry expires the synth and `check --exemptions` warn about it. */
export const EXPIRY_WARNING_DAYS = 30;

const at = (entry: Exemption, index: number) => `exemptions[${index}] (${entry.rule} on ${entry.resource})`;

/** The day `days` after `today`, YYYY-MM-DD. */
function dayAfter(today: string, days: number): string {
  return isoDay(new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000));
}

/** One warning per entry that expires within `EXPIRY_WARNING_DAYS` (and has not yet expired). */
export function expiryWarnings(entries: readonly Exemption[], today: Date | string = new Date()): string[] {
  const day = isoDay(today);
  const horizon = dayAfter(day, EXPIRY_WARNING_DAYS);
  return entries.flatMap((entry, index) =>
    entry.expires >= day && entry.expires <= horizon
      ? [
          `${at(entry, index)} expires on ${entry.expires}, within ${EXPIRY_WARNING_DAYS} days: renew it with the SME or fix the finding`,
        ]
      : [],
  );
}

/** Whether an evaluation is a failure the entry waives: the entry's rule, on the resource it names (or a construct below it). */
export function waives(entry: Exemption, evaluation: RecordedEvaluation, constructPath?: string): boolean {
  if (evaluation.status !== 'fail' || evaluation.ruleId !== entry.rule) return false;
  if (constructPath !== undefined)
    return evaluation.constructPath === constructPath || evaluation.constructPath.startsWith(`${constructPath}/`);
  return evaluation.logicalId === entry.resource || evaluation.constructPath === entry.resource;
}

/**
 * Entries that waive nothing: no failing evaluation of their rule on their resource. An entry whose rule did not run
 * (another profile, or a rule set without it) is not judged. `constructPaths` gives, per entry, the construct the
 * synth applied it to.
 */
export function staleEntries(
  entries: readonly Exemption[],
  evaluations: readonly RecordedEvaluation[],
  rulesRun: ReadonlySet<string>,
  constructPaths: readonly (string | undefined)[] = [],
): string[] {
  return entries.flatMap((entry, index) =>
    rulesRun.has(entry.rule) && !evaluations.some((e) => waives(entry, e, constructPaths[index]))
      ? [
          `${at(entry, index)} waives nothing: ${entry.rule} does not fail on ${entry.resource}; remove the entry (the finding is fixed or the resource is gone)`,
        ]
      : [],
  );
}

/** What `check --exemptions` refuses (expired, unapproved, stale) and warns about (expiring soon). */
export function registerProblems(
  entries: readonly Exemption[],
  evaluations: readonly RecordedEvaluation[],
  rulesRun: ReadonlySet<string>,
  today: Date | string = new Date(),
): { errors: string[]; warnings: string[] } {
  const day = isoDay(today);
  const errors = entries.flatMap((entry, index) => [
    ...(entry.expires < day ? [`${at(entry, index)}: expired on ${entry.expires}`] : []),
    ...(entry.approvedBy.trim() === '' ? [`${at(entry, index)}: has no approver (approvedBy)`] : []),
  ]);
  return {
    errors: [...errors, ...staleEntries(entries, evaluations, rulesRun)],
    warnings: expiryWarnings(entries, day),
  };
}
