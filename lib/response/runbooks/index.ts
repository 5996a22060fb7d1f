import { AutomationDocument } from './automation-document';
import { captureVolatileArtifactsRunbook, CaptureVolatileArtifactsRunbookInputs } from './capture-volatile-artifacts';
import { cordonNodeRunbook } from './cordon-node';
import { identifyRunbook } from './identify';
import { isolateNodeRunbook } from './isolate-node';
import { isolatePodRunbook } from './isolate-pod';
import { protectNodeRunbook } from './protect-node';
import { revokeRoleSessionsRunbook } from './revoke-role-sessions';

export type RunbookId =
  | 'identify'
  | 'isolate-pod'
  | 'isolate-node'
  | 'cordon-node'
  | 'protect-node'
  | 'capture-volatile-artifacts'
  | 'revoke-role-sessions';

/** Everything the seven documents need from the deployment. */
export interface RunbookInputs extends CaptureVolatileArtifactsRunbookInputs {
  /** ARN of the in-VPC KubernetesResponder function. */
  readonly responderFunctionArn: string;
  /** ARN of the RoleSessionRevoker function (IR-3). */
  readonly revokerFunctionArn: string;
  /** ID of the NodeIsolationSecurityGroup. */
  readonly isolationSecurityGroupId: string;
}

export interface RunbookField {
  readonly name: string;
  readonly description: string;
}

export interface RunbookDescription {
  readonly id: RunbookId;
  readonly irId: 'IR-1' | 'IR-2' | 'IR-3' | 'IR-4' | 'IR-5' | 'IR-6';
  readonly title: string;
  readonly purpose: string;
  /** Parameters the responder fills in (AutomationAssumeRole and ClusterName have defaults and are left out). */
  readonly inputs: RunbookField[];
  readonly outputs: RunbookField[];
  /** Positions of this runbook in RESPONSE_ORDER (1-based); IR-3 appears twice. */
  readonly order: number[];
  /** The document content for given deployment values. */
  readonly content: (inputs: RunbookInputs) => AutomationDocument;
}

/** The responder's sequence: which runbook, on what, and why at that point. */
export const RESPONSE_ORDER: { readonly runbook: RunbookId; readonly target: string; readonly why: string }[] = [
  {
    runbook: 'identify',
    target: 'the alerting pod, node, deployment, label or service account',
    why: 'Everything after needs the pods, node names, instance IDs and role ARNs.',
  },
  {
    runbook: 'isolate-pod',
    target: 'each identified pod',
    why: 'Stops the pod talking to anything before it can spread.',
  },
  {
    runbook: 'revoke-role-sessions',
    target: "each pod's IRSA / Pod Identity role (PodRoleArns of IR-1)",
    why: 'Stolen pod credentials stop working early; the pod keeps running for the investigation.',
  },
  {
    runbook: 'isolate-node',
    target: 'each identified instance',
    why: 'Cuts the node off except what the isolation group allows (the capture path).',
  },
  { runbook: 'cordon-node', target: 'each identified node', why: 'No new pod lands on a compromised node.' },
  {
    runbook: 'protect-node',
    target: 'each identified instance',
    why: 'Neither a termination call nor a scale-in ends the evidence (health-check replacement and node-group updates still can).',
  },
  {
    runbook: 'capture-volatile-artifacts',
    target: 'each identified instance',
    why: 'Memory and live state are lost on reboot or termination.',
  },
  {
    runbook: 'revoke-role-sessions',
    target: 'the node role, last',
    why: "Revoking the node role's sessions stops the SSM agent and the kubelet, so capture must be done first.",
  },
];

const positions = (id: RunbookId): number[] =>
  RESPONSE_ORDER.flatMap((step, i) => (step.runbook === id ? [i + 1] : []));

const field = (name: string, description: string): RunbookField => ({ name, description });

