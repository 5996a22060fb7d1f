import {
  MutatingWebhookConfiguration,
  ValidatingAdmissionPolicy,
  ValidatingAdmissionPolicyBinding,
  ValidatingWebhookConfiguration,
} from 'kubernetes-models/admissionregistration.k8s.io/v1';
import { DaemonSet, Deployment } from 'kubernetes-models/apps/v1';
import { CronJob, Job } from 'kubernetes-models/batch/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { ConfigMap, Namespace, Pod, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import {
  AppliedObject,
  appliedKubernetesObjects as parseObjects,
  HelmRelease,
  helmReleases as parseReleases,
} from '../../nag-rules/core/kubernetes-objects';
import { TemplateModel } from '../../nag-rules/core/template-model';

export type { AppliedObject, HelmRelease } from '../../nag-rules/core/kubernetes-objects';

interface ModelClass {
  apiVersion: string;
  kind: string;
  new (data?: any): { validate(): void };
}

const MODELS: ModelClass[] = [
  Namespace,
  ServiceAccount,
  ConfigMap,
  Service,
  Pod,
  Secret,
  Deployment,
  DaemonSet,
  Job,
  CronJob,
  NetworkPolicy,
  Role,
  RoleBinding,
  ClusterRole,
  ClusterRoleBinding,
  ValidatingWebhookConfiguration,
  MutatingWebhookConfiguration,
  ValidatingAdmissionPolicy,
  ValidatingAdmissionPolicyBinding,
];

const MODEL_BY_TYPE = new Map(MODELS.map((m) => [`${m.apiVersion}/${m.kind}`, m]));

/** Every Kubernetes object a synthesized template applies (tokens become `${Token:…}` placeholders); throws on an unreadable manifest. */
export function appliedKubernetesObjects(template: Record<string, any>): AppliedObject[] {
  const { objects, unreadable } = parseObjects(new TemplateModel(template));
  if (unreadable.length > 0) throw new Error(`unreadable manifests: ${JSON.stringify(unreadable)}`);
  return objects;
}

/** Helm releases of a synthesized template, values parsed. */
export function helmReleases(template: Record<string, any>): HelmRelease[] {
  return parseReleases(new TemplateModel(template));
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
