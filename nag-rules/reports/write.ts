import * as fs from 'fs';
import * as path from 'path';
import type { RecordedEvaluation } from '../eks-threat-model-pack';
import { cisFrameworkMapping } from '../frameworks/frameworks';
import { CONTROLS } from '../matrix/controls';
import { ALL_RULES } from '../rules';
import { buildControlsMatrix, ControlsMatrixReport, ReportOptions, rulesById } from './matrix-report';
import { renderControlsMatrixMarkdown } from './markdown';
import { RUNBOOKS_FOLDER, renderThreatRunbooks } from './runbooks';
import { constructSources } from './construct-sources';
import { buildSarif, SarifLog, SarifOptions } from './sarif';
import { hasCluster, writeProductViews, WrittenProductViews } from './product-views';

export const CONTROLS_MATRIX_MD = 'controls-matrix.md';
export const CONTROLS_MATRIX_JSON = 'controls-matrix.json';
export const THREAT_MODEL_SARIF = 'threat-model.sarif';
export const THREAT_MODEL_JUNIT = 'threat-model.junit.xml';

export interface WriteReportsOptions extends ReportOptions, Pick<SarifOptions, 'sourceRoot' | 'locate'> {
  /**
   * The template file of each stack, by stack name (for SARIF locations). When omitted, templates in `outdir`
   * named after their stack (`<stack>.template.json`, `<stack>.product.template.json`…) are used.
   */
  readonly templateFiles?: Readonly<Record<string, string>>;
  /** Where the templates are, when looking them up by stack name. @default outdir */
  readonly templateDirectory?: string;
  /** The templates themselves, by stack name (for the runbooks), when already loaded. @default - read from the JSON template files */
  readonly templates?: Readonly<Record<string, unknown>>;
  /**
   * Which templates get a security view and an ownership matrix: `products` those with an EKS cluster, `all` every one.
   * @default 'products'
   */
  readonly securityViews?: 'products' | 'all';
  /** Whether `threat-model.sarif` is written. @default true */
  readonly writeSarif?: boolean;
  /** Whether `threat-model.junit.xml` (one test case per control and resource, per stack) is written. @default true */
  readonly writeJunit?: boolean;
}

/** The JSON template files as objects; a file that is not JSON (a YAML template) is left to the caller's `templates`. */
function readJsonTemplates(files: Readonly<Record<string, string>>): Record<string, unknown> {
  const templates: Record<string, unknown> = {};
  for (const [stack, file] of Object.entries(files)) {
    try {
      templates[stack] = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      // not JSON: only `options.templates` can give it
    }
  }
  return templates;
}

export interface WrittenReports {
  readonly report: ControlsMatrixReport;
  readonly sarif: SarifLog;
  /** Absolute paths of the files written. */
  readonly files: {
    readonly markdown: string;
    readonly json: string;
    readonly sarif: string;
    readonly runbooks: readonly string[];
  };
  /** The security view and ownership matrix of each product. */
  readonly views: readonly WrittenProductViews[];
}

/**
 * The template file of each stack the evaluations come from, found in `dir` by name: `<stack>.template.json`,
 * or `<stack>.<anything>.template.json` (a Service Catalog product stack writes `<stack>.product.template.json`).
 */
export function locateTemplateFiles(dir: string, stackNames: readonly string[]): Record<string, string> {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((f) => f.endsWith('.template.json'));
  } catch {
    return {};
  }
  const found: Record<string, string> = {};
  for (const stack of stackNames) {
    const file =
      names.find((f) => f === `${stack}.template.json`) ??
      names.find(
        (f) => f.startsWith(`${stack}.`) && !f.slice(stack.length + 1, -'.template.json'.length).includes('.'),
      );
    if (file) found[stack] = path.join(dir, file);
  }
  return found;
}

/**
 * Writes `controls-matrix.md`, `controls-matrix.json`, `threat-model.sarif`, one runbook per threat
 * (`runbooks/TH-n.md`, from the runbook documents of the evaluated templates) and per product its security view and
 * ownership matrix (`security-views/<stack>/`) under `outdir` (created if needed) from what the pack evaluated. The documents are deterministic: the same evaluations give the same bytes.
 */
