import { findSecrets, findSecretsAfter } from '../../../nag-rules/core/secret-patterns';
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
