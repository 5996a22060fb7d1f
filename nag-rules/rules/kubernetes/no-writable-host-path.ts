import * as path from 'path';
import { hasToken } from '../../core/intrinsics';
import {
  describeObject,
  flagState,
  KUBERNETES_RESOURCE_TYPES,
  objectsAppliedBy,
  objectsOf,
  ofKinds,
  unresolvedField,
} from '../../core/kubernetes-objects';
import { containersOf, podSpecsIn } from '../../core/pod-specs';
import { COMPLIANT, NOT_APPLICABLE, RuleFinding, ThreatModelRule } from '../../core/rule';
import { isObject } from '../../core/template-model';

/** Where container runtimes listen on EKS nodes (AL2023, Bottlerocket) and on older Docker-based nodes. */
const RUNTIME_SOCKETS = [
  '/var/run/docker.sock',
  '/run/docker.sock',
  '/var/run/dockershim.sock',
  '/var/run/cri-dockerd.sock',
  '/run/containerd/containerd.sock',
  '/var/run/containerd/containerd.sock',
  '/run/crio/crio.sock',
  '/var/run/crio/crio.sock',
  '/run/dockershim.sock',
];
const SOCKET_NAMES = /(docker|containerd|crio|dockershim|cri-dockerd)\.sock/;

/**
 * Whether a host path is, or is a directory holding, a container-runtime socket. A read-only mount does not help:
 * connecting to a Unix socket works on a read-only mount.
 */
export function exposesRuntimeSocket(hostPath: string): boolean {
  if (SOCKET_NAMES.test(hostPath)) return true;
  const normalized = path.posix.normalize(`/${hostPath}`).replace(/\/+$/, '') || '/';
  return RUNTIME_SOCKETS.some(
    (socket) => socket === normalized || socket.startsWith(normalized === '/' ? '/' : `${normalized}/`),
  );
}

function checkHostPath(hostPath: unknown, where: string): RuleFinding[] {
  const p = isObject(hostPath) ? hostPath.path : undefined;
  if (hasToken(p)) return [unresolvedField(`the hostPath path of ${where}`, p)];
  if (typeof p === 'string' && exposesRuntimeSocket(p)) {
    return [
      {
        message: `${where} mounts the host path '${p}', which exposes a container-runtime socket (control of every container on the node, even read-only)`,
      },
    ];
  }
  return [];
}

/** K8S-5: hostPath volumes only mounted read-only, and never onto a container-runtime socket. */
export const NoWritableHostPath: ThreatModelRule = {
  controlId: 'K8S-5',
  threats: ['TH-2', 'PE-2', 'LM-5'],
  level: 'error',
  kind: 'misconfiguration',
  description:
    'Every hostPath volume of a pod spec is mounted readOnly by every container that mounts it, no hostPath reaches a ' +
    'container-runtime socket (docker, containerd, cri-o), and no PersistentVolume uses hostPath',
  explanation:
    'A writable host path lets a container write onto the node (a cron job, an SSH key, a kubelet config) and persist or ' +
    'escape there (PE-2, LM-5, TH-2). A runtime socket, even mounted read-only, lets the container start privileged containers on ' +
    'the node. A hostPath PersistentVolume is mounted writable by whatever claims it.',
  resourceTypes: KUBERNETES_RESOURCE_TYPES,
  evaluate({ model, logicalId }) {
    const { objects, findings } = objectsAppliedBy(model, logicalId);
    const { specs, findings: specFindings } = podSpecsIn(objects);
    findings.push(...specFindings);
    let judged = specs.length;
    for (const pod of specs) {
      if (hasToken(pod.spec.volumes)) {
        findings.push(unresolvedField(`the volumes of ${pod.where}`, pod.spec.volumes));
        continue;
      }
      const { containers, findings: containerFindings } = containersOf(pod);
      findings.push(...containerFindings);
      for (const volume of objectsOf(pod.spec.volumes)) {
        if (hasToken(volume.hostPath)) {
          findings.push(unresolvedField(`volume '${String(volume.name)}' of ${pod.where}`, volume.hostPath));
          continue;
        }
        if (!isObject(volume.hostPath)) continue;
        const where = `hostPath volume '${String(volume.name)}' of ${pod.where}`;
        findings.push(...checkHostPath(volume.hostPath, where));
        if (hasToken(volume.name)) {
          findings.push(unresolvedField(`the name of a hostPath volume of ${pod.where}`, volume.name));
          continue;
        }
        for (const { label, container } of containers) {
          if (hasToken(container.volumeMounts)) {
            findings.push(unresolvedField(`the volumeMounts of ${label} of ${pod.where}`, container.volumeMounts));
            continue;
          }
          for (const mount of objectsOf(container.volumeMounts)) {
            if (hasToken(mount.name))
              findings.push(unresolvedField(`a volume mount of ${label} of ${pod.where}`, mount.name));
            if (mount.name !== volume.name) continue;
            const readOnly = flagState(mount.readOnly);
            if (readOnly === 'token')
              findings.push(unresolvedField(`readOnly of the mount of ${where} in ${label}`, mount.readOnly));
            else if (readOnly !== 'true')
              findings.push({
                message: `${label} mounts ${where} ('${String(volume.hostPath.path)}') writable (readOnly is not true)`,
              });
          }
        }
      }
    }
    // Objects of a placeholder kind were reported by podSpecsIn already.
    const { matches: volumes } = ofKinds(objects, ['PersistentVolume']);
    for (const pv of volumes) {
      judged++;
      const hostPath = isObject(pv.spec) ? pv.spec.hostPath : undefined;
      if (hasToken(hostPath)) findings.push(unresolvedField(`the hostPath of ${describeObject(pv)}`, hostPath));
      else if (isObject(hostPath)) {
        findings.push({
          message: `${describeObject(pv)} is a hostPath volume ('${String(hostPath.path)}'): any claim mounts the node's disk writable`,
        });
        findings.push(...checkHostPath(hostPath, describeObject(pv)));
      }
    }
    if (findings.length) return findings;
    return judged ? COMPLIANT : NOT_APPLICABLE;
  },
};
