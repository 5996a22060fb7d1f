import * as fs from 'fs';
import * as path from 'path';
import { ALL_RULES, EksThreatModelChecks, RecordedEvaluation, satisfiedControls } from '@hardened-eks/eks-threat-model';
import { ApprovalStatus, loadMatrixApproval, MATRIX_APPROVAL_FILE, MatrixApprovalError, requireApprovedMatrix } from '@hardened-eks/eks-threat-model/matrix';
import { AppliedExemptions, applyExemptions, ExemptionError, loadExemptions } from '@hardened-eks/eks-threat-model/register';
import { ExemptionDetail, writeThreatModelReports } from '@hardened-eks/eks-threat-model/reports';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildCatalogApp } from '../lib/app/catalog-app';
import { CONFIG_CONTEXT_KEY, parseCatalogConfig } from '../lib/config/catalog-config';
import { ConfigError } from '../lib/config/validation';
import { ProductServiceControlPolicy } from '../lib/organization/service-control-policies';
import { assessControlRegressions, checkControlRegressions, ControlRegressionError } from '../lib/release/control-regression';
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
  const stacks = buildCatalogApp(app, config);
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app),
    new EksThreatModelChecks(app, { onValidated: writeReports }),
  );
  // Before synth: each approved entry becomes an acknowledgement; an acknowledge() of the pack's rules in code is refused.
  const register = path.relative(process.cwd(), EXEMPTIONS_FILE);
  exemptions = applyExemptions(app, loadExemptions(register), new Date(), register);
  app.synth();
  writeServiceControlPolicies(app.outdir, stacks.serviceControlPolicies);
  const upgrades = assessUpgrades(stacks.hubs, app.outdir);
  writeReleasesReport(app.outdir, stacks.hubs, upgrades);
  for (const warning of upgradeWarnings(upgrades)) console.warn(warning);
  checkUpgrades(upgrades);
  // A version with fewer controls than the current one must not stay a choice (issue: no downgrade that removes controls).
  checkControlRegressions(assessControlRegressions(stacks.hubs, app.outdir, (template) => satisfiedControls(template, ALL_RULES)));
} catch (error) {
  if (error instanceof ConfigError || error instanceof ExemptionError || error instanceof MatrixApprovalError || error instanceof UpgradeSafetyError || error instanceof ControlRegressionError) {
    console.error(error.message);
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
 * validation, whether or not it fails, with the register's details next to each acknowledged finding and the
 * matrix's approval.
 */
function writeReports(evaluations: readonly RecordedEvaluation[], outdir: string): void {
  const details: ExemptionDetail[] = exemptions.applied.map(({ entry, constructPath }) => ({
    ruleId: entry.rule, constructPath, approver: entry.approvedBy, expires: entry.expires, reason: entry.reason, reference: entry.ticket,
  }));
  writeThreatModelReports(outdir, evaluations, { exemptions: details, approval });
}

/** The products' service control policies as files, for organizations that attach SCPs by other means than the organization stack. */
function writeServiceControlPolicies(outdir: string, policies: ProductServiceControlPolicy[]): void {
  const dir = path.join(outdir, 'organization');
  fs.mkdirSync(dir, { recursive: true });
  for (const { fileName, document } of policies) fs.writeFileSync(path.join(dir, fileName), `${JSON.stringify(document, null, 2)}\n`);
}
