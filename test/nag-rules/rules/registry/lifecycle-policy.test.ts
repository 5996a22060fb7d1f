import { LifecyclePolicy } from '../../../../nag-rules/rules/registry/lifecycle-policy';
import { failures, productTemplate } from '../../rule-harness';
import { unresolvedFinding } from '../../rule-findings';
import { checkRepository, productWithRepository } from './fixtures';

/** LifecyclePolicy on a repository whose LifecyclePolicyText is the value. */
const withPolicyText = (text: unknown) =>
  checkRepository(LifecyclePolicy, (p) => {
    p.LifecyclePolicy.LifecyclePolicyText = text;
  });

describe('REG-4 LifecyclePolicy', () => {
  test('is a warning (corrective control)', () => {
    expect(LifecyclePolicy.level).toBe('warning');
  });
  test('compliant: a lifecycle policy with rules', () => {
    expect(checkRepository(LifecyclePolicy).status).toBe('pass');
  });
  test('non-compliant: no lifecycle policy, no rules, or text that is not JSON', () => {
    const none = checkRepository(LifecyclePolicy, (p) => {
      delete p.LifecyclePolicy;
    });
    expect(none.findings).toEqual([
      { message: 'the repository has no lifecycle policy (LifecyclePolicy.LifecyclePolicyText)' },
    ]);
    expect(withPolicyText('{"rules":[]}').findings[0].message).toBe('the lifecycle policy has no rules');
    expect(withPolicyText('expire old').findings[0].message).toBe('LifecyclePolicyText is not JSON');
  });
  test('unresolved: the policy text from a parameter', () => {
    expect(withPolicyText({ Ref: 'Policy' }).findings).toEqual([unresolvedFinding()]);
  });
  test('the real product passes, and fails on its repository once the lifecycle policy is removed', () => {
    expect(failures(LifecyclePolicy, productTemplate())).toEqual([]);
    const { template, repository } = productWithRepository((p) => {
      delete p.LifecyclePolicy;
    });
    expect(failures(LifecyclePolicy, template).map((e) => e.logicalId)).toEqual([repository]);
  });
  test('unresolved: a policy text built with Fn::Sub or Fn::Join around a parameter is read, not trusted', () => {
    expect(withPolicyText({ 'Fn::Sub': '${Policy}' }).findings).toEqual([
      unresolvedFinding(/^LifecyclePolicy\.LifecyclePolicyText/),
    ]);
    const joined = withPolicyText({ 'Fn::Join': ['', ['{"rules":[{"rulePriority":', { Ref: 'Priority' }, '}]}']] });
    expect(joined.status).toBe('pass');
  });
});
