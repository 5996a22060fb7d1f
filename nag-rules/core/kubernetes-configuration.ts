import { appliedObjects, parseYaml } from './kubernetes-objects';
import { cachedReadFor } from './read-cache';
import { renderText } from './intrinsics';
import { clusterOf, helmReleases } from './kubernetes-objects';
import { isObject, TemplateModel } from './template-model';

/*
 * Every channel through which a template configures Kubernetes, read one way: objects applied by manifests, the values
 * of Helm releases, and the configuration values of EKS managed add-ons (CoreDNS's Corefile, the VPC CNI's and
 * kube-proxy's settings). Rules that judge configuration read them all here, so a setting cannot slip in by the channel
 * a rule did not look at. Intrinsics inside become `${Token:…}` placeholders.
 */

export const ADDON_TYPE = 'AWS::EKS::Addon';

export type ConfigurationChannel = 'manifest' | 'helm-values' | 'addon-configuration';

/** One piece of Kubernetes configuration the template carries. */
export interface KubernetesConfiguration {
  /** The resource that carries it (the kubectl resource, the Helm chart, the add-on). */
  readonly logicalId: string;
  readonly clusterId?: string;
  readonly channel: ConfigurationChannel;
  /** For messages: `manifest object ConfigMap kube-system/x`, `Helm values of release R (chart c)`, `configuration values of add-on coredns`. */
  readonly where: string;
  /** The add-on's name, or the Helm chart's. */
  readonly component?: string;
  /** The parsed configuration: an applied object, a release's values, an add-on's configuration values. */
  readonly value: unknown;
}

/** Configuration that could not be read: whatever it sets is unknown, never silently compliant. */
export interface UnreadableConfiguration {
  readonly logicalId: string;
  readonly where: string;
  readonly reason: string;
}

export interface KubernetesConfigurations {
  readonly configurations: KubernetesConfiguration[];
  readonly unreadable: UnreadableConfiguration[];
}

/** Every piece of Kubernetes configuration of the template, in template order, parsed once per template. */
export function kubernetesConfigurations(model: TemplateModel): KubernetesConfigurations {
  return cachedReadFor('kubernetes-configurations', model, () => readConfigurations(model));
}

/** The configuration one resource carries (a kubectl manifest, a Helm chart or an add-on). */
export function configurationOf(model: TemplateModel, logicalId: string): KubernetesConfigurations {
  const all = kubernetesConfigurations(model);
  return {
    configurations: all.configurations.filter((c) => c.logicalId === logicalId),
    unreadable: all.unreadable.filter((u) => u.logicalId === logicalId),
  };
}

function readConfigurations(model: TemplateModel): KubernetesConfigurations {
  const configurations: KubernetesConfiguration[] = [];
  const unreadable: UnreadableConfiguration[] = [];
  const applied = appliedObjects(model);
  for (const { logicalId, clusterId, object } of applied.objects) {
    configurations.push({
      logicalId,
      clusterId,
      channel: 'manifest',
      where: `manifest object ${objectName(object)}`,
      value: object,
    });
  }
  for (const u of applied.unreadable) unreadable.push({ logicalId: u.logicalId, where: 'manifest', reason: u.reason });
  for (const release of helmReleases(model)) {
    const where = `Helm values of ${release.logicalId}${release.chart ? ` (chart ${release.chart})` : ''}`;
    if (release.unreadable !== undefined)
      unreadable.push({ logicalId: release.logicalId, where, reason: release.unreadable });
    else
      configurations.push({
        logicalId: release.logicalId,
        clusterId: release.clusterId,
        channel: 'helm-values',
        where,
        component: release.chart,
        value: release.values,
      });
  }
  for (const [logicalId, addon] of model.resourcesOfType(ADDON_TYPE)) {
    const props = addon.Properties ?? {};
    if (props.ConfigurationValues === undefined) continue;
    const name = renderText(props.AddonName) ?? 'add-on';
    const where = `configuration values of add-on ${name} (${logicalId})`;
    const parsed = addonConfiguration(props.ConfigurationValues);
    if (!parsed.ok) unreadable.push({ logicalId, where, reason: parsed.reason });
    else
      configurations.push({
        logicalId,
        clusterId: clusterOf(model, props),
        channel: 'addon-configuration',
        where,
        component: name,
        value: parsed.value,
      });
  }
  return { configurations, unreadable };
}

/** An add-on's ConfigurationValues: JSON or YAML text (EKS takes both), possibly built with `Fn::Join`/`Fn::Sub`, or an object. */
export function addonConfiguration(value: unknown): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (isObject(value) && Object.keys(value).every((k) => !k.startsWith('Fn::') && k !== 'Ref'))
    return { ok: true, value };
  const text = renderText(value);
  if (text === undefined) return { ok: true, value: {} };
  const parsed = parseYaml(text);
  if (!parsed.ok) return { ok: false, reason: `text that is neither JSON nor YAML (${parsed.reason})` };
  return isObject(parsed.value) || parsed.value === null
    ? { ok: true, value: parsed.value ?? {} }
    : { ok: false, reason: 'configuration values that are not an object' };
}

function objectName(object: Record<string, any>): string {
  const metadata = isObject(object.metadata) ? object.metadata : {};
  const namespace = typeof metadata.namespace === 'string' ? `${metadata.namespace}/` : '';
  return `${typeof object.kind === 'string' ? object.kind : 'object'} ${namespace}${typeof metadata.name === 'string' ? metadata.name : '(unnamed)'}`;
}

/** Every string inside a configuration, with the path it is at (`data.password`, `spec.containers[0].env[1].value`). */
export function stringsIn(
  value: unknown,
  path = '',
  depth = 0,
  out: { path: string; text: string }[] = [],
): { path: string; text: string }[] {
  if (depth > 60 || out.length > 10_000) return out;
  if (typeof value === 'string') out.push({ path, text: value });
  else if (Array.isArray(value))
    value.forEach((v, i) => {
      stringsIn(v, `${path}[${i}]`, depth + 1, out);
    });
  else if (isObject(value))
    for (const [k, v] of Object.entries(value)) stringsIn(v, path ? `${path}.${k}` : k, depth + 1, out);
  return out;
}
