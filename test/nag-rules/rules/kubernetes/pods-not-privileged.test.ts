import { PodsNotPrivileged } from '../../../../nag-rules/rules/kubernetes/pods-not-privileged';
import { failures, productTemplate } from '../../rule-harness';
import { messages, unresolvedFinding } from '../../rule-findings';
import {
  checkManifest,
  checkManifestWithRef,
  cronJob,
  deployment,
  editManifestApplying,
  manifestIdOf,
  pod,
  safeContainer,
} from './kubernetes-fixtures';

describe('K8S-4 PodsNotPrivileged', () => {
  test('compliant: a Deployment whose containers do not escalate', () => {
    const result = checkManifest(PodsNotPrivileged, [
      deployment({ containers: [safeContainer()], initContainers: [safeContainer('init')] }),
    ]);
    expect(result.status).toBe('pass');
  });

  test('not applicable: no pod spec in the manifest', () => {
    expect(
      checkManifest(PodsNotPrivileged, [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }]).status,
    ).toBe('not-applicable');
  });

  test('non-compliant: privileged Pod, host namespaces, escalating init container, and a CronJob template on the host PID', () => {
    const result = checkManifest(PodsNotPrivileged, [
      pod({
        containers: [safeContainer('app', { securityContext: { privileged: true, allowPrivilegeEscalation: false } })],
      }),
      deployment({
        hostNetwork: true,
        hostIPC: true,
        containers: [safeContainer()],
        initContainers: [safeContainer('setup', { securityContext: { allowPrivilegeEscalation: true } })],
      }),
      cronJob({ hostPID: true, containers: [safeContainer()] }),
    ]);
    expect(result.status).toBe('fail');
    expect(messages(result)).toEqual([
      "container 'app' of Pod workloads/p sets privileged: true",
      'Deployment workloads/d sets hostIPC: true',
      'Deployment workloads/d sets hostNetwork: true',
      "init container 'setup' of Deployment workloads/d sets allowPrivilegeEscalation: true",
      'CronJob workloads/cj sets hostPID: true',
    ]);
  });

  test('non-compliant: a container that leaves allowPrivilegeEscalation unset (Kubernetes defaults it to true)', () => {
    const result = checkManifest(PodsNotPrivileged, [pod({ containers: [{ name: 'app', image: 'x' }] })]);
    expect(messages(result)).toEqual([
      "container 'app' of Pod workloads/p does not set allowPrivilegeEscalation: false (it defaults to true)",
    ]);
  });

  test('unresolved: privileged decided by a parameter (Fn::Join manifest)', () => {
    const objects = [
      pod({
        containers: [
          { name: 'app', image: 'x', securityContext: { privileged: 'FLAG', allowPrivilegeEscalation: false } },
        ],
      }),
    ];
    const result = checkManifestWithRef(PodsNotPrivileged, objects, 'FLAG', 'Privileged');
    expect(result.status).toBe('fail');
    expect(result.findings).toEqual([
      unresolvedFinding(/privileged of container 'app' of Pod workloads\/p .*'Privileged'/),
    ]);
  });

  test("the real product fails only on kube-bench's hostPID (exempted in the register), and on a privileged pod a manifest adds", () => {
    const template = productTemplate();
    const kubeBench = manifestIdOf(template, 'CronJob', 'kube-bench');
    const own = failures(PodsNotPrivileged, template);
    expect(own.map((e) => [e.logicalId, messages(e)])).toEqual([
      [kubeBench, ['CronJob kube-system/kube-bench sets hostPID: true']],
    ]);
    const id = editManifestApplying(template, { kind: 'NetworkPolicy' }, (objects) => [
      ...objects,
      pod({
        hostPID: true,
        containers: [
          safeContainer('debug', { securityContext: { privileged: true, allowPrivilegeEscalation: false } }),
        ],
      }),
    ]);
    const failed = failures(PodsNotPrivileged, template).filter((e) => e.logicalId !== kubeBench);
    expect(failed.map((e) => e.logicalId)).toEqual([id]);
    expect(messages(failed[0])).toEqual([
      'Pod workloads/p sets hostPID: true',
      "container 'debug' of Pod workloads/p sets privileged: true",
    ]);
  });
});
