import { listed, ruleId, unresolved } from '../../../nag-rules/core/rule';

test('rule IDs, unresolved findings and listed names', () => {
  expect(ruleId({ controlId: 'CLU-1' })).toBe('EksThreatModel-CLU-1');
  expect(unresolved('the policy', "parameter 'P'")).toEqual({
    message: "the policy cannot be checked at synth time: it depends on parameter 'P'",
    unresolved: true,
  });
  expect([listed([]), listed(['a']), listed(['a', 'b']), listed(['a', 'b', 'c'])]).toEqual([
    '',
    'a',
    'a and b',
    'a, b and c',
  ]);
});
