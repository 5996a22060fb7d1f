import { podPatchersMetadataOnly, POD_PATCHERS_POLICY } from '../../../../lib/kubernetes/admission-policies';
import { PodPatchersMetadataOnly } from '../../../../nag-rules/rules/kubernetes/pod-patchers-metadata-only';
import { failures, productTemplate } from '../../rule-harness';
import { messages } from '../../rule-findings';
import {
  checkOnCluster,
  checkOnClusterWithRef,
  editManifestApplying,
  namespace,
  productClusterId,
  setPolicyBindingActions,
} from './kubernetes-fixtures';

const patcherRole = (verbs = ['patch'], resources = ['pods']) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  metadata: { name: 'patcher' },
  rules: [{ apiGroups: [''], resources, verbs }],
});
const bindingTo = (subject: Record<string, unknown>) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  metadata: { name: 'patcher' },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'patcher' },
  subjects: [subject],
});
const SA = { kind: 'ServiceAccount', name: 'cni', namespace: 'kube-system' };
const GROUP = { kind: 'Group', name: 'responders', apiGroup: 'rbac.authorization.k8s.io' };
const metadataOnly = podPatchersMetadataOnly({
  usernames: ['system:serviceaccount:kube-system:cni'],
  groups: ['responders'],
});
/** K8S-15 on the cluster, with namespace apps and the objects applied to it. */
const checkApps = (...objects: unknown[]) => checkOnCluster(PodPatchersMetadataOnly, [namespace('apps'), ...objects]);

describe('K8S-15 PodPatchersMetadataOnly', () => {
  test('compliant: a service account and a group may patch pods, and a policy refuses them anything but metadata', () => {
    expect(checkApps(patcherRole(), bindingTo(SA), bindingTo(GROUP), ...metadataOnly).status).toBe('pass');
  });

  test('compliant however the policy is written: one that refuses any change of the containers', () => {
    const containersFixed = [
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicy',
        metadata: { name: 'images' },
        spec: {
          matchConstraints: {
            resourceRules: [{ apiGroups: ['*'], apiVersions: ['*'], operations: ['*'], resources: ['*'] }],
          },
          validations: [
            { expression: 'request.operation != "UPDATE" || object.spec.containers == oldObject.spec.containers' },
          ],
        },
      },
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicyBinding',
        metadata: { name: 'images' },
        spec: { policyName: 'images', validationActions: ['Deny', 'Audit'] },
      },
    ];
    expect(checkApps(patcherRole(), bindingTo(SA), ...containersFixed).status).toBe('pass');
  });

  test('not applicable: nobody is given patch or update on pods cluster-wide', () => {
    expect(checkApps(patcherRole(['get', 'list']), bindingTo(SA)).status).toBe('not-applicable');
  });

  test('non-compliant: no admission policy; a policy that only warns; one limited to other namespaces; one for other users', () => {
    const none = checkApps(patcherRole(['update']), bindingTo(SA));
    expect(messages(none)).toEqual([
      'ServiceAccount kube-system/cni may patch every pod (ClusterRoleBinding patcher (ClusterRole patcher)) and can change the image of a privileged pod in kube-system, and no ValidatingAdmissionPolicy with a Deny binding refuses it',
      'ServiceAccount kube-system/cni may patch every pod (ClusterRoleBinding patcher (ClusterRole patcher)) and can change the image of a privileged pod in apps, and no ValidatingAdmissionPolicy with a Deny binding refuses it',
    ]);
    const warnOnly = metadataOnly.map((o: any) =>
      o.kind === 'ValidatingAdmissionPolicyBinding' ? { ...o, spec: { ...o.spec, validationActions: ['Warn'] } } : o,
    );
    expect(checkApps(patcherRole(), bindingTo(GROUP), ...warnOnly).status).toBe('fail');
    const appsOnly = metadataOnly.map((o: any) =>
      o.kind === 'ValidatingAdmissionPolicy'
        ? {
            ...o,
            spec: {
              ...o.spec,
              matchConstraints: {
                ...o.spec.matchConstraints,
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'apps' } },
              },
            },
          }
        : o,
    );
    expect(messages(checkApps(patcherRole(), bindingTo(SA), ...appsOnly))).toEqual([
      expect.stringMatching(/privileged pod in kube-system, and no ValidatingAdmissionPolicy/),
    ]);
    const otherUsers = podPatchersMetadataOnly({ usernames: ['system:serviceaccount:kube-system:someone-else'] });
    expect(checkApps(patcherRole(['*'], ['*']), bindingTo(SA), ...otherUsers).status).toBe('fail');
  });

  test('unresolved: the restricted username comes from a template parameter', () => {
    const objects = [
      namespace('apps'),
      patcherRole(),
      bindingTo(SA),
      ...podPatchersMetadataOnly({ usernames: ['PATCHER'] }),
    ];
    const result = checkOnClusterWithRef(PodPatchersMetadataOnly, objects, 'PATCHER', 'PatcherName');
    expect(result.findings.length).toBeGreaterThan(0);
    expect(result.findings.every((f) => f.unresolved && /PatcherName/.test(f.message))).toBe(true);
  });

  test('the real product passes; it fails once the policy is removed or its binding only warns', () => {
    const template = productTemplate();
    expect(failures(PodPatchersMetadataOnly, template)).toEqual([]);
    const clusterId = productClusterId(template);
    const warned = productTemplate();
    setPolicyBindingActions(warned, POD_PATCHERS_POLICY, ['Warn']);
    const failed = failures(PodPatchersMetadataOnly, warned);
    expect(failed.map((e) => e.logicalId)).toEqual([clusterId]);
    expect(messages(failed[0])).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^ServiceAccount kube-system\/aws-node may patch every pod .* in kube-system, and no ValidatingAdmissionPolicy/,
        ),
        expect.stringMatching(
          /^Group hardened-eks:incident-responders may patch every pod .* in workloads, and no ValidatingAdmissionPolicy/,
        ),
      ]),
    );
    editManifestApplying(template, { kind: 'ValidatingAdmissionPolicy', name: POD_PATCHERS_POLICY }, (objects) =>
      objects.filter((o) => o.metadata.name !== POD_PATCHERS_POLICY),
    );
    expect(failures(PodPatchersMetadataOnly, template).map((e) => e.logicalId)).toEqual([clusterId]);
  });
});
