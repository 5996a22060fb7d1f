import { hasToken } from './intrinsics';
import { describeObject, namespaceOf, unresolvedField } from './kubernetes-objects';
import { RuleFinding } from './rule';
import { isObject } from './template-model';

/** Where each workload kind keeps its pod spec. */
export const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/** A pod spec found in an object, with what it came from. */
export interface PodSpecAt {
  /** The object holding it (a Pod, a workload, a CronJob…). */
  readonly object: Record<string, any>;
  /** `Kind namespace/name`, for messages. */
  readonly where: string;
  /** The namespace its pods run in (a placeholder string when unknown). */
  readonly namespace: unknown;
  readonly spec: Record<string, any>;
}

export interface ContainerAt {
  /** e.g. `init container 'setup'`. */
  readonly label: string;
  readonly container: Record<string, any>;
}

/**
 * Every pod spec of the objects: a Pod's, and the pod templates of Deployments, DaemonSets, StatefulSets, ReplicaSets,
 * ReplicationControllers, Jobs, CronJobs and PodTemplates. A kind or template that is a placeholder gives an
 * `unresolved` finding (it may hold a pod spec).
 */
export function podSpecsIn(objects: readonly Record<string, any>[]): { specs: PodSpecAt[]; findings: RuleFinding[] } {
  const specs: PodSpecAt[] = [];
  const findings: RuleFinding[] = [];
  for (const object of objects) {
    const where = describeObject(object);
    if (hasToken(object.kind)) {
      findings.push(unresolvedField(`the kind of ${where} (it may run pods)`, object.kind));
      continue;
    }
    const path =
      typeof object.kind === 'string' && Object.hasOwn(POD_SPEC_PATHS, object.kind)
        ? POD_SPEC_PATHS[object.kind]
        : undefined;
    if (!path) continue;
    let value: unknown = object;
    for (const key of path) {
      value = isObject(value) ? value[key] : undefined;
      if (hasToken(value)) {
        findings.push(unresolvedField(`the pod template of ${where}`, value));
        value = undefined;
        break;
      }
    }
    if (isObject(value)) specs.push({ object, where, namespace: namespaceOf(object), spec: value });
  }
  return { specs, findings };
}

/** The containers, init containers and ephemeral containers of a pod spec; a list that is a placeholder gives a finding. */
export function containersOf(pod: PodSpecAt): { containers: ContainerAt[]; findings: RuleFinding[] } {
  const containers: ContainerAt[] = [];
  const findings: RuleFinding[] = [];
  for (const [field, label] of [
    ['containers', 'container'],
    ['initContainers', 'init container'],
    ['ephemeralContainers', 'ephemeral container'],
  ]) {
    const list = pod.spec[field];
    if (hasToken(list)) {
      findings.push(unresolvedField(`the ${field} of ${pod.where}`, list));
      continue;
    }
    if (!Array.isArray(list)) continue;
    list.forEach((container, i) => {
      if (!isObject(container)) return;
      const name = typeof container.name === 'string' ? container.name : `#${i + 1}`;
      containers.push({ label: `${label} '${name}'`, container });
    });
  }
  return { containers, findings };
}
