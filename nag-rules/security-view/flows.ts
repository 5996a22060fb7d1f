/**
 * The flows of the security view: who talks to whom, and which controls guard the flow. A flow is drawn when the
 * template has both its ends (by component kind). Besides the controls listed here, a flow carries every control
 * of the matrix that protects one of its entry or exfiltration points.
 */
export interface FlowDefinition {
  readonly id: string;
  readonly label: string;
  readonly from: string;
  readonly to: string;
  /** A component the flow passes through when the template has it (an endpoint, a gateway). */
  readonly via?: string;
  /** Entry (EP-*) and exfiltration (EX-*) points of the threat model the flow is. */
  readonly marks?: readonly string[];
  readonly controls: readonly string[];
  /** A path the product closes (no public endpoint, no SSH): drawn dashed, it shows what keeps it closed. */
  readonly blocked?: boolean;
}

export const FLOWS: readonly FlowDefinition[] = [
  {
    id: 'api',
    label: 'kubectl, Kubernetes API (HTTPS)',
    from: 'corporate-users',
    to: 'control-plane',
    marks: ['EP-1'],
    controls: ['CLU-6', 'IDN-1', 'K8S-1', 'K8S-2', 'K8S-3'],
  },
  {
    id: 'public-api',
    label: 'no public API endpoint',
    from: 'internet',
    to: 'control-plane',
    marks: ['EP-1'],
    controls: ['CLU-1'],
    blocked: true,
  },
  {
    id: 'ssh',
    label: 'no SSH to nodes',
    from: 'internet',
    to: 'node-group',
    marks: ['EP-2'],
    controls: ['NOD-3', 'NET-2'],
    blocked: true,
  },
  {
    id: 'admin-apis',
    label: 'admin APIs (ADM-1..12), admin roles only',
    from: 'corporate-users',
    via: 'admin-apis',
    to: 'control-plane',
    controls: ['IDN-5', 'IDN-6', 'CLU-7', 'CLU-9', 'DET-3'],
  },
  {
    id: 'kubelet',
    label: 'kubelet API (10250), control plane only',
    from: 'control-plane',
    to: 'node-group',
    marks: ['EP-3'],
    controls: ['NET-3'],
  },
  {
    id: 'pods',
    label: 'schedules consumer pods',
    from: 'control-plane',
    to: 'workloads',
    marks: ['EP-4'],
    controls: ['K8S-4', 'K8S-5', 'K8S-6', 'K8S-7', 'K8S-9'],
  },
  {
    id: 'node-shell',
    label: 'node shell: Session Manager only',
    from: 'corporate-users',
    via: 'session-manager',
    to: 'node-group',
    marks: ['EP-2'],
    controls: ['NOD-7'],
  },
  {
    id: 'images',
    label: 'image pulls and pushes (ECR)',
    from: 'node-group',
    via: 'interface-endpoints',
    to: 'registry',
    marks: ['EX-2'],
    controls: ['REG-1', 'REG-2', 'NET-6'],
  },
  {
    id: 's3',
    label: 'S3 through the gateway endpoint (organization buckets only)',
    from: 'node-group',
    via: 'gateway-endpoints',
    to: 'organization-buckets',
    marks: ['EX-1'],
    controls: ['NET-5'],
  },
  {
    id: 'egress',
    label: 'internet egress through NAT (public registries)',
    from: 'node-group',
    via: 'public-subnets',
    to: 'internet',
    marks: ['EX-1'],
    controls: ['K8S-8', 'K8S-14'],
  },
  {
    id: 'pod-credentials',
    label: 'pod credentials (IRSA, Pod Identity via STS)',
    from: 'workloads',
    via: 'interface-endpoints',
    to: 'workload-identities',
    controls: ['IDN-2', 'IDN-4', 'IDN-7', 'NOD-2', 'K8S-6'],
  },
  { id: 'secrets-key', label: 'secrets envelope encryption', from: 'control-plane', to: 'keys', controls: ['CLU-2'] },
  { id: 'volume-key', label: 'root volume encryption', from: 'node-group', to: 'keys', controls: ['NOD-4'] },
  {
    id: 'control-plane-logs',
    label: 'control-plane logs',
    from: 'control-plane',
    to: 'log-groups',
    controls: ['CLU-3', 'CLU-4'],
  },
  { id: 'flow-logs', label: 'VPC flow logs', from: 'flow-logs', to: 'log-groups', controls: ['NET-4'] },
  {
    id: 'session-logs',
    label: 'session logs (encrypted)',
    from: 'session-manager',
    to: 'log-groups',
    controls: ['NOD-7'],
  },
  {
    id: 'kube-bench',
    label: 'kube-bench reports (CIS EKS Benchmark)',
    from: 'kubernetes-objects',
    to: 'log-groups',
    controls: ['DET-1'],
  },
  { id: 'guardduty', label: 'GuardDuty runtime findings', from: 'add-ons', to: 'event-rules', controls: ['DET-2'] },
  { id: 'config', label: 'AWS Config evaluations', from: 'config-rules', to: 'control-plane', controls: ['DET-5'] },
  {
    id: 'alarms',
    label: 'kube-bench failures and missing reports',
    from: 'alarms',
    to: 'alert-topic',
    controls: ['DET-1'],
  },
  {
    id: 'alerts',
    label: 'security alerts (admin APIs, access entries, GuardDuty)',
    from: 'event-rules',
    to: 'alert-topic',
    controls: ['DET-3'],
  },
  {
    id: 'notify',
    label: 'e-mail to the security team',
    from: 'alert-topic',
    to: 'corporate-users',
    controls: ['DET-3'],
  },
  {
    id: 'incident-response',
    label: 'incident response (IR-1..IR-6)',
    from: 'corporate-users',
    via: 'runbooks',
    to: 'responder',
    controls: ['REM-1', 'REM-2', 'REM-3', 'REM-4', 'REM-7'],
  },
  {
    id: 'responder-api',
    label: 'identify, quarantine, cordon (Kubernetes API)',
    from: 'responder',
    to: 'control-plane',
    controls: ['REM-1', 'REM-2', 'REM-4', 'REM-7'],
  },
  {
    id: 'evidence',
    label: 'volatile artifacts to the evidence bucket (IR-6)',
    from: 'node-group',
    to: 'buckets',
    controls: ['REM-5', 'REM-6'],
  },
  {
    id: 'kubectl',
    label: "applies the product's Kubernetes objects",
    from: 'in-vpc-functions',
    to: 'control-plane',
    controls: ['K8S-9', 'K8S-10', 'K8S-11'],
  },
];
