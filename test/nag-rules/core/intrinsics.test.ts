import {
  asArray,
  at,
  branchValues,
  getAtt,
  hasToken,
  isIntrinsic,
  isNoValue,
  listMembers,
  literalAt,
  mayBeRemoved,
  parseJsonDocument,
  placeholder,
  presentBranchValues,
  renderString,
  renderText,
  textKey,
  UNKNOWN_PART,
  wildcardMatch,
} from '../../../nag-rules/core/intrinsics';
import { TemplateModel } from '../../../nag-rules/core/template-model';

const NO_VALUE = { Ref: 'AWS::NoValue' };
const chosen = (a: unknown, b: unknown) => ({ 'Fn::If': ['Cond', a, b] });

describe('Fn::If branches', () => {
  test('branchValues keeps AWS::NoValue as undefined; presentBranchValues leaves it out', () => {
    const value = chosen('a', chosen(NO_VALUE, 'b'));
    expect(branchValues(value)).toEqual(['a', undefined, 'b']);
    expect(presentBranchValues(value)).toEqual(['a', 'b']);
    expect(branchValues(NO_VALUE)).toEqual([undefined]);
    expect(presentBranchValues(NO_VALUE)).toEqual([]);
    expect(branchValues(undefined)).toEqual([undefined]);
    expect(presentBranchValues({ Ref: 'P' })).toEqual([{ Ref: 'P' }]);
  });

  test('mayBeRemoved: absent, AWS::NoValue, or a branch that removes it', () => {
    expect(mayBeRemoved(undefined)).toBe(true);
    expect(mayBeRemoved(chosen('a', NO_VALUE))).toBe(true);
    expect(mayBeRemoved(chosen('a', 'b'))).toBe(false);
  });

  test('listMembers opens branch lists and branch elements, and names a list it cannot read', () => {
    expect(listMembers(chosen(['a', chosen('b', NO_VALUE)], ['c']))).toEqual({
      members: ['a', 'b', 'c'],
      unknown: undefined,
    });
    expect(listMembers({ Ref: 'Subnets' })).toEqual({ members: [], unknown: { Ref: 'Subnets' } });
    expect(listMembers(NO_VALUE)).toEqual({ members: [], unknown: undefined });
  });
});

describe('paths and literals', () => {
  test('at follows nested properties and stops at an intrinsic it cannot read', () => {
    const value = { MetadataOptions: { HttpTokens: 'required' }, Other: { Ref: 'P' } };
    expect(at(value, 'MetadataOptions', 'HttpTokens')).toEqual({ known: true, value: 'required' });
    expect(at(value, 'Missing', 'HttpTokens')).toEqual({ known: true, value: undefined });
    expect(at(value, 'Other', 'HttpTokens')).toEqual({ known: false, because: "parameter or resource 'P'" });
    expect(literalAt({ A: [{ B: chosen(2, 2) }] }, 'A', 0, 'B')).toEqual({ known: true, value: 2 });
  });

  test('isIntrinsic, isNoValue, getAtt, asArray', () => {
    expect([
      isIntrinsic({ Ref: 'X' }),
      isIntrinsic({ 'Fn::Sub': 'x' }),
      isIntrinsic({ Ref: 'X', Other: 1 }),
      isIntrinsic('x'),
    ]).toEqual([true, true, false, false]);
    expect([isNoValue(NO_VALUE), isNoValue({ Ref: 'X' })]).toEqual([true, false]);
    expect([
      getAtt({ 'Fn::GetAtt': ['Role', 'Arn'] }),
      getAtt({ 'Fn::GetAtt': 'Role.Arn' }),
      getAtt({ Ref: 'Role' }),
    ]).toEqual([['Role', 'Arn'], ['Role', 'Arn'], undefined]);
    expect([asArray(undefined), asArray('a'), asArray(['a', 'b'])]).toEqual([[], ['a'], ['a', 'b']]);
  });
});

