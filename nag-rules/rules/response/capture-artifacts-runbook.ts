import { admitsAnyone, coversAction, isAllow, policiesOfRole, statementsOf } from '../../core/iam-documents';
import { asArray, at, parseJsonDocument, renderText, wildcardMatch } from '../../core/intrinsics';
import { CLUSTER_TYPES } from '../../core/kubernetes-objects';
import { exemptionProblems } from '../../core/principal-exemptions';
import { ThreatModelRule } from '../../core/rule';
import { judgeRunbooks, resolveInput, RUNBOOK_TAG, RunbookDocument, stepsOf } from '../../core/runbook-documents';
import { isObject, TemplateModel } from '../../core/template-model';
import { isTrue, literal } from '../../core/values';

/** REM-6: the IR-6 runbook captures volatile artifacts into a KMS-encrypted, object-locked bucket. */
export const CaptureArtifactsRunbook: ThreatModelRule = {
  controlId: 'REM-6',
  threats: ['TH-1', 'TH-2', 'IR-6'],
  level: 'warning',
  kind: 'missing-control',
  description:
    `A runbook tagged ${RUNBOOK_TAG}=IR-6 belongs to the cluster, runs a Command document of the template on the node (aws:runCommand; ` +
    'every parameter constrained by allowedValues or allowedPattern, a checksum parameter fixed to one value) and writes ' +
    'to an S3 bucket of the template with Object Lock and a default retention in COMPLIANCE mode, encrypted with aws:kms; the objects ' +
    'of that bucket its role may read (the tools it runs on the node) are writable only by named principals: the bucket policy denies ' +
    "s3:PutObject on them to any other principal; and it snapshots the node's EBS volumes (CreateSnapshots of the instance, with " +
    "the incident in the snapshots' tags, locked with LockSnapshot)",
  explanation:
    'IR-6: memory, connections and the process tree vanish when the node stops. Evidence that an attacker (or a ' +
    'mistake) can overwrite or delete proves nothing, so it goes to a bucket with Object Lock, encrypted with a key of the product. ' +
    'The memory tool runs as root on the node: whoever could upload it instead of the platform team would run their code there. ' +
    "The disks hold what memory does not (dropped binaries, logs, container layers): the EKS Best Practices Guide's incident " +
    'steps snapshot them too, tagged with the incident and locked so that the snapshots outlive the node and nobody deletes them.',
  resourceTypes: CLUSTER_TYPES,
  evaluate({ model, logicalId }) {
    return judgeRunbooks(model, logicalId, 'IR-6', [
      { does: 'capture volatile artifacts into an evidence bucket', problems: (d) => captureProblems(model, d) },
    ]);
  },
};

/** Parameter names of a checksum the command verifies a tool against (it must be the template's, not the caller's). */
const CHECKSUM_PARAMETER = /sha-?256|checksum|hash|digest/i;

/**
 * Why the commands the runbook runs on the node are not fixed by the template: a document other than a Command document
 * of the template (AWS-RunShellScript runs whatever it is given, as root), a parameter that takes any value, or a
 * checksum parameter the caller can choose.
 */
function commandProblems(model: TemplateModel, document: RunbookDocument): string[] {
  const problems: string[] = [];
  for (const step of stepsOf(document).filter((s) => s.action === 'aws:runCommand')) {
    const name = resolveInput(document, isObject(step.inputs) ? step.inputs.DocumentName : undefined);
    const commandId = model.referencedIds(name).find((id) => {
      const type = literal(model.resource(id)?.Properties?.DocumentType);
      return model.resource(id)?.Type === 'AWS::SSM::Document' && type.known && type.value === 'Command';
    });
    if (!commandId) {
      problems.push(
        `${document.logicalId} runs ${renderText(name) ?? 'a computed document'} on the node, which is not a Command document of the template (its content is not fixed by the product)`,
      );
      continue;
    }
    const content = parseJsonDocument(model.resource(commandId)?.Properties?.Content);
    const parameters =
      content.ok && isObject(content.value) && isObject(content.value.parameters) ? content.value.parameters : {};
    for (const [parameter, definition] of Object.entries(parameters)) {
      const spec = isObject(definition) ? definition : {};
      const values = Array.isArray(spec.allowedValues) ? spec.allowedValues : undefined;
      if (values === undefined && spec.allowedPattern === undefined)
        problems.push(`parameter ${parameter} of ${commandId} takes any value into the command`);
      if (CHECKSUM_PARAMETER.test(parameter) && !(values?.length === 1 || spec.allowedPattern === '^$')) {
        problems.push(
          `the checksum parameter ${parameter} of ${commandId} is not fixed by the template (one allowed value): whoever runs the command chooses what it accepts`,
        );
      }
    }
  }
  return problems;
}

/** Why the runbook does not keep the node's disks: no snapshot of its volumes, not tagged with the incident, or not locked. */
function snapshotProblems(document: RunbookDocument): string[] {
  const calls = stepsOf(document)
    .map((step) => {
      const inputs = isObject(step.inputs) ? step.inputs : {};
      return step.action === 'aws:executeAwsApi'
        ? `${String(inputs.Api)} ${JSON.stringify(inputs)}`
        : step.action === 'aws:executeScript'
          ? JSON.stringify(inputs)
          : '';
    })
    .join('\n');
  if (!/CreateSnapshots|create_snapshots/.test(calls))
    return [`${document.logicalId} takes no snapshot of the node's EBS volumes (CreateSnapshots)`];
  const problems: string[] = [];
  if (!/IncidentId/.test(calls) || !/TagSpecifications/.test(calls))
    problems.push(`${document.logicalId} does not tag the volume snapshots with the incident when it creates them`);
  if (!/LockSnapshot|lock_snapshot/.test(calls))
    problems.push(`${document.logicalId} does not lock the volume snapshots (LockSnapshot): they can be deleted`);
  return problems;
}

