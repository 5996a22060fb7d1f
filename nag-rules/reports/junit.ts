import junit from 'junit-report-builder';
import { PACK_NAME, ThreatModelRule } from '../core/rule';
import { Control, CONTROLS } from '../matrix/controls';
import { INVALID_TEMPLATE_RULE, TemplateCheck } from './findings';
import { threatsOf } from './matrix-report';

/**
 * The checks as JUnit XML, as GitHub, GitLab and Jenkins read test reports: one test suite per template, one test case
 * per control and resource the pack judged (`CLU-1 Cluster`, class `EksThreatModel.<template>`). A failing
 * evaluation is a failure whose message starts with the threat IDs; an acknowledged one is skipped (its exemption in
 * the output); a resource CloudFormation would reject is a failure of its own case. Each case carries its control's
 * threat IDs, CIS EKS and NIST SP 800-53 references as properties.
 */
export function renderJunit(
  checks: readonly TemplateCheck[],
  rules: ReadonlyMap<string, ThreatModelRule>,
  controls: readonly Control[] = CONTROLS,
): string {
  const builder = junit.newBuilder().name(PACK_NAME);
  for (const check of checks) {
    const suite = builder.testSuite().name(check.name);
    for (const rejection of check.rejections ?? []) {
      suite
        .testCase()
        .className(`${PACK_NAME}.${check.name}`)
        .file(check.name)
        .name(`${INVALID_TEMPLATE_RULE} ${rejection.logicalId}`)
        .failure(
          `CloudFormation would reject ${rejection.logicalId} (${rejection.resourceType}): ${rejection.message}`,
          INVALID_TEMPLATE_RULE,
        );
    }
    for (const e of check.evaluations.filter((x) => x.status !== 'not-applicable')) {
      const control = controls.find((c) => c.id === e.controlId);
      const rule = rules.get(e.ruleId);
      const threats = threatsOf(e, rules as Map<string, ThreatModelRule>, controls);
      const testCase = suite
        .testCase()
        .className(`${PACK_NAME}.${check.name}`)
        .file(check.name)
        .name(`${e.controlId} ${e.logicalId}`)
        .property('rule', e.ruleId)
        .property('resourceType', e.resourceType)
        .property('level', rule?.level ?? 'error')
        .property('kind', rule?.kind ?? 'misconfiguration')
        .property('threats', threats.join(', '))
        .property('cisEks', (control?.cisEks ?? []).join(', '))
        .property('nist80053', (control?.nist80053 ?? []).join(', '));
      if (e.status !== 'fail') continue;
      const findings = (e.findings.length ? e.findings : [{ message: 'non-compliant', unresolved: false }])
        .map((f) => `${f.unresolved ? '[unresolved] ' : ''}${f.message}`)
        .join('; ');
      const message = `[${threats.join(', ')}] ${e.logicalId}: ${rule?.description ?? e.ruleId}: ${findings}`;
      if (e.acknowledged !== undefined)
        testCase.skipped().standardOutput(`${message}\nacknowledged: ${e.acknowledged}`);
      else testCase.failure(message, e.ruleId);
    }
  }
  return builder.build();
}
