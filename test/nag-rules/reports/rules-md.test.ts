import * as fs from 'fs';
import * as path from 'path';
import { COMPLIANT, ThreatModelRule } from '../../../nag-rules/core/rule';
import { CONTROLS } from '../../../nag-rules/matrix/controls';
import { ALL_RULES } from '../../../nag-rules/rules';
import { renderRulesMarkdown, RULES_MD_COMMAND } from '../../../nag-rules/reports/rules-md';

const RULES_MD = path.join(__dirname, '..', '..', '..', 'nag-rules', 'RULES.md');

test('nag-rules/RULES.md is what the generator writes from ALL_RULES and CONTROLS', () => {
  const current = fs.existsSync(RULES_MD) ? fs.readFileSync(RULES_MD, 'utf8') : '';
  const expected = renderRulesMarkdown();
  if (current !== expected) {
    throw new Error(
      `nag-rules/RULES.md is ${current ? 'stale' : 'missing'}: regenerate it with \`${RULES_MD_COMMAND}\` and commit it.`,
    );
  }
  expect(current).toBe(expected);
});

describe('renderRulesMarkdown', () => {
  const rule: ThreatModelRule = {
    controlId: 'NET-2',
    threats: ['TH-1', 'EP-2'],
    level: 'error',
    kind: 'misconfiguration',
    description: 'No ingress | on port 22',
    explanation: 'SSH is EP-2.',
    resourceTypes: ['AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress'],
    evaluate: () => COMPLIANT,
  };
  const markdown = renderRulesMarkdown([rule]);

  test('one table row per rule with control, category, level, threats, resource types and what it checks', () => {
    expect(markdown).toContain(
      '| EksThreatModel-NET-2 | NET-2: No ingress on port 22 | preventive | error | misconfiguration | TH-1, EP-2 |  | SC-7, CM-7 | AWS::EC2::SecurityGroup, AWS::EC2::SecurityGroupIngress | No ingress \\| on port 22 | SSH is EP-2. |',
    );
  });

  test('process-only controls with their reason, then the controls without a rule yet', () => {
    for (const control of CONTROLS.filter((c) => c.processOnly))
      expect(markdown).toContain(`| ${control.id}: ${control.title} | ${control.category} |`);
    expect(markdown).toContain('## Controls without a rule yet');
    expect(markdown).toContain('| CLU-1: Kubernetes API endpoint private only | preventive | TH-1, EP-1, PV-1, AC-1 |');
    expect(markdown).toContain(`1 rule(s) check 1 of the ${CONTROLS.length} controls`);
  });

  test('rows follow the matrix order whatever the order of ALL_RULES', () => {
    const ids = [...renderRulesMarkdown([...ALL_RULES].reverse()).matchAll(/^\| (EksThreatModel-[A-Z0-9-]+) \|/gm)].map(
      (m) => m[1],
    );
    const order = CONTROLS.map((c) => `EksThreatModel-${c.id}`);
    expect(ids).toHaveLength(ALL_RULES.length);
    expect([...ids].sort((a, b) => order.indexOf(a) - order.indexOf(b))).toEqual(ids);
  });
});
