import { at, hasToken, parseJsonDocument } from '../../core/intrinsics';
import { COMPLIANT, ThreatModelRule, unresolved } from '../../core/rule';
import { isObject } from '../../core/template-model';
import { why } from '../../core/values';
import { REPOSITORY } from './scan-on-push';

/** REG-4: repositories have a lifecycle policy. */
export const LifecyclePolicy: ThreatModelRule = {
  controlId: 'REG-4',
  threats: ['TH-2', 'AC-3'],
  level: 'warning',
  kind: 'misconfiguration',
  description: 'ECR repositories set LifecyclePolicy.LifecyclePolicyText with at least one rule',
  explanation:
    'Old images with known vulnerabilities (AC-3) stay pullable forever without a lifecycle policy, and anyone ' +
    'who can deploy may run one again (TH-2); expiring them keeps the registry to what is maintained.',
  resourceTypes: [REPOSITORY],
  evaluate({ properties }) {
    const raw = at(properties, 'LifecyclePolicy', 'LifecyclePolicyText');
    if (!raw.known) return [unresolved('LifecyclePolicy.LifecyclePolicyText', raw.because)];
    const text = raw.value;
    if (text === undefined || text === '')
      return [{ message: 'the repository has no lifecycle policy (LifecyclePolicy.LifecyclePolicyText)' }];
    // A text built with Fn::Join/Fn::Sub is read with its intrinsics as placeholders; a whole-text intrinsic is unknown.
    const parsed = parseJsonDocument(text);
    if (!parsed.ok) {
      return typeof text === 'string'
        ? [{ message: 'LifecyclePolicyText is not JSON' }]
        : [unresolved('LifecyclePolicy.LifecyclePolicyText', why(text))];
    }
    const policy = parsed.value;
    if (!isObject(policy) || !Array.isArray(policy.rules)) {
      return hasToken(JSON.stringify(policy))
        ? [unresolved('LifecyclePolicy.LifecyclePolicyText rules', why(text))]
        : [{ message: 'the lifecycle policy has no rules' }];
    }
    if (policy.rules.length === 0) return [{ message: 'the lifecycle policy has no rules' }];
    return COMPLIANT;
  },
};
