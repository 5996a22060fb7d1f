import { exposesRuntimeSocket, NoWritableHostPath } from '../../../../nag-rules/rules/kubernetes/no-writable-host-path';
import { failures, productTemplate } from '../../rule-harness';
import { messages, unresolvedFinding } from '../../rule-findings';
import {
  checkManifest,
  checkManifestWithRef,
  deployment,
  editManifestApplying,
  pod,
  safeContainer,
} from './kubernetes-fixtures';

const hostVolume = (name: string, path: string) => ({ name, hostPath: { path } });
const mount = (name: string, readOnly?: boolean) => ({
  name,
  mountPath: `/mnt/${name}`,
  ...(readOnly === undefined ? {} : { readOnly }),
});

describe('K8S-5 NoWritableHostPath', () => {
  test('compliant: a hostPath mounted read-only by every container, and other volume types', () => {
    const result = checkManifest(NoWritableHostPath, [
      deployment({
        volumes: [hostVolume('logs', '/var/log'), { name: 'scratch', emptyDir: {} }],
        containers: [safeContainer('a', { volumeMounts: [mount('logs', true), mount('scratch')] })],
        initContainers: [safeContainer('b', { volumeMounts: [mount('logs', true)] })],
      }),
    ]);
    expect(result.status).toBe('pass');
  });

  test('non-compliant: one writable mount of a hostPath, runtime sockets even read-only, and a hostPath PersistentVolume', () => {
    const result = checkManifest(NoWritableHostPath, [
      pod({
        volumes: [
          hostVolume('logs', '/var/log'),
          hostVolume('docker', '/var/run/docker.sock'),
          hostVolume('run', '/run/'),
        ],
        containers: [
          safeContainer('reader', { volumeMounts: [mount('logs', true), mount('docker', true)] }),
          safeContainer('writer', { volumeMounts: [mount('logs'), mount('run', true)] }),
        ],
      }),
      {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name: 'node-disk' },
        spec: { capacity: { storage: '1Gi' }, hostPath: { path: '/data' } },
      },
    ]);
    expect(result.status).toBe('fail');
    expect(messages(result)).toEqual([
      "container 'writer' mounts hostPath volume 'logs' of Pod workloads/p ('/var/log') writable (readOnly is not true)",
      expect.stringMatching(
        /^hostPath volume 'docker' of Pod workloads\/p mounts the host path '\/var\/run\/docker.sock', which exposes a container-runtime socket/,
      ),
      expect.stringMatching(
        /^hostPath volume 'run' of Pod workloads\/p mounts the host path '\/run\/', which exposes a container-runtime socket/,
      ),
      "PersistentVolume node-disk is a hostPath volume ('/data'): any claim mounts the node's disk writable",
    ]);
  });

  test('runtime socket paths, and their directories, are recognised', () => {
    expect(
      [
        '/var/run/containerd/containerd.sock',
        '/run/containerd',
        '/var/run',
        '/',
        '/var//run/crio/',
        '/host/run/docker.sock',
      ].every(exposesRuntimeSocket),
    ).toBe(true);
    expect(['/var/log', '/etc/ssl/certs', '/var/lib/kubelet', '/run/xtables.lock'].some(exposesRuntimeSocket)).toBe(
      false,
    );
  });

  test('unresolved: the host path comes from a parameter (Fn::Join manifest)', () => {
    const objects = [
      pod({
        volumes: [hostVolume('h', 'PATH')],
        containers: [safeContainer('a', { volumeMounts: [mount('h', true)] })],
      }),
    ];
    const result = checkManifestWithRef(NoWritableHostPath, objects, 'PATH', 'HostPath');
    expect(result.findings).toEqual([unresolvedFinding(/hostPath path of hostPath volume 'h' .*'HostPath'/)]);
  });

  test('the real product passes, and fails once a manifest adds a pod writing to the node', () => {
    const template = productTemplate();
    expect(failures(NoWritableHostPath, template)).toEqual([]);
    const id = editManifestApplying(template, { kind: 'Namespace' }, (objects) => [
      ...objects,
      pod({ volumes: [hostVolume('etc', '/etc')], containers: [safeContainer('a', { volumeMounts: [mount('etc')] })] }),
    ]);
    const failed = failures(NoWritableHostPath, template);
    expect(failed.map((e) => e.logicalId)).toEqual([id]);
    expect(failed[0].findings[0].message).toMatch(/'etc' of Pod workloads\/p \('\/etc'\) writable/);
  });
});
