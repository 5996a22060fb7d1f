import * as fs from 'node:fs';
import * as path from 'node:path';
import { CACHE_DIRECTORY, cachedCheck, cachedResult, storeResult } from './checker-cache';

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
});
