import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';

/** The label that puts a pod into quarantine (IR-2): every allow policy of the baseline skips labelled pods. */
export const QUARANTINE_LABEL = 'security.eks-hardened/quarantine';

/** The Pod Identity agent's link-local address and port. */
export const POD_IDENTITY_AGENT = { cidr: '169.254.170.23/32', port: 80 };

/** A workload namespace with Pod Security Admission `restricted` enforced, audited and warned (PV-3, PE-2, LM-5). */
export function workloadNamespace(name: string): Record<string, unknown> {
  const level = 'restricted';
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: {
        'pod-security.kubernetes.io/enforce': level,
        'pod-security.kubernetes.io/enforce-version': 'latest',
        'pod-security.kubernetes.io/audit': level,
        'pod-security.kubernetes.io/warn': level,
      },
    },
  };
}

/** The namespace's default service account with no token automount (PV-2). */
export function defaultServiceAccount(namespace: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'default', namespace },
    automountServiceAccountToken: false,
  };
}

/** The namespace's deny-only policies: every pod, and quarantined pods. Quarantine holds as long as they do. */
export const DENY_ALL_POLICY = 'default-deny-all';
export const QUARANTINE_POLICY = 'quarantine';

const notQuarantined = { matchExpressions: [{ key: QUARANTINE_LABEL, operator: 'DoesNotExist' }] };

/**
 * The namespace's network-policy baseline (PV-5): deny all ingress and egress, then allow DNS to kube-dns (UDP and
 * TCP 53) and the Pod Identity agent — for pods that are not quarantined. A quarantined pod is selected only by the
 * deny-all and quarantine policies, so it is isolated (IR-2).
 */
export function networkPolicyBaseline(namespace: string): Record<string, unknown>[] {
  const policy = (name: string, spec: Record<string, unknown>) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace },
    spec,
  });
  return [
    policy(DENY_ALL_POLICY, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    policy('allow-dns-egress', {
      podSelector: notQuarantined,
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            },
          ],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
      ],
    }),
    policy('allow-pod-identity-agent-egress', {
      podSelector: notQuarantined,
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT.cidr } }],
          ports: [{ protocol: 'TCP', port: POD_IDENTITY_AGENT.port }],
        },
      ],
    }),
    policy(QUARANTINE_POLICY, {
      podSelector: { matchExpressions: [{ key: QUARANTINE_LABEL, operator: 'Exists' }] },
      policyTypes: ['Ingress', 'Egress'],
    }),
  ];
}

export interface WorkloadBaselineProps {
  readonly cluster: eks.ICluster;
  readonly namespaces: string[];
  /** What must exist before the policies are applied (the policy engine). */
  readonly after?: Construct[];
}

/**
 * Workload namespaces and their baseline: Pod Security `restricted`, default service accounts without tokens,
 * default-deny network policy with DNS and Pod Identity allowed, and quarantine. No RBAC binding to cluster-admin
 * is created anywhere in the product.
 */
export class WorkloadBaseline extends Construct {
  readonly manifests: eks.KubernetesManifest[] = [];

  constructor(scope: Construct, id: string, props: WorkloadBaselineProps) {
    super(scope, id);
    for (const ns of props.namespaces) {
      const namespace = new eks.KubernetesManifest(this, `Namespace-${ns}`, {
        cluster: props.cluster,
        manifest: [workloadNamespace(ns)],
      });
      // The default service account already exists once the namespace does, so it is overwritten, not created.
      const serviceAccount = new eks.KubernetesManifest(this, `DefaultServiceAccount-${ns}`, {
        cluster: props.cluster,
        manifest: [defaultServiceAccount(ns)],
        overwrite: true,
      });
      const policies = new eks.KubernetesManifest(this, `NetworkPolicies-${ns}`, {
        cluster: props.cluster,
        manifest: networkPolicyBaseline(ns),
      });
      serviceAccount.node.addDependency(namespace);
      policies.node.addDependency(namespace);
      for (const dependency of props.after ?? []) policies.node.addDependency(dependency);
      this.manifests.push(namespace, serviceAccount, policies);
    }
  }
}
