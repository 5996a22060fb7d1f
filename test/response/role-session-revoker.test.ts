import { spawnSync } from 'child_process';
import * as path from 'path';
import { ROLE_SESSION_REVOKER_CODE } from '../../lib/response/role-session-revoker';

describe("the IR-3 role-session revoker's code (role-session-revoker/index.py)", () => {
  test('fits inline in the template (CloudFormation takes at most 4096 characters of ZipFile code)', () => {
    expect(ROLE_SESSION_REVOKER_CODE.length).toBeLessThan(4096);
  });

  test('the Python unit tests pass (a fake IAM client: the policy written, read back, bad requests refused)', () => {
    const run = spawnSync(
      'python3',
      ['-m', 'unittest', 'discover', '-s', 'test/response', '-p', 'revoker_test.py', '-v'],
      {
        cwd: path.join(__dirname, '..', '..'),
        encoding: 'utf8',
        env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
        timeout: 60_000,
      },
    );
    expect({ status: run.status, report: run.status === 0 ? 'ok' : run.stderr }).toEqual({ status: 0, report: 'ok' });
    expect(Number(/^Ran (\d+) tests/m.exec(run.stderr)![1])).toBe(3);
  });
});
