import { spawnSync } from 'child_process';
import * as path from 'path';

describe("the runbooks' aws:executeScript steps (runbooks/scripts/*.py)", () => {
  test('the Python unit tests pass (fake EC2 and Auto Scaling: requests built, answers checked, nodes of other clusters refused)', () => {
    const run = spawnSync(
      'python3',
      ['-m', 'unittest', 'discover', '-s', 'test/response', '-p', 'runbook_scripts_test.py', '-v'],
      {
        cwd: path.join(__dirname, '..', '..'),
        encoding: 'utf8',
        env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
        timeout: 60_000,
      },
    );
    expect({ status: run.status, report: run.status === 0 ? 'ok' : run.stderr }).toEqual({ status: 0, report: 'ok' });
    expect(Number(/^Ran (\d+) tests/m.exec(run.stderr)![1])).toBe(12);
  });
});