/** The seven documents of IR-1..IR-6 as data: the lead generates the per-threat Markdown from this. */
export const RUNBOOKS: RunbookDescription[] = [
  {
    id: 'identify',
    irId: 'IR-1',
    title: 'Identify pods and nodes',
    purpose:
      'Find the offending pods and worker nodes (by node, instance, deployment, label or service account) and the roles EKS issued them (not what service-account annotations say now), flagging every disagreement.',
    inputs: [
      field('Selector', 'node, instanceId, deployment, label or serviceAccount'),
      field('Namespace', 'namespace of the deployment, label selector or service account'),
      field('Value', 'the node name, instance ID, deployment name, label selector or service account name'),
    ],
    outputs: [
      field(
        'ParseResponse.Pods',
        'namespace, name, node, instanceId, serviceAccount, irsaRoleArns (issued by EKS), annotatedRoleArn (what the service account says now) and podIdentityRoleArns of each matching pod',
      ),
      field('ParseResponse.PodCount', 'number of matching pods'),
      field('ParseResponse.NodeNames', 'Kubernetes node names'),
      field('ParseResponse.InstanceIds', 'EC2 instance IDs of the nodes'),
      field('ParseResponse.PodRoleArns', 'IRSA and Pod Identity role ARNs EKS issued the pods (for IR-3)'),
      field(
        'ParseResponse.IdentityMismatches',
        'pods whose service-account annotation disagrees with the identity EKS issued them',
      ),
    ],
    order: positions('identify'),
    content: identifyRunbook,
  },
  {
    id: 'isolate-pod',
    irId: 'IR-2',
    title: 'Isolate a pod',
    purpose: 'Quarantine a pod behind the deny-all network policy (the responder labels it).',
    inputs: [field('Namespace', 'namespace of the pod'), field('PodName', 'name of the pod')],
    outputs: [field('CheckAnswer.Answer', "the responder's answer: pod, node, instance and labels after the patch")],
    order: positions('isolate-pod'),
    content: isolatePodRunbook,
  },
  {
    id: 'isolate-node',
    irId: 'IR-2',
    title: 'Isolate a node',
    purpose:
      'Record the security groups of every network interface of the node as instance tags, then leave only the isolation group on each, and verify.',
    inputs: [field('InstanceId', 'EC2 instance ID of the node')],
    outputs: [
      field('IsolateNetworkInterfaces.NetworkInterfaceIds', 'the interfaces now in the isolation group'),
      field(
        'IsolateNetworkInterfaces.RecordedGroups',
        'interface ID → its previous security groups (also tagged on the instance)',
      ),
    ],
    order: positions('isolate-node'),
    content: isolateNodeRunbook,
  },
  {
    id: 'revoke-role-sessions',
    irId: 'IR-3',
    title: 'Revoke role sessions',
    purpose:
      "Deny every action to sessions of a role issued before now (AWSRevokeOlderSessions inline policy, written by the product's revoker function). Pod roles early, the node role last.",
    inputs: [field('RoleName', 'name of the pod role (from IR-1) or of the node role')],
    outputs: [field('CheckAnswer.RevokedBefore', 'ISO 8601 time before which sessions are revoked')],
    order: positions('revoke-role-sessions'),
    content: revokeRoleSessionsRunbook,
  },
  {
    id: 'cordon-node',
    irId: 'IR-4',
    title: 'Cordon a node',
    purpose: 'Mark the node unschedulable; running pods stay for the investigation.',
    inputs: [
      field('NodeName', 'Kubernetes node name, or empty'),
      field('InstanceId', 'EC2 instance ID, or empty (exactly one of the two)'),
    ],
    outputs: [field('CheckAnswer.Answer', "the responder's answer: node, instance and unschedulable")],
    order: positions('cordon-node'),
    content: cordonNodeRunbook,
  },
  {
    id: 'protect-node',
    irId: 'IR-5',
    title: 'Protect a node from termination',
    purpose: 'Enable EC2 termination protection and Auto Scaling scale-in protection on the node, and assert both.',
    inputs: [field('InstanceId', 'EC2 instance ID of the node')],
    outputs: [
      field(
        'FindAutoScalingGroup.AutoScalingGroupName',
        'the Auto Scaling group that now protects the instance from scale-in',
      ),
    ],
    order: positions('protect-node'),
    content: protectNodeRunbook,
  },
  {
    id: 'capture-volatile-artifacts',
    irId: 'IR-6',
    title: 'Capture volatile artifacts',
    purpose:
      "Capture memory (AVML, checked against the SHA-256 configured for the product; without one the runbook refuses to run), process tree, connections, addresses and routes, containers, logins and kernel modules with a SHA-256 manifest into the evidence bucket, through the S3 gateway endpoint, with the product's own Command document; then snapshot the node's EBS volumes (encrypted, tagged with the incident, locked in compliance mode for the evidence retention).",
    inputs: [
      field('InstanceId', 'EC2 instance ID of the node'),
      field('IncidentId', 'incident identifier (letters, digits, dashes)'),
      field('CaptureMemory', 'false skips the memory image'),
    ],
    outputs: [
      field('PresignUrls.ArtifactKeys', 'S3 keys of the uploaded artifacts'),
      field('PresignUrls.Prefix', 'incidents/<IncidentId>/<InstanceId>/'),
      field('CaptureOnNode.Output', 'the capture log and the SHA-256 manifest (first 2500 characters)'),
      field(
        'SnapshotVolumes.SnapshotIds',
        "snapshots of the node's EBS volumes, tagged with the incident and locked for the evidence retention",
      ),
    ],
    order: positions('capture-volatile-artifacts'),
    content: captureVolatileArtifactsRunbook,
  },
];
