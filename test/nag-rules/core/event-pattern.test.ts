import { matchesEventPattern } from '../../../nag-rules/core/event-pattern';

/** EventBridge content filtering, as documented, on the matchers the DET rules rely on. */
const event = {
  source: 'aws.lambda',
  detail: {
    eventName: 'UpdateFunctionCode20150331v2',
    size: 5,
    tags: ['a', 'b'],
    userIdentity: { type: 'IAMUser' },
    fn: { Ref: 'F' },
  },
};
const matches = (detail: Record<string, unknown>) => matchesEventPattern({ source: ['aws.lambda'], detail }, event);

describe('matchesEventPattern', () => {
  test('exact values, arrays of values in the event, nested objects', () => {
    expect(matches({ eventName: ['UpdateFunctionCode20150331v2'] })).toBe(true);
    expect(matches({ eventName: ['UpdateFunctionCode'] })).toBe(false);
    expect(matches({ tags: ['b'] })).toBe(true);
    expect(matches({ userIdentity: { type: ['IAMUser'] } })).toBe(true);
    expect(matchesEventPattern({ source: ['aws.s3'] }, event)).toBe(false);
  });

  test('prefix, suffix, equals-ignore-case, wildcard, numeric', () => {
    expect(matches({ eventName: [{ prefix: 'Update' }] })).toBe(true);
    expect(matches({ eventName: [{ prefix: { 'equals-ignore-case': 'update' } }] })).toBe(true);
    expect(matches({ eventName: [{ suffix: 'v2' }] })).toBe(true);
    expect(matches({ eventName: [{ 'equals-ignore-case': 'updatefunctioncode20150331V2' }] })).toBe(true);
    expect(matches({ eventName: [{ wildcard: 'Update*v2' }] })).toBe(true);
    expect(matches({ size: [{ numeric: ['>', 1, '<=', 5] }] })).toBe(true);
    expect(matches({ size: [{ numeric: ['>', 5] }] })).toBe(false);
  });

  test('anything-but matches present values only; exists: false matches a missing field', () => {
    expect(matches({ userIdentity: { type: [{ 'anything-but': ['AssumedRole'] }] } })).toBe(true);
    expect(matches({ userIdentity: { type: [{ 'anything-but': { prefix: 'IAM' } }] } })).toBe(false);
    expect(matches({ userIdentity: { sessionContext: { sessionIssuer: { arn: [{ 'anything-but': ['x'] }] } } } })).toBe(
      false,
    );
    expect(matches({ missing: [{ exists: false }] })).toBe(true);
    expect(matches({ eventName: [{ exists: true }] })).toBe(true);
  });

  test('$or: any branch', () => {
    expect(matches({ $or: [{ eventName: ['x'] }, { userIdentity: { type: ['IAMUser'] } }] })).toBe(true);
    expect(matches({ $or: [{ eventName: ['x'] }, { userIdentity: { type: ['Root'] } }] })).toBe(false);
  });

  test('template values: an intrinsic equals the same intrinsic; a prefix built from one matches nothing', () => {
    expect(matches({ fn: [{ Ref: 'F' }] })).toBe(true);
    expect(matches({ fn: [{ Ref: 'G' }] })).toBe(false);
    expect(matches({ eventName: [{ prefix: { 'Fn::Join': ['', ['Update', { Ref: 'X' }]] } }] })).toBe(false);
  });
});
