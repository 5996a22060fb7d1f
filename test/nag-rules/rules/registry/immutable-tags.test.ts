import { ImmutableTags } from '../../../../nag-rules/rules/registry/immutable-tags';
import { check, failures, productTemplate } from '../../rule-harness';
import { productRepository, repositoryTemplate } from './fixtures';

describe('REG-2 ImmutableTags', () => {
  test('compliant: IMMUTABLE or IMMUTABLE_WITH_EXCLUSION', () => {
    expect(check(ImmutableTags, repositoryTemplate(), 'R').status).toBe('pass');
    expect(
      check(
        ImmutableTags,
        repositoryTemplate((p) => {
          p.ImageTagMutability = 'IMMUTABLE_WITH_EXCLUSION';
        }),
        'R',
      ).status,
    ).toBe('pass');
  });
  test('non-compliant: MUTABLE, or absent (MUTABLE by default)', () => {
    expect(
      check(
        ImmutableTags,
        repositoryTemplate((p) => {
          p.ImageTagMutability = 'MUTABLE';
        }),
        'R',
      ).findings,
    ).toEqual([{ message: "image tags can be overwritten (ImageTagMutability is 'MUTABLE')" }]);
    expect(
      check(
        ImmutableTags,
        repositoryTemplate((p) => {
          delete p.ImageTagMutability;
        }),
        'R',
      ).findings[0].message,
    ).toMatch(/absent: MUTABLE/);
  });
  test('unresolved: a parameter decides', () => {
    expect(
      check(
        ImmutableTags,
        repositoryTemplate((p) => {
          p.ImageTagMutability = { Ref: 'Mutability' };
        }),
        'R',
      ).findings[0],
    ).toMatchObject({ unresolved: true });
  });
  test('the real product passes, and fails on its repository once tags are mutable', () => {
    const template = productTemplate();
    expect(failures(ImmutableTags, template)).toEqual([]);
    const repository = productRepository(template);
    template.Resources[repository].Properties.ImageTagMutability = 'MUTABLE';
    expect(failures(ImmutableTags, template).map((e) => e.logicalId)).toEqual([repository]);
  });
});
