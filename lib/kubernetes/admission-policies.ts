import { UnscopedValidationError } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { lit } from 'aws-cdk-lib/core/lib/helpers-internal';
import { Construct, IDependable } from 'constructs';
import { ConstructValidationError } from '../errors/construct-validation-error';

/*
 * ValidatingAdmissionPolicies (admissionregistration.k8s.io/v1, in-process CEL: no webhook) that close two in-cluster
 * paths: subjects that may patch every pod can otherwise swap a privileged pod's image, and namespace editors can
 * otherwise lift a quarantine (IR-2) by removing the label or the deny policies, or by adding an allow policy that
 * selects quarantined pods.
 */

export const POD_PATCHERS_POLICY = 'hardened-eks-pod-patchers-metadata-only';
export const QUARANTINE_LABEL_POLICY = 'hardened-eks-quarantine-label';
export const QUARANTINE_NETWORK_POLICIES_POLICY = 'hardened-eks-quarantine-network-policies';

/** Who a policy restricts or exempts: Kubernetes usernames and groups (as the API server's userInfo has them). */
export interface KubernetesSubjects {
  readonly usernames?: readonly string[];
  readonly groups?: readonly string[];
}

/** The username of a service account, as the API server authenticates its token. */
export const serviceAccountUsername = (namespace: string, name: string): string =>
  `system:serviceaccount:${namespace}:${name}`;

/** A CEL string or list literal (JSON's escapes are CEL's). */
const celString = (value: string): string => JSON.stringify(value);
const celList = (values: readonly string[]): string => `[${values.map(celString).join(', ')}]`;

/** CEL: the request's user is one of the subjects. `groups` can be absent from userInfo, so it is tested first. */
export function isOneOf(subjects: KubernetesSubjects): string {
  const terms = [
    ...(subjects.usernames?.length ? [`request.userInfo.username in ${celList(subjects.usernames)}`] : []),
    ...(subjects.groups?.length
      ? [`(has(request.userInfo.groups) && request.userInfo.groups.exists(g, g in ${celList(subjects.groups)}))`]
      : []),
  ];
  if (terms.length === 0)
    throw new UnscopedValidationError(
      lit`NoKubernetesSubjects`,
      'KubernetesSubjects must name at least one username or group',
    );
  return terms.join(' || ');
}

/** A policy that fails closed (an expression that cannot be evaluated refuses the request). */
const policy = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'ValidatingAdmissionPolicy',
  metadata: { name },
  spec: { failurePolicy: 'Fail', ...spec },
});

const binding = (policyName: string) => ({
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'ValidatingAdmissionPolicyBinding',
  metadata: { name: policyName },
  spec: { policyName, validationActions: ['Deny'] },
});

const inNamespaces = (namespaces: readonly string[]) => ({
  matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [...namespaces] }],
});

const orEmpty = (path: string) => `(has(${path}) ? ${path} : [])`;

/**
 * The subjects may patch and update pods cluster-wide (aws-node for the pod-IP annotation, the incident responder for
 * the quarantine label): they may change a pod's labels and annotations, nothing else. An image swapped into a
 * privileged pod would otherwise run as root on its node.
 */
export function podPatchersMetadataOnly(patchers: KubernetesSubjects): Record<string, unknown>[] {
  const unchanged = (field: string) =>
    `${orEmpty(`object.metadata.${field}`)} == ${orEmpty(`oldObject.metadata.${field}`)}`;
  return [
    policy(POD_PATCHERS_POLICY, {
      matchConstraints: {
        resourceRules: [
          {
            apiGroups: [''],
            apiVersions: ['v1'],
            operations: ['UPDATE'],
            resources: ['pods', 'pods/ephemeralcontainers'],
          },
        ],
      },
      matchConditions: [{ name: 'restricted-pod-patchers', expression: isOneOf(patchers) }],
      validations: [
        {
          expression: 'object.spec == oldObject.spec',
          reason: 'Forbidden',
          message:
            'this subject may change only the labels and annotations of a pod, not its spec (containers, images, volumes)',
        },
        {
          expression: `${unchanged('ownerReferences')} && ${unchanged('finalizers')}`,
          reason: 'Forbidden',
          message:
            'this subject may change only the labels and annotations of a pod, not its owner references or finalizers',
        },
      ],
    }),
    binding(POD_PATCHERS_POLICY),
  ];
}

