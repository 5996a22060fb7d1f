import { parse } from 'yaml';
import { hasToken, parseJsonDocument, renderText } from './intrinsics';
import { cachedParse } from './read-cache';
import { RuleFinding, unresolved } from './rule';
import { isObject, TemplateModel } from './template-model';

/** CDK's kubectl-backed resource types, in both EKS flavours. */
export const KUBERNETES_RESOURCE_TYPES = ['Custom::AWSCDK-EKS-KubernetesResource'];
export const HELM_CHART_TYPES = ['Custom::AWSCDK-EKS-HelmChart'];
/** CDK's kubectl patch resource (both EKS flavours): patches one existing object. */
export const KUBERNETES_PATCH_TYPES = ['Custom::AWSCDK-EKS-KubernetesPatch'];
/** Cluster resource types: aws-eks-v2's native cluster and aws-eks v1's custom resource. */
export const CLUSTER_TYPES = ['AWS::EKS::Cluster', 'Custom::AWSCDK-EKS-Cluster'];

export interface AppliedObject {
  /** The kubectl resource that applies it. */
  readonly logicalId: string;
  /** The cluster it is applied to, when the resource names one of this template. */
  readonly clusterId?: string;
  readonly object: Record<string, any>;
}

export interface HelmRelease {
  readonly logicalId: string;
  readonly clusterId?: string;
  readonly chart?: string;
  readonly version?: string;
  readonly repository?: string;
  readonly namespace?: string;
  readonly values: Record<string, any>;
  /** Set when the values could not be parsed. */
  readonly unreadable?: string;
}

/** A manifest that could not be read (not JSON once tokens are replaced, or not a list of objects). */
export interface UnreadableManifest {
  readonly logicalId: string;
  /** The cluster its resource applies to, when the resource names one of this template. */
  readonly clusterId?: string;
  readonly reason: string;
}

/**
 * Every Kubernetes object the template applies through CDK's kubectl resources. Intrinsic functions inside become
 * `${Token:…}` placeholders, so a rule can tell an unknown value from a literal one.
 */
export function appliedKubernetesObjects(model: TemplateModel): {
  objects: AppliedObject[];
  unreadable: UnreadableManifest[];
} {
  const objects: AppliedObject[] = [];
  const unreadable: UnreadableManifest[] = [];
  for (const [logicalId, r] of model.resourcesOfType(...KUBERNETES_RESOURCE_TYPES)) {
    const props = r.Properties ?? {};
    const clusterId = clusterOf(model, props);
    const parsed = parseJsonDocument(props.Manifest);
    if (!parsed.ok) {
      unreadable.push({ logicalId, clusterId, reason: parsed.reason });
      continue;
    }
    const list = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
    for (const object of list) {
      if (isObject(object)) objects.push({ logicalId, clusterId, object });
      else unreadable.push({ logicalId, clusterId, reason: 'an entry of the manifest is not an object' });
    }
  }
  return { objects, unreadable };
}

/** Helm releases of the template, with their values parsed (placeholders as for manifests). */
export function helmReleases(model: TemplateModel): HelmRelease[] {
  return model.resourcesOfType(...HELM_CHART_TYPES).map(([logicalId, r]) => {
    const props = r.Properties ?? {};
    const values = props.Values === undefined ? { ok: true as const, value: {} } : parseJsonDocument(props.Values);
    return {
      logicalId,
      clusterId: clusterOf(model, props),
      chart: renderText(props.Chart),
      version: renderText(props.Version),
      repository: renderText(props.Repository),
      namespace: renderText(props.Namespace),
      values: values.ok && isObject(values.value) ? values.value : {},
      ...(values.ok ? {} : { unreadable: values.reason }),
    };
  });
}

/** The cluster of this template a kubectl resource (manifest, chart, patch) applies to, when its ClusterName names one. */
export function clusterOf(model: TemplateModel, props: Record<string, unknown> | undefined): string | undefined {
  if (!props) return undefined;
  return model.referencedId(props.ClusterName) ?? model.referencedIds(props.ClusterName)[0];
}

/**
 * Namespaces the product does not treat as workload namespaces: Kubernetes' own, and those of the add-ons and of the
 * Calico policy engine, whose pods need host access that Pod Security `restricted` would refuse.
 */
export const SYSTEM_NAMESPACES: readonly string[] = [
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'default',
  'tigera-operator',
  'calico-system',
  'calico-apiserver',
  'amazon-guardduty',
];

