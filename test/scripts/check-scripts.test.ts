import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

/** A project tree holding the checker, its configuration and the given files; .venv is the project's own. */
function treeWith(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'check-scripts-'));
  for (const file of [
    'scripts/check-scripts.sh',
    'scripts/python-tools.sh',
    'requirements-dev.txt',
    'ruff.toml',
    '.ci/run',
  ]) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, file), path.join(root, file));
  }
  fs.symlinkSync(path.join(ROOT, '.venv'), path.join(root, '.venv'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

function check(root: string, env: NodeJS.ProcessEnv = process.env) {
  return spawnSync('bash', [path.join(root, 'scripts', 'check-scripts.sh')], {
    encoding: 'utf8',
    env: { ...env, RUFF_NO_CACHE: 'true' },
  });
}

describe('scripts/check-scripts.sh (ruff and shellcheck in npm test)', () => {
  test('passes a tree whose scripts are clean', () => {
    const run = check(
      treeWith({ 'lib/clean.sh': '#!/bin/sh\necho "$1"\n', 'lib/clean.py': 'import json\n\nprint(json.dumps({}))\n' }),
    );
    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({
      status: 0,
      stdout: '',
      stderr: '',
    });
  });

  test('fails on a shell script shellcheck finds fault with, naming the file and the finding', () => {
    const run = check(treeWith({ 'lib/unquoted.sh': '#!/bin/sh\nrm -rf $1/tmp\n' }));
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('lib/unquoted.sh');
    expect(run.stdout).toContain('SC2086');
  });

  test('fails on a Python script ruff finds fault with, naming the file and the rule', () => {
    const run = check(
      treeWith({
        'lib/step.py': 'import subprocess\n\n\ndef run(command):\n    return subprocess.call(command, shell=True)\n',
      }),
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('lib/step.py');
    expect(run.stdout).toContain('S602');
  });

  test('without shellcheck it stops with one line naming the prerequisite', () => {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'no-shellcheck-'));
    fs.symlinkSync(
      spawnSync('bash', ['-c', 'command -v bash'], { encoding: 'utf8' }).stdout.trim(),
      path.join(bin, 'bash'),
    );
    const run = check(treeWith({}), { PATH: bin });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      'check-scripts: shellcheck not found: it is a prerequisite (README, Set up; Debian/Ubuntu: apt-get install shellcheck)\n',
    );
  });
});
