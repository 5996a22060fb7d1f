/**
 * The items of `docs/threat-model.md`, by ID. IDs never change meaning; new items get new IDs.
 */
export type Stride =
  | 'Spoofing'
  | 'Tampering'
  | 'Repudiation'
  | 'Information disclosure'
  | 'Denial of service'
  | 'Elevation of privilege';

export interface Threat {
  readonly id: string;
  readonly title: string;
  readonly stride: readonly Stride[];
  readonly actors: readonly string[];
  readonly impacts: readonly string[];
  readonly entryPoints: readonly string[];
  readonly exfiltrationPoints: readonly string[];
  /** Persistence and lateral-movement techniques an attacker would use after this threat. */
  readonly techniques: readonly string[];
  /** The incident-response steps (IR-*) of this threat's runbook, in order. */
  readonly runbook: readonly string[];
}

export const ITEMS: Readonly<Record<string, string>> = {
  'ADM-1': 'CreateNodegroup',
  'ADM-2': 'DeleteNodegroup',
  'ADM-3': 'UpdateNodegroupConfig',
  'ADM-4': 'UpdateNodegroupVersion',
  'ADM-5': 'CreateFargateProfile',
  'ADM-6': 'DeleteFargateProfile',
  'ADM-7': 'CreateCluster',
  'ADM-8': 'DeleteCluster',
  'ADM-9': 'UpdateClusterConfig',
  'ADM-10': 'UpdateClusterVersion',
  'ADM-11': 'AssociateIdentityProviderConfig',
  'ADM-12': 'DisassociateIdentityProviderConfig',
  'ADM-13': 'CreateAccessEntry',
  'ADM-14': 'UpdateAccessEntry',
  'ADM-15': 'DeleteAccessEntry',
  'ADM-16': 'AssociateAccessPolicy',
  'ADM-17': 'DisassociateAccessPolicy',
  'ADM-18': 'CreatePodIdentityAssociation',
  'ADM-19': 'UpdatePodIdentityAssociation',
  'ADM-20': 'DeletePodIdentityAssociation',
  'ADM-21': 'CreateAddon',
  'ADM-22': 'UpdateAddon',
  'ADM-23': 'DeleteAddon',
  'ADM-24': 'CreateCapability',
  'ADM-25': 'UpdateCapability',
  'ADM-26': 'DeleteCapability',
  'ADM-27': 'AssociateEncryptionConfig',
  'ADM-28': 'CreateCertificateAuthority',
  'ADM-29': 'ActivateCertificateAuthority',
  'ADM-30': 'DeleteCertificateAuthority',
  'ADM-31': 'RegisterCluster',
  'ADM-32': 'DeregisterCluster',
  'ADM-33': 'TagResource',
  'ADM-34': 'UntagResource',
  'ADM-35': 'CancelUpdate',
  'ADM-36': 'MutateViaKubernetesApi',
  'EP-1': 'The Kubernetes API endpoint',
  'EP-2': 'SSH to a worker node',
  'EP-3': 'Access to containers through the kubelet',
  'EP-4': 'Access to the cluster by launching rogue containers',
  'EX-1': 'Uploading artifacts or data to an outside or unintended system (S3 buckets not ours)',
  'EX-2': 'Pulling and pushing images between our ECR and another registry',
  'AC-1': 'External attacker',
  'AC-2': 'Malicious container (tampered image)',
  'AC-3': 'Vulnerable third-party package',
  'AC-4': 'Malicious user or stolen credentials',
  'AC-5': 'Misuse of legitimate privileges',
  'TH-1':
    'Someone with no access to the cluster reaches its applications or management ports (API server, kubelet) over the network',
  'TH-2': 'An attacker holding one container expands access to take over the whole cluster',
  'TH-3': 'An attacker with valid credentials and network access runs commands against the Kubernetes API',
  'TH-4': 'A user with access to the admin APIs changes the cluster configuration',
  'IM-1': 'Data destruction (configurations, storage)',
  'IM-2': 'Resource hijacking (e.g. crypto mining)',
  'IM-3': 'Denial of service',
  'IM-4': 'Disruption of service',
  'PE-1': 'Backdoor container',
  'PE-2': 'Writable hostPath (e.g. a cron job written onto the host)',
  'PE-3': 'Kubernetes CronJob',
  'PE-4': 'Malicious admission controller (webhook)',
  'LM-1': "Reaching cloud services (through the node's or a pod's AWS credentials)",
  'LM-2': 'Application credentials inside containers',
  'LM-3': 'Kubernetes secrets',
  'LM-4': 'CoreDNS poisoning',
  'LM-5': 'Writable volume mounts on the host node',
  'PV-1': 'Management services never exposed to untrusted networks without authentication',
  'PV-2': 'Service-account tokens not mounted, or accounts with restricted rights',
  'PV-3': 'RBAC, IRSA, Pod Security Admission',
  'PV-4': 'Separate security groups for the control plane and the workers',
  'PV-5': 'Calico network policies',
  'PV-6': 'Private registry, with authentication',
  'PV-7': 'Admin APIs only for admin roles, assumable only by given entities from the corporate network',
  'PV-8': 'Input validation, authentication, session handling, context-bound handling',
  'CC-DIR': 'Directive',
  'CC-PRE': 'Preventive',
  'CC-DET': 'Detective',
  'CC-REM': 'Remediative',
  'CC-COR': 'Corrective',
  XM: 'Exemptions approved by the SME',
  'IR-1': 'Identify the offending pod and worker node',
  'IR-2': 'Isolate the pod or node (network policy)',
  'IR-3': 'Revoke the temporary security credentials given to the pod or node',
  'IR-4': 'Cordon the worker node',
  'IR-5': 'Enable termination protection on the affected worker node',
  'IR-6': 'Capture volatile artifacts on the worker node (OS memory, network connections, process tree)',
};

