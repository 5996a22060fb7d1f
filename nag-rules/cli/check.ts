/**
 * eks-threat-model check: runs the EKS threat-model pack on CloudFormation templates (JSON or YAML).
 *
 *   eks-threat-model check <template> [more…] [--format …] [--out <dir>] [--profile …] [--fail-on …] [--framework cis-eks]
 *
 * Exit codes: 0 nothing fails the run, 1 findings fail it (per --fail-on), 2 unreadable or invalid input or usage.
 */
import * as path from 'path';
import { resourceSpecFor } from '../core/cloudformation-spec';
import { ruleId, ThreatModelRule } from '../core/rule';
import { assertExemptionsInForce, Exemption, loadExemptions } from '../exemptions/register';
import { registerProblems } from '../exemptions/register-health';
import {
  approvalStatus,
  ApprovalStatus,
  loadMatrixApproval,
  MATRIX_APPROVAL_FILE,
  MatrixApprovalError,
} from '../matrix/approval';
import type { AwsSolutionsFinding, TemplateCheck } from '../reports/findings';
import { packageFile } from '../package-root';
import { DEFAULT_EVIDENCE_RETENTION_DAYS } from '../rules/detection/evidence-retention';
import { checkTemplateInput, CheckedInput, EvaluateFile, InputContext, InputOutcome } from './check-inputs';
import { CHECK_WORKER, checkThreads, StartedCheck } from './check-threads';
import { evaluateWithThePack, rulesOfRun } from './evaluate-file';
import { expandInputs, TemplateInput } from './inputs';
import { CheckOptions, parseCheckOptions, UsageError } from './options';
import { TransferredOutcome, unpackOutcome } from './outcome-transfer';
import { emitReports } from './report-output';
import { runInThreads, WorkerPool } from './worker-pool';

export type { AwsSolutionsFinding, TemplateCheck } from '../reports/findings';

export const USAGE = `Usage: eks-threat-model check <template> [more templates…] [options]

Runs the EksThreatModel rule pack on CloudFormation templates (JSON, or YAML with short forms such as !Ref) and
prints what it finds. Report files are written only under --out.

Options:
  --format <f>       text (default), json, sarif, junit, markdown; several (comma-separated or repeated) with --out
  --out <dir>        write the reports of every format asked for (default: all) under <dir>: eks-threat-model.txt,
                     eks-threat-model.json, threat-model.sarif, threat-model.junit.xml, controls-matrix.md (with
                     controls-matrix.json, runbooks/ and each template's security view under security-views/)
  --profile <p>      misconfigurations: only rules that find something unsafe in any template; product (default):
                     also the controls this product's matrix requires (runbooks, alerts, Config rules…)
  --fail-on <l>      error: only errors fail; warning: errors and warnings; unresolved (default): also findings no
                     rule could judge before deployment
  --framework <f>    cis-eks: coverage of each CIS Amazon EKS Benchmark recommendation (covered, process-only, not covered)
  --evidence-retention-days <n>
                     the floor DET-7 holds every log group's retention and every bucket's Object Lock retention
                     and lifecycle expiry to (default: ${DEFAULT_EVIDENCE_RETENTION_DAYS})
  --exemptions <f>   an exemption register (the format of nag-rules/exemptions.yaml) whose entries, by rule and
                     logical ID, waive EksThreatModel findings; expired, unapproved or stale entries are refused,
                     entries expiring within 30 days are warned about
  --aws-solutions    also run cdk-nag's AwsSolutions pack (the template is loaded with CfnInclude)
  --jobs <n>         templates checked at once, each thread one (default: the machine's cores)
  -h, --help         show this help

EksThreatModel findings are waived only by the register given with --exemptions; acknowledgements written into a
template's Metadata (cdk_nag.rules_to_suppress) are honoured for AwsSolutions only. A resource CloudFormation would
reject (unknown type, unsupported property, value of the wrong type) is an error. Exit codes: 0 nothing fails the
run, 1 findings fail it, 2 unreadable or invalid input, or a bad option.`;

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

/**
 * Loads and judges every input, in the order given: spread over threads (this one and workers, as many as `jobs`, one
 * per input at most) when that is more than one, else here. Workers already started (`pool`) are used, or closed.
 */
