import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { AccountBaselineStack, AccountBaselineStackProps } from '../../lib/baseline/account-baseline-stack';
import { decide, type PolicyDocument } from '../support/iam-simulation';
import { resolveIntrinsics } from '../support/intrinsics';
import { projectContext, resourcesOfType } from '../support/project-app';
import { runCfnLint } from '../support/template-checkers';
import { awsSolutionsReport } from '../support/aws-solutions';

const ACCOUNT = '111122223333';
const BUCKET = 'config-bucket';

interface Baseline {
  stack: AccountBaselineStack;
  template: Record<string, any>;
  templateFile: string;
}

function synthesizeBaseline(props: AccountBaselineStackProps = {}): Baseline {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'baseline-'));
  const app = new App({ outdir, context: projectContext() });
  const stack = new AccountBaselineStack(app, 'AccountBaseline', props);
  app.synth();
  const templateFile = path.join(outdir, `${stack.artifactId}.template.json`);
  return { stack, template: JSON.parse(fs.readFileSync(templateFile, 'utf8')), templateFile };
}

const only = (template: Record<string, any>, type: string): any => {
  const found = resourcesOfType(template, type);
  expect(found).toHaveLength(1);
  return found[0][1];
};

describe('account baseline (GuardDuty, Config recorder, ECR enhanced scanning)', () => {
  let baseline: Baseline;
  beforeAll(() => {
    baseline = synthesizeBaseline();
  });

  test('GuardDuty watches EKS audit logs and runs Runtime Monitoring without managing the agent add-on', () => {
    const detector = only(baseline.template, 'AWS::GuardDuty::Detector').Properties;
    expect(detector.Enable).toBe(true);
    expect(detector.DataSources).toBeUndefined();
    expect(detector.Features).toEqual(
      expect.arrayContaining([
        { Name: 'EKS_AUDIT_LOGS', Status: 'ENABLED' },
        {
          Name: 'RUNTIME_MONITORING',
          Status: 'ENABLED',
          AdditionalConfiguration: [{ Name: 'EKS_ADDON_MANAGEMENT', Status: 'DISABLED' }],
        },
      ]),
    );
    // EKS_RUNTIME_MONITORING and RUNTIME_MONITORING together are an error in GuardDuty.
    expect(detector.Features.map((f: any) => f.Name)).not.toContain('EKS_RUNTIME_MONITORING');
  });

  test('the recorder records every supported resource type with its own role', () => {
    const recorder = only(baseline.template, 'AWS::Config::ConfigurationRecorder').Properties;
    expect(recorder.RecordingGroup).toEqual({ AllSupported: true, IncludeGlobalResourceTypes: true });
    const [roleId] = recorder.RoleARN['Fn::GetAtt'];
    const role = baseline.template.Resources[roleId];
    expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({
      Service: 'config.amazonaws.com',
    });
    expect(JSON.stringify(role.Properties.ManagedPolicyArns)).toContain('service-role/AWS_ConfigRole');
  });

  test('the delivery channel writes KMS-encrypted snapshots to a TLS-only, versioned, access-logged bucket', () => {
    const channel = resourcesOfType(baseline.template, 'AWS::Config::DeliveryChannel')[0][1];
    expect(resourcesOfType(baseline.template, 'AWS::Config::DeliveryChannel')).toHaveLength(1);
    const bucketId = channel.Properties.S3BucketName.Ref;
    const bucket = baseline.template.Resources[bucketId].Properties;
    const [keyId] = channel.Properties.S3KmsKeyArn['Fn::GetAtt'];
    expect(baseline.template.Resources[keyId].Properties.EnableKeyRotation).toBe(true);
    expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault).toEqual({
      SSEAlgorithm: 'aws:kms',
      KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
    expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.LoggingConfiguration.DestinationBucketName).toEqual({ Ref: expect.any(String) });
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    const policy = resourcesOfType(baseline.template, 'AWS::S3::BucketPolicy').find(
      ([, p]) => p.Properties.Bucket.Ref === bucketId,
    )![1];
    expect(policy.Properties.PolicyDocument.Statement).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      ]),
    );
    // Config rejects a channel whose recorder or bucket policy does not exist yet.
    expect(channel.DependsOn).toEqual(
      expect.arrayContaining([
        resourcesOfType(baseline.template, 'AWS::Config::ConfigurationRecorder')[0][0],
        resourcesOfType(baseline.template, 'AWS::S3::BucketPolicy').find(
          ([, p]) => p.Properties.Bucket.Ref === bucketId,
        )![0],
      ]),
    );
  });

  describe('the Config bucket policy, evaluated', () => {
    let bucketPolicy: PolicyDocument;
    beforeAll(() => {
      const [bucketId] = resourcesOfType(baseline.template, 'AWS::S3::Bucket').find(
        ([, b]) =>
          b.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault
            .SSEAlgorithm === 'aws:kms',
      )!;
      const policy = resourcesOfType(baseline.template, 'AWS::S3::BucketPolicy').find(
        ([, p]) => p.Properties.Bucket.Ref === bucketId,
      )![1];
      bucketPolicy = resolveIntrinsics(policy.Properties.PolicyDocument, {
        [bucketId]: BUCKET,
        [`${bucketId}.Arn`]: `arn:aws:s3:::${BUCKET}`,
      });
    });
    const put = (
      sourceAccount: string,
      key = `AWSLogs/${ACCOUNT}/Config/eu-west-1/2024/1/1/ConfigHistory/x.json.gz`,
      secure = 'true',
    ) =>
      decide(
        { identityPolicies: [], resourcePolicy: bucketPolicy },
        {
          principalArn: 'config.amazonaws.com',
          action: 's3:PutObject',
          resourceArn: `arn:aws:s3:::${BUCKET}/${key}`,
          context: {
            'aws:SourceAccount': sourceAccount,
            's3:x-amz-acl': 'bucket-owner-full-control',
            'aws:SecureTransport': secure,
          },
        },
      );

    test('Config of this account delivers under its prefix over TLS', async () => {
      expect(await put(ACCOUNT)).toBe('Allowed');
    });
    test('Config on behalf of another account, outside the prefix, or over HTTP does not', async () => {
      expect(await put('444455556666')).toBe('ImplicitlyDenied');
      expect(await put(ACCOUNT, 'elsewhere/x.json')).toBe('ImplicitlyDenied');
      expect(await put(ACCOUNT, undefined, 'false')).toBe('ExplicitlyDenied');
    });
  });

  test('ECR enhanced scanning covers every repository continuously', () => {
    expect(only(baseline.template, 'AWS::ECR::RegistryScanningConfiguration').Properties).toEqual({
      ScanType: 'ENHANCED',
      Rules: [{ ScanFrequency: 'CONTINUOUS_SCAN', RepositoryFilters: [{ Filter: '*', FilterType: 'WILDCARD' }] }],
    });
  });

  test('every key denies grants outside AWS services (CT.KMS.PR.3)', () => {
    const keys = resourcesOfType(baseline.template, 'AWS::KMS::Key');
    expect(keys.length).toBeGreaterThan(0);
    for (const [, key] of keys)
      expect(key.Properties.KeyPolicy.Statement.map((s: any) => s.Sid)).toContain('DenyGrantsOutsideAwsServices');
  });

  test('cdk-nag AwsSolutions has no unacknowledged finding', () => {
    expect(awsSolutionsReport(baseline.stack).findings).toEqual([]);
  });

  test('cfn-lint reports no error', () => {
    expect(runCfnLint([baseline.templateFile]).filter((f) => f.level === 'error')).toEqual([]);
  });
});

