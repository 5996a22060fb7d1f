import { logicalIdOf } from '../../lib/compliance/acknowledge';
import { Stack } from 'aws-cdk-lib';
import { EVIDENCE_PREFIX, EvidenceBucket, TOOLS_PREFIX } from '../../lib/response/evidence-bucket';
import { decide } from '../support/iam-simulation';
import { resolveIntrinsics } from '../support/intrinsics';
import {
  ORGANIZATION_ID,
  ResponseInfrastructure,
  RETENTION_DAYS,
  synthesizeResponseInfrastructure,
} from './infrastructure-fixture';

let fixture: ResponseInfrastructure;
let resources: Record<string, any>;
let bucketId: string;
let logsId: string;
let keyId: string;
beforeAll(() => {
  fixture = synthesizeResponseInfrastructure();
  resources = fixture.template.Resources;
  bucketId = logicalIdOf(fixture.evidence.bucket);
  logsId = logicalIdOf(fixture.evidence.accessLogs);
  keyId = logicalIdOf(fixture.evidence.key);
});

const BUCKET_ARN = 'arn:aws:s3:::evidence-bucket';
const policyOf = (bucket: string) =>
  Object.values(resources).find(
    (r: any) => r.Type === 'AWS::S3::BucketPolicy' && r.Properties.Bucket.Ref === bucket,
  ) as any;

describe('evidence bucket (IR-6)', () => {
  test('prefixes for evidence and tools', () => {
    expect([EVIDENCE_PREFIX, TOOLS_PREFIX]).toEqual(['incidents/', 'tools/']);
  });

  test('Object Lock in COMPLIANCE mode for retentionDays, with versioning', () => {
    const { Properties } = resources[bucketId];
    expect(Properties.ObjectLockEnabled).toBe(true);
    expect(Properties.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: RETENTION_DAYS } },
    });
    expect(Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
  });

  test('SSE-KMS with its own rotating key and an S3 Bucket Key', () => {
    expect(resources[bucketId].Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
      {
        BucketKeyEnabled: true,
        ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } },
      },
    ]);
    expect(resources[keyId].Properties.EnableKeyRotation).toBe(true);
  });

  test('the key refuses grants except to AWS services for AWS resources (CT.KMS.PR.3), once even with the product aspect', () => {
    const denies = resources[keyId].Properties.KeyPolicy.Statement.filter(
      (s: any) => s.Sid === 'DenyGrantsOutsideAwsServices',
    );
    expect(denies).toEqual([
      expect.objectContaining({
        Effect: 'Deny',
        Action: 'kms:CreateGrant',
        Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
      }),
    ]);
  });

  test('all public access blocked on both buckets', () => {
    for (const id of [bucketId, logsId]) {
      expect(resources[id].Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
  });

  test('server access logs go to a separate SSE-S3 bucket without Object Lock', () => {
    expect(resources[bucketId].Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logsId },
      LogFilePrefix: 'evidence/',
    });
    const logs = resources[logsId].Properties;
    expect(logs.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault).toEqual({
      SSEAlgorithm: 'AES256',
    });
    expect(logs.ObjectLockConfiguration).toBeUndefined();
    expect(logs.LoggingConfiguration).toBeUndefined();
  });

  test('buckets and key are retained when the stack goes', () => {
    for (const id of [bucketId, logsId, keyId])
      expect([id, resources[id].DeletionPolicy, resources[id].UpdateReplacePolicy]).toEqual([id, 'Retain', 'Retain']);
  });

  test('retentionDays must be a positive whole number', () => {
    expect(() => new EvidenceBucket(new Stack(), 'Bad', { retentionDays: 0, organizationId: ORGANIZATION_ID })).toThrow(
      /retentionDays must be a positive whole number/,
    );
    expect(
      () => new EvidenceBucket(new Stack(), 'Bad', { retentionDays: 1.5, organizationId: ORGANIZATION_ID }),
    ).toThrow(/retentionDays/);
  });
});

describe('evidence bucket policy, evaluated', () => {
  const IN_ORG = 'arn:aws:iam::111122223333:role/hardened-eks/responder';
  const OUTSIDE = 'arn:aws:iam::999988887777:role/attacker';
  const allowAll = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] };
  const bucketPolicy = () =>
    resolveIntrinsics(policyOf(bucketId).Properties.PolicyDocument, { [`${bucketId}.Arn`]: BUCKET_ARN });
  const request = (principalArn: string, action: string, context: Record<string, string>) =>
    decide(
      { identityPolicies: [allowAll], resourcePolicy: bucketPolicy() },
      {
        principalArn,
        action,
        resourceArn: `${BUCKET_ARN}/incidents/IR-42/memory.lime`,
        context: { 'aws:SecureTransport': 'true', ...context },
      },
    );

  test('a principal of the organization may upload evidence over TLS', async () => {
    await expect(request(IN_ORG, 's3:PutObject', { 'aws:PrincipalOrgID': ORGANIZATION_ID })).resolves.toBe('Allowed');
  });

  test('a request without TLS is denied', async () => {
    await expect(
      request(IN_ORG, 's3:PutObject', { 'aws:PrincipalOrgID': ORGANIZATION_ID, 'aws:SecureTransport': 'false' }),
    ).resolves.toBe('ExplicitlyDenied');
  });

  test('a principal outside the organization is denied even with an identity policy allowing s3:*', async () => {
    await expect(request(OUTSIDE, 's3:GetObject', { 'aws:PrincipalOrgID': 'o-someoneelse' })).resolves.toBe(
      'ExplicitlyDenied',
    );
  });

  test.each(['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:DeleteObjectTagging'])(
    'nobody may %s, not even the organization',
    async (action) => {
      await expect(request(IN_ORG, action, { 'aws:PrincipalOrgID': ORGANIZATION_ID })).resolves.toBe(
        'ExplicitlyDenied',
      );
    },
  );

  test('the access-log bucket requires TLS too', () => {
    const statements = policyOf(logsId).Properties.PolicyDocument.Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });
});
