import { Owner } from './owners';
import { ALL_ADM_IDS } from './threat-model';

/** The control categories of the threat model (CC-*). */
export type ControlCategory = 'directive' | 'preventive' | 'detective' | 'remediative' | 'corrective';

export interface Control {
  /** Stable ID; the rule that checks it is `EksThreatModel-<id>`. */
  readonly id: string;
  readonly title: string;
  readonly category: ControlCategory;
  /** Threat-model IDs the control answers (at least one TH-*). */
  readonly protects: readonly string[];
  /** Where the product implements it (files), for reviewers. */
  readonly implementedBy: readonly string[];
  /** Set when no rule can check the control in a template; says why and who checks it instead. */
  readonly processOnly?: string;
  /** Who runs a process-only control (required with `processOnly`); a checked control runs in the product. */
  readonly owner?: Owner;
}

const cluster = 'lib/cluster/hardened-cluster.ts';
const network = 'lib/network/product-network.ts';
const securityGroups = 'lib/network/cluster-security-groups.ts';
const nodes = 'lib/nodes/hardened-node-group.ts';
const access = 'lib/identity/cluster-access.ts';
const nodeRole = 'lib/identity/node-role.ts';
const guardrail = 'lib/identity/admin-api-guardrail.ts';
const baseline = 'lib/kubernetes/workload-baseline.ts';
const calico = 'lib/kubernetes/calico-policy-engine.ts';
const registry = 'lib/registry/private-registry.ts';
const kubeBench = 'lib/detection/kube-bench-schedule.ts';
const alerts = 'lib/detection/security-alerts.ts';
const configRules = 'lib/detection/product-config-rules.ts';
const runbooks = 'lib/response/incident-response-runbooks.ts';
const responder = 'lib/response/kubernetes-responder.ts';
const admissionPolicies = 'lib/kubernetes/admission-policies.ts';

