import { CaptureArtifactsRunbook } from '../../../../nag-rules/rules/response/capture-artifacts-runbook';
import { check, failures, productTemplate } from '../../rule-harness';
import { messages, responseTemplate } from './fixtures';

/** REM-6: the tools IR-6 runs on the node come only from named publishers. */

const PUBLISHER = 'arn:aws:iam::111122223333:role/ToolsPublisher';
const evidenceArn = { 'Fn::GetAtt': ['Evidence', 'Arn'] };
const under = (prefix: string) => ({ 'Fn::Join': ['', [evidenceArn, `/${prefix}`]] });
const toolsDeny = (exempt: unknown[] = [PUBLISHER], resource: unknown = under('tools/*')) => ({
  Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:PutObject', Resource: resource, Condition: { ArnNotEquals: { 'aws:PrincipalArn': exempt } },
});

/** The fixture's IR role reads tools/* from the evidence bucket, whose policy has the given statements. */
function withTools(...statements: unknown[]): Record<string, any> {
  const t = responseTemplate();
  t.Resources.IrRole.Properties.Policies[0].PolicyDocument.Statement.push({ Effect: 'Allow', Action: 's3:GetObject', Resource: under('tools/*') });
  t.Resources.EvidencePolicy = { Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: { Ref: 'Evidence' }, PolicyDocument: { Statement: statements } } };
  return t;
}

describe('REM-6: the tools the capture runs are writable only by named publishers', () => {
  test('compliant: the bucket denies writing tools/* (or everything) to all but the publisher', () => {
    expect(check(CaptureArtifactsRunbook, withTools(toolsDeny()), 'C').status).toBe('pass');
    expect(check(CaptureArtifactsRunbook, withTools(toolsDeny([PUBLISHER], under('*'))), 'C').status).toBe('pass');
  });

  test('non-compliant: no such deny; a deny on another prefix; a wildcard exemption; the IR role itself exempted', () => {
    expect(messages(check(CaptureArtifactsRunbook, withTools(), 'C')))
      .toMatch(/the runbook's role reads tools\/\* from bucket Evidence, and the bucket policy does not deny s3:PutObject on it to principals other than the publishers/);
    expect(check(CaptureArtifactsRunbook, withTools(toolsDeny([PUBLISHER], under('incidents/*'))), 'C').status).toBe('fail');
    expect(messages(check(CaptureArtifactsRunbook, withTools(toolsDeny(['arn:aws:iam::111122223333:role/*'])), 'C')))
      .toMatch(/deny of s3:PutObject on it does not hold \(it exempts every principal matching arn:aws:iam::111122223333:role\/\*\)/);
    expect(messages(check(CaptureArtifactsRunbook, withTools(toolsDeny([PUBLISHER, { 'Fn::GetAtt': ['IrRole', 'Arn'] }])), 'C')))
      .toMatch(/it exempts IrRole, which is not a publisher of tools/);
  });

  test('the real product passes; it fails once tools/ is writable by the whole organization again', () => {
    const template = productTemplate();
    expect(failures(CaptureArtifactsRunbook, template)).toEqual([]);
    for (const resource of Object.values<any>(template.Resources)) {
      if (resource.Type !== 'AWS::S3::BucketPolicy') continue;
      resource.Properties.PolicyDocument.Statement = resource.Properties.PolicyDocument.Statement.filter((s: any) => s.Sid !== 'OnlyToolPublishersWriteTools');
    }
    const [failed] = failures(CaptureArtifactsRunbook, template);
    expect(failed.findings.map((f) => f.message)).toEqual([expect.stringMatching(/the runbook's role reads tools\/\* from bucket EvidenceBucket\w+, and the bucket policy's deny of s3:PutObject on it does not hold/)]);
  });
});
