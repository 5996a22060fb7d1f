import {
  admit,
  AdmissionRequest,
  AdmissionUser,
  isAdmissionPolicy,
  isAdmissionPolicyBinding,
} from './admission-policy';
import { RuleFinding } from './rule';
import { isObject } from './template-model';
import { containsToken, metadataOf, tokenCause } from './kubernetes-objects';

/*
 * Helpers of the rules that judge ValidatingAdmissionPolicies by their effect: they build the admission requests an
 * attacker would send and ask what the applied policies and bindings decide (nag-rules/core/admission-policy.ts).
 */

/** The ValidatingAdmissionPolicies and bindings among the objects applied to a cluster. */
export function admissionObjects(objects: readonly Record<string, any>[]): Record<string, any>[] {
  return objects.filter((o) => isAdmissionPolicy(o) || isAdmissionPolicyBinding(o));
}

/**
 * A finding when the policies let a request through that they must refuse: `undefined` when a policy without template
 * values denies it; `unresolved` when the decision depends on template values (or on what the evaluator cannot run).
 */
export function mustBeDenied(
  admission: readonly Record<string, any>[],
  request: AdmissionRequest,
  refusal: string,
): RuleFinding | undefined {
  const decision = admit(admission, request);
  if (decision.outcome === 'unknown')
    return { message: `${refusal}: cannot be decided at synth time (${decision.reason})`, unresolved: true };
  if (decision.outcome === 'denied') {
    const deciding = admission.filter(
      (o) => metadataOf(o).name === decision.policy || (isObject(o.spec) && o.spec.policyName === decision.policy),
    );
    return containsToken(deciding)
      ? { message: `${refusal}: depends on ${tokenCause(deciding)} in policy ${decision.policy}`, unresolved: true }
      : undefined;
  }
  const tokens = admission.filter(containsToken);
  if (tokens.length)
    return {
      message: `${refusal}: no policy refuses it, unless ${tokenCause(tokens)} of the admission policies do`,
      unresolved: true,
    };
  return { message: `${refusal}, and no ValidatingAdmissionPolicy with a Deny binding refuses it` };
}

/** The userInfo of an RBAC subject as the API server authenticates it (for a group: some member of it). */
export function userOfSubject(subject: Record<string, any>): AdmissionUser | undefined {
  const { kind, name, namespace } = subject;
  if (typeof name !== 'string') return undefined;
  if (kind === 'ServiceAccount' && typeof namespace === 'string') {
    return {
      username: `system:serviceaccount:${namespace}:${name}`,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
    };
  }
  if (kind === 'User') return { username: name, groups: ['system:authenticated'] };
  if (kind === 'Group') return { username: `a-member-of-${name}`, groups: [name, 'system:authenticated'] };
  return undefined;
}

/** The Namespace object the API server would pass as namespaceObject: the applied one, with the name label Kubernetes adds. */
export function namespaceObject(objects: readonly Record<string, any>[], name: string): Record<string, unknown> {
  const applied = objects.find((o) => o.kind === 'Namespace' && metadataOf(o).name === name);
  const labels = isObject(applied?.metadata?.labels) ? applied!.metadata.labels : {};
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { ...labels, 'kubernetes.io/metadata.name': name } },
  };
}

const POD = { group: '', version: 'v1', resource: 'pods' };
const NETWORK_POLICY = { group: 'networking.k8s.io', version: 'v1', resource: 'networkpolicies' };

/** An UPDATE of a pod from `before` to `after` by a user. */
export function podUpdate(
  objects: readonly Record<string, any>[],
  user: AdmissionUser,
  before: Record<string, any>,
  after: Record<string, any>,
): AdmissionRequest {
  const namespace = String(before.metadata.namespace);
  return {
    operation: 'UPDATE',
    resource: POD,
    kind: 'Pod',
    name: String(before.metadata.name),
    namespace,
    userInfo: user,
    object: after,
    oldObject: before,
    namespaceObject: namespaceObject(objects, namespace),
  };
}

/** A CREATE, UPDATE or DELETE of a NetworkPolicy by a user. */
export function networkPolicyChange(
  objects: readonly Record<string, any>[],
  user: AdmissionUser,
  operation: 'CREATE' | 'UPDATE' | 'DELETE',
  before: Record<string, any> | null,
  after: Record<string, any> | null,
): AdmissionRequest {
  const subject = (after ?? before)!;
  const namespace = String(subject.metadata.namespace);
  return {
    operation,
    resource: NETWORK_POLICY,
    kind: 'NetworkPolicy',
    name: String(subject.metadata.name),
    namespace,
    userInfo: user,
    object: after,
    oldObject: before,
    namespaceObject: namespaceObject(objects, namespace),
  };
}

/** A privileged pod (like kube-proxy or aws-node) in a namespace, to try changes on. */
export function samplePod(namespace: string, labels: Record<string, string> = { app: 'sample' }): Record<string, any> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'sample-pod', namespace, labels, annotations: {} },
    spec: {
      containers: [{ name: 'main', image: 'registry.example/original:1.0.0', securityContext: { privileged: true } }],
    },
  };
}

/** A deep copy changed by `edit`. */
export function changed<T>(value: T, edit: (copy: any) => void): T {
  const copy = JSON.parse(JSON.stringify(value));
  edit(copy);
  return copy;
}