function captureProblems(model: TemplateModel, document: RunbookDocument): string[] {
  const problems: string[] = [...commandProblems(model, document), ...snapshotProblems(document)];
  if (!stepsOf(document).some((s) => s.action === 'aws:runCommand'))
    problems.push(`${document.logicalId} runs no command on the node`);
  const buckets = model.referencedIds(document.content).filter((id) => model.resource(id)?.Type === 'AWS::S3::Bucket');
  if (buckets.length === 0)
    return [...problems, `${document.logicalId} names no S3 bucket of the template for the evidence`];
  const bucketProblems = buckets.map((id) => [
    ...evidenceBucketProblems(model, id),
    ...toolWriteProblems(model, document, id),
  ]);
  return bucketProblems.some((p) => p.length === 0) ? problems : [...problems, ...bucketProblems.flat()];
}

/** Object keys (patterns) of the bucket that the runbook's role may read: the tools it downloads and runs. */
function readableKeys(model: TemplateModel, document: RunbookDocument, bucketId: string): string[] {
  const roles = model
    .referencedIds(resolveInput(document, document.content.assumeRole))
    .filter((id) => model.resource(id)?.Type === 'AWS::IAM::Role');
  const bucketArn = `\${Token:${bucketId}.Arn}/`;
  return [
    ...new Set(
      roles.flatMap((roleId) =>
        policiesOfRole(model, roleId)
          .documents.flatMap((d) => statementsOf(d.document).statements)
          .filter((s) => isAllow(s) && coversAction(s, 's3:GetObject') === 'yes')
          .flatMap((s) => asArray(s.Resource).map(renderText))
          .filter((arn): arn is string => arn?.startsWith(bucketArn) ?? false)
          .map((arn) => arn.slice(bucketArn.length)),
      ),
    ),
  ];
}

/** Why the tools the runbook reads from the bucket could come from someone other than named publishers. */
export function toolWriteProblems(model: TemplateModel, document: RunbookDocument, bucketId: string): string[] {
  const keys = readableKeys(model, document, bucketId);
  if (keys.length === 0) return [];
  const bucketArn = `\${Token:${bucketId}.Arn}/`;
  const denies = model
    .referrersVia(bucketId, 'Bucket', 'AWS::S3::BucketPolicy')
    .flatMap(([, p]) => statementsOf(p.Properties?.PolicyDocument).statements)
    .filter((s) => s.Effect === 'Deny' && admitsAnyone(s) === 'yes' && coversAction(s, 's3:PutObject') === 'yes');
  return keys.flatMap((key) => {
    const covering = denies.filter((s) =>
      asArray(s.Resource)
        .map(renderText)
        .some((arn) => arn?.startsWith(bucketArn) && wildcardMatch(arn.slice(bucketArn.length), key)),
    );
    const problems = covering.map((s) => exemptionProblems(model, s, [], 'a publisher of tools'));
    if (problems.some((p) => p.length === 0)) return [];
    return [
      `the runbook's role reads ${key} from bucket ${bucketId}, and ${
        problems.length
          ? `the bucket policy's deny of s3:PutObject on it does not hold (${problems.map((p) => p.join('; ')).join(' | ')})`
          : 'the bucket policy does not deny s3:PutObject on it to principals other than the publishers'
      }`,
    ];
  });
}

/** Why a bucket is not fit for evidence: no Object Lock with a default retention, or no KMS encryption. */
export function evidenceBucketProblems(model: TemplateModel, bucketId: string): string[] {
  const props = model.resource(bucketId)?.Properties ?? {};
  const problems: string[] = [];
  if (!isTrue(props.ObjectLockEnabled)) problems.push(`bucket ${bucketId} has no Object Lock`);
  const retention = at(props, 'ObjectLockConfiguration', 'Rule', 'DefaultRetention');
  if (!retention.known || !isObject(retention.value))
    problems.push(`bucket ${bucketId} has no default Object Lock retention`);
  else {
    const mode = literal(retention.value.Mode);
    const number = (v: unknown) => {
      const l = literal(v);
      return l.known ? Number(l.value ?? 0) : 0;
    };
    const length = Math.max(number(retention.value.Days), number(retention.value.Years));
    // Governance mode lets anyone with s3:BypassGovernanceRetention delete evidence.
    if (!mode.known || mode.value !== 'COMPLIANCE')
      problems.push(
        `bucket ${bucketId} locks evidence in ${mode.known ? String(mode.value) : 'an unknown'} mode, not COMPLIANCE`,
      );
    if (!(length > 0)) problems.push(`bucket ${bucketId} has no retention period (Days or Years)`);
  }
  const configuration = at(props, 'BucketEncryption', 'ServerSideEncryptionConfiguration');
  const sse = asArray(configuration.known ? configuration.value : [])
    .filter(isObject)
    .map((c) => literal(c.ServerSideEncryptionByDefault?.SSEAlgorithm));
  if (!sse.some((a) => a.known && (a.value === 'aws:kms' || a.value === 'aws:kms:dsse')))
    problems.push(`bucket ${bucketId} is not encrypted with aws:kms`);
  return problems;
}
