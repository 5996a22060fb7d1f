import { ruleId, ThreatModelRule } from '../core/rule';
import { Control, CONTROLS } from '../matrix/controls';
import { ALL_RULES } from '../rules';
import { table } from './markdown';
import { CIS_EKS_BENCHMARK, cisCoverage } from '../frameworks/frameworks';

/** The command that regenerates `nag-rules/RULES.md`. */
export const RULES_MD_COMMAND = 'npm run rules-md';

/**
 * `nag-rules/RULES.md`: every rule of the pack (in the matrix's order) with its control, category, level,
 * threat-model IDs, resource types and what it checks; then the controls no rule checks, with the reason.
 */
export function renderRulesMarkdown(
  rules: readonly ThreatModelRule[] = ALL_RULES,
  controls: readonly Control[] = CONTROLS,
): string {
  const order = new Map(controls.map((c, i) => [c.id, i]));
  const sorted = [...rules].sort(
    (a, b) =>
      (order.get(a.controlId) ?? Infinity) - (order.get(b.controlId) ?? Infinity) || ruleId(a).localeCompare(ruleId(b)),
  );
  const checked = new Set(rules.map((r) => r.controlId));
  const processOnly = controls.filter((c) => c.processOnly !== undefined && !checked.has(c.id));
  const pending = controls.filter((c) => c.processOnly === undefined && !checked.has(c.id));
  const unlisted = sorted.filter((r) => !order.has(r.controlId));

  const lines = [
    '# EksThreatModel rules',
    '',
    `<!-- Generated from nag-rules/rules (ALL_RULES) and nag-rules/matrix/controls.ts. Do not edit: run \`${RULES_MD_COMMAND}\`. -->`,
    '',
    `${rules.length} rule(s) check ${checked.size} of the ${controls.length} controls of the controls matrix; ` +
      `${processOnly.length} control(s) are process only${pending.length ? `, ${pending.length} have no rule yet` : ''}. ` +
      'Rule IDs are `EksThreatModel-<control ID>`; errors are preventive controls, warnings the others (both fail a synth).',
    '',
    '## Rules',
    '',
    ...table(
      [
        'rule ID',
        'control',
        'category',
        'level',
        'kind',
        'threat IDs',
        'CIS EKS',
        'NIST 800-53',
        'resource types',
        'what it checks',
        'why',
      ],
      sorted.map((rule) => {
        const control = controls.find((c) => c.id === rule.controlId);
        return [
          ruleId(rule),
          control ? `${control.id}: ${control.title}` : `${rule.controlId} (not in the matrix)`,
          control?.category ?? '',
          rule.level,
          rule.kind,
          rule.threats.join(', '),
          control?.cisEks.join(', ') ?? '',
          control?.nist80053.join(', ') ?? '',
          rule.resourceTypes.join(', '),
          rule.description,
          rule.explanation,
        ];
      }),
    ),
    '',
    '## Process-only controls',
    '',
    'No template can show these; the reason says who checks them instead.',
    '',
    ...table(
      ['control', 'category', 'threat IDs', 'CIS EKS', 'NIST 800-53', 'reason'],
      processOnly.map((c) => [
        `${c.id}: ${c.title}`,
        c.category,
        c.protects.join(', '),
        c.cisEks.join(', '),
        c.nist80053.join(', '),
        c.processOnly ?? '',
      ]),
    ),
    '',
    `## ${CIS_EKS_BENCHMARK.name}: coverage`,
    '',
    `Each recommendation of the benchmark (from kube-bench's \`cfg/eks-1.8.0\`, ${CIS_EKS_BENCHMARK.source.repository} at ${CIS_EKS_BENCHMARK.source.commit.slice(0, 12)}; ` +
      'data file `nag-rules/frameworks/cis-eks-1.8.0.json`) and the controls that cover it: *covered* by a rule of the pack, *process-only*, ' +
      'or *not covered* (`eks-threat-model check --framework cis-eks` prints the same for the rules a run uses). Rules marked ' +
      '*misconfiguration* judge any template; *missing-control* rules ask for a control of this product (`--profile misconfigurations` leaves them out).',
    '',
    ...table(
      ['recommendation', 'title', 'assessment', 'coverage', 'controls'],
      cisCoverage(controls, rules).map((r) => [r.id, r.title, r.assessment, r.coverage, r.controls.join(', ')]),
    ),
    '',
  ];
  if (pending.length) {
    lines.push(
      '## Controls without a rule yet',
      '',
      ...table(
        ['control', 'category', 'threat IDs'],
        pending.map((c) => [`${c.id}: ${c.title}`, c.category, c.protects.join(', ')]),
      ),
      '',
    );
  }
  if (unlisted.length) {
    lines.push('## Rules whose control is not in the matrix', '', ...unlisted.map((r) => `- \`${ruleId(r)}\``), '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
