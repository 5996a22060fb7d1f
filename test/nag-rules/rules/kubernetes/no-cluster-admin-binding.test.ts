import { NoClusterAdminBinding } from '../../../../nag-rules/rules/kubernetes/no-cluster-admin-binding';
import { check, failures, productTemplate, templateOf } from '../../rule-harness';
import { messages, unresolvedFinding } from '../../rule-findings';
import { checkManifest, cluster, editManifestApplying, manifestWithRefTemplate } from './kubernetes-fixtures';

const binding = (kind: string, role: string, namespace?: string) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind,
  metadata: { name: `${role}-binding`, ...(namespace ? { namespace } : {}) },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
  subjects: [{ kind: 'ServiceAccount', name: 'app', namespace: 'workloads' }],
});

describe('K8S-2 NoClusterAdminBinding', () => {
  test('compliant: view cluster-wide, admin and edit inside one namespace', () => {
    const result = checkManifest(NoClusterAdminBinding, [
      binding('ClusterRoleBinding', 'view'),
      binding('RoleBinding', 'admin', 'workloads'),
      binding('RoleBinding', 'edit', 'workloads'),
    ]);
    expect(result.status).toBe('pass');
  });

  test('not applicable: no binding in the manifest', () => {
    expect(
      checkManifest(NoClusterAdminBinding, [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } }]).status,
    ).toBe('not-applicable');
  });

  test('non-compliant: cluster-admin in either binding kind, and admin bound cluster-wide', () => {
    const result = checkManifest(NoClusterAdminBinding, [
      binding('ClusterRoleBinding', 'cluster-admin'),
      binding('RoleBinding', 'cluster-admin', 'workloads'),
      binding('ClusterRoleBinding', 'admin'),
    ]);
    expect(result.status).toBe('fail');
    expect(messages(result)).toEqual([
      'ClusterRoleBinding cluster-admin-binding binds the ClusterRole cluster-admin',
      'RoleBinding workloads/cluster-admin-binding binds the ClusterRole cluster-admin',
      'ClusterRoleBinding admin-binding binds the ClusterRole admin in every namespace',
    ]);
  });

  test('unresolved: the bound role comes from a parameter (Fn::Join manifest)', () => {
    const template = manifestWithRefTemplate([binding('ClusterRoleBinding', 'ROLE_MARKER')], 'ROLE_MARKER', 'RoleName');
    const result = check(NoClusterAdminBinding, template, 'M');
    expect(result.status).toBe('fail');
    expect(result.findings).toEqual([unresolvedFinding(/roleRef of ClusterRoleBinding .*RoleName/)]);
  });

  test('unreadable manifest is a finding', () => {
    const template = templateOf({
      Cluster: cluster(),
      M: { Type: 'Custom::AWSCDK-EKS-KubernetesResource', Properties: { Manifest: '[{"kind": ' } },
    });
    const result = check(NoClusterAdminBinding, template, 'M');
    expect(result.status).toBe('fail');
    expect(result.findings[0]).toEqual(unresolvedFinding(/manifest of M cannot be read/));
  });

  test('the real product passes, and fails once its aws-node binding points at cluster-admin', () => {
    const template = productTemplate();
    expect(failures(NoClusterAdminBinding, template)).toEqual([]);
    const id = editManifestApplying(
      template,
      { kind: 'ClusterRoleBinding', name: 'aws-node-annotate-pod-ip' },
      (objects) => {
        objects.find((o) => o.kind === 'ClusterRoleBinding').roleRef.name = 'cluster-admin';
      },
    );
    const failed = failures(NoClusterAdminBinding, template);
    expect(failed.map((e) => e.logicalId)).toEqual([id]);
    expect(failed[0].findings[0].message).toBe(
      'ClusterRoleBinding aws-node-annotate-pod-ip binds the ClusterRole cluster-admin',
    );
  });
});
