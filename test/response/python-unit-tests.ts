import { spawnSync } from 'child_process';
import * as path from 'path';

/** Runs the Python unit tests in test/response/<file> from the project root; unittest reports on stderr. */
export function runPythonUnitTests(file: string, timeout = 60_000) {
  return spawnSync('python3', ['-m', 'unittest', 'discover', '-s', 'test/response', '-p', file, '-v'], {
    cwd: path.join(__dirname, '..', '..'),
    encoding: 'utf8',
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    timeout,
  });
}
