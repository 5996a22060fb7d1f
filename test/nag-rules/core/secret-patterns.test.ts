import * as fc from 'fast-check';
import { findSecrets, findSecretsAfter, keywordsIn } from '../../../nag-rules/core/secret-patterns';
import * as gitleaks from '../../../nag-rules/data/gitleaks-rules.json';

/** Built at run time, so that the repository holds no string a secret scanner would flag. */
const ACCESS_KEY = ['AKIA', 'Z4RTYPLQ', '2MNB7XWE'].join('');

describe('findSecrets keyword prefilter', () => {
  test('every content rule has keywords, so a text without any of them is left unscanned', () => {
    const contentRules = gitleaks.rules.filter((r: { regex?: string }) => r.regex !== undefined);
    expect(contentRules.every((r: { keywords?: string[] }) => (r.keywords ?? []).length > 0)).toBe(true);
    expect(findSecrets('arn:aws:s3:::my-bucket/path/to/object')).toEqual([]);
  });
  test('keywords are looked for in the lower-cased text: an upper-case keyword still lets its rule run', () => {
    // `akia` is the keyword of aws-access-token; the text holds it only in upper case.
    expect(findSecrets(ACCESS_KEY).map((s) => s.ruleId)).toEqual(['aws-access-token']);
    expect(findSecrets(`Value=${ACCESS_KEY}`).map((s) => s.ruleId)).toEqual(['aws-access-token']);
  });
});

describe('findSecretsAfter', () => {
  test('scans the prefix and the text as one text, and remembers answers per prefix', () => {
    const password = ['Zq8', 'vR2mWx', '9TkLp4Hs'].join('');
    expect(findSecretsAfter('password=', password)).toEqual(findSecrets(`password=${password}`));
    expect(findSecretsAfter('password=', password).map((s) => s.ruleId)).toEqual(['generic-api-key']);
    // The same text after another prefix is another text: without the keyword it holds no secret.
    expect(findSecretsAfter('colour=', password)).toEqual([]);
    expect(findSecretsAfter('', `aws_key=${ACCESS_KEY}`)).toEqual(findSecrets(`aws_key=${ACCESS_KEY}`));
  });
});

describe('keywordsIn', () => {
  const keywords = [
    ...new Set(
      gitleaks.rules
        .filter((r: { regex?: string }) => r.regex !== undefined)
        .flatMap((r: { keywords?: string[] }) => (r.keywords ?? []).map((k) => k.toLowerCase())),
    ),
  ];
  /** What each rule's keyword check asked before: does the text hold the keyword. */
  const reference = (lower: string) => keywords.filter((k) => lower.includes(k)).sort();

  test('finds every keyword a text holds: inside others, overlapping, sharing a start, repeated', () => {
    const starts = keywords.filter((k) => keywords.some((other) => other !== k && other.startsWith(k)));
    expect(starts.length).toBeGreaterThan(0);
    for (const text of [
      'secret_key=abc',
      'api_org_token and apikey',
      `${starts.join('')}${starts.reverse().join(' ')}`,
      'arn:aws:s3:::my-bucket/path/to/object',
      '',
    ])
      expect([...keywordsIn(text)].sort()).toEqual(reference(text));
  });

  test('agrees with asking each keyword on texts made of keywords, their pieces and other characters', () => {
    const piece = fc.oneof(
      fc.constantFrom(...keywords),
      fc.constantFrom(...keywords).chain((k) => fc.nat(k.length).map((n) => k.slice(0, n))),
      fc.constantFrom(...keywords).chain((k) => fc.nat(k.length).map((n) => k.slice(n))),
      fc.string({ maxLength: 4 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const text = pieces.join('').toLowerCase();
        expect([...keywordsIn(text)].sort()).toEqual(reference(text));
      }),
      { seed: 20261202, numRuns: 2000 },
    );
  });
});
