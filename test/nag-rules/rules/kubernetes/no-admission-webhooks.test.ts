import { NoAdmissionWebhooks } from '../../../../nag-rules/rules/kubernetes/no-admission-webhooks';
import { check, failures, productTemplate, templateOf } from '../../rule-harness';
import { messages, unresolvedFinding } from '../../rule-findings';
import { checkManifest, checkManifestWithRef, editManifestApplying, namespace } from './kubernetes-fixtures';

const webhook = (kind: string) => ({
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind,
  metadata: { name: 'hook' },
  webhooks: [
    {
      name: 'hook.example.com',
      clientConfig: { url: 'https://hook.example.com' },
      sideEffects: 'None',
      admissionReviewVersions: ['v1'],
    },
  ],
});

describe('K8S-9 NoAdmissionWebhooks', () => {
  test('compliant: a manifest without webhook configurations', () => {
    expect(checkManifest(NoAdmissionWebhooks, [namespace('apps')]).status).toBe('pass');
  });

  test('non-compliant: mutating and validating webhook configurations, also inside a List', () => {
    const result = checkManifest(NoAdmissionWebhooks, [
      webhook('MutatingWebhookConfiguration'),
      { apiVersion: 'v1', kind: 'List', items: [webhook('ValidatingWebhookConfiguration')] },
    ]);
    expect(result.status).toBe('fail');
    expect(messages(result)).toEqual([
      'MutatingWebhookConfiguration hook is applied (an admission webhook sees or rewrites every API request it matches)',
      'ValidatingWebhookConfiguration hook is applied (an admission webhook sees or rewrites every API request it matches)',
    ]);
  });

  test('unresolved: an object whose kind comes from a parameter (Fn::Join manifest); unreadable manifest is a finding', () => {
    const result = checkManifestWithRef(NoAdmissionWebhooks, [webhook('KIND')], 'KIND', 'Kind');
    expect(result.findings).toEqual([unresolvedFinding(/kind of .*'Kind'/)]);
    const unreadable = templateOf({
      M: { Type: 'Custom::AWSCDK-EKS-KubernetesResource', Properties: { Manifest: JSON.stringify([1]) } },
    });
    expect(check(NoAdmissionWebhooks, unreadable, 'M').findings[0].message).toMatch(
      /manifest of M cannot be read \(an entry of the manifest is not an object\)/,
    );
  });

  test('the real product passes, and fails once a manifest adds a webhook', () => {
    const template = productTemplate();
    expect(failures(NoAdmissionWebhooks, template)).toEqual([]);
    const id = editManifestApplying(template, { kind: 'Namespace' }, (objects) => [
      ...objects,
      webhook('ValidatingWebhookConfiguration'),
    ]);
    expect(failures(NoAdmissionWebhooks, template).map((e) => [e.logicalId, e.findings.length])).toEqual([[id, 1]]);
  });
});
