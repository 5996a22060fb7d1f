import { cachedRead, cachedReadFor, ReadCache, withReadCache } from '../../../nag-rules/core/read-cache';

describe('the read cache', () => {
  test('computes once per key while a cache is active, and afresh outside', () => {
    let computed = 0;
    const read = () => cachedRead('kind', 'key', () => ++computed);
    const cache = new ReadCache();
    expect(withReadCache(cache, () => [read(), read()])).toEqual([1, 1]);
    expect(withReadCache(cache, read)).toBe(1);
    expect([read(), read()]).toEqual([2, 3]);
    expect(withReadCache(new ReadCache(), read)).toBe(4);
  });

  test('keys by object and by kind', () => {
    const of = {};
    const cache = new ReadCache();
    const values = withReadCache(cache, () => [
      cachedReadFor('a', of, () => 'first'),
      cachedReadFor('a', of, () => 'second'),
      cachedReadFor('b', of, () => 'other'),
    ]);
    expect(values).toEqual(['first', 'first', 'other']);
  });
});
