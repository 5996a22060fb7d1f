import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkThreads, startCheckWorkers } from '../../../nag-rules/cli/check-threads';

let work: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'check-threads-'));
  for (const name of ['a', 'b', 'c']) fs.writeFileSync(path.join(work, `${name}.template.json`), '{}');
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

test('one thread per template at most, as many as --jobs asks (default: the cores), never fewer than one', () => {
  expect(checkThreads(4, 3)).toBe(3);
  expect(checkThreads(2, 200)).toBe(2);
  expect(checkThreads(1, 200)).toBe(1);
  expect(checkThreads(4, 0)).toBe(1);
  expect(checkThreads(undefined, 1000)).toBe(os.availableParallelism());
});

test('the command line of a run over several templates starts its workers before the pack loads', () => {
  const pool = startCheckWorkers(['check', work, '--jobs', '8'], work);
  try {
    // Three templates: this thread and two workers.
    expect(pool?.size).toBe(2);
  } finally {
    pool?.close();
  }
});

test.each([
  ['one template', ['check', 'a.template.json']],
  ['--jobs 1', ['check', '.', '--jobs', '1']],
  ['an unknown option (the command says so)', ['check', '.', '--bogus']],
  ['--help', ['check', '--help']],
  ['another command', ['lint', '.']],
])('no worker is started for %s', (_, argv) => {
  expect(startCheckWorkers(argv, work)).toBeUndefined();
});
