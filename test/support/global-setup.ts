import * as path from 'node:path';
import { IN_PROCESS_SYNTH_ENVIRONMENT } from './child-environment';
import { ensurePythonTools } from './python-tools';
import { adoptOutdir, cacheKey } from './synth-cache';
import { setup } from './temporary-directory';

const ROOT = path.join(__dirname, '..', '..');
/** What the app's templates are made of: a synth older than any of these is stale. */
const TEMPLATE_SOURCES = ['bin', 'lib', 'products', 'cdk.json'].map((entry) => path.join(ROOT, entry));

/**
 * Before any worker starts: one temporary folder for the run, the project's Python tools (created on first use), and
 * the run's synth of the built-in configuration that most test files read (test/support/synth-cache.ts). `npm test`
 * synthesizes the app just before jest and names its output in HARDENED_EKS_APP_OUTDIR: that synth is the one read.
 */
export default async function globalSetup(): Promise<void> {
  await setup();
  // aws-cdk-lib's built-in CloudFormation validation (a WebAssembly engine, about 2.5 s per synth) and the bundling of
  // the hub's handlers (esbuild, about a second per hub) are left to the real `cdk synth` of the test command and to
  // the tests that run the app as a child (they restore both): in-process test synths, which cfn-lint and the packs
  // judge, skip them. The workers inherit this environment.
  Object.assign(process.env, IN_PROCESS_SYNTH_ENVIRONMENT);
  ensurePythonTools();
  const { defaultConfig, synthesizeCatalog } = await import('./project-app');
  const appOutdir = process.env.HARDENED_EKS_APP_OUTDIR;
  process.env.HARDENED_EKS_DEFAULT_CATALOG = appOutdir
    ? adoptOutdir(cacheKey(defaultConfig()), appOutdir, TEMPLATE_SOURCES)
    : synthesizeCatalog().outdir;
}
