import { LifecyclePolicy } from '../../../../nag-rules/rules/registry/lifecycle-policy';
import { check, failures, productTemplate, unresolvedFinding } from '../../rule-harness';
import { productRepository, repositoryTemplate } from './fixtures';

describe('REG-4 LifecyclePolicy', () => {
  test('is a warning (corrective control)', () => {
    expect(LifecyclePolicy.level).toBe('warning');
  });
  test('compliant: a lifecycle policy with rules', () => {
    expect(check(LifecyclePolicy, repositoryTemplate(), 'R').status).toBe('pass');
  });
  test('non-compliant: no lifecycle policy, no rules, or text that is not JSON', () => {
    expect(
      check(
        LifecyclePolicy,
        repositoryTemplate((p) => {
          delete p.LifecyclePolicy;
        }),
        'R',
      ).findings,
    ).toEqual([{ message: 'the repository has no lifecycle policy (LifecyclePolicy.LifecyclePolicyText)' }]);
    expect(
      check(
        LifecyclePolicy,
        repositoryTemplate((p) => {
          p.LifecyclePolicy.LifecyclePolicyText = '{"rules":[]}';
        }),
        'R',
      ).findings[0].message,
    ).toBe('the lifecycle policy has no rules');
    expect(
      check(
        LifecyclePolicy,
        repositoryTemplate((p) => {
          p.LifecyclePolicy.LifecyclePolicyText = 'expire old';
        }),
        'R',
      ).findings[0].message,
    ).toBe('LifecyclePolicyText is not JSON');
  });
  test('unresolved: the policy text from a parameter', () => {
    expect(
      check(
        LifecyclePolicy,
        repositoryTemplate((p) => {
          p.LifecyclePolicy.LifecyclePolicyText = { Ref: 'Policy' };
        }),
        'R',
      ).findings[0],
    ).toMatchObject({ unresolved: true });
  });
  test('the real product passes, and fails on its repository once the lifecycle policy is removed', () => {
    const template = productTemplate();
    expect(failures(LifecyclePolicy, template)).toEqual([]);
    const repository = productRepository(template);
    delete template.Resources[repository].Properties.LifecyclePolicy;
    expect(failures(LifecyclePolicy, template).map((e) => e.logicalId)).toEqual([repository]);
  });
  test('unresolved: a policy text built with Fn::Sub or Fn::Join around a parameter is read, not trusted', () => {
    const sub = check(
      LifecyclePolicy,
      repositoryTemplate((p) => {
        p.LifecyclePolicy.LifecyclePolicyText = { 'Fn::Sub': '${Policy}' };
      }),
      'R',
    );
    expect(sub.findings).toEqual([unresolvedFinding(/^LifecyclePolicy\.LifecyclePolicyText/)]);
    const joined = check(
      LifecyclePolicy,
      repositoryTemplate((p) => {
        p.LifecyclePolicy.LifecyclePolicyText = {
          'Fn::Join': ['', ['{"rules":[{"rulePriority":', { Ref: 'Priority' }, '}]}']],
        };
      }),
      'R',
    );
    expect(joined.status).toBe('pass');
  });
});
