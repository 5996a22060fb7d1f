import { appliedKubernetesObjects } from '../../../support/kubernetes-objects';
import { checkerOf, idsOfType, templateOf } from '../../rule-harness';

/** Literal templates with Kubernetes manifests, and edits of the real product's manifests, for the kubernetes rules' tests. */

export const MANIFEST_TYPE = 'Custom::AWSCDK-EKS-KubernetesResource';

export function cluster(): Record<string, unknown> {
  return { Type: 'AWS::EKS::Cluster', Properties: { Name: 'c' } };
}

/** A kubectl manifest resource applying the objects to the cluster `Cluster`. */
export function manifest(objects: unknown[], clusterId = 'Cluster'): Record<string, unknown> {
  return { Type: MANIFEST_TYPE, Properties: { ClusterName: { Ref: clusterId }, Manifest: JSON.stringify(objects) } };
}

/** A template with a cluster `Cluster` and one manifest `M` applying the objects (plus any other resources). */
export function manifestTemplate(objects: unknown[], others: Record<string, unknown> = {}): Record<string, unknown> {
  return templateOf({ Cluster: cluster(), M: manifest(objects), ...others });
}

/** Runs one rule on the manifest `M` of a `manifestTemplate`. */
export const checkManifest = checkerOf(manifestTemplate, 'M');

/** Runs a rule judged on the cluster on `Cluster` of a `manifestTemplate` (the objects applied to it). */
export const checkOnCluster = checkerOf(manifestTemplate, 'Cluster');

/** A template with a cluster `Cluster` and one manifest `M` whose text has a `Ref` to the parameter wherever `marker` stands. */
export function manifestWithRefTemplate(
  objects: unknown[],
  marker: string,
  parameter: string,
): Record<string, unknown> {
  return templateOf({ Cluster: cluster(), M: manifestWithRef(objects, marker, parameter) });
}

/** Runs one rule on the manifest `M` of a `manifestWithRefTemplate`. */
export const checkManifestWithRef = checkerOf(manifestWithRefTemplate, 'M');

/** Runs a rule judged on the cluster on `Cluster` of a `manifestWithRefTemplate`. */
export const checkOnClusterWithRef = checkerOf(manifestWithRefTemplate, 'Cluster');

/** A template with a cluster `Cluster` and a kubectl patch `P` of a resource (`kind/name`) with the patch's properties. */
export function patchTemplate(
  resourceName: string,
  ns: string,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  return templateOf({
    Cluster: cluster(),
    P: {
      Type: 'Custom::AWSCDK-EKS-KubernetesPatch',
      Properties: { ClusterName: { Ref: 'Cluster' }, ResourceName: resourceName, ResourceNamespace: ns, ...patch },
    },
  });
}

/**
 * A manifest whose text is an `Fn::Join` with a `Ref` to a parameter spliced in wherever `marker` stands (inside JSON
 * strings, as CDK renders a token inside a string).
 */
export function manifestWithRef(objects: unknown[], marker: string, parameter = 'Param'): Record<string, unknown> {
  const parts = JSON.stringify(objects)
    .split(marker)
    .flatMap((text, i) => (i === 0 ? [text] : [{ Ref: parameter }, text]));
  return {
    Type: MANIFEST_TYPE,
    Properties: { ClusterName: { Ref: 'Cluster' }, Manifest: { 'Fn::Join': ['', parts] } },
  };
}

export function pod(
  spec: Record<string, unknown>,
  metadata: Record<string, unknown> = { name: 'p', namespace: 'workloads' },
): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}

export function deployment(
  spec: Record<string, unknown>,
  name = 'd',
  namespace = 'workloads',
): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec } },
  };
}

export function cronJob(spec: Record<string, unknown>, name = 'cj', namespace = 'workloads'): Record<string, unknown> {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace },
    spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec } } } },
  };
}

export const ECR_IMAGE = '111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1.2.3';

/** A container that every pod rule accepts. */
export function safeContainer(name = 'app', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, image: ECR_IMAGE, securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true }, ...extra };
}

export function namespace(
  name: string,
  labels: Record<string, string> = { 'pod-security.kubernetes.io/enforce': 'restricted' },
): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

export function networkPolicy(name: string, ns: string, spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec };
}

