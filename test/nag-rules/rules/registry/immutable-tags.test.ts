import { ImmutableTags } from '../../../../nag-rules/rules/registry/immutable-tags';
import { failures, productTemplate } from '../../rule-harness';
import { unresolvedFinding } from '../../rule-findings';
import { checkRepository, productWithRepository } from './fixtures';

/** ImmutableTags on a repository whose ImageTagMutability is the value (absent when undefined). */
const withMutability = (value: unknown) =>
  checkRepository(ImmutableTags, (p) => {
    if (value === undefined) delete p.ImageTagMutability;
    else p.ImageTagMutability = value;
  });

describe('REG-2 ImmutableTags', () => {
  test.each(['IMMUTABLE', 'IMMUTABLE_WITH_EXCLUSION'])('compliant: %s', (value) => {
    expect(withMutability(value).status).toBe('pass');
  });
  test('non-compliant: MUTABLE, or absent (MUTABLE by default)', () => {
    expect(withMutability('MUTABLE').findings).toEqual([
      { message: "image tags can be overwritten (ImageTagMutability is 'MUTABLE')" },
    ]);
    expect(withMutability(undefined).findings[0].message).toMatch(/absent: MUTABLE/);
  });
  test('unresolved: a parameter decides', () => {
    expect(withMutability({ Ref: 'Mutability' }).findings).toEqual([unresolvedFinding()]);
  });
  test('the real product passes, and fails on its repository once tags are mutable', () => {
    expect(failures(ImmutableTags, productTemplate())).toEqual([]);
    const { template, repository } = productWithRepository((p) => {
      p.ImageTagMutability = 'MUTABLE';
    });
    expect(failures(ImmutableTags, template).map((e) => e.logicalId)).toEqual([repository]);
  });
});
