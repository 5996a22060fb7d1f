import * as fs from 'fs';
import * as path from 'path';
import { ThreatModelRule } from '../core/rule';
import { cisCoverage, CIS_EKS_BENCHMARK, Framework, RecommendationCoverage } from '../frameworks/frameworks';
import { CONTROLS } from '../matrix/controls';
import type { ApprovalStatus } from '../matrix/approval';
import { Finding, findingLine, findingsOf, summaryLine, TemplateCheck, totalsOf } from '../reports/findings';
import { renderControlsMatrixMarkdown } from '../reports/markdown';
import { buildControlsMatrix, rulesById } from '../reports/matrix-report';
import { buildSarif, SarifOptions } from '../reports/sarif';
import { resourceLines } from '../reports/source-lines';
import {
  CONTROLS_MATRIX_JSON,
  CONTROLS_MATRIX_MD,
  THREAT_MODEL_SARIF,
  writeThreatModelReports,
} from '../reports/write';
import { displayPath } from './inputs';
import { CheckOptions, fails, Format } from './options';

/** The files `--out` gets, per format (markdown also writes the matrix as JSON, the runbooks and the security views). */
export const REPORT_FILES: Readonly<Record<Format, string>> = {
  text: 'eks-threat-model.txt',
  json: 'eks-threat-model.json',
  sarif: THREAT_MODEL_SARIF,
  junit: 'threat-model.junit.xml',
  markdown: CONTROLS_MATRIX_MD,
};

export interface ReportContext {
  readonly checks: readonly TemplateCheck[];
  /** The loaded templates, by the name the reports use. */
  readonly templates: Readonly<Record<string, Record<string, any>>>;
  readonly rules: readonly ThreatModelRule[];
  readonly options: CheckOptions;
  readonly cwd: string;
  readonly approval?: ApprovalStatus;
}

/** A CIS recommendation's coverage, with what the run found on the controls that cover it. */
export interface RecommendationResult extends RecommendationCoverage {
  /** `fail` when a covering control has an open failure, `pass` when they were judged and passed, else `not-evaluated`. */
  readonly result: 'pass' | 'fail' | 'not-evaluated';
}

function frameworkResults(context: ReportContext): RecommendationResult[] {
  const evaluations = context.checks.flatMap((c) => c.evaluations);
  return cisCoverage(CONTROLS, context.rules).map((r) => {
    const mine =
      r.coverage === 'covered'
        ? evaluations.filter((e) => r.controls.includes(e.controlId) && e.status !== 'not-applicable')
        : [];
    const result = mine.some((e) => e.status === 'fail' && e.acknowledged === undefined)
      ? 'fail'
      : mine.length
        ? 'pass'
        : 'not-evaluated';
    return { ...r, result };
  });
}

function frameworkText(framework: Framework, results: readonly RecommendationResult[], profile: string): string[] {
  const count = (coverage: string) => results.filter((r) => r.coverage === coverage).length;
  return [
    `${framework === 'cis-eks' ? CIS_EKS_BENCHMARK.name : framework} (profile ${profile}): ${count('covered')} covered by a rule, ` +
      `${count('process-only')} process-only, ${count('not-covered')} not covered`,
    ...results.map(
      (r) =>
        `  ${r.id.padEnd(6)} ${r.coverage.padEnd(12)} ${r.coverage === 'covered' ? `${r.result.padEnd(13)} ` : ''}${r.title}${r.controls.length ? ` (${r.controls.join(', ')})` : ''}`,
    ),
  ];
}

/** The text report: per template its findings, then the framework coverage asked for, then the summary. */
function textReport(
  context: ReportContext,
  findings: readonly Finding[],
  summary: string,
  frameworks: Partial<Record<Framework, RecommendationResult[]>>,
): string[] {
  const lines: string[] = [];
  const byTemplate = new Map<string, Finding[]>();
  for (const finding of findings) {
    const mine = byTemplate.get(finding.template);
    if (mine) mine.push(finding);
    else byTemplate.set(finding.template, [finding]);
  }
  for (const check of context.checks) {
    let evaluated = 0;
    let failing = 0;
    let open = 0;
    for (const e of check.evaluations) {
      if (e.status === 'not-applicable') continue;
      evaluated++;
      if (e.status !== 'fail') continue;
      failing++;
      if (e.acknowledged === undefined) open++;
    }
    lines.push(check.name);
    if (check.rejections?.length)
      lines.push(`  CloudFormation: ${check.rejections.length} problem(s) it would reject the template for`);
    lines.push(
      `  EksThreatModel: ${evaluated} evaluation(s), ${evaluated - failing} pass, ${open} fail, ${failing - open} acknowledged`,
    );
    const mine = byTemplate.get(check.name) ?? [];
    for (const f of mine.filter((x) => x.kind !== 'aws-solutions')) lines.push(...findingLine(f));
    if (check.awsSolutions) {
      lines.push(`  AwsSolutions: ${check.awsSolutions.length} finding(s)`);
      for (const f of mine.filter((x) => x.kind === 'aws-solutions')) lines.push(...findingLine(f));
    }
  }
  for (const [framework, results] of Object.entries(frameworks))
    lines.push('', ...frameworkText(framework as Framework, results ?? [], context.options.profile));
  lines.push('', summary);
  return lines;
}

