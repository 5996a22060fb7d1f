/**
 * eks-threat-model check: runs the EKS threat-model pack on CloudFormation templates (JSON or YAML).
 *
 *   eks-threat-model check <template, directory or glob> [more…] [--aws-solutions] [--out <dir>] [--jobs <n>]
 *
 * Exit codes: 0 clean, 1 violations (unacknowledged failures), 2 unreadable or invalid input.
 */
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { evaluateTemplate } from '../core/evaluate';
import { ThreatModelRule } from '../core/rule';
import { isObject } from '../core/template-model';
import type { RecordedEvaluation } from '../eks-threat-model-pack';
import { acknowledgementReason, Exemption, isoDay, loadExemptions } from '../exemptions/register';
import { approvalStatus, ApprovalStatus, loadMatrixApproval, MATRIX_APPROVAL_FILE, MatrixApprovalError } from '../matrix/approval';
import { packageFile } from '../package-root';
import { ALL_RULES } from '../rules';
import { rulesById, threatsOf } from '../reports/matrix-report';
import { CONTROLS_MATRIX_JSON, CONTROLS_MATRIX_MD, THREAT_MODEL_SARIF, writeThreatModelReports } from '../reports/write';
import type { AwsSolutionsFinding } from './aws-solutions';
import { CheckedInput, checkInputs, EvaluateFile, InputContext } from './check-inputs';
import { displayPath, expandInputs } from './inputs';

export type { AwsSolutionsFinding } from './aws-solutions';

