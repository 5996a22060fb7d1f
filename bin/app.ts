import * as fs from 'fs';
import * as path from 'path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AccountBaselineStack } from '../lib/baseline/account-baseline-stack';
import { CatalogStack } from '../lib/catalog/catalog-stack';
import { CONFIG_CONTEXT_KEY, parseCatalogConfig } from '../lib/config/catalog-config';
import { ConfigError } from '../lib/config/validation';
import { EksThreatModelChecks, RecordedEvaluation } from '../nag-rules/eks-threat-model-pack';
import { AppliedExemptions, applyExemptions, ExemptionError, loadExemptions } from '../nag-rules/exemptions/register';
import { ApprovalStatus, loadMatrixApproval, MATRIX_APPROVAL_FILE, MatrixApprovalError, requireApprovedMatrix } from '../nag-rules/matrix/approval';
import { ExemptionDetail, writeThreatModelReports } from '../nag-rules/reports';

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
  const catalog = new CatalogStack(app, 'HardenedEksCatalog', {
    config,
    description: 'Service Catalog portfolio of hardened Amazon EKS products',
  });
  // Optional: deployed once per account and region where no organization-wide service already provides it.
  new AccountBaselineStack(app, 'HardenedEksAccountBaseline', {
    ...config.accountBaseline,
    description: 'Account baseline for hardened EKS products: GuardDuty EKS protection, AWS Config recorder, ECR enhanced scanning',
  });
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app),
    new EksThreatModelChecks(app, { onValidated: writeReports }),
  );
  // Before synth: each approved entry becomes an acknowledgement; an acknowledge() of the pack's rules in code is refused.
  const register = path.relative(process.cwd(), EXEMPTIONS_FILE);
  exemptions = applyExemptions(app, loadExemptions(register), new Date(), register);
  app.synth();
  writeOrganizationGuardrails(app.outdir, catalog);
} catch (error) {
  if (error instanceof ConfigError || error instanceof ExemptionError || error instanceof MatrixApprovalError) {
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

/** Policies the products ask the organization's management account to apply (e.g. the admin-API SCP). */
function writeOrganizationGuardrails(outdir: string, catalog: CatalogStack): void {
  const dir = path.join(outdir, 'organization');
  fs.mkdirSync(dir, { recursive: true });
  for (const { definition, settings, folder } of catalog.products) {
    for (const [name, document] of Object.entries(definition.organizationPolicies?.(settings) ?? {})) {
      fs.writeFileSync(path.join(dir, `${folder}.${name}`), `${JSON.stringify(document, null, 2)}\n`);
    }
  }
}
