import { CLUSTER_TYPES } from '../../core/kubernetes-objects';
import { ThreatModelRule } from '../../core/rule';
import { isObject, TemplateModel } from '../../core/template-model';
import { isTrue, literal } from '../../core/values';
import { asArray } from '../identity/iam-documents';
import { at } from '../network/template-helpers';
import { judgeRunbooks, RunbookDocument, RUNBOOK_TAG, stepsOf } from './runbook-documents';

/** REM-6: the IR-6 runbook captures volatile artifacts into a KMS-encrypted, object-locked bucket. */
export const CaptureArtifactsRunbook: ThreatModelRule = {
  controlId: 'REM-6',
  threats: ['TH-1', 'TH-2', 'IR-6'],
  level: 'warning',
  description: `A runbook tagged ${RUNBOOK_TAG}=IR-6 belongs to the cluster, runs a command on the node (aws:runCommand) and writes `
    + 'to an S3 bucket of the template with Object Lock and a default retention in COMPLIANCE mode, encrypted with aws:kms',
  explanation: 'IR-6: memory, connections and the process tree vanish when the node stops. Evidence that an attacker (or a '
    + 'mistake) can overwrite or delete proves nothing, so it goes to a bucket with Object Lock, encrypted with a key of the product.',
  resourceTypes: CLUSTER_TYPES,
  evaluate({ model, logicalId }) {
    return judgeRunbooks(model, logicalId, 'IR-6', [{ does: 'capture volatile artifacts into an evidence bucket', problems: (d) => captureProblems(model, d) }]);
  },
};

function captureProblems(model: TemplateModel, document: RunbookDocument): string[] {
  const problems: string[] = [];
  if (!stepsOf(document).some((s) => s.action === 'aws:runCommand')) problems.push(`${document.logicalId} runs no command on the node`);
  const buckets = model.referencedIds(document.content).filter((id) => model.resource(id)?.Type === 'AWS::S3::Bucket');
  if (buckets.length === 0) return [...problems, `${document.logicalId} names no S3 bucket of the template for the evidence`];
  const bucketProblems = buckets.map((id) => evidenceBucketProblems(model, id));
  return bucketProblems.some((p) => p.length === 0) ? problems : [...problems, ...bucketProblems.flat()];
}

/** Why a bucket is not fit for evidence: no Object Lock with a default retention, or no KMS encryption. */
export function evidenceBucketProblems(model: TemplateModel, bucketId: string): string[] {
  const props = model.resource(bucketId)?.Properties ?? {};
  const problems: string[] = [];
  if (!isTrue(props.ObjectLockEnabled)) problems.push(`bucket ${bucketId} has no Object Lock`);
  const retention = at(props, 'ObjectLockConfiguration', 'Rule', 'DefaultRetention');
  if (!retention.known || !isObject(retention.value)) problems.push(`bucket ${bucketId} has no default Object Lock retention`);
  else {
    const mode = literal(retention.value.Mode);
    const number = (v: unknown) => { const l = literal(v); return l.known ? Number(l.value ?? 0) : 0; };
    const length = Math.max(number(retention.value.Days), number(retention.value.Years));
    // Governance mode lets anyone with s3:BypassGovernanceRetention delete evidence.
    if (!mode.known || mode.value !== 'COMPLIANCE') problems.push(`bucket ${bucketId} locks evidence in ${mode.known ? String(mode.value) : 'an unknown'} mode, not COMPLIANCE`);
    if (!(length > 0)) problems.push(`bucket ${bucketId} has no retention period (Days or Years)`);
  }
  const configuration = at(props, 'BucketEncryption', 'ServerSideEncryptionConfiguration');
  const sse = asArray(configuration.known ? configuration.value : [])
    .filter(isObject).map((c) => literal(c.ServerSideEncryptionByDefault?.SSEAlgorithm));
  if (!sse.some((a) => a.known && (a.value === 'aws:kms' || a.value === 'aws:kms:dsse'))) problems.push(`bucket ${bucketId} is not encrypted with aws:kms`);
  return problems;
}
