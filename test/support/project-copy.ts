import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

/** What a copy of the project needs to run the app and the CDK CLI. */
const PROJECT_ENTRIES = ['bin', 'lib', 'products', 'nag-rules', 'cdk.json', 'package.json', 'package-lock.json', 'tsconfig.json'];

/**
 * A throw-away copy of the project in `dir` (created), with node_modules linked: a synth rewrites
 * `products/<folder>/snapshots`, and a test may change the copy's sources, so runs of the app happen there.
 */
export function copyProject(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const entry of PROJECT_ENTRIES) fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}
