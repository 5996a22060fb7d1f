import {
  ASSUME_ROLE, AutomationDocument, commonParameters, INSTANCE_ID_PATTERN, RunbookContext, SCRIPT_RUNTIME,
} from './automation-document';

export interface CaptureVolatileArtifactsRunbookInputs extends RunbookContext {
  /** Name of the evidence bucket (Object Lock, KMS): artifacts go under `incidents/`, AVML is read from `tools/`. */
  readonly evidenceBucketName: string;
  /** Key of the AVML binary the platform team uploaded under `tools/`. */
  readonly avmlObjectKey: string;
  /** SHA-256 (hex) of that AVML binary; empty means memory capture fails until one is given. */
  readonly avmlSha256: string;
}

/** A single S3 PUT takes at most 5 GB: the memory image goes up in parts of 4 GiB, at most this many (64 GiB compressed). */
export const MEMORY_PARTS = 16;
/** Names of the memory image's parts (`split -d -a 2` suffixes). */
export const MEMORY_PART_NAMES = Array.from({ length: MEMORY_PARTS }, (_, i) => `memory.lime.part${String(i).padStart(2, '0')}`);

/** The files the capture may write, in upload order; the manifest (sha256sum of all others) is uploaded last. */
export const CAPTURED_ARTIFACTS = [
  ...MEMORY_PART_NAMES, 'processes.txt', 'connections-tcp.txt', 'connections-udp.txt', 'ip-addr.txt', 'ip-route.txt',
  'containers.txt', 'container-tasks.txt', 'logins.txt', 'kernel-modules.txt', 'manifest.sha256',
] as const;

export const INCIDENT_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9-]{2,63}$';
export const AVML_SHA256_PATTERN = '^([a-f0-9]{64})?$';

/** How long the presigned URLs live; they also end when the automation's session credentials expire. */
const URL_LIFETIME_SECONDS = 3600;

/**
 * Presigns, with the automation role's credentials, one PUT per artifact key and one GET for AVML. The URLs name the
 * regional S3 endpoint, which the VPC's S3 gateway endpoint serves: the node needs no internet and no S3 permission.
 */
const PRESIGN_URLS = `import boto3
from botocore.config import Config

ARTIFACTS = ${JSON.stringify(CAPTURED_ARTIFACTS)}


def presign(events, context):
    region = events['Region']
    bucket = events['Bucket']
    prefix = 'incidents/' + events['IncidentId'] + '/' + events['InstanceId'] + '/'
    s3 = boto3.client('s3', region_name=region, endpoint_url='https://s3.' + region + '.amazonaws.com',
                      config=Config(signature_version='s3v4', s3={'addressing_style': 'virtual'}))
    lifetime = ${URL_LIFETIME_SECONDS}
    capture_memory = str(events['CaptureMemory']).lower() == 'true'
    artifacts = [name for name in ARTIFACTS if capture_memory or not name.startswith('memory.lime')]
    lines = []
    keys = []
    for name in artifacts:
        url = s3.generate_presigned_url('put_object', Params={'Bucket': bucket, 'Key': prefix + name}, ExpiresIn=lifetime)
        lines.append(name + ' ' + url)
        keys.append(prefix + name)
    avml_url = s3.generate_presigned_url('get_object', Params={'Bucket': bucket, 'Key': events['AvmlKey']}, ExpiresIn=lifetime)
    return {'UploadUrls': '\\n'.join(lines), 'AvmlUrl': avml_url, 'ArtifactKeys': keys, 'Prefix': prefix}
`;

/**
 * Runs on the node as root (AWS-RunShellScript). Writes into a private working directory, checks AVML's SHA-256
 * before running it, and uploads each file with Content-MD5 (Object Lock buckets refuse PUTs without a checksum).
 */
