import { NamespacesDefaultDeny } from '../../../../nag-rules/rules/kubernetes/namespaces-default-deny';
import { check, failures, productTemplate, templateOf } from '../../rule-harness';
import { messages, unresolvedFinding } from '../../rule-findings';
import {
  allowDns,
  checkOnCluster,
  cluster,
  defaultDeny,
  editManifestApplying,
  manifest,
  manifestWithRef,
  namespace,
  networkPolicy,
  productClusterId,
} from './kubernetes-fixtures';

describe('K8S-8 NamespacesDefaultDeny', () => {
  test('compliant: each workload namespace has a deny-all policy, from any manifest applied to the cluster', () => {
    const template = templateOf({
      Cluster: cluster(),
      Namespaces: manifest([namespace('a'), namespace('b'), namespace('kube-system', {})]),
      PoliciesA: manifest([defaultDeny('a'), allowDns('a', {})]),
      PoliciesB: manifest([
        networkPolicy('deny', 'b', {
          podSelector: { matchLabels: {} },
          policyTypes: ['Egress', 'Ingress'],
          ingress: [],
        }),
      ]),
    });
    expect(check(NamespacesDefaultDeny, template, 'Cluster').status).toBe('pass');
  });

  test('not applicable: no workload namespace applied to the cluster', () => {
    expect(checkOnCluster(NamespacesDefaultDeny, [namespace('default', {})]).status).toBe('not-applicable');
  });

  test('non-compliant: no policy, an ingress-only deny, a "deny" that allows all egress, and a policy applied to another cluster', () => {
    const template = templateOf({
      Cluster: cluster(),
      Other: cluster(),
      Namespaces: manifest([namespace('none'), namespace('ingress-only'), namespace('allows'), namespace('elsewhere')]),
      Policies: manifest([
        networkPolicy('deny-ingress', 'ingress-only', { podSelector: {}, policyTypes: ['Ingress'] }),
        networkPolicy('deny-all', 'allows', { podSelector: {}, policyTypes: ['Ingress', 'Egress'], egress: [{}] }),
      ]),
      OtherPolicies: manifest([defaultDeny('elsewhere')], 'Other'),
    });
    const result = check(NamespacesDefaultDeny, template, 'Cluster');
    expect(result.status).toBe('fail');
    expect(messages(result)).toEqual([
      "namespace 'none' has no default-deny NetworkPolicy (podSelector {}, policyTypes Ingress and Egress, no rules); it has no NetworkPolicy at all",
      "namespace 'ingress-only' has no default-deny NetworkPolicy (podSelector {}, policyTypes Ingress and Egress, no rules); its policies: deny-ingress",
      "namespace 'allows' has no default-deny NetworkPolicy (podSelector {}, policyTypes Ingress and Egress, no rules); its policies: deny-all",
      "namespace 'elsewhere' has no default-deny NetworkPolicy (podSelector {}, policyTypes Ingress and Egress, no rules); it has no NetworkPolicy at all",
    ]);
  });

  test('aws-eks v1 clusters (Custom::AWSCDK-EKS-Cluster) are judged the same way', () => {
    const template = templateOf({
      Cluster: { Type: 'Custom::AWSCDK-EKS-Cluster', Properties: { Config: {} } },
      M: manifest([namespace('apps')]),
    });
    expect(messages(check(NamespacesDefaultDeny, template, 'Cluster'))).toEqual([
      expect.stringMatching(/^namespace 'apps' has no default-deny NetworkPolicy/),
    ]);
    (template.Resources as any).Policies = manifest([defaultDeny('apps')]);
    expect(check(NamespacesDefaultDeny, template, 'Cluster').status).toBe('pass');
  });

  test("unresolved: the policy's namespace comes from a parameter (Fn::Join manifest); an unreadable manifest is a finding", () => {
    const template = templateOf({
      Cluster: cluster(),
      Namespaces: manifest([namespace('a')]),
      Policies: manifestWithRef([defaultDeny('NS')], 'NS', 'PolicyNamespace'),
    });
    const result = check(NamespacesDefaultDeny, template, 'Cluster');
    expect(result.findings).toEqual([unresolvedFinding(/default-deny policy of namespace 'a' .*'PolicyNamespace'/)]);
    const unreadable = templateOf({
      Cluster: cluster(),
      M: {
        Type: 'Custom::AWSCDK-EKS-KubernetesResource',
        Properties: { ClusterName: { Ref: 'Cluster' }, Manifest: 'kind: Namespace' },
      },
    });
    expect(check(NamespacesDefaultDeny, unreadable, 'Cluster').findings).toEqual([
      unresolvedFinding(/manifest of M cannot be read/),
    ]);
  });

  test('the real product passes, and fails on its cluster once default-deny-all is removed', () => {
    const template = productTemplate();
    expect(failures(NamespacesDefaultDeny, template)).toEqual([]);
    const clusterId = productClusterId(template);
    editManifestApplying(template, { kind: 'NetworkPolicy', name: 'default-deny-all' }, (objects) =>
      objects.filter((o) => o.metadata.name !== 'default-deny-all'),
    );
    const failed = failures(NamespacesDefaultDeny, template);
    expect(failed.map((e) => e.logicalId)).toEqual([clusterId]);
    expect(failed[0].findings[0].message).toMatch(
      /^namespace 'workloads' has no default-deny NetworkPolicy .* its policies: allow-dns-egress, allow-pod-identity-agent-egress, quarantine$/,
    );
  });
});
