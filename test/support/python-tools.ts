import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/*
 * The Python tools the checks run (cfn-lint), pinned in requirements-dev.txt and installed by
 * scripts/python-tools.sh into the project's own .venv/ the first time they are needed.
 */

const ROOT = path.join(__dirname, '..', '..');
const REQUIREMENTS = path.join(ROOT, 'requirements-dev.txt');
const VENV_PYTHON = path.join(ROOT, '.venv', 'bin', 'python');

let ensured = false;

/** Creates or updates .venv/ when it does not match requirements-dev.txt; throws with the script's message. */
export function ensurePythonTools(): void {
  if (ensured) return;
  const run = spawnSync('bash', [path.join(ROOT, 'scripts', 'python-tools.sh')], { encoding: 'utf8' });
  if (run.status !== 0) {
    throw new Error(
      `The Python tools could not be provided (scripts/python-tools.sh exited ${run.status ?? run.signal}):\n${run.stderr}${run.stdout}`,
    );
  }
  ensured = true;
}

/**
 * The command that runs a Python tool's console entry point (e.g. `cfnlint.runner:main`) with the project's
 * environment: the entry point rather than the script, which may live in the machine's site-packages.
 */
export function pythonTool(entryPoint: string, name: string): [string, string[]] {
  ensurePythonTools();
  const [module, attribute] = entryPoint.split(':');
  return [
    VENV_PYTHON,
    [
      '-c',
      `import sys; from ${module} import ${attribute}; sys.argv[0] = ${JSON.stringify(name)}; sys.exit(${attribute}())`,
    ],
  ];
}

/** What pins the tools: a digest of requirements-dev.txt (part of the checker cache's key). */
export function pythonToolsVersion(): string {
  return crypto.createHash('sha256').update(fs.readFileSync(REQUIREMENTS)).digest('hex');
}
