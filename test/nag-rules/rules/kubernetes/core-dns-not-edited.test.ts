import { CoreDnsNotEdited } from '../../../../nag-rules/rules/kubernetes/core-dns-not-edited';
import { check, failures, productTemplate } from '../../rule-harness';
import { messages, unresolvedFinding } from '../../rule-findings';
import { checkManifest, checkManifestWithRef, editManifestApplying, patchTemplate } from './kubernetes-fixtures';

const object = (kind: string, name: string, namespace: string) => ({
  apiVersion: 'v1',
  kind,
  metadata: { name, namespace },
});
const patch = (resourceName: string, ns: string) =>
  patchTemplate(resourceName, ns, { ApplyPatchJson: '{}', RestorePatchJson: '{}' });

describe('K8S-11 CoreDnsNotEdited', () => {
  test('compliant: objects named coredns outside kube-system, and other kube-system objects', () => {
    expect(
      checkManifest(CoreDnsNotEdited, [
        object('ConfigMap', 'coredns', 'workloads'),
        object('ConfigMap', 'settings', 'kube-system'),
      ]).status,
    ).toBe('pass');
    expect(check(CoreDnsNotEdited, patch('deployment/aws-load-balancer-controller', 'kube-system'), 'P').status).toBe(
      'pass',
    );
  });

  test("non-compliant: CoreDNS's ConfigMap, Deployment and Service applied", () => {
    const result = checkManifest(CoreDnsNotEdited, [
      object('ConfigMap', 'coredns', 'kube-system'),
      { ...object('Deployment', 'coredns', 'kube-system'), apiVersion: 'apps/v1' },
      object('Service', 'kube-dns', 'kube-system'),
    ]);
    expect(result.status).toBe('fail');
    expect(messages(result)).toEqual([
      "ConfigMap kube-system/coredns is applied (CoreDNS's own object, managed by the coredns add-on)",
      "Deployment kube-system/coredns is applied (CoreDNS's own object, managed by the coredns add-on)",
      "Service kube-system/kube-dns is applied (CoreDNS's own object, managed by the coredns add-on)",
    ]);
  });

  test('non-compliant: a kubectl patch of the CoreDNS Deployment', () => {
    const result = check(CoreDnsNotEdited, patch('deployment/coredns', 'kube-system'), 'P');
    expect(messages(result)).toEqual(['the patch changes deployment/coredns in kube-system (CoreDNS)']);
  });

  test('unresolved: a kube-system object whose name comes from a parameter (Fn::Join manifest)', () => {
    const result = checkManifestWithRef(
      CoreDnsNotEdited,
      [object('ConfigMap', 'NAME', 'kube-system')],
      'NAME',
      'ConfigName',
    );
    expect(result.findings).toEqual([unresolvedFinding(/it may be CoreDNS's.*'ConfigName'/)]);
  });

  test('the real product passes, and fails once a manifest replaces the CoreDNS ConfigMap', () => {
    const template = productTemplate();
    expect(failures(CoreDnsNotEdited, template)).toEqual([]);
    const id = editManifestApplying(template, { kind: 'ClusterRole' }, (objects) => [
      ...objects,
      { ...object('ConfigMap', 'coredns', 'kube-system'), data: { Corefile: '. { forward . 203.0.113.53 }' } },
    ]);
    const failed = failures(CoreDnsNotEdited, template);
    expect(failed.map((e) => e.logicalId)).toEqual([id]);
    expect(failed[0].findings[0].message).toMatch(/^ConfigMap kube-system\/coredns is applied/);
  });
});