function jsonReport(
  context: ReportContext,
  findings: readonly Finding[],
  totals: ReturnType<typeof totalsOf>,
  frameworks: Partial<Record<Framework, RecommendationResult[]>>,
): string {
  return `${JSON.stringify(
    {
      tool: 'eks-threat-model',
      profile: context.options.profile,
      failOn: context.options.failOn,
      templates: context.checks.map((c) => c.name),
      summary: totals,
      findings,
      ...(Object.keys(frameworks).length ? { frameworks } : {}),
    },
    null,
    2,
  )}\n`;
}

/** SARIF locations for the CLI: each resource at its logical ID's line in the template file, URIs relative to the working directory. */
function sarifOptions(context: ReportContext, outdir?: string): SarifOptions {
  const lines = new Map<string, Map<string, number>>();
  for (const check of context.checks) {
    try {
      lines.set(check.name, resourceLines(fs.readFileSync(check.file, 'utf8')));
    } catch {
      lines.set(check.name, new Map());
    }
  }
  const files = Object.fromEntries(context.checks.map((c) => [c.name, c.file]));
  return {
    rules: context.rules,
    sourceRoot: context.cwd,
    ...(outdir ? { outdir } : {}),
    templateFiles: files,
    ...(context.approval ? { approval: context.approval } : {}),
    locate: (e) => ({ file: files[e.stackName], line: lines.get(e.stackName)?.get(e.logicalId) }),
    rejections: Object.fromEntries(context.checks.map((c) => [c.name, c.rejections ?? []])),
  };
}

/**
 * Prints or writes the reports the options ask for and returns the exit code: 1 when a finding fails the run under
 * `--fail-on`, else 0. Without `--out` the one format prints; with it every format is written there and the text
 * report prints.
 */
export function emitReports(context: ReportContext, print: (text: string) => void): number {
  const { options, checks, cwd } = context;
  const ruleMap = rulesById(context.rules);
  const findings = findingsOf(checks, ruleMap);
  const totals = totalsOf(checks.length, findings, (severity) => fails(severity, options.failOn));
  const frameworks: Partial<Record<Framework, RecommendationResult[]>> = Object.fromEntries(
    options.frameworks.map((f) => [f, frameworkResults(context)]),
  );
  const awsSolutions = options.awsSolutions ? findings.filter((f) => f.kind === 'aws-solutions').length : undefined;
  const summary = summaryLine(totals, options.profile, options.failOn, awsSolutions);
  const evaluations = () => checks.flatMap((c) => c.evaluations);
  const matrixOptions = {
    rules: context.rules,
    stacks: checks.map((c) => c.name),
    ...(context.approval ? { approval: context.approval } : {}),
  };
  const render: Record<Format, () => string> = {
    text: () => `${textReport(context, findings, summary, frameworks).join('\n')}\n`,
    json: () => jsonReport(context, findings, totals, frameworks),
    sarif: () => `${JSON.stringify(buildSarif(evaluations(), sarifOptions(context)), null, 2)}\n`,
    // Loaded only when asked for: the XML builder is not needed to print findings.
    junit: () => (require('../reports/junit') as typeof import('../reports/junit')).renderJunit(checks, ruleMap),
    markdown: () => renderControlsMatrixMarkdown(buildControlsMatrix(evaluations(), matrixOptions)),
  };

  if (options.out === undefined) {
    print(render[options.formats[0]]().replace(/\n$/, ''));
    return totals.failing > 0 ? 1 : 0;
  }

  const out = path.resolve(cwd, options.out);
  fs.mkdirSync(out, { recursive: true });
  const written: string[] = [];
  const views: string[] = [];
  for (const format of options.formats) {
    if (format === 'markdown') {
      const result = writeThreatModelReports(out, evaluations(), {
        ...sarifOptions(context, out),
        ...matrixOptions,
        securityViews: 'all',
        templates: context.templates,
        writeSarif: options.formats.includes('sarif'),
        writeJunit: false,
      });
      written.push(CONTROLS_MATRIX_MD, CONTROLS_MATRIX_JSON);
      for (const view of result.views)
        views.push(
          `Security view of ${view.name}: ${[view.files.markdown, view.files.svg, view.files.ownershipMarkdown].map((f) => displayPath(f, cwd)).join(', ')}`,
        );
    } else {
      // With markdown too, the SARIF is written with the matrix (same file, same locations).
      if (format !== 'sarif' || !options.formats.includes('markdown'))
        fs.writeFileSync(path.join(out, REPORT_FILES[format]), render[format]());
      written.push(REPORT_FILES[format]);
    }
  }
  print(render.text().replace(/\n$/, ''));
  print(`Reports: ${written.map((f) => displayPath(path.join(out, f), cwd)).join(', ')}`);
  for (const line of views) print(line);
  return totals.failing > 0 ? 1 : 0;
}
