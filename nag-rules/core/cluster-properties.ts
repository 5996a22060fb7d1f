import { CLUSTER_TYPES } from './kubernetes-objects';
import { isObject, TemplateModel, TemplateResource } from './template-model';
import { literal, possibleValues, why } from './values';
import { asArray, branchValues, textKey } from './intrinsics';

/*
 * Helpers of the cluster and identity rules: the cluster's settings in both CDK EKS flavours, and the resources
 * (add-ons, access entries, node groups…) that belong to a cluster.
 */

/** OIDC provider resource types (native, and CDK's custom resource). */
export const OIDC_PROVIDER_TYPES = ['AWS::IAM::OIDCProvider', 'Custom::AWSCDKOpenIdConnectProvider'];

/** aws-eks v1's custom resource, whose `Config` holds the EKS CreateCluster request in camelCase. */
export const V1_CLUSTER_TYPE = 'Custom::AWSCDK-EKS-Cluster';

/** The object holding the cluster's settings: the properties of AWS::EKS::Cluster, or `Config` of the v1 custom resource. */
export function clusterSettings(
  resource: TemplateResource | undefined,
  properties?: Record<string, unknown>,
): Record<string, unknown> {
  const props = properties ?? (resource?.Properties as Record<string, unknown> | undefined) ?? {};
  if (resource?.Type === V1_CLUSTER_TYPE) return isObject(props.Config) ? props.Config : {};
  return props;
}

/** A field of a settings object by its CloudFormation name, also found under its camelCase API name. */
export function field(object: unknown, name: string): unknown {
  if (!isObject(object)) return undefined;
  if (object[name] !== undefined) return object[name];
  return object[name.charAt(0).toLowerCase() + name.slice(1)];
}

/** Whether a ClusterName value names the cluster: it references the cluster resource, or is the same expression as its Name. */
export function namesCluster(model: TemplateModel, clusterId: string, clusterNameValue: unknown): boolean {
  if (clusterNameValue === undefined) return false;
  if (model.referencedIds(clusterNameValue).includes(clusterId)) return true;
  const name = field(clusterSettings(model.resource(clusterId)), 'Name');
  return name !== undefined && textKey(name) === textKey(clusterNameValue);
}

/** Resources of the given types whose ClusterName names the cluster. */
export function resourcesOfCluster(
  model: TemplateModel,
  clusterId: string,
  ...types: string[]
): [string, TemplateResource][] {
  return model.resourcesOfType(...types).filter(([, r]) => namesCluster(model, clusterId, r.Properties?.ClusterName));
}

/** Cluster resources of the template a ClusterName value names. */
export function clustersNamed(model: TemplateModel, clusterNameValue: unknown): string[] {
  return model
    .resourcesOfType(...CLUSTER_TYPES)
    .map(([id]) => id)
    .filter((id) => namesCluster(model, id, clusterNameValue));
}

/** Add-ons (AWS::EKS::Addon) whose ClusterName is the given expression or names the same cluster of the template. */
export function addonsForClusterName(model: TemplateModel, clusterNameValue: unknown): [string, TemplateResource][] {
  const clusters = clustersNamed(model, clusterNameValue);
  const key = clusterNameValue === undefined ? undefined : textKey(clusterNameValue);
  return model.resourcesOfType('AWS::EKS::Addon').filter(([, r]) => {
    const name = r.Properties?.ClusterName;
    if (name === undefined) return false;
    return textKey(name) === key || clusters.some((id) => namesCluster(model, id, name));
  });
}

/** Whether an add-on is the given one: yes, no, or unknown (its AddonName is not known at synth time). */
export function addonIs(model: TemplateModel, addon: TemplateResource, name: string): 'yes' | 'no' | 'unknown' {
  const names = possibleValues(model, addon.Properties?.AddonName);
  if (!names.known) return 'unknown';
  return names.value.includes(name) ? 'yes' : 'no';
}

/**
 * Whether the VPC CNI add-on runs under its own role: ServiceAccountRoleArn (IRSA), PodIdentityAssociations on the
 * add-on, or an AWS::EKS::PodIdentityAssociation for kube-system/aws-node of the same cluster.
 */
export function cniRole(model: TemplateModel, addonId: string): { own: 'yes' | 'no' | 'unknown'; because?: string } {
  const props = (model.resource(addonId)?.Properties ?? {}) as Record<string, unknown>;
  const results: ('yes' | 'no' | 'unknown')[] = [];
  let because: string | undefined;
  // The node groups' roles do not count: the CNI would still run on the node's credentials.
  const nodeRoles = new Set(
    model
      .resourcesOfType('AWS::EKS::Nodegroup')
      .map(([, r]) => model.referencedId(r.Properties?.NodeRole))
      .filter(Boolean),
  );
  for (const arn of branchValues(props.ServiceAccountRoleArn)) {
    if (arn === undefined || arn === '') results.push('no');
    else if (typeof arn === 'string') results.push('yes');
    // A GetAtt names a resource of the template (CloudFormation refuses anything else): a role of its own.
    else if (isObject(arn) && (model.referencedId(arn) !== undefined || arn['Fn::GetAtt'] !== undefined)) {
      results.push(nodeRoles.has(model.referencedId(arn)) ? 'no' : 'yes');
    } else if (isObject(arn)) {
      results.push('unknown');
      because = `ServiceAccountRoleArn ${why(arn)}`;
    } else results.push('no');
  }
  const serviceAccountRole = results.every((r) => r === 'yes')
    ? 'yes'
    : results.some((r) => r === 'yes')
      ? 'unknown'
      : 'no';
  if (serviceAccountRole === 'yes') return { own: 'yes' };
  if (serviceAccountRole === 'unknown') because ??= 'ServiceAccountRoleArn is AWS::NoValue in one branch of an Fn::If';

  const associations = [
    ...asArray(props.PodIdentityAssociations).flatMap(branchValues),
    ...model
      .resourcesOfType('AWS::EKS::PodIdentityAssociation')
      .filter(([, r]) => {
        const clusters = clustersNamed(model, props.ClusterName);
        const name = r.Properties?.ClusterName;
        return (
          name !== undefined &&
          (textKey(name) === textKey(props.ClusterName) || clusters.some((id) => namesCluster(model, id, name)))
        );
      })
      .filter(([, r]) => {
        const ns = literal(r.Properties?.Namespace);
        return !ns.known || ns.value === 'kube-system';
      })
      .map(([, r]) => r.Properties),
  ];
  for (const association of associations) {
    if (!isObject(association)) continue;
    const account = literal(association.ServiceAccount);
    if (association.RoleArn === undefined || association.RoleArn === '') continue;
    if (account.known && account.value === 'aws-node') return { own: 'yes' };
    if (!account.known) because = `the Pod Identity association's ServiceAccount (${account.because})`;
  }
  return because ? { own: 'unknown', because } : { own: 'no' };
}
