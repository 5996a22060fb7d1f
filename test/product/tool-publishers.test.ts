import { RESTRICTED_PUSH_ACTIONS } from '../../nag-rules/rules/registry/tools-repository-push-restricted';
import { product as hardenedEks } from '../../products/hardened-eks';
import { decide, expectDecisionOn, type Decision, type PolicyDocument } from '../support/iam-simulation';
import { resolveIntrinsics } from '../support/intrinsics';
import { defaultConfig, defaultSettings, resourcesOfType, synthesizeCatalog } from '../support/project-app';
import { failingControls } from './failing-controls';

/*
 * REG-6 and REM-6: what runs as root on the nodes (kube-bench from the security-tools repository, AVML from the evidence
 * bucket's tools/ prefix) is published only by the platform's publisher roles. The repository and bucket policies are
 * evaluated with iam-simulate next to an identity policy that would allow everything.
 */

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const PUBLISHER = `arn:aws:iam::${ACCOUNT}:role/platform/ToolsPublisher`;
const DEVELOPER = `arn:aws:iam::${ACCOUNT}:role/Developer`;
const LAUNCH_ROLE = `arn:aws:iam::${ACCOUNT}:role/${hardenedEks.launchRoleName}`;
const ORG = defaultConfig().organizationId;

const config = defaultConfig({ toolsPublisherRoleArn: PUBLISHER });
const settings = defaultSettings(config);
const product = synthesizeCatalog(config).productJson;
const everything: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['ecr:*', 's3:*'], Resource: '*' }],
};

const [[repositoryId, repository]] = resourcesOfType(product, 'AWS::ECR::Repository').filter(
  ([, r]) => r.Properties.RepositoryName === settings.detection.toolsRepository,
);
const [[bucketId]] = resourcesOfType(product, 'AWS::S3::Bucket').filter(([, b]) => b.Properties.ObjectLockEnabled);
const [[, bucketPolicy]] = resourcesOfType(product, 'AWS::S3::BucketPolicy').filter(
  ([, p]) => p.Properties.Bucket.Ref === bucketId,
);
const BUCKET = 'sc-evidence-bucket';
const values = {
  [bucketId]: BUCKET,
  [`${bucketId}.Arn`]: `arn:aws:s3:::${BUCKET}`,
  [repositoryId]: settings.detection.toolsRepository,
};
const repositoryPolicy: PolicyDocument = resolveIntrinsics(repository.Properties.RepositoryPolicyText, values);
const evidencePolicy: PolicyDocument = resolveIntrinsics(bucketPolicy.Properties.PolicyDocument, values);
const REPOSITORY = `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${settings.detection.toolsRepository}`;
const inOrganization = { 'aws:PrincipalOrgID': ORG, 'aws:PrincipalIsAWSService': 'false' };

const ecr = (principalArn: string, action: string): Promise<Decision> =>
  decide(
    { identityPolicies: [everything], resourcePolicy: repositoryPolicy },
    { principalArn, action, resourceArn: REPOSITORY, context: inOrganization },
  );
const s3 = (principalArn: string, action: string, resourceArn: string): Promise<Decision> =>
  decide(
    { identityPolicies: [everything], resourcePolicy: evidencePolicy },
    {
      principalArn,
      action,
      resourceArn,
      context: { 'aws:PrincipalOrgID': ORG, 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.3' },
    },
  );

describe('the security-tools repository (REG-6)', () => {
  test.each([...RESTRICTED_PUSH_ACTIONS])('a developer of the organization with ecr:* is denied %s', async (action) => {
    expect(await ecr(DEVELOPER, action)).toBe('ExplicitlyDenied');
  });

  test('the publisher pushes; it may not make tags mutable or change the policy, which the launch role may', async () => {
    for (const action of [
      'ecr:PutImage',
      'ecr:InitiateLayerUpload',
      'ecr:UploadLayerPart',
      'ecr:CompleteLayerUpload',
    ]) {
      expectDecisionOn(action, await ecr(PUBLISHER, action), 'Allowed');
    }
    expect(await ecr(PUBLISHER, 'ecr:PutImageTagMutability')).toBe('ExplicitlyDenied');
    expect(await ecr(LAUNCH_ROLE, 'ecr:SetRepositoryPolicy')).toBe('Allowed');
    expect(await ecr(LAUNCH_ROLE, 'ecr:PutImage')).toBe('ExplicitlyDenied');
  });

  test('the nodes and everyone in the organization still pull', async () => {
    expect(await ecr(DEVELOPER, 'ecr:BatchGetImage')).toBe('Allowed');
  });

  test('with a publisher configured, the break-glass role is no publisher', async () => {
    expect(await ecr(settings.breakGlassRoleArns[0], 'ecr:PutImage')).toBe('ExplicitlyDenied');
  });
});

describe("the evidence bucket's tools/ prefix (REM-6)", () => {
  const object = (key: string) => `arn:aws:s3:::${BUCKET}/${key}`;

  test('a developer of the organization with s3:* may not upload tools/avml or change the bucket policy', async () => {
    expect(await s3(DEVELOPER, 's3:PutObject', object('tools/avml'))).toBe('ExplicitlyDenied');
    expect(await s3(DEVELOPER, 's3:PutBucketPolicy', `arn:aws:s3:::${BUCKET}`)).toBe('ExplicitlyDenied');
    expect(await s3(DEVELOPER, 's3:DeleteBucketPolicy', `arn:aws:s3:::${BUCKET}`)).toBe('ExplicitlyDenied');
  });

  test('the publisher uploads tools/avml; the launch role manages the bucket policy', async () => {
    expect(await s3(PUBLISHER, 's3:PutObject', object('tools/avml'))).toBe('Allowed');
    expect(await s3(LAUNCH_ROLE, 's3:PutBucketPolicy', `arn:aws:s3:::${BUCKET}`)).toBe('Allowed');
  });

  test("writing evidence under incidents/ is not the publisher's alone", async () => {
    expect(await s3(DEVELOPER, 's3:PutObject', object('incidents/INC-1/i-0123456789abcdef0/processes.txt'))).toBe(
      'Allowed',
    );
  });
});

describe('the pack fails when the product is weakened', () => {
  const waived = failingControls(product);
  const copy = (): Record<string, any> => JSON.parse(JSON.stringify(product));

  test('the tools repository open to every organization principal again: REG-6', () => {
    const t = copy();
    const statements = t.Resources[repositoryId].Properties.RepositoryPolicyText.Statement;
    t.Resources[repositoryId].Properties.RepositoryPolicyText.Statement = statements.filter(
      (s: any) => s.Sid !== 'OnlyToolPublishersPush',
    );
    expect(failingControls(t).filter((id) => !waived.includes(id))).toEqual(['REG-6']);
  });

  test('tools/ writable by every organization principal again: REM-6', () => {
    const t = copy();
    const [[policyId]] = resourcesOfType(t, 'AWS::S3::BucketPolicy').filter(
      ([, p]) => p.Properties.Bucket.Ref === bucketId,
    );
    const document = t.Resources[policyId].Properties.PolicyDocument;
    document.Statement = document.Statement.filter((s: any) => s.Sid !== 'OnlyToolPublishersWriteTools');
    expect(failingControls(t).filter((id) => !waived.includes(id))).toEqual(['REM-6']);
  });
});
