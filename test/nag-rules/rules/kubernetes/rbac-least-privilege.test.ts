import { RbacLeastPrivilege } from '../../../../nag-rules/rules/kubernetes/rbac-least-privilege';
import { check, failures, productTemplate } from '../../rule-harness';
import { messages, unresolvedFinding } from '../../rule-findings';
import { checkManifest, editManifestApplying, manifestWithRefTemplate } from './kubernetes-fixtures';

const role = (kind: 'Role' | 'ClusterRole', rules: unknown[], name = 'r') => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind,
  metadata: { name, ...(kind === 'Role' ? { namespace: 'workloads' } : {}) },
  rules,
});

describe('K8S-3 RbacLeastPrivilege', () => {
  test('compliant: named verbs and resources; secrets read in a namespace, or cluster-wide by resourceNames', () => {
    const result = checkManifest(RbacLeastPrivilege, [
      role('ClusterRole', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch', 'patch'] }]),
      role('Role', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }], 'ns-secrets'),
      role(
        'ClusterRole',
        [{ apiGroups: [''], resources: ['secrets'], resourceNames: ['tls-cert'], verbs: ['get'] }],
        'one-secret',
      ),
      role(
        'ClusterRole',
        [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['create', 'update'] }],
        'deployer',
      ),
    ]);
    expect(result.status).toBe('pass');
  });

  test('non-compliant: wildcards, cluster-wide secret reads, escalate/bind/impersonate, exec and the kubelet proxy', () => {
    const result = checkManifest(RbacLeastPrivilege, [
      role('ClusterRole', [
        { apiGroups: ['*'], resources: ['deployments'], verbs: ['get'] },
        { apiGroups: [''], resources: ['configmaps'], verbs: ['*'] },
        { apiGroups: [''], resources: ['secrets'], verbs: ['list', 'watch'] },
        { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind', 'escalate'] },
        { apiGroups: [''], resources: ['users', 'serviceaccounts'], verbs: ['impersonate'] },
        { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] },
        { apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] },
      ]),
    ]);
    expect(result.status).toBe('fail');
    expect(messages(result)).toEqual([
      "rule 1 of ClusterRole r grants a wildcard in apiGroups ('*')",
      "rule 2 of ClusterRole r grants a wildcard in verbs ('*')",
      'rule 3 of ClusterRole r grants list, watch on every secret (a ClusterRole without resourceNames)',
      'rule 4 of ClusterRole r grants bind, escalate (privilege escalation through RBAC)',
      'rule 5 of ClusterRole r grants impersonate (privilege escalation through RBAC)',
      'rule 6 of ClusterRole r grants create on pods/exec (runs commands in containers)',
      'rule 7 of ClusterRole r grants get on nodes/proxy (runs commands in containers)',
    ]);
  });

  test('unresolved: verbs from a parameter (Fn::Join manifest)', () => {
    const template = manifestWithRefTemplate(
      [role('Role', [{ apiGroups: [''], resources: ['pods'], verbs: ['VERB'] }])],
      'VERB',
      'Verb',
    );
    const result = check(RbacLeastPrivilege, template, 'M');
    expect(result.findings).toEqual([unresolvedFinding(/verbs of rule 1 of Role workloads\/r .*'Verb'/)]);
  });

  test('the real product passes, and fails once the aws-node ClusterRole gets a wildcard verb', () => {
    const template = productTemplate();
    expect(failures(RbacLeastPrivilege, template)).toEqual([]);
    const id = editManifestApplying(template, { kind: 'ClusterRole', name: 'aws-node-annotate-pod-ip' }, (objects) => {
      objects.find((o) => o.kind === 'ClusterRole').rules[0].verbs = ['*'];
    });
    const failed = failures(RbacLeastPrivilege, template);
    expect(failed.map((e) => e.logicalId)).toEqual([id]);
    expect(messages(failed[0])).toEqual([
      "rule 1 of ClusterRole aws-node-annotate-pod-ip grants a wildcard in verbs ('*')",
    ]);
  });
});