/** Every ADM-* item: the guarded EKS APIs, ADM-1 first. */
export const ALL_ADM_IDS: readonly string[] = Object.keys(ITEMS).filter((id) => id.startsWith('ADM-'));

export const THREATS: readonly Threat[] = [
  {
    id: 'TH-1',
    title: ITEMS['TH-1'],
    stride: ['Spoofing', 'Information disclosure', 'Elevation of privilege'],
    actors: ['AC-1', 'AC-4'],
    impacts: ['IM-1', 'IM-2', 'IM-3', 'IM-4'],
    entryPoints: ['EP-1', 'EP-2', 'EP-3'],
    exfiltrationPoints: ['EX-1'],
    techniques: ['LM-1'],
    runbook: ['IR-1', 'IR-2', 'IR-3', 'IR-4', 'IR-5', 'IR-6'],
  },
  {
    id: 'TH-2',
    title: ITEMS['TH-2'],
    stride: ['Elevation of privilege', 'Tampering', 'Information disclosure'],
    actors: ['AC-2', 'AC-3'],
    impacts: ['IM-1', 'IM-2', 'IM-3', 'IM-4'],
    entryPoints: ['EP-3', 'EP-4'],
    exfiltrationPoints: ['EX-1', 'EX-2'],
    techniques: ['PE-1', 'PE-2', 'PE-3', 'PE-4', 'LM-1', 'LM-2', 'LM-3', 'LM-4', 'LM-5'],
    runbook: ['IR-1', 'IR-2', 'IR-3', 'IR-4', 'IR-5', 'IR-6'],
  },
  {
    id: 'TH-3',
    title: ITEMS['TH-3'],
    stride: ['Spoofing', 'Tampering', 'Elevation of privilege', 'Repudiation'],
    actors: ['AC-4', 'AC-5'],
    impacts: ['IM-1', 'IM-2', 'IM-3', 'IM-4'],
    entryPoints: ['EP-1', 'EP-4'],
    exfiltrationPoints: ['EX-1', 'EX-2'],
    techniques: ['PE-1', 'PE-3', 'PE-4', 'LM-3'],
    runbook: ['IR-1', 'IR-2', 'IR-3', 'IR-4'],
  },
  {
    id: 'TH-4',
    title: ITEMS['TH-4'],
    stride: ['Tampering', 'Denial of service', 'Elevation of privilege', 'Repudiation'],
    actors: ['AC-4', 'AC-5'],
    impacts: ['IM-1', 'IM-3', 'IM-4'],
    entryPoints: [],
    exfiltrationPoints: [],
    techniques: [...ALL_ADM_IDS],
    runbook: ['IR-1', 'IR-3'],
  },
];