describe('text with intrinsics', () => {
  const model = new TemplateModel({
    Resources: { Bucket: { Type: 'AWS::S3::Bucket' } },
    Parameters: { Name: { Type: 'String' } },
  });

  test('renderText writes intrinsics as placeholders, and hasToken finds them', () => {
    const text = renderText({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { Ref: 'Bucket' }]] });
    expect(text).toBe('arn:${Token:AWS::Partition}:s3:::${Token:Bucket}');
    expect(hasToken(text)).toBe(true);
    expect([hasToken('plain'), hasToken(undefined), hasToken({ Ref: 'X' })]).toEqual([false, false, false]);
    expect(renderText({ 'Fn::Sub': ['${A}-${Bucket.Arn}', { A: 'x' }] })).toBe(
      `x-${placeholder({ 'Fn::GetAtt': ['Bucket', 'Arn'] })}`,
    );
    expect(renderText(undefined)).toBeUndefined();
  });

  test('textKey compares expressions by their pieces, whatever function joins them', () => {
    expect(textKey({ 'Fn::Sub': 'a-${Bucket}' })).toBe(textKey({ 'Fn::Join': ['', ['a-', { Ref: 'Bucket' }]] }));
    expect(textKey({ 'Fn::Sub': 'a-${Bucket}' })).not.toBe(textKey({ 'Fn::Sub': 'b-${Bucket}' }));
  });

  test('renderString keeps pseudo parameters and template resources apart from what it cannot know', () => {
    expect(renderString(model, { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Bucket}/*' })).toBe(
      'arn:{AWS::Partition}:s3:::{Ref:Bucket}/*',
    );
    expect(renderString(model, { 'Fn::Join': ['-', ['a', { Ref: 'Name' }]] })).toBe(`a-${UNKNOWN_PART}`);
    expect(renderString(model, { 'Fn::ImportValue': 'x' })).toBe(UNKNOWN_PART);
  });

  test('parseJsonDocument reads objects, JSON strings and joined JSON with placeholders, and says why not', () => {
    expect(parseJsonDocument({ a: 1 })).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJsonDocument('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJsonDocument({ 'Fn::Join': ['', ['{"bucket":"', { Ref: 'Bucket' }, '"}']] })).toEqual({
      ok: true,
      value: { bucket: '${Token:Bucket}' },
    });
    expect(parseJsonDocument({ Ref: 'Document' })).toEqual({ ok: false, reason: "parameter or resource 'Document'" });
    expect(parseJsonDocument('{')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^text that is not JSON/),
    });
    expect(parseJsonDocument(undefined)).toEqual({ ok: false, reason: 'no document' });
  });

  test('wildcardMatch is IAM matching: case-insensitive, * and ?', () => {
    expect(wildcardMatch('eks:Describe*', 'EKS:DescribeCluster')).toBe(true);
    expect(wildcardMatch('s3:Get?bject', 's3:GetObject')).toBe(true);
    expect(wildcardMatch('s3:Get', 's3:GetObject')).toBe(false);
  });
});

describe('wildcardMatch', () => {
  test('matches IAM patterns case-insensitively, with and without wildcards', () => {
    expect(wildcardMatch('iam:PassRole', 'iam:PassRole')).toBe(true);
    expect(wildcardMatch('IAM:passrole', 'iam:PassRole')).toBe(true);
    expect(wildcardMatch('iam:PassRole', 'iam:PassRoles')).toBe(false);
    expect(wildcardMatch('iam:PassRolf', 'iam:PassRole')).toBe(false);
    expect(wildcardMatch('iam:Pass*', 'iam:PassRole')).toBe(true);
    expect(wildcardMatch('iam:PassRol?', 'iam:PassRole')).toBe(true);
    expect(wildcardMatch('iam:PassRole?', 'iam:PassRole')).toBe(false);
    expect(wildcardMatch('s3:Get.bject', 's3:GetObject')).toBe(false);
  });
});
