import { cachedParse, cachedRead, cachedReadFor, ReadCache, withReadCache } from '../../../nag-rules/core/read-cache';

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

  test('remembers a read whose value is undefined (or another falsy value) like any other', () => {
    let computed = 0;
    const nothing = (): undefined => {
      computed++;
      return undefined;
    };
    const zero = (): number => {
      computed++;
      return 0;
    };
    const of = {};
    const reads = withReadCache(new ReadCache(), () => [
      cachedRead('kind', 'key', nothing),
      cachedRead('kind', 'key', nothing),
      cachedReadFor('kind', of, zero),
      cachedReadFor('kind', of, zero),
    ]);
    expect(reads).toEqual([undefined, undefined, 0, 0]);
    expect(computed).toBe(2);
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

describe('parses', () => {
  test('are made once per text and kind across caches while one is active, and afresh outside', () => {
    let parses = 0;
    const parse = (kind: string, text: string) => cachedParse(kind, text, () => ({ text, parse: ++parses }));
    const first = withReadCache(new ReadCache(), () => parse('doc', 'a'));
    expect(withReadCache(new ReadCache(), () => parse('doc', 'a'))).toBe(first);
    expect(withReadCache(new ReadCache(), () => parse('other', 'a'))).toEqual({ text: 'a', parse: 2 });
    expect(parse('doc', 'a')).toEqual({ text: 'a', parse: 3 });
  });
});
