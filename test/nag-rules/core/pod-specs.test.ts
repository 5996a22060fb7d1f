import { containersOf, podSpecsIn } from '../../../nag-rules/core/pod-specs';

const spec = { containers: [{ name: 'app', image: 'x' }], initContainers: [{ image: 'y' }] };

test('pod specs of pods, workloads and CronJobs; a placeholder kind or template is unresolved', () => {
  const { specs, findings } = podSpecsIn([
    { kind: 'Pod', metadata: { name: 'p', namespace: 'team' }, spec },
    { kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: { spec: { template: { spec } } } } },
    { kind: 'Deployment', metadata: { name: 'd' }, spec: { template: '${Token:Template}' } },
    { kind: '${Token:Kind}', metadata: { name: 'k' } },
    { kind: 'ConfigMap', metadata: { name: 'm' } },
  ]);
  expect(specs.map((s) => [s.where, s.namespace])).toEqual([
    ['Pod team/p', 'team'],
    ['CronJob c', 'default'],
  ]);
  expect(findings.map((f) => [f.unresolved, f.message.split(' cannot')[0]])).toEqual([
    [true, 'the pod template of Deployment d'],
    [true, 'the kind of ${Token:Kind} k (it may run pods)'],
  ]);
});

test('containers, init containers and ephemeral containers, labelled for messages', () => {
  const [pod] = podSpecsIn([
    { kind: 'Pod', metadata: { name: 'p' }, spec: { ...spec, ephemeralContainers: '${Token:Debug}' } },
  ]).specs;
  const { containers, findings } = containersOf(pod);
  expect(containers.map((c) => c.label)).toEqual(["container 'app'", "init container '#1'"]);
  expect(findings).toEqual([
    expect.objectContaining({ unresolved: true, message: expect.stringMatching(/^the ephemeralContainers of Pod p/) }),
  ]);
});
