/**
 * eks-threat-model check: runs the EKS threat-model pack on CloudFormation templates (JSON or YAML).
 *
 *   eks-threat-model check <template> [more…] [--aws-solutions] [--out <dir>]
 *
 * Exit codes: 0 clean, 1 violations (unacknowledged failures), 2 unreadable or invalid input.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { AwsSolutionsChecks } from 'cdk-nag';
import { evaluateTemplate } from '../core/evaluate';
import { ThreatModelRule } from '../core/rule';
import { isObject } from '../core/template-model';
import type { RecordedEvaluation } from '../eks-threat-model-pack';
import { acknowledgementReason, assertExemptionsInForce, Exemption, loadExemptions } from '../exemptions/register';
import { approvalStatus, ApprovalStatus, loadMatrixApproval, MATRIX_APPROVAL_FILE, MatrixApprovalError } from '../matrix/approval';
import { ALL_RULES } from '../rules';
import { DEFAULT_EVIDENCE_RETENTION_DAYS, withRetentionFloor } from '../rules/detection/evidence-retention';
import { rulesById, threatsOf } from '../reports/matrix-report';
import { CONTROLS_MATRIX_JSON, CONTROLS_MATRIX_MD, THREAT_MODEL_SARIF, writeThreatModelReports } from '../reports/write';
import { loadTemplate, TemplateInputError } from './template-loader';

export const DEFAULT_OUT = 'threat-model-report';

export const USAGE = `Usage: eks-threat-model check <template> [more templates…] [--aws-solutions] [--exemptions <register.yaml>]
                            [--evidence-retention-days <n>] [--out <dir>]

Runs the EksThreatModel rule pack on CloudFormation templates (JSON, or YAML with short forms such as !Ref),
prints the findings and writes controls-matrix.md, controls-matrix.json and threat-model.sarif, and per template
its security view (data-flow.md with a Mermaid diagram, data-flow.svg) and ownership matrix (ownership.md, .json)
under security-views/.

Options:
  --aws-solutions   also run cdk-nag's AwsSolutions pack (the template is loaded with CfnInclude)
  --exemptions <f>  an exemption register (the format of nag-rules/exemptions.yaml) whose entries, by rule and
                    logical ID, waive EksThreatModel findings; expired or unapproved entries are refused
  --evidence-retention-days <n>
                    the floor DET-7 holds every log group's retention and every bucket's Object Lock retention
                    and lifecycle expiry to (default: ${DEFAULT_EVIDENCE_RETENTION_DAYS})
  --out <dir>       where the reports go (default: ${DEFAULT_OUT})
  -h, --help        show this help

EksThreatModel findings are waived only by the register given with --exemptions; acknowledgements written into a
template's Metadata (cdk_nag.rules_to_suppress) are honoured for AwsSolutions only. Exit codes: 0 no violation,
1 violations, 2 unreadable or invalid input.`;

/** Where the CLI writes (tests pass collectors). */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Relative paths are resolved against it. @default process.cwd() */
  readonly cwd?: string;
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
};

/** One AwsSolutions finding on a checked template. */
export interface AwsSolutionsFinding {
  readonly ruleId: string;
  readonly level: 'error' | 'warning';
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
}

/** `rules_to_suppress` of a resource's `cdk_nag` metadata (what cdk-nag writes into templates), by rule ID. */
export function templateAcknowledgements(resource: unknown): Map<string, string> {
  const rules = isObject(resource) && isObject(resource.Metadata) && isObject(resource.Metadata.cdk_nag) ? resource.Metadata.cdk_nag.rules_to_suppress : undefined;
  const found = new Map<string, string>();
  if (Array.isArray(rules)) {
    for (const rule of rules) {
      if (isObject(rule) && typeof rule.id === 'string') found.set(rule.id, typeof rule.reason === 'string' ? rule.reason : '');
    }
  }
  return found;
}

/**
 * Runs the pack's rules on one loaded template, as the reports record them. A failure is acknowledged only by an
 * entry of the exemption register naming its rule and the resource's logical ID (or CDK path).
 */
export function evaluateTemplateFile(template: Record<string, any>, name: string, rules: readonly ThreatModelRule[] = ALL_RULES,
  exemptions: readonly Exemption[] = []): RecordedEvaluation[] {
  return evaluateTemplate(template, rules).map((evaluation) => {
    const resource = template.Resources[evaluation.logicalId];
    const cdkPath = isObject(resource) && isObject(resource.Metadata) ? resource.Metadata['aws:cdk:path'] : undefined;
    const entry = evaluation.status === 'fail'
      ? exemptions.find((e) => e.rule === evaluation.ruleId && (e.resource === evaluation.logicalId || e.resource === cdkPath)) : undefined;
    return {
      ...evaluation,
      stackName: name,
      constructPath: typeof cdkPath === 'string' ? cdkPath : evaluation.logicalId,
      ...(entry ? { acknowledged: acknowledgementReason(entry), exemption: entry } : {}),
    };
  });
}

