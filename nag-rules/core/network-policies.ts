import { hasToken } from './intrinsics';
import {
  containsToken,
  describeObject,
  metadataOf,
  namespaceOf,
  objectsAppliedTo,
  stringsOf,
  SYSTEM_NAMESPACES,
  unresolvedField,
} from './kubernetes-objects';
import { RuleFinding } from './rule';
import { isObject, TemplateModel } from './template-model';

/** A workload namespace applied to a cluster, with the NetworkPolicies applied into it. */
export interface NamespacePolicies {
  readonly namespace: string;
  readonly policies: Record<string, any>[];
}

/**
 * The workload namespaces (Namespace objects other than the system ones) the template applies to a cluster and the
 * NetworkPolicies applied into each. `uncertain` holds objects that may be policies of any namespace (placeholder kind
 * or namespace); `findings` are for what cannot be read (a manifest, a namespace's name).
 */
export function workloadNamespacePolicies(
  model: TemplateModel,
  clusterId: string,
): {
  namespaces: NamespacePolicies[];
  uncertain: Record<string, any>[];
  findings: RuleFinding[];
} {
  const { objects, findings } = objectsAppliedTo(model, clusterId, 'the namespaces and network policies it applies');
  const names = new Set<string>();
  const uncertain: Record<string, any>[] = [];
  const policies: Record<string, any>[] = [];
  for (const { object } of objects) {
    if (hasToken(object.kind)) {
      uncertain.push(object);
      findings.push(unresolvedField(`the kind of ${describeObject(object)} (it may be a Namespace)`, object.kind));
    } else if (object.kind === 'Namespace') {
      const name = metadataOf(object).name;
      if (hasToken(name)) findings.push(unresolvedField(`the name of ${describeObject(object)}`, name));
      else if (typeof name === 'string' && !SYSTEM_NAMESPACES.includes(name)) names.add(name);
    } else if (object.kind === 'NetworkPolicy') {
      if (hasToken(namespaceOf(object))) uncertain.push(object);
      else policies.push(object);
    }
  }
  return {
    namespaces: [...names].map((namespace) => ({
      namespace,
      policies: policies.filter((p) => namespaceOf(p) === namespace),
    })),
    uncertain,
    findings,
  };
}

/** The spec of a NetworkPolicy, or an empty one. */
export function specOf(policy: Record<string, any>): Record<string, any> {
  return isObject(policy.spec) ? policy.spec : {};
}

/** Whether a label selector selects every pod (`{}`, or empty matchLabels and matchExpressions). */
export function isEmptySelector(selector: unknown): boolean {
  if (!isObject(selector)) return false;
  return Object.entries(selector).every(
    ([key, value]) =>
      (key === 'matchLabels' && (value === null || (isObject(value) && Object.keys(value).length === 0))) ||
      (key === 'matchExpressions' && (value === null || (Array.isArray(value) && value.length === 0))),
  );
}

/** Whether a policy lists both policy types (omitting Egress would leave egress open). */
export function coversBothDirections(policy: Record<string, any>): boolean {
  const types = stringsOf(specOf(policy).policyTypes);
  return types.includes('Ingress') && types.includes('Egress');
}

/** Whether a policy allows nothing: no ingress and no egress rules (an empty rule `{}` allows everything). */
export function allowsNothing(policy: Record<string, any>): boolean {
  const spec = specOf(policy);
  const empty = (rules: unknown) =>
    rules === undefined || rules === null || (Array.isArray(rules) && rules.length === 0);
  return empty(spec.ingress) && empty(spec.egress);
}

/**
 * The label a policy quarantines by: its podSelector is exactly one requirement on one label (`Exists`, or a
 * matchLabels entry) and it denies both directions with no rules.
 */
export function quarantineLabel(policy: Record<string, any>): string | undefined {
  if (!coversBothDirections(policy) || !allowsNothing(policy)) return undefined;
  const selector = specOf(policy).podSelector;
  if (!isObject(selector) || containsToken(selector)) return undefined;
  const labels = isObject(selector.matchLabels) ? Object.keys(selector.matchLabels) : [];
  const expressions =
    selector.matchExpressions === undefined || selector.matchExpressions === null ? [] : selector.matchExpressions;
  if (!Array.isArray(expressions)) return undefined;
  if (labels.length === 1 && expressions.length === 0) return labels[0];
  const [only] = expressions;
  if (
    labels.length === 0 &&
    expressions.length === 1 &&
    isObject(only) &&
    only.operator === 'Exists' &&
    typeof only.key === 'string'
  )
    return only.key;
  return undefined;
}

/** The names of policies, for messages. */
export function policyNames(policies: readonly Record<string, any>[]): string {
  return policies.map((p) => String(metadataOf(p).name ?? '(unnamed)')).join(', ');
}