/** The label that marks a pod quarantined in these tests. */
export const QUARANTINE_LABEL = 'security.example/quarantine';
const notQuarantined = { matchExpressions: [{ key: QUARANTINE_LABEL, operator: 'DoesNotExist' }] };

/** A default-deny NetworkPolicy: every pod of the namespace, both policy types, no rules. */
export function defaultDeny(ns: string, name = 'default-deny-all'): Record<string, unknown> {
  return networkPolicy(name, ns, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
}

/** A quarantine NetworkPolicy: no rules for the pods it selects (by default those carrying the quarantine label). */
export function quarantinePolicy(
  ns: string,
  podSelector: unknown = { matchExpressions: [{ key: QUARANTINE_LABEL, operator: 'Exists' }] },
  policyTypes = ['Ingress', 'Egress'],
): Record<string, unknown> {
  return networkPolicy('quarantine', ns, { podSelector, policyTypes });
}

/** A NetworkPolicy allowing DNS egress to the pods it selects (by default all but quarantined ones). */
export function allowDns(ns: string, podSelector: unknown = notQuarantined): Record<string, unknown> {
  return networkPolicy('allow-dns', ns, {
    podSelector,
    policyTypes: ['Egress'],
    egress: [{ ports: [{ protocol: 'UDP', port: 53 }] }],
  });
}

// ---- The real product ----

/** The objects a manifest resource of a template applies (its Manifest is a JSON string). */
export function objectsOf(template: Record<string, any>, logicalId: string): any[] {
  return JSON.parse(template.Resources[logicalId].Properties.Manifest);
}

/** The logical ID of the manifest resource applying an object of this kind (and name). */
export function manifestIdOf(template: Record<string, any>, kind: string, name?: string): string {
  // Manifests with template values (Fn::Join) are not plain JSON: look them up by their objects' placeholders-free parts.
  const readable = (i: string) =>
    typeof template.Resources[i].Properties.Manifest === 'string'
      ? objectsOf(template, i)
      : objectsWithValues(template, i);
  const id = idsOfType(template, MANIFEST_TYPE).find((i) =>
    readable(i).some((o) => o.kind === kind && (name === undefined || o.metadata?.name === name)),
  );
  if (!id) throw new Error(`the product applies no ${kind} ${name ?? ''}`);
  return id;
}

/**
 * Changes, in place, the objects of the manifest resource applying an object of this kind (and name); returns that
 * resource's logical ID.
 */
export function editManifestApplying(
  template: Record<string, any>,
  object: { kind: string; name?: string },
  edit: (objects: any[]) => any[] | undefined,
): string {
  const id = manifestIdOf(template, object.kind, object.name);
  editManifest(template, id, edit);
  return id;
}

/** Changes, in place, the validationActions of the binding of one of the template's ValidatingAdmissionPolicies. */
export function setPolicyBindingActions(template: Record<string, any>, policyName: string, actions: string[]): void {
  editManifestApplying(template, { kind: 'ValidatingAdmissionPolicy', name: policyName }, (objects) => {
    objects.find(
      (o) => o.kind === 'ValidatingAdmissionPolicyBinding' && o.spec.policyName === policyName,
    ).spec.validationActions = actions;
  });
}

/** Changes the objects of one manifest resource in place (the edit may mutate them or return a new list). */
export function editManifest(
  template: Record<string, any>,
  logicalId: string,
  edit: (objects: any[]) => any[] | undefined,
): void {
  const objects = objectsOf(template, logicalId);
  template.Resources[logicalId].Properties.Manifest = JSON.stringify(edit(objects) ?? objects);
}

/** The product's cluster. */
export function productClusterId(template: Record<string, any>): string {
  const [id] = idsOfType(template, 'AWS::EKS::Cluster');
  if (!id) throw new Error('the product has no AWS::EKS::Cluster');
  return id;
}

/** The objects of a manifest whose JSON is joined from template values, with those values as placeholders. */
function objectsWithValues(template: Record<string, any>, logicalId: string): any[] {
  const applied = parsed.get(template) ?? appliedKubernetesObjects(template);
  parsed.set(template, applied);
  return applied.filter((o) => o.logicalId === logicalId).map((o) => o.object);
}
const parsed = new WeakMap<Record<string, any>, ReturnType<typeof appliedKubernetesObjects>>();
