import { parseJsonDocument, renderText, TOKEN_PREFIX } from './intrinsics';
import { isObject, TemplateModel } from './template-model';

/** CDK's kubectl-backed resource types, in both EKS flavours. */
export const KUBERNETES_RESOURCE_TYPES = ['Custom::AWSCDK-EKS-KubernetesResource'];
export const HELM_CHART_TYPES = ['Custom::AWSCDK-EKS-HelmChart'];
/** Cluster resource types: aws-eks-v2's native cluster and aws-eks v1's custom resource. */
export const CLUSTER_TYPES = ['AWS::EKS::Cluster', 'Custom::AWSCDK-EKS-Cluster'];

export { TOKEN_PREFIX } from './intrinsics';

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
    const parsed = parseJsonDocument(props.Manifest);
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

/** Whether a value (or anything inside it) is a placeholder for an intrinsic function. */
export function isToken(value: unknown): boolean {
  return typeof value === 'string' && value.includes(TOKEN_PREFIX);
}
