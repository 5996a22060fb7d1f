import { runPythonUnitTests } from './python-unit-tests';

describe("the runbooks' aws:executeScript steps (runbooks/scripts/*.py)", () => {
  test('the Python unit tests pass (fake EC2 and Auto Scaling: requests built, answers checked, nodes of other clusters refused)', () => {
    const run = runPythonUnitTests('runbook_scripts_test.py');
    expect({ status: run.status, report: run.status === 0 ? 'ok' : run.stderr }).toEqual({ status: 0, report: 'ok' });
    expect(Number(/^Ran (\d+) tests/m.exec(run.stderr)![1])).toBe(12);
  });
});