export const CONTROLS: readonly Control[] = [
  // Cluster / control plane
  { id: 'CLU-1', title: 'Kubernetes API endpoint private only', category: 'preventive', protects: ['TH-1', 'EP-1', 'PV-1', 'AC-1'], implementedBy: [cluster] },
  { id: 'CLU-2', title: 'Secrets envelope-encrypted with a rotating customer-managed key', category: 'preventive', protects: ['TH-2', 'TH-3', 'LM-3'], implementedBy: [cluster] },
  { id: 'CLU-3', title: 'All five control-plane log types enabled', category: 'detective', protects: ['TH-1', 'TH-2', 'TH-3', 'TH-4', 'IR-1'], implementedBy: [cluster] },
  { id: 'CLU-4', title: 'Control-plane log group pre-created with retention and KMS', category: 'detective', protects: ['TH-3', 'TH-4', 'IR-1', 'IR-6'], implementedBy: [cluster] },
  { id: 'CLU-5', title: 'Kubernetes version from the supported list', category: 'corrective', protects: ['TH-1', 'TH-2', 'AC-3'], implementedBy: [cluster, 'products/hardened-eks/parameters.ts'] },
  { id: 'CLU-6', title: 'Authentication mode API and no admin for the cluster creator', category: 'preventive', protects: ['TH-3', 'PV-1', 'AC-5'], implementedBy: [cluster] },
  { id: 'CLU-7', title: 'Cluster deletion protection', category: 'preventive', protects: ['TH-4', 'ADM-8', 'IM-1', 'IM-4'], implementedBy: [cluster] },
  { id: 'CLU-8', title: 'Managed add-ons pinned to a version', category: 'corrective', protects: ['TH-2', 'AC-3', 'LM-4'], implementedBy: [cluster, 'products/hardened-eks/addon-versions.ts'] },
  { id: 'CLU-9', title: 'No OIDC identity-provider association in the product', category: 'preventive', protects: ['TH-3', 'TH-4', 'ADM-11', 'ADM-12'], implementedBy: [cluster] },
  { id: 'CLU-10', title: 'Launch parameters constrained (patterns, allowed values, ranges, template rules)', category: 'preventive', protects: ['TH-4', 'PV-8', 'AC-5'], implementedBy: ['products/hardened-eks/parameters.ts'] },
  { id: 'CLU-11', title: 'No cluster made or configured by a resource type the pack cannot read (registry extensions, custom resources, EKS calls of AwsCustomResource)', category: 'preventive', protects: ['TH-1', 'TH-2', 'TH-3', 'TH-4', 'PV-8'], implementedBy: [cluster] },
  { id: 'CLU-12', title: 'No secret in clear text in the template (gitleaks rule set): properties, user data, Kubernetes Secrets and ConfigMaps, environments, SSM documents, parameter defaults', category: 'preventive', protects: ['TH-2', 'TH-3', 'AC-4', 'LM-2'], implementedBy: [cluster, 'products/hardened-eks/parameters.ts'] },
  // Identity
  { id: 'IDN-1', title: 'Cluster-admin access entries only for named IAM roles', category: 'preventive', protects: ['TH-3', 'PV-1', 'AC-4', 'AC-5'], implementedBy: [access] },
  { id: 'IDN-2', title: 'IRSA trust policies scoped to one service account and audience', category: 'preventive', protects: ['TH-2', 'LM-1', 'LM-2', 'PV-3'], implementedBy: [cluster] },
  { id: 'IDN-3', title: 'Node role minimal: approved managed policies, no write or wildcard grants, no CNI policy', category: 'preventive', protects: ['TH-2', 'LM-1', 'EX-1', 'EX-2'], implementedBy: [nodeRole] },
  { id: 'IDN-4', title: 'VPC CNI on its own IRSA or Pod Identity role', category: 'preventive', protects: ['TH-2', 'LM-1', 'PV-3'], implementedBy: [cluster] },
  { id: 'IDN-5', title: 'Admin-API grants conditioned (no unconditional Allow of ADM-* actions)', category: 'preventive', protects: ['TH-4', 'PV-7', ...ALL_ADM_IDS], implementedBy: [guardrail, 'products/hardened-eks/launch-role-statements.ts'] },
  { id: 'IDN-6', title: 'Admin-API guardrail shipped: a deny of every ADM-* API outside admin roles and the corporate network, trusted role names protected', category: 'preventive', protects: ['TH-4', 'PV-7', 'AC-4', 'AC-5'], implementedBy: [guardrail] },
  { id: 'IDN-7', title: 'Workload identity available: OIDC provider for IRSA and the Pod Identity agent', category: 'directive', protects: ['TH-2', 'LM-1', 'LM-2', 'PV-3'], implementedBy: [cluster] },
  { id: 'IDN-8', title: 'Privileged Lambda functions (cluster access or IAM writes: kubectl handler, incident responder, role-session revoker) invoked only by their own callers and changed only by the deployment (guardrail denies)', category: 'preventive', protects: ['TH-3', 'PV-1', 'AC-4', 'AC-5'], implementedBy: ['lib/identity/privileged-function-guardrail.ts', cluster] },
  // Nodes
  { id: 'NOD-1', title: 'Every node group uses a launch template', category: 'preventive', protects: ['TH-2', 'LM-1'], implementedBy: [nodes] },
  { id: 'NOD-2', title: 'IMDSv2 required with hop limit 1 on node launch templates', category: 'preventive', protects: ['TH-2', 'LM-1', 'EX-1'], implementedBy: [nodes] },
  { id: 'NOD-3', title: 'No SSH: no remote access and no key pair on nodes', category: 'preventive', protects: ['TH-1', 'EP-2', 'AC-1'], implementedBy: [nodes] },
  { id: 'NOD-4', title: 'Node root volumes encrypted with a customer-managed key', category: 'preventive', protects: ['TH-2', 'EX-1', 'IR-6'], implementedBy: [nodes] },
  { id: 'NOD-5', title: 'Container-optimized node OS (AL2023 or Bottlerocket)', category: 'corrective', protects: ['TH-2', 'AC-3', 'PE-2'], implementedBy: [nodes] },
  { id: 'NOD-6', title: 'Nodes only in private subnets without public IPs', category: 'preventive', protects: ['TH-1', 'EP-2', 'EP-3', 'PV-1'], implementedBy: [nodes, network] },
  { id: 'NOD-7', title: 'Session Manager access on nodes, with encrypted and logged sessions', category: 'preventive', protects: ['TH-1', 'EP-2', 'IR-6'], implementedBy: ['lib/nodes/session-manager-preferences.ts', nodeRole] },
  { id: 'NOD-8', title: 'Node user data opens no SSH way in, does not reopen the metadata service and keeps the security agents running', category: 'preventive', protects: ['TH-1', 'TH-2', 'EP-2', 'LM-1', 'IR-6'], implementedBy: [nodes] },
  { id: 'NOD-9', title: 'Karpenter EC2NodeClass objects as hardened as the node launch template (IMDSv2 hop 1, CMK-encrypted volumes, no public IP, AL2023/Bottlerocket, clean user data)', category: 'preventive', protects: ['TH-1', 'TH-2', 'EP-2', 'LM-1', 'EX-1'], implementedBy: [nodes] },
  { id: 'NOD-10', title: 'No Fargate profile takes pods out of Calico policy, GuardDuty runtime monitoring or the template\'s network policies', category: 'preventive', protects: ['TH-2', 'PV-5', 'IR-2', 'IR-6'], implementedBy: [nodes] },
  // Network
  { id: 'NET-1', title: 'No security-group ingress from 0.0.0.0/0 or ::/0', category: 'preventive', protects: ['TH-1', 'EP-1', 'EP-3', 'AC-1'], implementedBy: [securityGroups] },
  { id: 'NET-2', title: 'No ingress on port 22', category: 'preventive', protects: ['TH-1', 'EP-2'], implementedBy: [securityGroups] },
  { id: 'NET-3', title: 'Separate control-plane and node security groups; kubelet only from the control plane', category: 'preventive', protects: ['TH-1', 'PV-4', 'EP-3'], implementedBy: [securityGroups, nodes] },
  { id: 'NET-4', title: 'VPC flow logs on every VPC', category: 'detective', protects: ['TH-1', 'TH-2', 'EX-1', 'IR-1'], implementedBy: [network] },
  { id: 'NET-5', title: 'S3 gateway endpoint policy limited to the organization\'s buckets', category: 'preventive', protects: ['TH-2', 'EX-1', 'LM-1'], implementedBy: [network] },
  { id: 'NET-6', title: 'Private endpoints for ECR and STS in a created VPC', category: 'preventive', protects: ['TH-2', 'EX-2', 'PV-6'], implementedBy: [network] },
  // Registry
  { id: 'REG-1', title: 'ECR images scanned on push', category: 'detective', protects: ['TH-2', 'AC-2', 'AC-3', 'PV-6'], implementedBy: [registry] },
  { id: 'REG-2', title: 'ECR tags immutable', category: 'preventive', protects: ['TH-2', 'PE-1', 'AC-2'], implementedBy: [registry] },
  { id: 'REG-3', title: 'ECR encrypted with KMS', category: 'preventive', protects: ['TH-2', 'EX-2'], implementedBy: [registry] },
  { id: 'REG-4', title: 'ECR lifecycle policy', category: 'corrective', protects: ['TH-2', 'AC-3'], implementedBy: [registry] },
  { id: 'REG-5', title: 'ECR repository policy limited to the account or organization', category: 'preventive', protects: ['TH-2', 'EX-2', 'PV-6'], implementedBy: [registry] },
  { id: 'REG-6', title: 'Repositories of the product\'s own workloads (security tools) accept pushes only from the publisher roles', category: 'preventive', protects: ['TH-2', 'PE-1', 'AC-2', 'AC-4'], implementedBy: ['lib/registry/tool-publishers.ts', 'products/hardened-eks/settings.ts'] },
  // Kubernetes objects
  { id: 'K8S-1', title: 'No aws-auth mappings to system:masters, mapUsers or mapAccounts', category: 'preventive', protects: ['TH-3', 'PV-1', 'AC-4'], implementedBy: [access] },
  { id: 'K8S-2', title: 'No RBAC binding to cluster-admin', category: 'preventive', protects: ['TH-2', 'TH-3', 'PV-2', 'PV-3'], implementedBy: [baseline] },
  { id: 'K8S-3', title: 'RBAC without wildcards, cluster-wide secret reads, escalate, bind, impersonate or exec', category: 'preventive', protects: ['TH-2', 'TH-3', 'LM-3', 'PV-3'], implementedBy: ['lib/kubernetes/aws-node-pod-annotation.ts'] },
  { id: 'K8S-4', title: 'Pods not privileged, without host namespaces or privilege escalation', category: 'preventive', protects: ['TH-2', 'EP-4', 'AC-2', 'LM-5'], implementedBy: [baseline] },
  { id: 'K8S-5', title: 'No writable hostPath and no container-runtime socket mounts', category: 'preventive', protects: ['TH-2', 'PE-2', 'LM-5'], implementedBy: [baseline] },
  { id: 'K8S-6', title: 'Service-account tokens not mounted by default', category: 'preventive', protects: ['TH-2', 'PV-2', 'LM-2'], implementedBy: [baseline] },
  { id: 'K8S-7', title: 'Workload namespaces enforce Pod Security restricted', category: 'preventive', protects: ['TH-2', 'EP-4', 'PV-3', 'PE-2'], implementedBy: [baseline] },
  { id: 'K8S-8', title: 'Default-deny network policy in every workload namespace', category: 'preventive', protects: ['TH-2', 'PV-5', 'LM-1', 'LM-4', 'EX-1'], implementedBy: [baseline] },
  { id: 'K8S-9', title: 'No admission webhooks applied by the product', category: 'preventive', protects: ['TH-2', 'TH-3', 'PE-4'], implementedBy: [baseline] },
  { id: 'K8S-10', title: 'No CronJobs applied by the product', category: 'preventive', protects: ['TH-2', 'TH-3', 'PE-3'], implementedBy: [baseline] },
  { id: 'K8S-11', title: 'CoreDNS not edited by manifests', category: 'preventive', protects: ['TH-2', 'LM-4'], implementedBy: [cluster] },
  { id: 'K8S-12', title: 'A network-policy engine enforces policies (Calico, or the VPC CNI\'s)', category: 'directive', protects: ['TH-2', 'PV-5', 'IR-2'], implementedBy: [calico, cluster] },
  { id: 'K8S-13', title: 'Quarantine network policy in every workload namespace', category: 'remediative', protects: ['TH-2', 'TH-3', 'IR-2'], implementedBy: [baseline] },
  { id: 'K8S-14', title: 'Container images from a private ECR registry or pinned by digest', category: 'preventive', protects: ['TH-2', 'PV-6', 'AC-2', 'EX-2'], implementedBy: [baseline] },
  { id: 'K8S-15', title: 'Subjects that may patch every pod change only labels and annotations (ValidatingAdmissionPolicy)', category: 'preventive', protects: ['TH-2', 'TH-3', 'PV-3', 'PE-1'], implementedBy: [admissionPolicies, 'lib/kubernetes/aws-node-pod-annotation.ts', responder] },
  { id: 'K8S-16', title: 'Quarantine label and deny policies changeable only by the responder and the deployment (ValidatingAdmissionPolicy)', category: 'preventive', protects: ['TH-2', 'TH-3', 'IR-2', 'AC-4', 'AC-5'], implementedBy: [admissionPolicies, baseline] },
  { id: 'K8S-17', title: 'CoreDNS configuration through add-on configuration values or Helm values forwards only to the VPC resolver and rewrites no names', category: 'preventive', protects: ['TH-2', 'LM-4', 'EX-1'], implementedBy: [cluster] },
  // Detective controls shipped in the product (CC-DET)
  { id: 'DET-1', title: 'Periodic kube-bench run against the CIS Amazon EKS Benchmark, failures alarmed', category: 'detective', protects: ['TH-1', 'TH-2', 'EP-3', 'PE-2', 'LM-5'], implementedBy: [kubeBench] },
  { id: 'DET-2', title: 'GuardDuty EKS runtime monitoring: agent add-on and its VPC endpoint', category: 'detective', protects: ['TH-2', 'TH-3', 'PE-1', 'PE-3', 'PE-4', 'LM-1', 'AC-2'], implementedBy: [cluster, network, 'lib/baseline/account-baseline-stack.ts'] },
  { id: 'DET-3', title: 'Alerts on every guarded EKS API (ADM-*) and access-entry changes to an encrypted SNS topic', category: 'detective', protects: ['TH-3', 'TH-4', 'AC-4', 'AC-5', ...ALL_ADM_IDS], implementedBy: [alerts] },
  {
    id: 'DET-4', title: 'Periodic Amazon Inspector assessment of nodes and enhanced image scanning', category: 'detective', protects: ['TH-1', 'TH-2', 'AC-3'], implementedBy: ['lib/baseline/account-baseline-stack.ts'],
    processOnly: 'Amazon Inspector is activated per account or by the organization\'s delegated administrator (no CloudFormation resource); the optional account-baseline stack turns on ECR enhanced scanning, and REG-1 keeps basic scan on push as the fallback.',
    owner: 'platform-team',
  },
  { id: 'DET-5', title: 'AWS Config managed rules on the product\'s resources', category: 'detective', protects: ['TH-1', 'TH-2', 'EP-1', 'EP-2', 'LM-1', 'LM-3', 'PV-1', 'PV-6'], implementedBy: [configRules] },
  { id: 'DET-6', title: 'Alerts on changes and invocations of the privileged Lambda functions by anyone but their callers and the deployment', category: 'detective', protects: ['TH-3', 'AC-4', 'AC-5'], implementedBy: ['lib/detection/privileged-function-alerts.ts'] },
  // Incident-response runbooks shipped in the product (CC-REM), one per IR step
  { id: 'REM-1', title: 'IR-1 runbook: identify the pod and node (by node, deployment, label or service account)', category: 'remediative', protects: ['TH-1', 'TH-2', 'TH-3', 'TH-4', 'IR-1'], implementedBy: [runbooks, responder] },
  { id: 'REM-2', title: 'IR-2 runbooks: quarantine a pod (label + Calico policy), isolate a node (isolation security group)', category: 'remediative', protects: ['TH-1', 'TH-2', 'TH-3', 'IR-2', 'PV-5'], implementedBy: [runbooks, responder, 'lib/response/node-isolation-security-group.ts'] },
  { id: 'REM-3', title: 'IR-3 runbook: revoke a role\'s temporary credentials (aws:TokenIssueTime deny, written by the product\'s revoker function)', category: 'remediative', protects: ['TH-1', 'TH-2', 'TH-3', 'TH-4', 'IR-3', 'LM-1'], implementedBy: [runbooks, 'lib/response/role-session-revoker.ts'] },
  { id: 'REM-4', title: 'IR-4 runbook: cordon the node', category: 'remediative', protects: ['TH-1', 'TH-2', 'TH-3', 'IR-4'], implementedBy: [runbooks, responder] },
  { id: 'REM-5', title: 'IR-5 runbook: termination and scale-in protection on the node', category: 'remediative', protects: ['TH-1', 'TH-2', 'IR-5', 'IR-6'], implementedBy: [runbooks] },
  { id: 'REM-6', title: 'IR-6 runbook: capture volatile artifacts into a KMS-encrypted, object-locked evidence bucket, with the product\'s own Command document, the configured AVML checksum and tools only the publisher writes', category: 'remediative', protects: ['TH-1', 'TH-2', 'IR-6'], implementedBy: [runbooks, 'lib/response/runbooks/capture-volatile-artifacts.ts', 'lib/response/evidence-bucket.ts', 'lib/registry/tool-publishers.ts'] },
  { id: 'REM-7', title: 'Least-privilege incident-response role with fixed-content actions only (own Command document, own functions) and a scoped access entry for the responder', category: 'remediative', protects: ['TH-2', 'TH-3', 'TH-4', 'IR-1', 'IR-2', 'IR-3', 'IR-4', 'IR-5', 'IR-6', 'PV-3'], implementedBy: ['lib/response/incident-response-automation-role.ts', 'lib/response/role-session-revoker.ts', responder] },
  { id: 'REM-8', title: 'The Kubernetes responder is never cluster-admin (no admin access policy, system:masters or cluster-admin binding)', category: 'preventive', protects: ['TH-2', 'TH-3', 'PV-1', 'PV-3', 'IR-2', 'IR-4'], implementedBy: [responder, access] },
  // Process-only controls: no template can show them
  {
    id: 'COR-1', title: 'Iterative hardening: the matrix and exemptions reviewed by the SME each release', category: 'corrective', protects: ['TH-1', 'TH-2', 'TH-3', 'TH-4', 'XM'], implementedBy: ['nag-rules/exemptions.yaml'],
    processOnly: 'SME review of the controls matrix and the exemption register before each product release.',
    owner: 'platform-team',
  },
];