export function checkInputs(
  inputs: readonly TemplateInput[],
  context: InputContext,
  jobs: number | undefined,
  evaluate: EvaluateFile,
  pool?: WorkerPool,
): InputOutcome[] {
  const runHere = (input: TemplateInput) => checkTemplateInput(input, context, evaluate);
  const threads = checkThreads(jobs, inputs.length);
  if (threads > 1)
    return runInThreads(inputs, {
      threads,
      workerModule: CHECK_WORKER,
      context,
      runHere,
      pool,
      fromWorker: (sent) => unpackOutcome(sent as TransferredOutcome),
    });
  pool?.close();
  return inputs.map(runHere);
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
 * code (0 nothing fails the run, 1 findings fail it, 2 unreadable or invalid input or bad usage). `started`: what
 * `startCheck` read of the same command line (its files, and worker threads the caller closes).
 */
export function main(argv: readonly string[], io: CliIo = processIo, started?: StartedCheck): number {
  const cwd = io.cwd ?? process.cwd();
  const [command, ...args] = argv;
  if (command === '--help' || command === '-h') {
    io.stdout(USAGE);
    return 0;
  }
  let options: CheckOptions | 'help';
  try {
    if (command !== 'check')
      throw new UsageError(command === undefined ? 'no command' : `unknown command '${command}'`, true);
    options = parseCheckOptions(args);
    if (options !== 'help' && options.files.length === 0) throw new UsageError('no template given', true);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(
      `eks-threat-model${command === 'check' ? ' check' : ''}: ${error.message}${error.showUsage ? `\n\n${USAGE}` : ''}`,
    );
    return 2;
  }
  if (options === 'help') {
    io.stdout(USAGE);
    return 0;
  }

  const floor = options.evidenceRetentionDays;
  // The rule checks the floor (one line naming the option); the threads then get the checked number.
  const evidenceRetentionDays = floor === undefined ? undefined : /^\d+$/.test(floor) ? Number(floor) : floor;
  let rules: readonly ThreatModelRule[];
  try {
    rules = rulesOfRun(options.profile, evidenceRetentionDays);
  } catch (error) {
    io.stderr(`error: ${(error as Error).message}`);
    return 2;
  }
  let exemptions: Exemption[] = [];
  if (options.exemptions !== undefined) {
    try {
      const file = path.resolve(cwd, options.exemptions);
      exemptions = loadExemptions(file);
      assertExemptionsInForce(exemptions, new Date(), file);
    } catch (error) {
      io.stderr(`error: ${options.exemptions}: ${(error as Error).message.replace(/\n\s*-?\s*/g, ' ')}`);
      return 2;
    }
  }
  // Load and judge everything first (spread over threads): an unusable input stops the run before any report is written.
  const expanded = started?.expanded ?? expandInputs(options.files, cwd);
  const context: InputContext = {
    exemptions,
    keepTemplate: options.awsSolutions || (options.out !== undefined && options.formats.includes('markdown')),
    profile: options.profile,
    evidenceRetentionDays: evidenceRetentionDays as number | undefined,
  };
  const outcomes = checkInputs(expanded.inputs, context, options.jobs, evaluateWithThePack, started?.pool);
  const problems = [...expanded.problems, ...outcomes.flatMap((o) => ('problem' in o ? [o.problem] : []))];
  const loaded = outcomes.filter((o): o is CheckedInput => 'evaluations' in o);
  if (problems.length === 0 && loaded.length === 0)
    problems.push(`${options.files.join(' ')}: no CloudFormation template among the files found`);
  if (problems.length) {
    for (const problem of problems) io.stderr(`error: ${problem}`);
    return 2;
  }
  const skipped = outcomes.length - loaded.length;
  if (skipped > 0)
    io.stderr(
      `note: skipped ${skipped} file(s) found in a directory or by a pattern that are not CloudFormation templates`,
    );

  // Each thread judged its templates against the specification (core/cloudformation-spec.ts) if it is installed.
  if (!resourceSpecFor([]))
    io.stderr(
      'warning: @aws-cdk/aws-service-spec is not installed: templates are not checked against the CloudFormation resource specification',
    );
  const checks: TemplateCheck[] = [];
  let inputError = false;
  for (const { file, name, template, evaluations, rejections } of loaded) {
    let awsSolutions: AwsSolutionsFinding[] | undefined;
    if (options.awsSolutions && template) {
      try {
        // Loaded only here: aws-cdk-lib and cdk-nag take longer to load than the pack takes to judge a template.
        const { checkAwsSolutions } = require('./aws-solutions') as typeof import('./aws-solutions');
        awsSolutions = checkAwsSolutions(template);
      } catch (error) {
        io.stderr(
          `error: ${name}: AwsSolutions could not load the template with CfnInclude: ${(error as Error).message.split('\n')[0]}`,
        );
        inputError = true;
      }
    }
    checks.push({
      file,
      name,
      evaluations,
      ...(awsSolutions ? { awsSolutions } : {}),
      ...(rejections ? { rejections } : {}),
    });
  }

  if (options.exemptions !== undefined) {
    const register = registerProblems(
      exemptions,
      checks.flatMap((c) => c.evaluations),
      new Set(rules.map(ruleId)),
    );
    for (const warning of register.warnings) io.stderr(`warning: ${options.exemptions}: ${warning}`);
    if (register.errors.length) {
      io.stderr(`error: ${options.exemptions}: ${register.errors.join('; ')}`);
      return 2;
    }
  }

  const code = emitReports(
    {
      checks,
      rules,
      options,
      cwd,
      templates: Object.fromEntries(loaded.flatMap((l) => (l.template ? [[l.name, l.template]] : []))),
      approval: packApproval(io),
    },
    io.stdout,
  );
  return inputError ? 2 : code;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
