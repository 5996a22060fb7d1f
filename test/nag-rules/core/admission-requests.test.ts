import {
  admissionObjects,
  changed,
  mustBeDenied,
  namespaceObject,
  networkPolicyChange,
  podUpdate,
  samplePod,
  userOfSubject,
} from '../../../nag-rules/core/admission-requests';

const policy = (expression: string, name = 'protect') => ({
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'ValidatingAdmissionPolicy',
  metadata: { name },
  spec: {
    matchConstraints: {
      resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['UPDATE'], resources: ['pods'] }],
    },
    validations: [{ expression, message: 'refused' }],
  },
});
const binding = (name = 'protect') => ({
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'ValidatingAdmissionPolicyBinding',
  metadata: { name },
  spec: { policyName: name, validationActions: ['Deny'] },
});
const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps', labels: { tier: 'prod' } } };
const attacker = userOfSubject({ kind: 'ServiceAccount', name: 'ci', namespace: 'apps' })!;
const pod = samplePod('apps');
const relabel = podUpdate(
  [namespace],
  attacker,
  pod,
  changed(pod, (p) => {
    p.metadata.labels.app = 'other';
  }),
);

test('attacker requests: a service account, a pod update, a network policy change', () => {
  expect(attacker).toEqual({
    username: 'system:serviceaccount:apps:ci',
    groups: ['system:serviceaccounts', 'system:serviceaccounts:apps', 'system:authenticated'],
  });
  expect(userOfSubject({ kind: 'Group', name: 'devs' })).toEqual({
    username: 'a-member-of-devs',
    groups: ['devs', 'system:authenticated'],
  });
  expect(userOfSubject({ kind: 'ServiceAccount', name: 'x' })).toBeUndefined();
  expect(namespaceObject([namespace], 'apps').metadata).toEqual({
    name: 'apps',
    labels: { tier: 'prod', 'kubernetes.io/metadata.name': 'apps' },
  });
  expect(relabel).toMatchObject({
    operation: 'UPDATE',
    kind: 'Pod',
    namespace: 'apps',
    oldObject: pod,
    object: { metadata: { labels: { app: 'other' } } },
  });
  expect(pod.metadata.labels.app).toBe('sample');
  const removal = networkPolicyChange(
    [namespace],
    attacker,
    'DELETE',
    { metadata: { name: 'deny-all', namespace: 'apps' } },
    null,
  );
  expect(removal).toMatchObject({ operation: 'DELETE', kind: 'NetworkPolicy', name: 'deny-all', object: null });
});

test('mustBeDenied: nothing when a literal policy denies, a finding when none does, unresolved when a template value decides', () => {
  const denies = [policy('object.metadata.labels == oldObject.metadata.labels'), binding()];
  expect(admissionObjects([namespace, ...denies])).toEqual(denies);
  expect(mustBeDenied(denies, relabel, 'relabelling a pod')).toBeUndefined();
  expect(mustBeDenied([], relabel, 'relabelling a pod')).toEqual({
    message: 'relabelling a pod, and no ValidatingAdmissionPolicy with a Deny binding refuses it',
  });
  const templated = [
    policy("request.userInfo.username != '${Token:Admin}' && object.metadata.labels == oldObject.metadata.labels"),
    binding(),
  ];
  expect(mustBeDenied(templated, relabel, 'relabelling a pod')).toEqual({
    message: "relabelling a pod: depends on template value 'Admin' in policy protect",
    unresolved: true,
  });
});
