import {
  AutomationDocument,
  automationDocument,
  INSTANCE_ID_PATTERN,
  RunbookContext,
  scriptStep,
} from './automation-document';
import { runbookScript } from './scripts';

export interface CaptureVolatileArtifactsRunbookInputs extends RunbookContext {
  /** Name of the evidence bucket (Object Lock, KMS): artifacts go under `incidents/`, AVML is read from `tools/`. */
  readonly evidenceBucketName: string;
  /** Key of the AVML binary the platform team uploaded under `tools/`. */
  readonly avmlObjectKey: string;
  /** SHA-256 (hex) of that AVML binary as configured for the product; empty means IR-6 refuses to run. */
  readonly avmlSha256: string;
  /** Name of the product's capture Command document (captureCommandDocument): the only command the runbook runs on a node. */
  readonly captureCommandDocumentName: string;
  /** Days the node's volume snapshots stay locked (compliance mode): the evidence bucket's retention. */
  readonly evidenceRetentionDays: number;
}

/** Tags every IR-6 snapshot carries from its creation (the automation role may create snapshots only with them). */
export const SNAPSHOT_INCIDENT_TAG = 'hardened-eks:incident';
export const SNAPSHOT_INSTANCE_TAG = 'hardened-eks:instance';

/** A single S3 PUT takes at most 5 GB: the memory image goes up in parts of 4 GiB, at most this many (64 GiB compressed). */
export const MEMORY_PARTS = 16;
/** Names of the memory image's parts (`split -d -a 2` suffixes). */
export const MEMORY_PART_NAMES = Array.from(
  { length: MEMORY_PARTS },
  (_, i) => `memory.lime.part${String(i).padStart(2, '0')}`,
);

/** The files the capture may write, in upload order; the manifest (sha256sum of all others) is uploaded last. */
export const CAPTURED_ARTIFACTS = [
  ...MEMORY_PART_NAMES,
  'processes.txt',
  'connections-tcp.txt',
  'connections-udp.txt',
  'ip-addr.txt',
  'ip-route.txt',
  'containers.txt',
  'container-tasks.txt',
  'logins.txt',
  'kernel-modules.txt',
  'manifest.sha256',
] as const;

export const INCIDENT_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9-]{2,63}$';

/** The capture's shell script, run as root by the product's Command document. */
export const CAPTURE_SCRIPT = runbookScript('capture-volatile-artifacts.sh');

export interface CaptureCommandInputs {
  readonly evidenceBucketName: string;
  readonly avmlObjectKey: string;
  /** The configured SHA-256 of AVML; empty: the document accepts only an empty checksum, and the script refuses to run. */
  readonly avmlSha256: string;
  /** The region of the evidence bucket (its presigned URLs name the regional endpoint). */
  readonly region: string;
}

/** Characters of a presigned URL's query (S3 percent-encodes the rest, the security token included). */
const QUERY = '[A-Za-z0-9._~%&=-]+';
const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The product's own Run Command document for IR-6 (schema 2.2): the capture script, fixed in the template, with
 * parameters that cannot carry anything else: the AVML checksum is the configured one, and every URL must point at
 * the evidence bucket (AVML under its key, uploads under incidents/) with no quote, space or shell character.
 */
export function captureCommandDocument(inputs: CaptureCommandInputs): Record<string, unknown> {
  const host = `https://${inputs.evidenceBucketName}\\.s3\\.${inputs.region}\\.amazonaws\\.com(\\.cn)?`;
  const upload = `[a-z0-9.-]+ ${host}/incidents/[A-Za-z0-9-]{3,64}/i-[0-9a-f]{8,17}/[a-z0-9.-]+\\?${QUERY}`;
  return {
    schemaVersion: '2.2',
    description:
      "IR-6 capture of a node's volatile state (memory with AVML, processes, connections, routes, containers, logins, modules) into the evidence bucket. Run by the capture-volatile-artifacts runbook only.",
    parameters: {
      CaptureMemory: {
        type: 'String',
        description: 'Capture memory with AVML.',
        allowedValues: ['true', 'false'],
        default: 'true',
      },
      AvmlSha256: inputs.avmlSha256
        ? {
            type: 'String',
            description: 'SHA-256 of AVML as configured for the product.',
            allowedValues: [inputs.avmlSha256],
            default: inputs.avmlSha256,
          }
        : {
            type: 'String',
            description: 'No AVML SHA-256 is configured for the product: the capture refuses to run.',
            allowedPattern: '^$',
            default: '',
          },
      AvmlUrl: {
        type: 'String',
        description: 'Presigned GET of AVML in the evidence bucket.',
        allowedPattern: `^${host}/${escapeRegex(inputs.avmlObjectKey)}\\?${QUERY}$`,
      },
      UploadUrls: {
        type: 'String',
        description: "Artifact names and presigned PUTs under the evidence bucket's incidents/, space-separated.",
        allowedPattern: `^${upload}( ${upload})*$`,
      },
    },
    mainSteps: [
      {
        action: 'aws:runShellScript',
        name: 'CaptureVolatileArtifacts',
        inputs: { timeoutSeconds: '3600', runCommand: CAPTURE_SCRIPT.split('\n') },
      },
    ],
  };
}

