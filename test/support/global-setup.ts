import { ensurePythonTools } from './python-tools';
import { setup } from './temporary-directory';

/**
 * Before any worker starts: one temporary folder for the run, the project's Python tools (created on first use), and
 * the run's synth of the built-in configuration that most test files read (test/support/synth-cache.ts).
 */
export default async function globalSetup(): Promise<void> {
  await setup();
  // aws-cdk-lib's built-in CloudFormation validation (a WebAssembly engine, about 2.5 s per synth) is left to the real
  // `cdk synth` of the test command and to the tests that run the app as a child (they restore it): in-process test
  // synths, which cfn-lint and the packs judge, skip it.
  process.env.CDK_VALIDATION = 'false';
  ensurePythonTools();
  const { synthesizeCatalog } = await import('./project-app');
  process.env.HARDENED_EKS_DEFAULT_CATALOG = synthesizeCatalog().outdir;
}