export interface QuarantineProtectionProps {
  /** The quarantine label (IR-2). */
  readonly label: string;
  /** The workload namespaces, where the quarantine policies live. */
  readonly namespaces: readonly string[];
  /** Names of the deny-only NetworkPolicies of each workload namespace that keep a quarantined pod cut off. */
  readonly protectedPolicies: readonly string[];
  /** Who may remove or change the label (the incident responder). */
  readonly responders: KubernetesSubjects;
  /** Who applies and removes the product's network policies (the kubectl handler of the deployment). */
  readonly deployers: KubernetesSubjects;
}

/**
 * Quarantine holds against namespace editors: in the workload namespaces, only the responders may remove or change a
 * pod's quarantine label; only the deployment may change or delete the deny-all and quarantine policies; and a policy
 * that allows any traffic must leave quarantined pods out (network policies add up, so one that selects them would
 * let their traffic through).
 */
export function quarantineProtection(props: QuarantineProtectionProps): Record<string, unknown>[] {
  const label = celString(props.label);
  const noRules = (direction: string) => `(!has(object.spec.${direction}) || size(object.spec.${direction}) == 0)`;
  const skipsQuarantined =
    'has(object.spec.podSelector) && has(object.spec.podSelector.matchExpressions) && ' +
    `object.spec.podSelector.matchExpressions.exists(e, e.key == ${label} && e.operator == "DoesNotExist")`;
  return [
    policy(QUARANTINE_LABEL_POLICY, {
      matchConstraints: {
        namespaceSelector: inNamespaces(props.namespaces),
        resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['UPDATE'], resources: ['pods'] }],
      },
      matchConditions: [
        { name: 'quarantined', expression: `has(oldObject.metadata.labels) && ${label} in oldObject.metadata.labels` },
        { name: 'not-a-responder', expression: `!(${isOneOf(props.responders)})` },
      ],
      validations: [
        {
          expression: `has(object.metadata.labels) && ${label} in object.metadata.labels && object.metadata.labels[${label}] == oldObject.metadata.labels[${label}]`,
          reason: 'Forbidden',
          message: `only the incident responder may remove or change the quarantine label ${props.label}`,
        },
      ],
    }),
    binding(QUARANTINE_LABEL_POLICY),
    policy(QUARANTINE_NETWORK_POLICIES_POLICY, {
      matchConstraints: {
        namespaceSelector: inNamespaces(props.namespaces),
        resourceRules: [
          {
            apiGroups: ['networking.k8s.io'],
            apiVersions: ['v1'],
            operations: ['CREATE', 'UPDATE', 'DELETE'],
            resources: ['networkpolicies'],
          },
        ],
      },
      matchConditions: [{ name: 'not-the-deployment', expression: `!(${isOneOf(props.deployers)})` }],
      validations: [
        {
          expression: `request.operation == "CREATE" || !(oldObject.metadata.name in ${celList(props.protectedPolicies)})`,
          reason: 'Forbidden',
          message: `the network policies ${props.protectedPolicies.join(', ')} keep quarantined pods cut off: only the product's deployment changes or deletes them`,
        },
        {
          expression: `request.operation == "DELETE" || (${noRules('ingress')} && ${noRules('egress')}) || (${skipsQuarantined})`,
          reason: 'Forbidden',
          message: `a network policy that allows traffic must leave quarantined pods out: add matchExpressions {key: ${props.label}, operator: DoesNotExist} to its podSelector`,
        },
      ],
    }),
    binding(QUARANTINE_NETWORK_POLICIES_POLICY),
  ];
}

export interface AdmissionPoliciesProps extends QuarantineProtectionProps {
  readonly cluster: eks.ICluster;
  /** Subjects that may patch pods cluster-wide. */
  readonly podPatchers: KubernetesSubjects;
  /** What must exist first (e.g. the access entry that gives the deployment its username). */
  readonly after?: IDependable[];
}

/** Applies the pod-patcher and quarantine policies to the cluster, one manifest. */
export class AdmissionPolicies extends Construct {
  readonly manifest: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: AdmissionPoliciesProps) {
    super(scope, id);
    for (const property of ['podPatchers', 'responders', 'deployers'] as const) {
      const { usernames = [], groups = [] } = props[property];
      // An empty list would match nobody: the policy would restrict, or exempt, no one.
      if (usernames.length + groups.length === 0)
        throw new ConstructValidationError(this, property, 'must name at least one username or group');
    }
    this.manifest = new eks.KubernetesManifest(this, 'Policies', {
      cluster: props.cluster,
      manifest: [...podPatchersMetadataOnly(props.podPatchers), ...quarantineProtection(props)],
    });
    for (const dependency of props.after ?? []) this.manifest.node.addDependency(dependency);
  }
}