export function writeThreatModelReports(
  outdir: string,
  evaluations: readonly RecordedEvaluation[],
  options: WriteReportsOptions = {},
): WrittenReports {
  const dir = path.resolve(outdir);
  fs.mkdirSync(dir, { recursive: true });
  const stacks = [...new Set(evaluations.map((e) => e.stackName))];
  const templateFiles = { ...locateTemplateFiles(options.templateDirectory ?? dir, stacks), ...options.templateFiles };
  const report = buildControlsMatrix(evaluations, {
    ...options,
    frameworks: options.frameworks ?? [cisFrameworkMapping(options.controls ?? CONTROLS)],
  });
  const sarif = buildSarif(evaluations, {
    ...options,
    ...synthLocations(options.templateDirectory ?? dir, options),
    outdir: dir,
    templateFiles,
  });
  const files = {
    markdown: path.join(dir, CONTROLS_MATRIX_MD),
    json: path.join(dir, CONTROLS_MATRIX_JSON),
    sarif: path.join(dir, THREAT_MODEL_SARIF),
  };
  fs.writeFileSync(files.markdown, renderControlsMatrixMarkdown(report));
  fs.writeFileSync(files.json, `${JSON.stringify(report, null, 2)}\n`);
  if (options.writeSarif !== false) fs.writeFileSync(files.sarif, `${JSON.stringify(sarif, null, 2)}\n`);
  if (options.writeJunit !== false) {
    const checks = stacks.map((stack) => ({
      file: templateFiles[stack] ?? stack,
      name: stack,
      evaluations: evaluations.filter((e) => e.stackName === stack),
    }));
    // Loaded only when written: the XML builder is not needed by the `check` command's printed report.
    const { renderJunit } = require('./junit') as typeof import('./junit');
    fs.writeFileSync(
      path.join(dir, THREAT_MODEL_JUNIT),
      renderJunit(checks, rulesById(options.rules ?? ALL_RULES), options.controls ?? CONTROLS),
    );
  }
  const given = options.templates ?? {};
  const templates = {
    ...readJsonTemplates(Object.fromEntries(Object.entries(templateFiles).filter(([stack]) => !(stack in given)))),
    ...given,
  };
  const runbookDir = path.join(dir, RUNBOOKS_FOLDER);
  fs.mkdirSync(runbookDir, { recursive: true });
  const runbooks = Object.entries(renderThreatRunbooks(templates)).map(([name, text]) => {
    fs.writeFileSync(path.join(runbookDir, name), text);
    return path.join(runbookDir, name);
  });
  const drawn = Object.fromEntries(
    Object.entries(templates).filter(([, t]) => options.securityViews === 'all' || hasCluster(t)),
  );
  const views = writeProductViews(dir, drawn, evaluations, options);
  return { report, sarif, files: { ...files, runbooks }, views };
}

/**
 * For reports of a CDK synth (a cloud assembly with a `manifest.json`) without locations of their own: each result at
 * the source line that created its construct (CDK's creation stack traces), URIs relative to the working directory
 * (the app's project root), so code scanning annotates the code a developer wrote rather than the generated template.
 */
function synthLocations(
  assemblyDir: string,
  options: WriteReportsOptions,
): Pick<SarifOptions, 'sourceRoot' | 'locate'> {
  if (options.locate || !fs.existsSync(path.join(assemblyDir, 'manifest.json'))) return {};
  const sources = constructSources(assemblyDir);
  if (sources.size === 0) return {};
  return { sourceRoot: options.sourceRoot ?? process.cwd(), locate: (e) => sources.get(e.constructPath) };
}

/**
 * An `onValidated` hook for `EksThreatModelChecks` that writes the reports at every synth, into the cloud assembly
 * directory or `subdirectory` of it (the templates stay in the assembly directory):
 * `new EksThreatModelChecks(app, { onValidated: threatModelReportsHook('threat-model') })`.
 */
export function threatModelReportsHook(
  subdirectory?: string,
  options: WriteReportsOptions = {},
): (evaluations: readonly RecordedEvaluation[], outdir: string) => void {
  return (evaluations, outdir) => {
    writeThreatModelReports(subdirectory ? path.join(outdir, subdirectory) : outdir, evaluations, {
      templateDirectory: outdir,
      ...options,
    });
  };
}
