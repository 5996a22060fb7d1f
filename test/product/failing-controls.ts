import { evaluateTemplate } from '../../nag-rules/core/evaluate';
import { ALL_RULES } from '../../nag-rules/rules';

/** The control IDs the whole pack fails on a template, each once, sorted. */
export function failingControls(template: Record<string, any>): string[] {
  return [
    ...new Set(
      evaluateTemplate(template, ALL_RULES)
        .filter((e) => e.status === 'fail')
        .map((e) => e.controlId),
    ),
  ].sort();
}