interface Applied {
  readonly objects: AppliedObject[];
  readonly unreadable: UnreadableManifest[];
}

const cache = new WeakMap<TemplateModel, Applied>();

/**
 * Every object the template applies (`kind: …List` objects expanded into their items), and the manifests that could
 * not be read. Parsed once per template model.
 */
export function appliedObjects(model: TemplateModel): Applied {
  const known = cache.get(model);
  if (known) return known;
  const { objects, unreadable } = appliedKubernetesObjects(model);
  const result: Applied = {
    objects: [],
    unreadable: [...unreadable],
  };
  const expand = (applied: AppliedObject, depth: number): void => {
    const { object } = applied;
    if (depth < 5 && typeof object.kind === 'string' && object.kind.endsWith('List') && Array.isArray(object.items)) {
      for (const item of object.items) {
        if (isObject(item)) expand({ ...applied, object: item }, depth + 1);
        else
          result.unreadable.push({
            logicalId: applied.logicalId,
            clusterId: applied.clusterId,
            reason: `an item of a ${object.kind} is not an object`,
          });
      }
    } else {
      result.objects.push(applied);
    }
  };
  objects.forEach((o) => {
    expand(o, 0);
  });
  cache.set(model, result);
  return result;
}

/** A finding for a manifest that cannot be read: whatever it applies is unknown, so it is never silently compliant. */
export function unreadableFinding(u: UnreadableManifest, what = 'the objects it applies'): RuleFinding {
  return {
    message: `the manifest of ${u.logicalId} cannot be read (${u.reason}), so ${what} cannot be checked`,
    unresolved: true,
  };
}

/** The objects one kubectl resource applies, and findings for what of it could not be read. */
export function objectsAppliedBy(
  model: TemplateModel,
  logicalId: string,
): { objects: Record<string, any>[]; findings: RuleFinding[] } {
  const { objects, unreadable } = appliedObjects(model);
  return {
    objects: objects.filter((o) => o.logicalId === logicalId).map((o) => o.object),
    findings: unreadable.filter((u) => u.logicalId === logicalId).map((u) => unreadableFinding(u)),
  };
}

/** The objects applied to one cluster (by any kubectl resource of the template), and findings for unreadable manifests. */
export function objectsAppliedTo(
  model: TemplateModel,
  clusterId: string,
  what: string,
): { objects: AppliedObject[]; findings: RuleFinding[] } {
  const { objects, unreadable } = appliedObjects(model);
  return {
    objects: objects.filter((o) => o.clusterId === clusterId),
    findings: unreadable.filter((u) => u.clusterId === clusterId).map((u) => unreadableFinding(u, what)),
  };
}

/** Whether a value holds an intrinsic-function placeholder anywhere (keys included). */
export function containsToken(value: unknown, depth = 0): boolean {
  if (depth > 100) return false;
  if (typeof value === 'string') return hasToken(value);
  if (Array.isArray(value)) return value.some((v) => containsToken(v, depth + 1));
  if (isObject(value)) return Object.entries(value).some(([k, v]) => hasToken(k) || containsToken(v, depth + 1));
  return false;
}

/** What the placeholders inside a value stand for, for an `unresolved` finding. */
export function tokenCause(value: unknown): string {
  const found = new Set<string>();
  const walk = (v: unknown, depth: number): void => {
    if (depth > 100) return;
    if (typeof v === 'string') for (const m of v.matchAll(/\$\{Token:([^}]*)\}/g)) found.add(m[1]);
    else if (Array.isArray(v))
      v.forEach((x) => {
        walk(x, depth + 1);
      });
    else if (isObject(v))
      Object.entries(v).forEach(([k, x]) => {
        walk(k, depth + 1);
        walk(x, depth + 1);
      });
  };
  walk(value, 0);
  return found.size
    ? `template value${found.size > 1 ? 's' : ''} ${[...found].map((f) => `'${f}'`).join(', ')}`
    : 'a template value';
}

/** An `unresolved` finding for a judged field that holds a placeholder. */
export function unresolvedField(what: string, value: unknown): RuleFinding {
  return unresolved(what, tokenCause(value));
}

/** `Kind namespace/name` of an object, for messages. */
export function describeObject(object: Record<string, any>): string {
  const kind = typeof object.kind === 'string' ? object.kind : 'object';
  const metadata = isObject(object.metadata) ? object.metadata : {};
  const name =
    typeof metadata.name === 'string'
      ? metadata.name
      : typeof metadata.generateName === 'string'
        ? `${metadata.generateName}*`
        : '(unnamed)';
  return `${kind} ${typeof metadata.namespace === 'string' ? `${metadata.namespace}/` : ''}${name}`;
}

