import { NamespacesPodSecurityRestricted } from '../../../../nag-rules/rules/kubernetes/namespaces-pod-security-restricted';
import { failures, productTemplate } from '../../rule-harness';
import { messages, unresolvedFinding } from '../../rule-findings';
import { checkManifest, checkManifestWithRef, editManifestApplying, namespace } from './kubernetes-fixtures';

const ENFORCE = 'pod-security.kubernetes.io/enforce';

describe('K8S-7 NamespacesPodSecurityRestricted', () => {
  test('compliant: a workload namespace enforcing restricted; system namespaces are not judged', () => {
    const result = checkManifest(NamespacesPodSecurityRestricted, [
      namespace('apps'),
      namespace('tigera-operator', {}),
      namespace('kube-system', {}),
    ]);
    expect(result.status).toBe('pass');
  });

  test('not applicable: only system namespaces', () => {
    expect(checkManifest(NamespacesPodSecurityRestricted, [namespace('calico-system', {})]).status).toBe(
      'not-applicable',
    );
  });

  test('non-compliant: baseline (reported as the weaker level), privileged, and no label', () => {
    const result = checkManifest(NamespacesPodSecurityRestricted, [
      namespace('a', { [ENFORCE]: 'baseline' }),
      namespace('b', { [ENFORCE]: 'privileged' }),
      namespace('c', { 'pod-security.kubernetes.io/warn': 'restricted' }),
    ]);
    expect(result.status).toBe('fail');
    expect(messages(result)).toEqual([
      expect.stringMatching(/^Namespace a enforces only Pod Security baseline \(warning: root containers/),
      "Namespace b enforces Pod Security 'privileged', not restricted",
      `Namespace c has no ${ENFORCE} label, so any pod, privileged ones included, is admitted`,
    ]);
  });

  test('unresolved: the enforce level from a parameter (Fn::Join manifest)', () => {
    const result = checkManifestWithRef(
      NamespacesPodSecurityRestricted,
      [namespace('apps', { [ENFORCE]: 'LEVEL' })],
      'LEVEL',
      'PsaLevel',
    );
    expect(result.status).toBe('fail');
    expect(result.findings).toEqual([unresolvedFinding(/enforce of Namespace apps .*'PsaLevel'/)]);
  });

  test('the real product passes, and fails once its workload namespace enforces only baseline', () => {
    const template = productTemplate();
    expect(failures(NamespacesPodSecurityRestricted, template)).toEqual([]);
    const id = editManifestApplying(template, { kind: 'Namespace' }, (objects) => {
      objects[0].metadata.labels[ENFORCE] = 'baseline';
    });
    const failed = failures(NamespacesPodSecurityRestricted, template);
    expect(failed.map((e) => e.logicalId)).toEqual([id]);
    expect(failed[0].findings[0].message).toMatch(/^Namespace workloads enforces only Pod Security baseline/);
  });
});
