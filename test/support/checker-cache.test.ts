import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CACHE_DIRECTORY,
  cachedCheck,
  cachedCheckAsync,
  cachedResult,
  claimEntry,
  releaseEntry,
  storeResult,
} from './checker-cache';

describe('checker result cache', () => {
  const checker = `cache-test-${process.pid}-${Date.now()}`;
  const template = (text: string) => Buffer.from(text);
  afterAll(() => fs.rmSync(path.join(CACHE_DIRECTORY, checker), { recursive: true, force: true }));

  test('a result is served again for the same checker, key and template bytes, and only then', () => {
    let runs = 0;
    const run = () => ({ findings: ++runs });

    expect(cachedCheck(checker, ['v1'], template('{"Resources":{}}'), run)).toEqual({ findings: 1 });
    expect(cachedCheck(checker, ['v1'], template('{"Resources":{}}'), run)).toEqual({ findings: 1 });
    // Another byte of the template, another version or option of the checker: judged afresh.
    expect(cachedCheck(checker, ['v1'], template('{"Resources": {}}'), run)).toEqual({ findings: 2 });
    expect(cachedCheck(checker, ['v2'], template('{"Resources":{}}'), run)).toEqual({ findings: 3 });
    expect(cachedCheck(checker, ['v1', 'E3002'], template('{"Resources":{}}'), run)).toEqual({ findings: 4 });
    expect(runs).toBe(4);
  });

  test('a failing check stores nothing', () => {
    expect(() =>
      cachedCheck(checker, ['v1'], template('broken'), () => {
        throw new Error('cfn-guard exited with 5');
      }),
    ).toThrow('exited with 5');
    expect(cachedResult(checker, ['v1'], template('broken'))).toBeUndefined();
  });

  test('HARDENED_EKS_CHECKER_CACHE=off neither reads nor writes', () => {
    const previous = process.env.HARDENED_EKS_CHECKER_CACHE;
    process.env.HARDENED_EKS_CHECKER_CACHE = 'off';
    try {
      storeResult(checker, ['off'], template('{}'), ['stored']);
      expect(cachedResult(checker, ['off'], template('{}'))).toBeUndefined();
    } finally {
      process.env.HARDENED_EKS_CHECKER_CACHE = previous;
    }
    expect(cachedResult(checker, ['off'], template('{}'))).toBeUndefined();
  });

  describe('two processes checking the same template (npm test runs the template checks beside jest)', () => {
    const later = (ms: number, act: () => void) => new Promise<void>((resolve) => setTimeout(() => resolve(act()), ms));

    test("the second waits for the first one's result instead of checking again", async () => {
      const content = template('{"Resources":{"Waited":{}}}');
      expect(claimEntry(checker, ['claim'], content)).toBe(true);
      // Another process (here: this one, later) holds the claim, then stores its result.
      const other = later(300, () => {
        storeResult(checker, ['claim'], content, ['from the first']);
        releaseEntry(checker, ['claim'], content);
      });
      let runs = 0;
      const waited = await cachedCheckAsync(checker, ['claim'], content, async () => [`computed ${++runs}`]);
      await other;
      expect(waited).toEqual(['from the first']);
      expect(runs).toBe(0);
    });

    test('when the first gives up without a result, the second checks it itself', async () => {
      const content = template('{"Resources":{"Failed":{}}}');
      expect(claimEntry(checker, ['claim'], content)).toBe(true);
      expect(claimEntry(checker, ['claim'], content)).toBe(false);
      const other = later(200, () => releaseEntry(checker, ['claim'], content));
      const result = await cachedCheckAsync(checker, ['claim'], content, async () => ['computed here']);
      await other;
      expect(result).toEqual(['computed here']);
      expect(cachedResult(checker, ['claim'], content)).toEqual(['computed here']);
    });

    test('a claim left by a process that died long ago is not waited for', () => {
      const content = template('{"Resources":{"Abandoned":{}}}');
      expect(claimEntry(checker, ['claim'], content)).toBe(true);
      const claim = fs.readdirSync(path.join(CACHE_DIRECTORY, checker)).find((f) => f.endsWith('.claim'))!;
      const hourAgo = Date.now() / 1000 - 3600;
      fs.utimesSync(path.join(CACHE_DIRECTORY, checker, claim), hourAgo, hourAgo);
      expect(cachedCheck(checker, ['claim'], content, () => ['computed after the abandoned claim'])).toEqual([
        'computed after the abandoned claim',
      ]);
      expect(fs.readdirSync(path.join(CACHE_DIRECTORY, checker)).filter((f) => f.endsWith('.claim'))).toEqual([]);
    });
  });
});
