import {
  approvedInFuture,
  checkRecordFields,
  isIsoDate,
  isMapping,
  isoDay,
  readYaml,
} from '../../../nag-rules/core/approval-fields';

test('dates written YYYY-MM-DD, real ones only', () => {
  expect(['2026-02-28', '2026-02-30', '26-02-28', '2026-2-1'].map(isIsoDate)).toEqual([true, false, false, false]);
  expect(isoDay(new Date('2026-03-01T23:00:00Z'))).toBe('2026-03-01');
  expect(approvedInFuture('2026-03-02', '2026-03-01')).toBe('approvedOn 2026-03-02 is after today (2026-03-01)');
  expect(approvedInFuture('2026-03-01', '2026-03-01')).toBeUndefined();
});

test('a record: no unknown field, every field a non-empty string, dates real; one problem per field', () => {
  const problems: string[] = [];
  const values = checkRecordFields(
    { who: ' Ann ', when: '2026-02-30', extra: 1 },
    [{ name: 'who' }, { name: 'when', date: true }, { name: 'ticket' }],
    'entry',
    problems,
  );
  expect(values).toEqual({ who: 'Ann' });
  expect(problems).toEqual([
    'entry.extra: unknown field (allowed: who, when, ticket)',
    'entry.ticket: is missing',
    "entry.when: '2026-02-30' is not a date written YYYY-MM-DD",
  ]);
});

test('YAML is read with its problems, and mappings are told from lists', () => {
  expect(readYaml('a: 1')).toEqual({ value: { a: 1 }, problems: [] });
  expect(readYaml('a: [').problems).toHaveLength(1);
  expect([isMapping({}), isMapping([]), isMapping('x')]).toEqual([true, false, false]);
});
