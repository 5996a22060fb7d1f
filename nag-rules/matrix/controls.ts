import { Owner } from './owners';
import { ALL_ADM_IDS } from './threat-model';

/** The control categories of the threat model (CC-*). */
export type ControlCategory = 'directive' | 'preventive' | 'detective' | 'remediative' | 'corrective';

export interface Control {
  /** Stable ID; the rule that checks it is `EksThreatModel-<id>`. */
  readonly id: string;
  readonly title: string;
  readonly category: ControlCategory;
  /** CIS Amazon EKS Benchmark recommendations the control covers (`nag-rules/frameworks/cis-eks-*.json`); [] when none. */
  readonly cisEks: readonly string[];
  /** NIST SP 800-53 Rev. 5 controls the control implements, where that mapping is sound; [] when none. */
  readonly nist80053: readonly string[];
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
  { id: 'CLU-1', title: 'Kubernetes API endpoint private only', category: 'preventive', cisEks: ['5.4.1', '5.4.2'], nist80053: ['SC-7', 'AC-17'], protects: ['TH-1', 'EP-1', 'PV-1', 'AC-1'], implementedBy: [cluster] },
  { id: 'CLU-2', title: 'Secrets envelope-encrypted with a rotating customer-managed key', category: 'preventive', cisEks: ['5.3.1'], nist80053: ['SC-28', 'SC-12'], protects: ['TH-2', 'TH-3', 'LM-3'], implementedBy: [cluster] },
  { id: 'CLU-3', title: 'All five control-plane log types enabled', category: 'detective', cisEks: ['2.1.1', '2.1.2'], nist80053: ['AU-2', 'AU-12'], protects: ['TH-1', 'TH-2', 'TH-3', 'TH-4', 'IR-1'], implementedBy: [cluster] },
  { id: 'CLU-4', title: 'Control-plane log group pre-created with retention and KMS', category: 'detective', cisEks: ['2.1.2'], nist80053: ['AU-9', 'AU-11'], protects: ['TH-3', 'TH-4', 'IR-1', 'IR-6'], implementedBy: [cluster] },
  { id: 'CLU-5', title: 'Kubernetes version from the supported list', category: 'corrective', cisEks: [], nist80053: ['SI-2'], protects: ['TH-1', 'TH-2', 'AC-3'], implementedBy: [cluster, 'products/hardened-eks/parameters.ts'] },
  { id: 'CLU-6', title: 'Authentication mode API and no admin for the cluster creator', category: 'preventive', cisEks: ['4.1.7', '5.5.1'], nist80053: ['AC-2', 'AC-6'], protects: ['TH-3', 'PV-1', 'AC-5'], implementedBy: [cluster] },
  { id: 'CLU-7', title: 'Cluster deletion protection', category: 'preventive', cisEks: [], nist80053: ['CM-5'], protects: ['TH-4', 'ADM-8', 'IM-1', 'IM-4'], implementedBy: [cluster] },
  { id: 'CLU-8', title: 'Managed add-ons pinned to a version', category: 'corrective', cisEks: [], nist80053: ['CM-2'], protects: ['TH-2', 'AC-3', 'LM-4'], implementedBy: [cluster, 'products/hardened-eks/addon-versions.ts'] },
  { id: 'CLU-9', title: 'No OIDC identity-provider association in the product', category: 'preventive', cisEks: ['5.5.1'], nist80053: ['IA-2', 'AC-2'], protects: ['TH-3', 'TH-4', 'ADM-11', 'ADM-12'], implementedBy: [cluster] },
  { id: 'CLU-10', title: 'Launch parameters constrained (patterns, allowed values, ranges, template rules)', category: 'preventive', cisEks: [], nist80053: ['CM-5', 'CM-7'], protects: ['TH-4', 'PV-8', 'AC-5'], implementedBy: ['products/hardened-eks/parameters.ts'] },
  { id: 'CLU-11', title: 'No cluster made or configured by a resource type the pack cannot read (registry extensions, custom resources, EKS calls of AwsCustomResource)', category: 'preventive', cisEks: [], nist80053: ['CM-7', 'SI-4'], protects: ['TH-1', 'TH-2', 'TH-3', 'TH-4', 'PV-8'], implementedBy: [cluster] },
  { id: 'CLU-12', title: 'No secret in clear text in the template (gitleaks rule set): properties, user data, Kubernetes Secrets and ConfigMaps, environments, SSM documents, parameter defaults', category: 'preventive', cisEks: [], nist80053: ['IA-5', 'SC-28'], protects: ['TH-2', 'TH-3', 'AC-4', 'LM-2'], implementedBy: [cluster, 'products/hardened-eks/parameters.ts'] },
  // Identity
  { id: 'IDN-1', title: 'Cluster-admin access entries only for named IAM roles', category: 'preventive', cisEks: ['4.1.1', '4.1.7'], nist80053: ['AC-2', 'AC-6'], protects: ['TH-3', 'PV-1', 'AC-4', 'AC-5'], implementedBy: [access] },
  { id: 'IDN-2', title: 'IRSA trust policies scoped to one service account and audience', category: 'preventive', cisEks: ['5.2.1'], nist80053: ['AC-6'], protects: ['TH-2', 'LM-1', 'LM-2', 'PV-3'], implementedBy: [cluster] },
  { id: 'IDN-3', title: 'Node role minimal: approved managed policies, no write or wildcard grants, no CNI policy', category: 'preventive', cisEks: ['5.1.3'], nist80053: ['AC-6'], protects: ['TH-2', 'LM-1', 'EX-1', 'EX-2'], implementedBy: [nodeRole] },
  { id: 'IDN-4', title: 'VPC CNI on its own IRSA or Pod Identity role', category: 'preventive', cisEks: ['5.2.1'], nist80053: ['AC-6'], protects: ['TH-2', 'LM-1', 'PV-3'], implementedBy: [cluster] },
  { id: 'IDN-5', title: 'Admin-API grants conditioned (no unconditional Allow of ADM-* actions)', category: 'preventive', cisEks: [], nist80053: ['AC-3', 'AC-6'], protects: ['TH-4', 'PV-7', ...ALL_ADM_IDS], implementedBy: [guardrail, 'products/hardened-eks/launch-role-statements.ts'] },
  { id: 'IDN-6', title: 'Admin-API guardrail shipped: a deny of every ADM-* API outside admin roles and the corporate network, trusted role names protected', category: 'preventive', cisEks: [], nist80053: ['AC-3', 'AC-6'], protects: ['TH-4', 'PV-7', 'AC-4', 'AC-5'], implementedBy: [guardrail] },
  { id: 'IDN-7', title: 'Workload identity available: OIDC provider for IRSA and the Pod Identity agent', category: 'directive', cisEks: ['5.2.1'], nist80053: ['AC-6'], protects: ['TH-2', 'LM-1', 'LM-2', 'PV-3'], implementedBy: [cluster] },
  { id: 'IDN-8', title: 'Privileged Lambda functions (cluster access or IAM writes: kubectl handler, incident responder, role-session revoker) invoked only by their own callers and changed only by the deployment (guardrail denies)', category: 'preventive', cisEks: [], nist80053: ['AC-3', 'AC-6'], protects: ['TH-3', 'PV-1', 'AC-4', 'AC-5'], implementedBy: ['lib/identity/privileged-function-guardrail.ts', cluster] },
  { id: 'IDN-9', title: 'Every role of the product carries the product\'s permissions boundary (no admin APIs, no identity writes, no foreign roles, no blinding of detection); the launch role creates or widens no role without it', category: 'preventive', cisEks: [], nist80053: ['AC-6', 'AC-3'], protects: ['TH-4', 'PV-7', 'LM-1', 'AC-5'], implementedBy: ['lib/identity/product-role-boundary.ts', 'products/hardened-eks/launch-role-statements.ts'] },
  { id: 'IDN-10', title: 'Every role trusted only by the launching account, AWS services or conditioned federation (no *, no other account, no NotPrincipal)', category: 'preventive', cisEks: [], nist80053: ['AC-3', 'AC-6'], protects: ['TH-3', 'TH-4', 'AC-1', 'AC-4', 'PV-7'], implementedBy: [nodeRole, cluster, 'lib/response/incident-response-automation-role.ts'] },
  { id: 'IDN-11', title: 'No administrator-equivalent policy (AdministratorAccess, PowerUserAccess, IAMFullAccess, * on *) on any principal', category: 'preventive', cisEks: [], nist80053: ['AC-6'], protects: ['TH-2', 'TH-4', 'LM-1', 'AC-5', 'PV-7'], implementedBy: [nodeRole, cluster, guardrail] },
  { id: 'IDN-12', title: 'No privilege-escalation primitive on any principal (IAM policy and credential writes, unconstrained PassRole, AssumeRole on *, code run as a passed role)', category: 'preventive', cisEks: [], nist80053: ['AC-6', 'AC-2'], protects: ['TH-2', 'TH-4', 'LM-1', 'AC-5', 'PV-7'], implementedBy: [nodeRole, 'lib/response/role-session-revoker.ts', 'lib/response/incident-response-automation-role.ts'] },
  { id: 'IDN-13', title: 'Every access entry scoped: node entries only for node roles, Fargate entries only for pod execution roles, no system: groups or users, no write or Secret-read access to kube-system', category: 'preventive', cisEks: ['4.1.1', '4.1.7'], nist80053: ['AC-2', 'AC-6'], protects: ['TH-2', 'TH-3', 'PV-1', 'LM-3', 'AC-4', 'AC-5'], implementedBy: [access, responder] },
  { id: 'IDN-14', title: 'Pod Identity associations never on a default service account, their roles and Fargate pod execution roles trusted by their service alone', category: 'preventive', cisEks: ['4.1.5', '5.2.1'], nist80053: ['AC-6'], protects: ['TH-2', 'LM-1', 'LM-2', 'PV-3'], implementedBy: [cluster] },
  { id: 'IDN-15', title: 'KMS key policies keep keys in the account: no other account or *, kms:* only for the root, no key deletion or policy change by workload principals', category: 'preventive', cisEks: ['5.3.1'], nist80053: ['SC-12', 'AC-6'], protects: ['TH-2', 'TH-3', 'LM-3', 'IR-6', 'AC-4'], implementedBy: ['lib/cluster/product-keys.ts', cluster, registry, 'lib/response/evidence-bucket.ts', alerts] },
  // Nodes
  { id: 'NOD-1', title: 'Every node group uses a launch template', category: 'preventive', cisEks: [], nist80053: ['CM-2'], protects: ['TH-2', 'LM-1'], implementedBy: [nodes] },
  { id: 'NOD-2', title: 'IMDSv2 required with hop limit 1 on node launch templates', category: 'preventive', cisEks: [], nist80053: ['AC-6', 'CM-7'], protects: ['TH-2', 'LM-1', 'EX-1'], implementedBy: [nodes] },
  { id: 'NOD-3', title: 'No SSH: no remote access and no key pair on nodes', category: 'preventive', cisEks: [], nist80053: ['AC-17', 'CM-7'], protects: ['TH-1', 'EP-2', 'AC-1'], implementedBy: [nodes] },
  { id: 'NOD-4', title: 'Node root volumes encrypted with a customer-managed key', category: 'preventive', cisEks: [], nist80053: ['SC-28'], protects: ['TH-2', 'EX-1', 'IR-6'], implementedBy: [nodes] },
  { id: 'NOD-5', title: 'Container-optimized node OS (AL2023 or Bottlerocket)', category: 'corrective', cisEks: [], nist80053: ['CM-7'], protects: ['TH-2', 'AC-3', 'PE-2'], implementedBy: [nodes] },
  { id: 'NOD-6', title: 'Nodes only in private subnets without public IPs', category: 'preventive', cisEks: ['5.4.3'], nist80053: ['SC-7'], protects: ['TH-1', 'EP-2', 'EP-3', 'PV-1'], implementedBy: [nodes, network] },
  { id: 'NOD-7', title: 'Session Manager access on nodes, with encrypted and logged sessions', category: 'preventive', cisEks: [], nist80053: ['AC-17', 'AU-12'], protects: ['TH-1', 'EP-2', 'IR-6'], implementedBy: ['lib/nodes/session-manager-preferences.ts', nodeRole] },
  { id: 'NOD-8', title: 'Node user data opens no SSH way in, does not reopen the metadata service and keeps the security agents running', category: 'preventive', cisEks: [], nist80053: ['CM-6', 'CM-7'], protects: ['TH-1', 'TH-2', 'EP-2', 'LM-1', 'IR-6'], implementedBy: [nodes] },
  { id: 'NOD-9', title: 'Karpenter EC2NodeClass objects as hardened as the node launch template (IMDSv2 hop 1, CMK-encrypted volumes, no public IP, AL2023/Bottlerocket, clean user data)', category: 'preventive', cisEks: [], nist80053: ['CM-6', 'SC-28'], protects: ['TH-1', 'TH-2', 'EP-2', 'LM-1', 'EX-1'], implementedBy: [nodes] },
  { id: 'NOD-10', title: 'No Fargate profile takes pods out of Calico policy, GuardDuty runtime monitoring or the template\'s network policies', category: 'preventive', cisEks: ['4.3.1'], nist80053: ['SC-7', 'SI-4'], protects: ['TH-2', 'PV-5', 'IR-2', 'IR-6'], implementedBy: [nodes] },
  // Network
  { id: 'NET-1', title: 'No security-group ingress from 0.0.0.0/0 or ::/0', category: 'preventive', cisEks: [], nist80053: ['SC-7'], protects: ['TH-1', 'EP-1', 'EP-3', 'AC-1'], implementedBy: [securityGroups] },
  { id: 'NET-2', title: 'No ingress on port 22', category: 'preventive', cisEks: [], nist80053: ['SC-7', 'CM-7'], protects: ['TH-1', 'EP-2'], implementedBy: [securityGroups] },
  { id: 'NET-3', title: 'Separate control-plane and node security groups; kubelet only from the control plane', category: 'preventive', cisEks: [], nist80053: ['SC-7'], protects: ['TH-1', 'PV-4', 'EP-3'], implementedBy: [securityGroups, nodes] },
  { id: 'NET-4', title: 'VPC flow logs on every VPC', category: 'detective', cisEks: [], nist80053: ['AU-12', 'SI-4'], protects: ['TH-1', 'TH-2', 'EX-1', 'IR-1'], implementedBy: [network] },
  { id: 'NET-5', title: 'S3 gateway endpoint policy limited to the organization\'s buckets', category: 'preventive', cisEks: [], nist80053: ['SC-7', 'AC-4'], protects: ['TH-2', 'EX-1', 'LM-1'], implementedBy: [network] },
  { id: 'NET-6', title: 'Private endpoints for ECR and STS in a created VPC', category: 'preventive', cisEks: [], nist80053: ['SC-7'], protects: ['TH-2', 'EX-2', 'PV-6'], implementedBy: [network] },
  // Registry
  { id: 'REG-1', title: 'ECR images scanned on push', category: 'detective', cisEks: ['5.1.1'], nist80053: ['RA-5'], protects: ['TH-2', 'AC-2', 'AC-3', 'PV-6'], implementedBy: [registry] },
  { id: 'REG-2', title: 'ECR tags immutable', category: 'preventive', cisEks: [], nist80053: ['SI-7'], protects: ['TH-2', 'PE-1', 'AC-2'], implementedBy: [registry] },
  { id: 'REG-3', title: 'ECR encrypted with KMS', category: 'preventive', cisEks: [], nist80053: ['SC-28'], protects: ['TH-2', 'EX-2'], implementedBy: [registry] },
  { id: 'REG-4', title: 'ECR lifecycle policy', category: 'corrective', cisEks: [], nist80053: ['SI-12'], protects: ['TH-2', 'AC-3'], implementedBy: [registry] },
  { id: 'REG-5', title: 'ECR repository policy limited to the account or organization', category: 'preventive', cisEks: ['5.1.2'], nist80053: ['AC-3', 'AC-6'], protects: ['TH-2', 'EX-2', 'PV-6'], implementedBy: [registry] },
  { id: 'REG-6', title: 'Repositories of the product\'s own workloads (security tools) accept pushes only from the publisher roles', category: 'preventive', cisEks: ['5.1.2'], nist80053: ['AC-6', 'SI-7'], protects: ['TH-2', 'PE-1', 'AC-2', 'AC-4'], implementedBy: ['lib/registry/tool-publishers.ts', 'products/hardened-eks/settings.ts'] },
  // Kubernetes objects
  { id: 'K8S-1', title: 'No aws-auth mappings to system:masters, mapUsers or mapAccounts', category: 'preventive', cisEks: ['4.1.1', '4.1.7'], nist80053: ['AC-6'], protects: ['TH-3', 'PV-1', 'AC-4'], implementedBy: [access] },
  { id: 'K8S-2', title: 'No RBAC binding to cluster-admin', category: 'preventive', cisEks: ['4.1.1'], nist80053: ['AC-6'], protects: ['TH-2', 'TH-3', 'PV-2', 'PV-3'], implementedBy: [baseline] },
  { id: 'K8S-3', title: 'RBAC without wildcards, cluster-wide secret reads, escalate, bind, impersonate or exec', category: 'preventive', cisEks: ['4.1.2', '4.1.3', '4.1.8'], nist80053: ['AC-6'], protects: ['TH-2', 'TH-3', 'LM-3', 'PV-3'], implementedBy: ['lib/kubernetes/aws-node-pod-annotation.ts'] },
  { id: 'K8S-4', title: 'Pods not privileged, without host namespaces or privilege escalation', category: 'preventive', cisEks: ['4.2.1', '4.2.2', '4.2.3', '4.2.4', '4.2.5'], nist80053: ['AC-6', 'CM-7'], protects: ['TH-2', 'EP-4', 'AC-2', 'LM-5'], implementedBy: [baseline] },
  { id: 'K8S-5', title: 'No writable hostPath and no container-runtime socket mounts', category: 'preventive', cisEks: [], nist80053: ['AC-6', 'CM-7'], protects: ['TH-2', 'PE-2', 'LM-5'], implementedBy: [baseline] },
  { id: 'K8S-6', title: 'Service-account tokens not mounted by default', category: 'preventive', cisEks: ['4.1.5', '4.1.6'], nist80053: ['AC-6'], protects: ['TH-2', 'PV-2', 'LM-2'], implementedBy: [baseline] },
  { id: 'K8S-7', title: 'Workload namespaces enforce Pod Security restricted', category: 'preventive', cisEks: ['4.2.1', '4.2.2', '4.2.3', '4.2.4', '4.2.5', '4.5.1'], nist80053: ['CM-7'], protects: ['TH-2', 'EP-4', 'PV-3', 'PE-2'], implementedBy: [baseline] },
  { id: 'K8S-8', title: 'Default-deny network policy in every workload namespace', category: 'preventive', cisEks: ['4.3.2'], nist80053: ['SC-7', 'AC-4'], protects: ['TH-2', 'PV-5', 'LM-1', 'LM-4', 'EX-1'], implementedBy: [baseline] },
  { id: 'K8S-9', title: 'No admission webhooks applied by the product', category: 'preventive', cisEks: [], nist80053: ['CM-5'], protects: ['TH-2', 'TH-3', 'PE-4'], implementedBy: [baseline] },
  { id: 'K8S-10', title: 'No CronJobs applied by the product', category: 'preventive', cisEks: [], nist80053: ['CM-7'], protects: ['TH-2', 'TH-3', 'PE-3'], implementedBy: [baseline] },
  { id: 'K8S-11', title: 'CoreDNS not edited by manifests', category: 'preventive', cisEks: [], nist80053: ['CM-5'], protects: ['TH-2', 'LM-4'], implementedBy: [cluster] },
  { id: 'K8S-12', title: 'A network-policy engine enforces policies (Calico, or the VPC CNI\'s)', category: 'directive', cisEks: ['4.3.1', '5.4.4'], nist80053: ['SC-7'], protects: ['TH-2', 'PV-5', 'IR-2'], implementedBy: [calico, cluster] },
  { id: 'K8S-13', title: 'Quarantine network policy in every workload namespace', category: 'remediative', cisEks: [], nist80053: ['IR-4'], protects: ['TH-2', 'TH-3', 'IR-2'], implementedBy: [baseline] },
  { id: 'K8S-14', title: 'Container images from a private ECR registry or pinned by digest', category: 'preventive', cisEks: ['5.1.4'], nist80053: ['CM-7', 'SI-7'], protects: ['TH-2', 'PV-6', 'AC-2', 'EX-2'], implementedBy: [baseline] },
  { id: 'K8S-15', title: 'Subjects that may patch every pod change only labels and annotations (ValidatingAdmissionPolicy)', category: 'preventive', cisEks: [], nist80053: ['AC-6'], protects: ['TH-2', 'TH-3', 'PV-3', 'PE-1'], implementedBy: [admissionPolicies, 'lib/kubernetes/aws-node-pod-annotation.ts', responder] },
  { id: 'K8S-16', title: 'Quarantine label and deny policies changeable only by the responder and the deployment (ValidatingAdmissionPolicy)', category: 'preventive', cisEks: [], nist80053: ['AC-6', 'IR-4'], protects: ['TH-2', 'TH-3', 'IR-2', 'AC-4', 'AC-5'], implementedBy: [admissionPolicies, baseline] },
  { id: 'K8S-17', title: 'CoreDNS configuration through add-on configuration values or Helm values forwards only to the VPC resolver and rewrites no names', category: 'preventive', cisEks: [], nist80053: ['SC-20', 'CM-6'], protects: ['TH-2', 'LM-4', 'EX-1'], implementedBy: [cluster] },
  // Detective controls shipped in the product (CC-DET)
  { id: 'DET-1', title: 'Periodic kube-bench run against the CIS Amazon EKS Benchmark, failures alarmed', category: 'detective', cisEks: ['3.1.1', '3.1.2', '3.1.3', '3.1.4', '3.2.1', '3.2.2', '3.2.3', '3.2.4', '3.2.5', '3.2.6', '3.2.7', '3.2.8', '3.2.9'], nist80053: ['CA-7', 'RA-5'], protects: ['TH-1', 'TH-2', 'EP-3', 'PE-2', 'LM-5'], implementedBy: [kubeBench] },
  { id: 'DET-2', title: 'GuardDuty EKS runtime monitoring: agent add-on and its VPC endpoint', category: 'detective', cisEks: [], nist80053: ['SI-4'], protects: ['TH-2', 'TH-3', 'PE-1', 'PE-3', 'PE-4', 'LM-1', 'AC-2'], implementedBy: [cluster, network, 'lib/baseline/account-baseline-stack.ts'] },
  { id: 'DET-3', title: 'Alerts on every guarded EKS API (ADM-*) and access-entry changes to an encrypted SNS topic', category: 'detective', cisEks: [], nist80053: ['AU-6', 'SI-4'], protects: ['TH-3', 'TH-4', 'AC-4', 'AC-5', ...ALL_ADM_IDS], implementedBy: [alerts] },
  {
    id: 'DET-4', title: 'Periodic Amazon Inspector assessment of nodes and enhanced image scanning', category: 'detective', cisEks: ['5.1.1'], nist80053: ['RA-5'], protects: ['TH-1', 'TH-2', 'AC-3'], implementedBy: ['lib/baseline/account-baseline-stack.ts'],
    processOnly: 'Amazon Inspector is activated per account or by the organization\'s delegated administrator (no CloudFormation resource); the optional account-baseline stack turns on ECR enhanced scanning, and REG-1 keeps basic scan on push as the fallback.',
    owner: 'platform-team',
  },
  { id: 'DET-5', title: 'AWS Config managed rules on the product\'s resources', category: 'detective', cisEks: [], nist80053: ['CA-7', 'CM-6'], protects: ['TH-1', 'TH-2', 'EP-1', 'EP-2', 'LM-1', 'LM-3', 'PV-1', 'PV-6'], implementedBy: [configRules] },
  { id: 'DET-6', title: 'Alerts on changes and invocations of the privileged Lambda functions by anyone but their callers and the deployment', category: 'detective', cisEks: [], nist80053: ['AU-6', 'SI-4'], protects: ['TH-3', 'AC-4', 'AC-5'], implementedBy: ['lib/detection/privileged-function-alerts.ts'] },
  { id: 'DET-7', title: 'Evidence lasts: every log group and bucket keeps its records at least the configured floor (90 days by default), Object Lock included', category: 'detective', cisEks: ['2.1.2'], nist80053: ['AU-11', 'AU-9'], protects: ['TH-1', 'TH-2', 'TH-3', 'TH-4', 'IR-1', 'IR-6'], implementedBy: [cluster, network, 'lib/nodes/session-manager-preferences.ts', kubeBench, 'lib/response/evidence-bucket.ts'] },
  // Incident-response runbooks shipped in the product (CC-REM), one per IR step
  { id: 'REM-1', title: 'IR-1 runbook: identify the pod and node (by node, deployment, label or service account)', category: 'remediative', cisEks: [], nist80053: ['IR-4'], protects: ['TH-1', 'TH-2', 'TH-3', 'TH-4', 'IR-1'], implementedBy: [runbooks, responder] },
  { id: 'REM-2', title: 'IR-2 runbooks: quarantine a pod (label + Calico policy), isolate a node (isolation security group)', category: 'remediative', cisEks: [], nist80053: ['IR-4'], protects: ['TH-1', 'TH-2', 'TH-3', 'IR-2', 'PV-5'], implementedBy: [runbooks, responder, 'lib/response/node-isolation-security-group.ts'] },
  { id: 'REM-3', title: 'IR-3 runbook: revoke a role\'s temporary credentials (aws:TokenIssueTime deny, written by the product\'s revoker function)', category: 'remediative', cisEks: [], nist80053: ['IR-4'], protects: ['TH-1', 'TH-2', 'TH-3', 'TH-4', 'IR-3', 'LM-1'], implementedBy: [runbooks, 'lib/response/role-session-revoker.ts'] },
  { id: 'REM-4', title: 'IR-4 runbook: cordon the node', category: 'remediative', cisEks: [], nist80053: ['IR-4'], protects: ['TH-1', 'TH-2', 'TH-3', 'IR-4'], implementedBy: [runbooks, responder] },
  { id: 'REM-5', title: 'IR-5 runbook: termination and scale-in protection on the node', category: 'remediative', cisEks: [], nist80053: ['IR-4'], protects: ['TH-1', 'TH-2', 'IR-5', 'IR-6'], implementedBy: [runbooks] },
  { id: 'REM-6', title: 'IR-6 runbook: capture volatile artifacts into a KMS-encrypted, object-locked evidence bucket, with the product\'s own Command document, the configured AVML checksum and tools only the publisher writes', category: 'remediative', cisEks: [], nist80053: ['IR-4'], protects: ['TH-1', 'TH-2', 'IR-6'], implementedBy: [runbooks, 'lib/response/runbooks/capture-volatile-artifacts.ts', 'lib/response/evidence-bucket.ts', 'lib/registry/tool-publishers.ts'] },
  { id: 'REM-7', title: 'Least-privilege incident-response role with fixed-content actions only (own Command document, own functions) and a scoped access entry for the responder', category: 'remediative', cisEks: [], nist80053: ['IR-4', 'AC-6'], protects: ['TH-2', 'TH-3', 'TH-4', 'IR-1', 'IR-2', 'IR-3', 'IR-4', 'IR-5', 'IR-6', 'PV-3'], implementedBy: ['lib/response/incident-response-automation-role.ts', 'lib/response/role-session-revoker.ts', responder] },
  { id: 'REM-8', title: 'The Kubernetes responder is never cluster-admin (no admin access policy, system:masters or cluster-admin binding)', category: 'preventive', cisEks: ['4.1.1'], nist80053: ['AC-6', 'IR-4'], protects: ['TH-2', 'TH-3', 'PV-1', 'PV-3', 'IR-2', 'IR-4'], implementedBy: [responder, access] },
  // Process-only controls: no template can show them
  {
    id: 'COR-1', title: 'Iterative hardening: the matrix and exemptions reviewed by the SME each release', category: 'corrective', cisEks: [], nist80053: ['CA-7', 'RA-3'], protects: ['TH-1', 'TH-2', 'TH-3', 'TH-4', 'XM'], implementedBy: ['nag-rules/exemptions.yaml'],
    processOnly: 'SME review of the controls matrix and the exemption register before each product release.',
    owner: 'platform-team',
  },
];