/**
 * IR-6: capture memory, processes, connections, routes, containers, logins and modules from the node into the evidence
 * bucket, then snapshot its EBS volumes (tagged with the incident, locked for the evidence retention).
 */
export function captureVolatileArtifactsRunbook(inputs: CaptureVolatileArtifactsRunbookInputs): AutomationDocument {
  return automationDocument(inputs, {
    description:
      'IR-6 Capture volatile artifacts of a worker node (memory with AVML, process tree, connections, addresses and routes, containers, logins, kernel modules) with a SHA-256 manifest into the evidence bucket, through the VPC S3 gateway endpoint, then snapshot its EBS volumes (encrypted, tagged with the incident, locked in compliance mode for the evidence retention). Refuses to run without the AVML SHA-256 configured for the product.',
    parameters: {
      InstanceId: { type: 'String', description: 'EC2 instance ID of the node.', allowedPattern: INSTANCE_ID_PATTERN },
      IncidentId: {
        type: 'String',
        description: 'Incident identifier: artifacts go under incidents/<IncidentId>/<InstanceId>/.',
        allowedPattern: INCIDENT_ID_PATTERN,
      },
      CaptureMemory: {
        type: 'String',
        description: 'Capture memory with AVML (false skips it, e.g. when the node lacks the disk for the image).',
        allowedValues: ['true', 'false'],
        default: 'true',
      },
    },
    mainSteps: [
      scriptStep({
        name: 'PresignUrls',
        script: 'presign-capture-urls.py',
        handler: 'presign',
        payload: {
          Region: '{{ global:REGION }}',
          Bucket: inputs.evidenceBucketName,
          AvmlKey: inputs.avmlObjectKey,
          AvmlSha256: inputs.avmlSha256,
          Artifacts: [...CAPTURED_ARTIFACTS],
          IncidentId: '{{ IncidentId }}',
          InstanceId: '{{ InstanceId }}',
          CaptureMemory: '{{ CaptureMemory }}',
        },
        outputs: { UploadUrls: 'String', AvmlUrl: 'String', ArtifactKeys: 'StringList', Prefix: 'String' },
      }),
      {
        name: 'CaptureOnNode',
        action: 'aws:runCommand',
        timeoutSeconds: 3600,
        inputs: {
          // The product's own document: its script and its AVML checksum are fixed in the template.
          DocumentName: inputs.captureCommandDocumentName,
          InstanceIds: ['{{ InstanceId }}'],
          TimeoutSeconds: 3600,
          Parameters: {
            CaptureMemory: '{{ CaptureMemory }}',
            AvmlUrl: '{{ PresignUrls.AvmlUrl }}',
            UploadUrls: '{{ PresignUrls.UploadUrls }}',
          },
        },
      },
      // After the capture, so the volumes hold what the capture wrote; before IR-3 revokes the node role.
      scriptStep({
        name: 'SnapshotVolumes',
        script: 'snapshot-node-volumes.py',
        handler: 'snapshot',
        payload: {
          InstanceId: '{{ InstanceId }}',
          IncidentId: '{{ IncidentId }}',
          ClusterName: '{{ ClusterName }}',
          RetentionDays: inputs.evidenceRetentionDays,
        },
        outputs: { SnapshotIds: 'StringList' },
        isEnd: true,
      }),
    ],
    outputs: ['PresignUrls.ArtifactKeys', 'PresignUrls.Prefix', 'CaptureOnNode.Output', 'SnapshotVolumes.SnapshotIds'],
  });
}
