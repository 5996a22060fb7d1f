import { ensurePythonTools } from './python-tools';
import { setup } from './temporary-directory';

/**
 * Before any worker starts: one temporary folder for the run, the project's Python tools (created on first use), and
 * the run's synth of the built-in configuration that most test files read (test/support/synth-cache.ts).
 */
export default async function globalSetup(): Promise<void> {
  await setup();
  ensurePythonTools();
  const { synthesizeCatalog } = await import('./project-app');
  process.env.HARDENED_EKS_DEFAULT_CATALOG = synthesizeCatalog().outdir;
}
