import {
  MutatingWebhookConfiguration,
  ValidatingWebhookConfiguration,
} from 'kubernetes-models/admissionregistration.k8s.io/v1';
import { DaemonSet, Deployment } from 'kubernetes-models/apps/v1';
import { CronJob, Job } from 'kubernetes-models/batch/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { ConfigMap, Namespace, Pod, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';

export interface AppliedObject {
  logicalId: string;
  object: Record<string, any>;
}

export interface HelmRelease {
  logicalId: string;
  chart?: string;
  version?: string;
  repository?: string;
  namespace?: string;
  values: Record<string, any>;
}

interface ModelClass {
  apiVersion: string;
  kind: string;
  new (data?: any): { validate(): void };
}

const MODELS: ModelClass[] = [
  Namespace, ServiceAccount, ConfigMap, Service, Pod, Secret,
  Deployment, DaemonSet,
  Job, CronJob,
  NetworkPolicy,
  Role, RoleBinding, ClusterRole, ClusterRoleBinding,
  ValidatingWebhookConfiguration, MutatingWebhookConfiguration,
];

const MODEL_BY_TYPE = new Map(MODELS.map((m) => [`${m.apiVersion}/${m.kind}`, m]));

/** Every Kubernetes object applied by Custom::AWSCDK-EKS-KubernetesResource resources in a synthesized template (as from Template.toJSON()); intrinsic functions inside are replaced by a placeholder string like "${Token:<logicalId or description>}" so the object can be schema-validated. */
export function appliedKubernetesObjects(template: Record<string, any>): AppliedObject[] {
  return resourcesOfType(template, 'Custom::AWSCDK-EKS-KubernetesResource').flatMap(([logicalId, props]) =>
    (JSON.parse(renderJson(props.Manifest)) as Record<string, any>[]).map((object) => ({ logicalId, object })),
  );
}

/** Helm releases in the template: chart, version, repository, namespace, values (parsed, placeholders as above). */
export function helmReleases(template: Record<string, any>): HelmRelease[] {
  return resourcesOfType(template, 'Custom::AWSCDK-EKS-HelmChart').map(([logicalId, props]) => ({
    logicalId,
    chart: renderText(props.Chart),
    version: renderText(props.Version),
    repository: renderText(props.Repository),
    namespace: renderText(props.Namespace),
    values: props.Values === undefined ? {} : JSON.parse(renderJson(props.Values)),
  }));
}

/** Validates one object against the kubernetes-models schema for its apiVersion/kind; throws an Error naming apiVersion, kind, metadata.name and the schema error; throws for an apiVersion/kind it has no model for. */
export function validateKubernetesObject(object: Record<string, any>): void {
  const { apiVersion, kind } = object;
  const name = object.metadata?.name;
  const Model = MODEL_BY_TYPE.get(`${apiVersion}/${kind}`);
  if (!Model) {
    throw new Error(`No kubernetes-models schema for ${apiVersion} ${kind} (${name})`);
  }
  try {
    new Model(object).validate();
  } catch (e) {
    throw new Error(`${apiVersion} ${kind} "${name}" is invalid: ${(e as Error).message}`, { cause: e });
  }
}

function resourcesOfType(template: Record<string, any>, type: string): [string, Record<string, any>][] {
  return Object.entries<any>(template.Resources ?? {})
    .filter(([, r]) => r.Type === type)
    .map(([id, r]) => [id, r.Properties ?? {}]);
}

function placeholder(intrinsic: Record<string, any>): string {
  const [fn, arg] = Object.entries(intrinsic)[0];
  const description = fn === 'Ref' ? arg : fn === 'Fn::GetAtt' ? [arg].flat().join('.') : fn;
  return `\${Token:${description}}`;
}

function joinParts(value: unknown): (string | Record<string, any>)[] {
  if (typeof value === 'string') return [value];
  const join = (value as Record<string, any>)['Fn::Join'];
  if (!join) return [value as Record<string, any>];
  const [delimiter, parts]: [string, unknown[]] = join;
  return parts.flatMap((part, i) => (i === 0 ? joinParts(part) : [delimiter, ...joinParts(part)]));
}

function renderText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return joinParts(value).map((p) => (typeof p === 'string' ? p : placeholder(p))).join('');
}

/**
 * Joins a JSON document's parts. String tokens sit inside a JSON string literal, but a
 * number or list token is spliced in bare, so its placeholder needs quotes there.
 */
function renderJson(value: unknown): string {
  let text = '';
  let inString = false;
  for (const part of joinParts(value)) {
    if (typeof part !== 'string') {
      text += inString ? placeholder(part) : JSON.stringify(placeholder(part));
      continue;
    }
    for (let i = 0; i < part.length; i++) {
      if (part[i] === '\\') i++;
      else if (part[i] === '"') inString = !inString;
    }
    text += part;
  }
  return text;
}