/**
 * CfnInclude builds EKS resources with `aws-cdk-lib/aws-eks-v2`'s L1 classes, but cdk-nag's EKS rules test
 * `instanceof` the `aws-cdk-lib/aws-eks` ones (the same generated L1s, duplicated in both modules), so they would
 * silently skip every included cluster. Re-point such resources to the `aws-eks` class of the same CloudFormation type.
 */
export function alignEksL1Classes(resource: CfnResource): void {
  if (!resource.cfnResourceType.startsWith('AWS::EKS::')) return;
  const l1: unknown = (eks as unknown as Record<string, unknown>)[`Cfn${resource.cfnResourceType.slice('AWS::EKS::'.length)}`];
  if (typeof l1 !== 'function') return;
  const cls = l1 as (new (...args: never[]) => object) & { CFN_RESOURCE_TYPE_NAME?: string };
  if (cls.CFN_RESOURCE_TYPE_NAME === resource.cfnResourceType && !(resource instanceof cls)) Object.setPrototypeOf(resource, cls.prototype);
}

/**
 * cdk-nag's AwsSolutions pack on a template: the template is loaded into a CDK app with `CfnInclude` and checked with
 * `validateScope`. Acknowledgements in the template's `cdk_nag` metadata are honoured.
 */
export function checkAwsSolutions(template: Record<string, any>): AwsSolutionsFinding[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eks-threat-model-'));
  try {
    const templateFile = path.join(dir, 'template.json');
    fs.writeFileSync(templateFile, JSON.stringify(template));
    const stack = new Stack(new App({ outdir: path.join(dir, 'cdk.out') }), 'Checked');
    const include = new CfnInclude(stack, 'Template', { templateFile });
    const byPath = new Map<string, string>();
    for (const logicalId of Object.keys(template.Resources)) {
      const resource: CfnResource = include.getResource(logicalId);
      alignEksL1Classes(resource);
      byPath.set(resource.node.path, logicalId);
      for (const [id, reason] of templateAcknowledgements(template.Resources[logicalId])) {
        Validations.of(resource).acknowledge({ id, reason: reason || 'acknowledged in the template metadata' });
      }
    }
    const report = new AwsSolutionsChecks().validateScope(stack);
    return report.violations.flatMap((violation) => violation.violatingResources.map((r) => ({
      ruleId: violation.ruleName,
      level: violation.severity === 'error' || violation.severity === 'fatal' ? 'error' as const : 'warning' as const,
      logicalId: byPath.get(r.constructPath ?? '') ?? r.resourceLogicalId ?? r.constructPath ?? '?',
      message: violation.description,
    })));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function displayName(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return (relative.startsWith('..') || path.isAbsolute(relative) ? file : relative).split(path.sep).join('/');
}

function printCheck(check: TemplateCheck, rules: ReturnType<typeof rulesById>, io: CliIo): void {
  const evaluated = check.evaluations.filter((e) => e.status !== 'not-applicable');
  const failing = check.evaluations.filter((e) => e.status === 'fail');
  const open = failing.filter((e) => e.acknowledged === undefined);
  io.stdout(`${check.name}`);
  io.stdout(`  EksThreatModel: ${evaluated.length} evaluation(s), ${evaluated.length - failing.length} pass, ${open.length} fail, ${failing.length - open.length} acknowledged`);
  for (const e of failing) {
    const rule = rules.get(e.ruleId);
    const level = rule?.level ?? 'error';
    const threats = `[${threatsOf(e, rules).join(', ')}]`;
    const findings = e.findings.length ? e.findings : [{ message: 'non-compliant', unresolved: false }];
    for (const finding of findings) {
      const status = e.acknowledged !== undefined ? 'ACK ' : 'FAIL';
      const mark = finding.unresolved ? '[unresolved] ' : '';
      io.stdout(`  ${status} ${e.ruleId} ${level} ${e.logicalId} ${threats} ${mark}${finding.message}`);
    }
    if (e.acknowledged !== undefined) io.stdout(`       acknowledged: ${e.acknowledged}`);
  }
  if (check.awsSolutions) {
    io.stdout(`  AwsSolutions: ${check.awsSolutions.length} finding(s)`);
    for (const f of check.awsSolutions) io.stdout(`  FAIL ${f.ruleId} ${f.level} ${f.logicalId} ${f.message}`);
  }
}

/** The SME's approval of the pack's matrix, for the reports; a record the pack cannot read is a warning here. */
function packApproval(io: CliIo): ApprovalStatus | undefined {
  try {
    return approvalStatus(loadMatrixApproval(path.join(__dirname, '..', '..', MATRIX_APPROVAL_FILE)));
  } catch (error) {
    if (!(error instanceof MatrixApprovalError)) throw error;
    io.stderr(`warning: ${error.message}`);
    return undefined;
  }
}

/**
 * The CLI. `argv` are the arguments after the program name, starting with the command (`check`); returns the exit
 * code (0 clean, 1 violations, 2 unreadable or invalid input or bad usage).
 */
export function main(argv: readonly string[], io: CliIo = processIo): number {
  const cwd = io.cwd ?? process.cwd();
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        'aws-solutions': { type: 'boolean', default: false },
        exemptions: { type: 'string' },
        'evidence-retention-days': { type: 'string' },
        out: { type: 'string', short: 'o', default: DEFAULT_OUT },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    io.stderr(`eks-threat-model: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  const [command, ...files] = positionals;
  if (command !== 'check') {
    io.stderr(`eks-threat-model: ${command === undefined ? 'no command' : `unknown command '${command}'`}\n\n${USAGE}`);
    return 2;
  }
  if (files.length === 0) {
    io.stderr(`eks-threat-model check: no template given\n\n${USAGE}`);
    return 2;
  }

  // Load everything first: an unusable input stops the run before any report is written.
  const loaded: { file: string; name: string; template: Record<string, any> }[] = [];
  const problems: string[] = [];
  for (const given of files) {
    const file = path.resolve(cwd, given);
    try {
      loaded.push({ file, name: displayName(file, cwd), template: loadTemplate(file) });
    } catch (error) {
      problems.push(error instanceof TemplateInputError ? `${given}: ${error.reason}` : `${given}: ${(error as Error).message}`);
    }
  }
  if (problems.length) {
    for (const problem of problems) io.stderr(`error: ${problem}`);
    return 2;
  }

  let exemptions: Exemption[] = [];
  if (values.exemptions !== undefined) {
    try {
      const file = path.resolve(cwd, values.exemptions);
      exemptions = loadExemptions(file);
      assertExemptionsInForce(exemptions, new Date(), file);
    } catch (error) {
      io.stderr(`error: ${values.exemptions}: ${(error as Error).message}`);
      return 2;
    }
  }

  let packRules: readonly ThreatModelRule[];
  try {
    const floor = values['evidence-retention-days'];
    packRules = withRetentionFloor(ALL_RULES, floor === undefined ? undefined : /^\d+$/.test(floor) ? Number(floor) : floor, '--evidence-retention-days');
  } catch (error) {
    io.stderr(`error: ${(error as Error).message}`);
    return 2;
  }
  const rules = rulesById(packRules);
  const checks: TemplateCheck[] = [];
  let inputError = false;
  for (const { file, name, template } of loaded) {
    let awsSolutions: AwsSolutionsFinding[] | undefined;
    if (values['aws-solutions']) {
      try {
        awsSolutions = checkAwsSolutions(template);
      } catch (error) {
        io.stderr(`error: ${name}: AwsSolutions could not load the template with CfnInclude: ${(error as Error).message.split('\n')[0]}`);
        inputError = true;
      }
    }
    const check: TemplateCheck = { file, name, evaluations: evaluateTemplateFile(template, name, packRules, exemptions), ...(awsSolutions ? { awsSolutions } : {}) };
    checks.push(check);
    printCheck(check, rules, io);
  }

  const evaluations = checks.flatMap((c) => c.evaluations);
  const out = path.resolve(cwd, values.out ?? DEFAULT_OUT);
  const written = writeThreatModelReports(out, evaluations, {
    approval: packApproval(io),
    securityViews: 'all',
    stacks: checks.map((c) => c.name),
    templateFiles: Object.fromEntries(checks.map((c) => [c.name, c.file])),
    templates: Object.fromEntries(loaded.map((l) => [l.name, l.template])),
  });

  const failing = evaluations.filter((e) => e.status === 'fail');
  const open = failing.filter((e) => e.acknowledged === undefined);
  const unresolved = open.filter((e) => e.findings.some((f) => f.unresolved));
  const awsFindings = checks.reduce((n, c) => n + (c.awsSolutions?.length ?? 0), 0);
  io.stdout('');
  io.stdout(`${checks.length} template(s): ${open.length} EksThreatModel violation(s)${unresolved.length ? ` (${unresolved.length} unresolved)` : ''}, `
    + `${failing.length - open.length} acknowledged${values['aws-solutions'] ? `, ${awsFindings} AwsSolutions finding(s)` : ''}.`);
  io.stdout(`Reports: ${[CONTROLS_MATRIX_MD, CONTROLS_MATRIX_JSON, THREAT_MODEL_SARIF].map((f) => displayName(path.join(out, f), cwd)).join(', ')}`);
  for (const view of written.views) {
    io.stdout(`Security view of ${view.name}: ${[view.files.markdown, view.files.svg, view.files.ownershipMarkdown].map((f) => displayName(f, cwd)).join(', ')}`);
  }
  if (inputError) return 2;
  return open.length > 0 || awsFindings > 0 ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
