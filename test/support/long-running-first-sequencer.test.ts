import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const LongRunningFirst = require('./long-running-first-sequencer');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sequencer-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A test file of `size` bytes, marked @long-running or not. */
function testFile(name: string, size: number, longRunning: boolean): string {
  const file = path.join(dir, name);
  const head = longRunning
    ? '/**\n * What it does.\n *\n * @long-running it starts the app\n */\n'
    : '/** What it does. */\n';
  fs.writeFileSync(file, head.padEnd(size, ' '));
  return file;
}

/** jest's test objects for files, in one context (no timings unless given, as on a fresh clone). */
function testsOf(files: string[], timings: Record<string, number> = {}) {
  const context = {
    config: { cache: false, cacheDirectory: dir, id: 'sequencer-test', rootDir: dir },
    hasteFS: { getSize: (file: string) => fs.statSync(file).size },
  };
  const sequencer = new LongRunningFirst({ contexts: new Set([context]), globalConfig: {} });
  sequencer._cache.set(
    context,
    Object.fromEntries(Object.entries(timings).map(([file, ms]) => [file, [0 /* passed */, ms]])),
  );
  return { sequencer, tests: files.map((file) => ({ path: file, context })) };
}

const names = (tests: { path: string }[]) => tests.map((t) => path.basename(t.path));

test('with no timings, the files marked @long-running start first, the rest by size as jest orders them', () => {
  const files = [
    testFile('big.test.ts', 3000, false),
    testFile('small-long.test.ts', 200, true),
    testFile('medium.test.ts', 1000, false),
    testFile('tiny-long.test.ts', 120, true),
  ];
  const { sequencer, tests } = testsOf(files);
  expect(names(sequencer.sort(tests))).toEqual([
    'small-long.test.ts',
    'tiny-long.test.ts',
    'big.test.ts',
    'medium.test.ts',
  ]);
});

test("with timings from a last run, jest's own order (longest first) stands, marks or not", () => {
  const files = [
    testFile('timed-long.test.ts', 200, true),
    testFile('timed-slow.test.ts', 100, false),
    testFile('timed-fast.test.ts', 3000, false),
  ];
  const { sequencer, tests } = testsOf(files, {
    [files[0]]: 2_000,
    [files[1]]: 30_000,
    [files[2]]: 50,
  });
  expect(names(sequencer.sort(tests))).toEqual(['timed-slow.test.ts', 'timed-long.test.ts', 'timed-fast.test.ts']);
});