const CAPTURE_SCRIPT = `#!/bin/bash
set -euo pipefail
umask 077
CAPTURE_MEMORY='{{ CaptureMemory }}'
AVML_SHA256='{{ AvmlSha256 }}'
AVML_URL='{{ PresignUrls.AvmlUrl }}'
UPLOAD_URLS='{{ PresignUrls.UploadUrls }}'
WORK_DIR=$(mktemp -d /var/tmp/incident-capture.XXXXXX)
trap 'rm -rf "$WORK_DIR"' EXIT
cd "$WORK_DIR"

fail() { echo "CAPTURE FAILED: $*" >&2; exit 1; }
run() { local out=$1; shift; { "$@" || echo "command failed ($?): $*"; } > "$out" 2>&1; }

if [ "$CAPTURE_MEMORY" = "true" ]; then
  [ -n "$AVML_SHA256" ] || fail "AvmlSha256 is empty: give the SHA-256 of tools/avml, or run with CaptureMemory=false"
  curl --fail --silent --show-error --proto =https --max-time 300 -o avml "$AVML_URL" || fail "cannot download AVML from the evidence bucket"
  echo "$AVML_SHA256  avml" | sha256sum --check --status || fail "AVML SHA-256 mismatch: expected $AVML_SHA256, got $(sha256sum avml | cut -d' ' -f1)"
  chmod 700 avml
  needed_kb=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)
  free_kb=$(df --output=avail -k "$WORK_DIR" | tail -n 1)
  [ "$free_kb" -gt "$needed_kb" ] || fail "not enough disk for the memory image: $free_kb KiB free, $needed_kb KiB needed"
  ./avml --compress memory.lime || fail "AVML failed"
  rm -f avml
  # One S3 PUT takes at most 5 GB: upload the image in 4 GiB parts (cat memory.lime.part* restores it).
  image_kb=$(du -k memory.lime | cut -f1)
  free_kb=$(df --output=avail -k "$WORK_DIR" | tail -n 1)
  [ "$free_kb" -gt "$image_kb" ] || fail "not enough disk to split the memory image: $free_kb KiB free, $image_kb KiB needed"
  split -b 4G -d -a 2 memory.lime memory.lime.part || fail "cannot split the memory image"
  rm -f memory.lime
  parts=$(ls memory.lime.part* | wc -l)
  [ "$parts" -le ${MEMORY_PARTS} ] || fail "the memory image needs $parts parts of 4 GiB, more than the ${MEMORY_PARTS} upload URLs"
fi

run processes.txt ps auxfww
run connections-tcp.txt ss -tanp
run connections-udp.txt ss -uanp
run ip-addr.txt ip addr
run ip-route.txt ip route
run containers.txt ctr -n k8s.io containers list
run container-tasks.txt ctr -n k8s.io tasks list
run logins.txt last -F
run kernel-modules.txt lsmod

sha256sum -- *.txt $(ls memory.lime.part* 2>/dev/null) > manifest.sha256

printf '%s\\n' "$UPLOAD_URLS" | while read -r name url; do
  [ -n "$name" ] || continue
  # Memory has as many parts as its size needs; the unused part URLs stay unused.
  case "$name" in memory.lime.part*) [ -f "$name" ] || continue ;; esac
  [ -f "$name" ] || fail "artifact $name was not produced"
  md5=$(openssl dgst -md5 -binary "$name" | openssl base64 -A)
  curl --fail --silent --show-error --proto =https --max-time 1800 -X PUT -T "$name" -H "Content-MD5: $md5" "$url" \\
    || fail "upload of $name failed"
  echo "uploaded $name"
done
cat manifest.sha256
`;

/** IR-6: capture memory, processes, connections, routes, containers, logins and modules from the node into the evidence bucket. */
export function captureVolatileArtifactsRunbook(inputs: CaptureVolatileArtifactsRunbookInputs): AutomationDocument {
  return {
    schemaVersion: '0.3',
    description: 'IR-6 Capture volatile artifacts of a worker node (memory with AVML, process tree, connections, addresses and routes, containers, logins, kernel modules) with a SHA-256 manifest into the evidence bucket, through the VPC S3 gateway endpoint.',
    assumeRole: ASSUME_ROLE,
    parameters: {
      ...commonParameters(inputs),
      InstanceId: { type: 'String', description: 'EC2 instance ID of the node.', allowedPattern: INSTANCE_ID_PATTERN },
      IncidentId: { type: 'String', description: 'Incident identifier: artifacts go under incidents/<IncidentId>/<InstanceId>/.', allowedPattern: INCIDENT_ID_PATTERN },
      CaptureMemory: { type: 'Boolean', description: 'Capture memory with AVML (false skips it, e.g. when no checksum is known).', default: true },
      AvmlSha256: {
        type: 'String', description: 'SHA-256 (hex) of the AVML binary in the evidence bucket; the capture fails on a mismatch.',
        default: inputs.avmlSha256, allowedPattern: AVML_SHA256_PATTERN,
      },
    },
    mainSteps: [
      {
        name: 'PresignUrls',
        action: 'aws:executeScript',
        inputs: {
          Runtime: SCRIPT_RUNTIME,
          Handler: 'presign',
          Script: PRESIGN_URLS,
          InputPayload: {
            Region: '{{ global:REGION }}', Bucket: inputs.evidenceBucketName, AvmlKey: inputs.avmlObjectKey,
            IncidentId: '{{ IncidentId }}', InstanceId: '{{ InstanceId }}', CaptureMemory: '{{ CaptureMemory }}',
          },
        },
        outputs: [
          { Name: 'UploadUrls', Selector: '$.Payload.UploadUrls', Type: 'String' },
          { Name: 'AvmlUrl', Selector: '$.Payload.AvmlUrl', Type: 'String' },
          { Name: 'ArtifactKeys', Selector: '$.Payload.ArtifactKeys', Type: 'StringList' },
          { Name: 'Prefix', Selector: '$.Payload.Prefix', Type: 'String' },
        ],
      },
      {
        name: 'CaptureOnNode',
        action: 'aws:runCommand',
        timeoutSeconds: 3600,
        inputs: {
          DocumentName: 'AWS-RunShellScript',
          InstanceIds: ['{{ InstanceId }}'],
          TimeoutSeconds: 3600,
          Parameters: { commands: [CAPTURE_SCRIPT], executionTimeout: '3600' },
        },
        isEnd: true,
      },
    ],
    outputs: ['PresignUrls.ArtifactKeys', 'PresignUrls.Prefix', 'CaptureOnNode.Output'],
  };
}
