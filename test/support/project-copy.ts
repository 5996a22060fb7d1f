import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

/** What a copy of the project needs to run the app and the CDK CLI. */
const PROJECT_ENTRIES = [
  'bin',
  'lib',
  'products',
  'nag-rules',
  'cdk.json',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
];

/** The workspace package the app imports by name (nag-rules/): in a copy it must be the copy's own nag-rules. */
const WORKSPACE_SCOPE = '@hardened-eks';
const WORKSPACE_PACKAGE = path.join(WORKSPACE_SCOPE, 'eks-threat-model');

/**
 * A throw-away copy of the project in `dir` (created), with node_modules linked entry by entry (the workspace package
 * pointing at the copy's nag-rules, so a test's change there is what the app runs): a synth rewrites
 * `products/<folder>/snapshots`, and a test may change the copy's sources, so runs of the app happen there.
 */
export function copyProject(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const notBuilt = (source: string) => source !== path.join(ROOT, 'nag-rules', 'dist');
  for (const entry of PROJECT_ENTRIES)
    fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true, filter: notBuilt });
  const modules = path.join(dir, 'node_modules');
  fs.mkdirSync(path.join(modules, WORKSPACE_SCOPE), { recursive: true });
  for (const entry of fs.readdirSync(path.join(ROOT, 'node_modules'))) {
    if (entry !== WORKSPACE_SCOPE)
      fs.symlinkSync(path.join(ROOT, 'node_modules', entry), path.join(modules, entry), 'dir');
  }
  fs.symlinkSync(path.join(dir, 'nag-rules'), path.join(modules, WORKSPACE_PACKAGE), 'dir');
  return dir;
}
