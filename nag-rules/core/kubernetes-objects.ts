import { isObject, TemplateModel } from './template-model';

/** CDK's kubectl-backed resource types, in both EKS flavours. */
export const KUBERNETES_RESOURCE_TYPES = ['Custom::AWSCDK-EKS-KubernetesResource'];
export const HELM_CHART_TYPES = ['Custom::AWSCDK-EKS-HelmChart'];
/** Cluster resource types: aws-eks-v2's native cluster and aws-eks v1's custom resource. */
export const CLUSTER_TYPES = ['AWS::EKS::Cluster', 'Custom::AWSCDK-EKS-Cluster'];

/** Marks a value that came from an intrinsic function: it cannot be judged at synth time. */
export const TOKEN_PREFIX = '${Token:';

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
  readonly reason: string;
}

/**
 * Every Kubernetes object the template applies through CDK's kubectl resources. Intrinsic functions inside become
 * `${Token:…}` placeholders, so a rule can tell an unknown value from a literal one.
 */
export function appliedKubernetesObjects(model: TemplateModel): { objects: AppliedObject[]; unreadable: UnreadableManifest[] } {
  const objects: AppliedObject[] = [];
  const unreadable: UnreadableManifest[] = [];
  for (const [logicalId, r] of model.resourcesOfType(...KUBERNETES_RESOURCE_TYPES)) {
    const props = r.Properties ?? {};
    const clusterId = clusterOf(model, props);
    const parsed = parseJson(props.Manifest);
    if (!parsed.ok) {
      unreadable.push({ logicalId, reason: parsed.reason });
      continue;
    }
    const list = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
    for (const object of list) {
      if (isObject(object)) objects.push({ logicalId, clusterId, object });
      else unreadable.push({ logicalId, reason: 'an entry of the manifest is not an object' });
    }
  }
  return { objects, unreadable };
}

/** Helm releases of the template, with their values parsed (placeholders as for manifests). */
export function helmReleases(model: TemplateModel): HelmRelease[] {
  return model.resourcesOfType(...HELM_CHART_TYPES).map(([logicalId, r]) => {
    const props = r.Properties ?? {};
    const values = props.Values === undefined ? { ok: true as const, value: {} } : parseJson(props.Values);
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

function clusterOf(model: TemplateModel, props: Record<string, unknown>): string | undefined {
  return model.referencedId(props.ClusterName) ?? model.referencedIds(props.ClusterName)[0];
}

/** Whether a value (or anything inside it) is a placeholder for an intrinsic function. */
export function isToken(value: unknown): boolean {
  return typeof value === 'string' && value.includes(TOKEN_PREFIX);
}

function placeholder(intrinsic: Record<string, any>): string {
  const [fn, arg] = Object.entries(intrinsic)[0] ?? ['?', undefined];
  const description = fn === 'Ref' ? arg : fn === 'Fn::GetAtt' ? [arg].flat().join('.') : fn;
  return `${TOKEN_PREFIX}${String(description)}}`;
}

function joinParts(value: unknown): unknown[] {
  if (typeof value === 'string') return [value];
  const join = isObject(value) ? value['Fn::Join'] : undefined;
  if (!Array.isArray(join) || join.length !== 2 || typeof join[0] !== 'string' || !Array.isArray(join[1])) return [value];
  const [delimiter, parts] = join as [string, unknown[]];
  return parts.flatMap((part, i) => (i === 0 ? joinParts(part) : [delimiter, ...joinParts(part)]));
}

function renderText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return joinParts(value).map((p) => (typeof p === 'string' ? p : isObject(p) ? placeholder(p) : String(p))).join('');
}

/**
 * Parses a JSON document given as a string or an `Fn::Join` of parts. String tokens sit inside a JSON string
 * literal, but a number or list token is spliced in bare, so its placeholder needs quotes there.
 */
function parseJson(value: unknown): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (value === undefined) return { ok: false, reason: 'no manifest' };
  let text = '';
  let inString = false;
  for (const part of joinParts(value)) {
    if (typeof part !== 'string') {
      const token = isObject(part) ? placeholder(part) : String(part);
      text += inString ? token : JSON.stringify(token);
      continue;
    }
    for (let i = 0; i < part.length; i++) {
      if (part[i] === '\\') i++;
      else if (part[i] === '"') inString = !inString;
    }
    text += part;
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, reason: `not JSON: ${(error as Error).message}` };
  }
}