export const USAGE = `Usage: eks-threat-model check <template> [more…] [--aws-solutions] [--exemptions <register.yaml>] [--out <dir>] [--jobs <n>]

Runs the EksThreatModel rule pack on CloudFormation templates (JSON, or YAML with short forms such as !Ref) and
prints the findings. A template argument may also be a directory, for its *.json, *.yaml, *.yml and *.template
files (subfolders included; files there that are not templates are skipped), or a quoted glob ('infra/**/*.yaml').
With --out it writes controls-matrix.md, controls-matrix.json and threat-model.sarif, and per template
its security view (data-flow.md with a Mermaid diagram, data-flow.svg) and ownership matrix (ownership.md, .json)
under security-views/.

Options:
  --aws-solutions   also run cdk-nag's AwsSolutions pack (the template is loaded with CfnInclude)
  --exemptions <f>  an exemption register (the format of nag-rules/exemptions.yaml) whose entries, by rule and
                    logical ID, waive EksThreatModel findings; expired or unapproved entries are refused
  --out <dir>       write the reports there (without it nothing is written)
  --jobs <n>        templates checked at once, each thread one (default: the machine's cores)
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

/** What one template gave. */
export interface TemplateCheck {
  readonly file: string;
  /** The name the reports use for the template (its path as given, relative to the working directory). */
  readonly name: string;
  readonly evaluations: readonly RecordedEvaluation[];
  readonly awsSolutions?: readonly AwsSolutionsFinding[];
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
    const acknowledged = entry ? acknowledgementReason(entry) : undefined;
    return {
      ...evaluation,
      stackName: name,
      constructPath: typeof cdkPath === 'string' ? cdkPath : evaluation.logicalId,
      ...(acknowledged !== undefined ? { acknowledged } : {}),
    };
  });
}

/** What `check` runs on each template, in whichever thread loaded it. */
export const evaluateWithThePack: EvaluateFile = (template, name, exemptions) => evaluateTemplateFile(template, name, ALL_RULES, exemptions);

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
    return approvalStatus(loadMatrixApproval(packageFile(path.basename(MATRIX_APPROVAL_FILE))));
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
        out: { type: 'string', short: 'o' },
        jobs: { type: 'string', short: 'j' },
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

  let exemptions: Exemption[] = [];
  if (values.exemptions !== undefined) {
    try {
      exemptions = loadExemptions(path.resolve(cwd, values.exemptions));
      const today = isoDay();
      const refused = exemptions.flatMap((e, i) => [
        ...(e.expires < today ? [`exemptions[${i}] (${e.rule} on ${e.resource}): expired on ${e.expires}`] : []),
        ...(e.approvedBy.trim() === '' ? [`exemptions[${i}] (${e.rule} on ${e.resource}): has no approver (approvedBy)`] : []),
      ]);
      if (refused.length) throw new Error(refused.join('; '));
    } catch (error) {
      io.stderr(`error: ${values.exemptions}: ${(error as Error).message}`);
      return 2;
    }
  }

  const jobs = values.jobs === undefined ? os.availableParallelism() : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) {
    io.stderr(`error: --jobs: '${values.jobs}' is not a positive whole number`);
    return 2;
  }

  // Load and judge everything first: an unusable input stops the run before anything is printed or written.
  const expanded = expandInputs(files, cwd);
  const context: InputContext = { exemptions, keepTemplate: values.out !== undefined || values['aws-solutions'] };
  const outcomes = checkInputs(expanded.inputs, context, jobs, evaluateWithThePack);
  const problems = [...expanded.problems, ...outcomes.flatMap((o) => ('problem' in o ? [o.problem] : []))];
  const loaded = outcomes.filter((o): o is CheckedInput => 'evaluations' in o);
  if (problems.length === 0 && loaded.length === 0) problems.push(`${files.join(' ')}: no CloudFormation template among the files found`);
  if (problems.length) {
    for (const problem of problems) io.stderr(`error: ${problem}`);
    return 2;
  }
  const skipped = outcomes.length - loaded.length;

  const rules = rulesById(ALL_RULES);
  const checks: TemplateCheck[] = [];
  let inputError = false;
  for (const { file, name, template, evaluations } of loaded) {
    let awsSolutions: AwsSolutionsFinding[] | undefined;
    if (values['aws-solutions']) {
      try {
        // Loaded only here: aws-cdk-lib and cdk-nag take longer to load than the pack takes to judge a template.
        const { checkAwsSolutions } = require('./aws-solutions') as typeof import('./aws-solutions');
        awsSolutions = checkAwsSolutions(template!);
      } catch (error) {
        io.stderr(`error: ${name}: AwsSolutions could not load the template with CfnInclude: ${(error as Error).message.split('\n')[0]}`);
        inputError = true;
      }
    }
    const check: TemplateCheck = { file, name, evaluations, ...(awsSolutions ? { awsSolutions } : {}) };
    checks.push(check);
    printCheck(check, rules, io);
  }

  const evaluations = checks.flatMap((c) => c.evaluations);
  const out = values.out === undefined ? undefined : path.resolve(cwd, values.out);
  const written = out === undefined ? undefined : writeThreatModelReports(out, evaluations, {
    approval: packApproval(io),
    securityViews: 'all',
    stacks: checks.map((c) => c.name),
    templateFiles: Object.fromEntries(checks.map((c) => [c.name, c.file])),
    templates: Object.fromEntries(loaded.map((l) => [l.name, l.template!])),
  });

  const failing = evaluations.filter((e) => e.status === 'fail');
  const open = failing.filter((e) => e.acknowledged === undefined);
  const unresolved = open.filter((e) => e.findings.some((f) => f.unresolved));
  const awsFindings = checks.reduce((n, c) => n + (c.awsSolutions?.length ?? 0), 0);
  if (skipped > 0) io.stdout(`Skipped ${skipped} file(s) found in a directory or by a pattern that are not CloudFormation templates.`);
  io.stdout('');
  io.stdout(`${checks.length} template(s): ${open.length} EksThreatModel violation(s)${unresolved.length ? ` (${unresolved.length} unresolved)` : ''}, `
    + `${failing.length - open.length} acknowledged${values['aws-solutions'] ? `, ${awsFindings} AwsSolutions finding(s)` : ''}.`);
  if (out !== undefined && written !== undefined) {
    io.stdout(`Reports: ${[CONTROLS_MATRIX_MD, CONTROLS_MATRIX_JSON, THREAT_MODEL_SARIF].map((f) => displayPath(path.join(out, f), cwd)).join(', ')}`);
    for (const view of written.views) {
      io.stdout(`Security view of ${view.name}: ${[view.files.markdown, view.files.svg, view.files.ownershipMarkdown].map((f) => displayPath(f, cwd)).join(', ')}`);
    }
  }
  if (inputError) return 2;
  return open.length > 0 || awsFindings > 0 ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
