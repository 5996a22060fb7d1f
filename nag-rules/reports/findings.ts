import { RuleKind, RuleLevel, ThreatModelRule } from '../core/rule';
import type { TemplateRejection } from '../core/cloudformation-spec';
import type { RecordedEvaluation } from '../eks-threat-model-pack';
import { Control, CONTROLS } from '../matrix/controls';
import { threatsOf } from './matrix-report';

/** The rule ID under which a template CloudFormation would reject is reported. */
export const INVALID_TEMPLATE_RULE = 'CloudFormation-Invalid';

/** How a finding counts against `--fail-on`: unresolved findings are their own class, whatever the rule's level. */
export type Severity = RuleLevel | 'unresolved';

/** One AwsSolutions finding on a checked template. */
export interface AwsSolutionsFinding {
  readonly ruleId: string;
  readonly level: RuleLevel;
  readonly logicalId: string;
  readonly message: string;
}

/** What one template gave. */
export interface TemplateCheck {
  readonly file: string;
  /** The name the reports use for the template (its path as given, relative to the working directory). */
  readonly name: string;
  readonly evaluations: readonly RecordedEvaluation[];
  readonly awsSolutions?: readonly AwsSolutionsFinding[];
  /** What CloudFormation would reject (unknown types, unsupported properties, values of the wrong type). */
  readonly rejections?: readonly TemplateRejection[];
}

/** One line of the text report: a rule's finding on a resource of a template. */
export interface Finding {
  readonly template: string;
  readonly ruleId: string;
  readonly controlId?: string;
  readonly logicalId: string;
  readonly resourceType?: string;
  readonly level: RuleLevel;
  readonly kind: RuleKind | 'invalid-template' | 'aws-solutions';
  readonly severity: Severity;
  readonly threats: readonly string[];
  readonly cisEks: readonly string[];
  readonly nist80053: readonly string[];
  readonly message: string;
  readonly unresolved: boolean;
  /** Set when an approved exemption waives it: the exemption's reason. */
  readonly acknowledged?: string;
}

/** Every finding of the checked templates, in the order the text report prints them. */
export function findingsOf(
  checks: readonly TemplateCheck[],
  rules: ReadonlyMap<string, ThreatModelRule>,
  controls: readonly Control[] = CONTROLS,
): Finding[] {
  return checks.flatMap((check) => [
    ...(check.rejections ?? []).map(
      (r): Finding => ({
        template: check.name,
        ruleId: INVALID_TEMPLATE_RULE,
        logicalId: r.logicalId,
        resourceType: r.resourceType,
        level: 'error',
        kind: 'invalid-template',
        severity: 'error',
        threats: [],
        cisEks: [],
        nist80053: [],
        unresolved: false,
        message: `CloudFormation would reject this resource: ${r.message}`,
      }),
    ),
    ...check.evaluations
      .filter((e) => e.status === 'fail')
      .flatMap((e) => {
        const rule = rules.get(e.ruleId);
        const control = controls.find((c) => c.id === e.controlId);
        const level = rule?.level ?? 'error';
        const findings = e.findings.length ? e.findings : [{ message: 'non-compliant', unresolved: false }];
        return findings.map(
          (f): Finding => ({
            template: check.name,
            ruleId: e.ruleId,
            controlId: e.controlId,
            logicalId: e.logicalId,
            resourceType: e.resourceType,
            level,
            kind: rule?.kind ?? 'misconfiguration',
            severity: f.unresolved ? 'unresolved' : level,
            threats: threatsOf(e, rules as Map<string, ThreatModelRule>, controls),
            cisEks: control?.cisEks ?? [],
            nist80053: control?.nist80053 ?? [],
            message: f.message,
            unresolved: f.unresolved === true,
            ...(e.acknowledged !== undefined ? { acknowledged: e.acknowledged } : {}),
          }),
        );
      }),
    ...(check.awsSolutions ?? []).map(
      (f): Finding => ({
        template: check.name,
        ruleId: f.ruleId,
        logicalId: f.logicalId,
        level: f.level,
        kind: 'aws-solutions',
        severity: f.level,
        threats: [],
        cisEks: [],
        nist80053: [],
        message: f.message,
        unresolved: false,
      }),
    ),
  ]);
}

/** What the summary line counts: the findings printed, by severity, and those acknowledged. */
export interface FindingTotals {
  readonly templates: number;
  readonly open: number;
  readonly error: number;
  readonly warning: number;
  readonly unresolved: number;
  readonly acknowledged: number;
  /** Open findings that fail the run under the `--fail-on` chosen. */
  readonly failing: number;
}

export function totalsOf(
  templates: number,
  findings: readonly Finding[],
  fails: (severity: Severity) => boolean,
): FindingTotals {
  const open = findings.filter((f) => f.acknowledged === undefined);
  return {
    templates,
    open: open.length,
    error: open.filter((f) => f.severity === 'error').length,
    warning: open.filter((f) => f.severity === 'warning').length,
    unresolved: open.filter((f) => f.severity === 'unresolved').length,
    acknowledged: findings.length - open.length,
    failing: open.filter((f) => fails(f.severity)).length,
  };
}

/** The text report's line for one finding. */
export function findingLine(f: Finding): string[] {
  if (f.kind === 'invalid-template') return [`  INVALID ${f.logicalId} ${f.resourceType} ${f.message}`];
  if (f.kind === 'aws-solutions') return [`  FAIL ${f.ruleId} ${f.level} ${f.logicalId} ${f.message}`];
  const status = f.acknowledged !== undefined ? 'ACK ' : 'FAIL';
  const lines = [
    `  ${status} ${f.ruleId} ${f.level} ${f.logicalId} [${f.threats.join(', ')}] ${f.unresolved ? '[unresolved] ' : ''}${f.message}`,
  ];
  if (f.acknowledged !== undefined) lines.push(`       acknowledged: ${f.acknowledged}`);
  return lines;
}

/** The summary line: what was printed, and what fails the run. */
export function summaryLine(totals: FindingTotals, profile: string, failOn: string, awsSolutions?: number): string {
  return (
    `${totals.templates} template(s), profile ${profile}: ${totals.open} finding(s) (${totals.error} error, ${totals.warning} warning, ` +
    `${totals.unresolved} unresolved), ${totals.acknowledged} acknowledged; ${totals.failing} fail the run (--fail-on ${failOn})` +
    `${awsSolutions !== undefined ? `; ${awsSolutions} of them AwsSolutions finding(s)` : ''}.`
  );
}
