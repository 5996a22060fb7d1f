import * as fs from 'fs';
import * as path from 'path';
import {
  ALL_RULES,
  EksThreatModelChecks,
  RecordedEvaluation,
  ruleId,
  satisfiedControls,
} from '@hardened-eks/eks-threat-model';
import {
  ApprovalStatus,
  loadMatrixApproval,
  MATRIX_APPROVAL_FILE,
  MatrixApprovalError,
  requireApprovedMatrix,
} from '@hardened-eks/eks-threat-model/matrix';
import {
  AppliedExemptions,
  applyExemptions,
  assertExemptionsInForce,
  ExemptionError,
  expiryWarnings,
  loadExemptions,
  staleEntries,
} from '@hardened-eks/eks-threat-model/register';
import { writeThreatModelReports } from '@hardened-eks/eks-threat-model/reports';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildCatalogApp } from '../lib/app/catalog-app';
import { CONFIG_CONTEXT_KEY, parseCatalogConfig } from '../lib/config/catalog-config';
import { ConfigError } from '../lib/config/validation';
import { validationErrorLine } from '../lib/errors/construct-validation-error';
import { ProductServiceControlPolicy } from '../lib/organization/service-control-policies';
import {
  assessControlRegressions,
  checkControlRegressions,
  ControlRegressionError,
} from '../lib/release/control-regression';
import { writeReleasesReport } from '../lib/release/releases-report';
import { assessUpgrades, checkUpgrades, UpgradeSafetyError, upgradeWarnings } from '../lib/release/upgrade-assessment';

/** The exemption register (threat-model item XM): the only way a finding of the threat-model pack is waived. */
const EXEMPTIONS_FILE = path.join(__dirname, '..', 'nag-rules', 'exemptions.yaml');
/** The SME's sign-off of the controls matrix: a synth of a matrix changed since then fails. */
const APPROVAL_FILE = path.join(__dirname, '..', MATRIX_APPROVAL_FILE);

const app = new App();
let exemptions: AppliedExemptions = { applied: [], acknowledgements: [] };
let approval: ApprovalStatus | undefined;
try {
  const approvalFile = path.relative(process.cwd(), APPROVAL_FILE);
  approval = requireApprovedMatrix(loadMatrixApproval(approvalFile), approvalFile);
  const config = parseCatalogConfig(app.node.tryGetContext(CONFIG_CONTEXT_KEY));
  // The register's own refusals (a field, an unknown rule, an expired or unapproved entry) come before building the app.
  const register = path.relative(process.cwd(), EXEMPTIONS_FILE);
  const entries = loadExemptions(register);
  assertExemptionsInForce(entries, new Date(), register);
  const stacks = buildCatalogApp(app, config);
  const threatModel = new EksThreatModelChecks(app, { onValidated: writeReports });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), threatModel);
  // Before synth: each approved entry becomes an acknowledgement; an acknowledge() of the pack's rules in code is refused.
  exemptions = applyExemptions(app, entries, new Date(), register);
  for (const warning of expiryWarnings(exemptions.applied.map((a) => a.entry))) console.warn(`${register}: ${warning}`);
  app.synth();
  // An entry that waives nothing is a decision nobody needs any more: the register must say what is waived today.
  const stale = staleEntries(
    exemptions.applied.map((a) => a.entry),
    threatModel.evaluations,
    new Set(ALL_RULES.map(ruleId)),
    exemptions.applied.map((a) => a.constructPath),
  );
  if (stale.length) throw new ExemptionError(register, stale);
  writeServiceControlPolicies(app.outdir, stacks.serviceControlPolicies);
  const upgrades = assessUpgrades(stacks.hubs, app.outdir);
  writeReleasesReport(app.outdir, stacks.hubs, upgrades);
  for (const warning of upgradeWarnings(upgrades)) console.warn(warning);
  checkUpgrades(upgrades);
  // A version with fewer controls than the current one must not stay a choice (issue: no downgrade that removes controls).
  checkControlRegressions(
    assessControlRegressions(stacks.hubs, app.outdir, (template) => satisfiedControls(template, ALL_RULES)),
  );
} catch (error) {
  if (
    error instanceof ConfigError ||
    error instanceof ExemptionError ||
    error instanceof MatrixApprovalError ||
    error instanceof UpgradeSafetyError ||
    error instanceof ControlRegressionError
  ) {
    console.error(error.message);
    process.exit(1);
  }
  // A construct refused a value: its path and property say where, as a configuration error's field does.
  const validationError = validationErrorLine(error);
  if (validationError) {
    console.error(validationError);
    process.exit(1);
  }
  // A rule pack's findings: CDK has already printed the report; say where it is and fail without a stack trace.
  if (error instanceof Error && /^Validation failed/.test(error.message)) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

/**
 * Writes the threat-model reports (controls matrix in Markdown and JSON, SARIF) into the cloud assembly after every
 * validation, whether or not it fails, with the register's entry next to each acknowledged finding (the evaluations
 * carry it) and the matrix's approval.
 */
function writeReports(evaluations: readonly RecordedEvaluation[], outdir: string): void {
  writeThreatModelReports(outdir, evaluations, { approval });
}

/** The products' service control policies as files, for organizations that attach SCPs by other means than the organization stack. */
function writeServiceControlPolicies(outdir: string, policies: ProductServiceControlPolicy[]): void {
  const dir = path.join(outdir, 'organization');
  fs.mkdirSync(dir, { recursive: true });
  for (const { fileName, document } of policies)
    fs.writeFileSync(path.join(dir, fileName), `${JSON.stringify(document, null, 2)}\n`);
}