export function metadataOf(object: Record<string, any>): Record<string, any> {
  return isObject(object.metadata) ? object.metadata : {};
}

/** The object's name (a string, possibly a placeholder), or undefined. */
export function nameOf(object: Record<string, any>): string | undefined {
  const name = metadataOf(object).name;
  return typeof name === 'string' ? name : undefined;
}

/** The namespace a namespaced object lands in: CDK applies manifests without `-n`, so no namespace means `default`. */
export function namespaceOf(object: Record<string, any>): unknown {
  return metadataOf(object).namespace ?? 'default';
}

/**
 * The objects of the given kinds, and `unresolved` findings for objects whose kind is a placeholder (they could be
 * of one of those kinds).
 */
export function ofKinds(
  objects: readonly Record<string, any>[],
  kinds: readonly string[],
): { matches: Record<string, any>[]; findings: RuleFinding[] } {
  const matches: Record<string, any>[] = [];
  const findings: RuleFinding[] = [];
  for (const object of objects) {
    if (hasToken(object.kind)) findings.push(unresolvedField(`the kind of ${describeObject(object)}`, object.kind));
    else if (kinds.includes(object.kind)) matches.push(object);
  }
  return { matches, findings };
}

/** A boolean-like Kubernetes field as the rules judge it. */
export type FlagState = 'true' | 'false' | 'unset' | 'token' | 'other';

export function flagState(value: unknown): FlagState {
  if (hasToken(value)) return 'token';
  if (value === true || value === 'true') return 'true';
  if (value === false || value === 'false') return 'false';
  if (value === undefined || value === null) return 'unset';
  return 'other';
}

/** The string members of a list field (anything else is dropped). */
export function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The object members of a list field (anything else is dropped). */
export function objectsOf(value: unknown): Record<string, any>[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

/** The logical ID a placeholder stands for, when it names a resource of the template (`${Token:Id}` or `${Token:Id.Attr}`). */
export function tokenResource(model: TemplateModel, token: string): { id: string; attribute?: string } | undefined {
  const match = /^\$\{Token:([^}.]*)(?:\.([^}]*))?\}$/.exec(token);
  if (!match || !model.resources.has(match[1])) return undefined;
  return { id: match[1], attribute: match[2] };
}

/** Every placeholder inside a string. */
export function tokensIn(text: string): string[] {
  return [...text.matchAll(/\$\{Token:[^}]*\}/g)].map((m) => m[0]);
}

/**
 * Parses a JSON object, or a list of objects, held by a template value (a string or an `Fn::Join`), placeholders as
 * for manifests, by the same parser the manifests go through.
 */
export function parseTemplateJsonObjects(
  value: unknown,
): { ok: true; value: Record<string, any>[] } | { ok: false; reason: string } {
  const probe = new TemplateModel({
    Resources: { Probe: { Type: KUBERNETES_RESOURCE_TYPES[0], Properties: { Manifest: value } } },
  });
  const { objects, unreadable } = appliedKubernetesObjects(probe);
  if (unreadable.length) return { ok: false, reason: unreadable[0].reason };
  return { ok: true, value: objects.map((o) => o.object) };
}

/**
 * Parses YAML (or JSON) text that may hold placeholders: they are swapped for plain markers while parsing, so flow-style
 * YAML stays valid, and put back in the parsed strings.
 */
export function parseYaml(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  return cachedParse('yaml', text, () => parseYamlUncached(text));
}

function parseYamlUncached(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  const tokens: string[] = [];
  const safe = text.replace(/\$\{Token:[^}]*\}/g, (t) => `__CDK_TOKEN_${tokens.push(t) - 1}__`);
  const restore = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return v.replace(/__CDK_TOKEN_(\d+)__/g, (m, i) => tokens[Number(i)] ?? m);
    if (depth > 100) return v;
    if (Array.isArray(v)) return v.map((x) => restore(x, depth + 1));
    if (isObject(v))
      return Object.fromEntries(
        Object.entries(v).map(([k, x]) => [restore(k, depth + 1) as string, restore(x, depth + 1)]),
      );
    return v;
  };
  try {
    return { ok: true, value: restore(parse(safe), 0) };
  } catch (error) {
    return { ok: false, reason: (error as Error).message.split('\n')[0] };
  }
}
