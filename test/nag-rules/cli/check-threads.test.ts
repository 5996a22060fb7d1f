import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../../nag-rules/cli/check';
import { checkThreads, startCheck } from '../../../nag-rules/cli/check-threads';
import { CLEAN_TYPE, run } from './cli-support';

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
  const started = startCheck(['check', work, '--jobs', '8'], work);
  try {
    // Three templates: this thread and two workers.
    expect(started?.expanded.inputs).toHaveLength(3);
    expect(started?.pool?.size).toBe(2);
  } finally {
    started?.pool?.close();
  }
});

test.each([
  ['one template', ['check', 'a.template.json'], 1],
  ['--jobs 1', ['check', '.', '--jobs', '1'], 3],
])('no worker is started for %s; its files are read', (_, argv, templates) => {
  const started = startCheck(argv, work);
  expect(started?.pool).toBeUndefined();
  expect(started?.expanded.inputs).toHaveLength(templates);
});

test.each([
  ['an unknown option (the command says so)', ['check', '.', '--bogus']],
  ['--help', ['check', '--help']],
  ['another command', ['lint', '.']],
])('nothing is started for %s', (_, argv) => {
  expect(startCheck(argv, work)).toBeUndefined();
});

test('the command judges the files read when it started: the file system is read once', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-started-'));
  try {
    const write = (name: string) =>
      fs.writeFileSync(path.join(dir, name), JSON.stringify({ Resources: { Handle: { Type: CLEAN_TYPE } } }));
    write('a.template.json');
    write('b.template.json');
    const argv = ['check', '.', '--jobs', '1'];
    const started = startCheck(argv, dir);
    write('c.template.json');
    const out: string[] = [];
    const code = main(argv, { stdout: (t) => out.push(t), stderr: (t) => out.push(t), cwd: dir }, started);
    expect(code).toBe(0);
    expect(out.join('\n')).toContain('2 template(s), profile product: ');
    // Without what startCheck read, the command reads the folder itself.
    expect(run(argv, dir).stdout).toContain('3 template(s), profile product: ');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