describe('account baseline switches', () => {
  const parts: [keyof AccountBaselineStackProps, string[]][] = [
    ['guardDuty', ['AWS::GuardDuty::Detector']],
    [
      'config',
      [
        'AWS::Config::ConfigurationRecorder',
        'AWS::Config::DeliveryChannel',
        'AWS::S3::Bucket',
        'AWS::KMS::Key',
        'AWS::IAM::Role',
      ],
    ],
    ['enhancedImageScanning', ['AWS::ECR::RegistryScanningConfiguration']],
  ];
  test.each(parts)('%s off removes its resources and leaves the others', (part, types) => {
    const template = synthesizeBaseline({ [part]: false }).template;
    for (const type of types) expect([type, resourcesOfType(template, type).length]).toEqual([type, 0]);
    for (const [other, otherTypes] of parts) {
      if (other !== part)
        for (const type of otherTypes) expect([type, resourcesOfType(template, type).length]).not.toEqual([type, 0]);
    }
  });

  test('all parts off is refused rather than synthesized as an empty stack CloudFormation rejects', () => {
    expect(() => synthesizeBaseline({ guardDuty: false, config: false, enhancedImageScanning: false })).toThrow(
      /every part of the account baseline is switched off/,
    );
  });

  test('scan on push and a region without global resource types', () => {
    const t = synthesizeBaseline({ imageScanFrequency: 'SCAN_ON_PUSH', recordGlobalResourceTypes: false }).template;
    expect(only(t, 'AWS::ECR::RegistryScanningConfiguration').Properties.Rules[0].ScanFrequency).toBe('SCAN_ON_PUSH');
    expect(only(t, 'AWS::Config::ConfigurationRecorder').Properties.RecordingGroup.IncludeGlobalResourceTypes).toBe(
      false,
    );
  });
});
