import { ROLE_SESSION_REVOKER_CODE } from '../../lib/response/role-session-revoker';
import { runPythonUnitTests } from './python-unit-tests';

describe("the IR-3 role-session revoker's code (role-session-revoker/index.py)", () => {
  test('fits inline in the template (CloudFormation takes at most 4096 characters of ZipFile code)', () => {
    expect(ROLE_SESSION_REVOKER_CODE.length).toBeLessThan(4096);
  });

  test('the Python unit tests pass (a fake IAM client: the policy written, read back, bad requests refused)', () => {
    const run = runPythonUnitTests('revoker_test.py');
    expect({ status: run.status, report: run.status === 0 ? 'ok' : run.stderr }).toEqual({ status: 0, report: 'ok' });
    expect(Number(/^Ran (\d+) tests/m.exec(run.stderr)![1])).toBe(3);
  });
});
