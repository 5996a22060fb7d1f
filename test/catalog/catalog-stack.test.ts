import * as fs from 'fs';
import * as path from 'path';
import { CatalogConfig } from '../../lib/config/catalog-config';
import { product as hardenedEks } from '../../products/hardened-eks';
import type { HardenedEksSettings } from '../../products/hardened-eks/settings';
import release from '../../products/hardened-eks/release.json';
import { decide, type PolicyDocument } from '../support/iam-simulation';
import { defaultConfig, defaultSettings, synthesizeCatalog, type SynthesizedCatalog } from '../support/project-app';
import {
  onlyResource,
  PSEUDO_PARAMETERS,
  removeTemporaryDirectories,
  resolveIntrinsics,
  resourcesOfType,
} from './catalog-helpers';

// One synthesis for the whole file: the built-in configuration, shared with one more account.
const SHARED_ACCOUNT = '444455556666';
const config: CatalogConfig = { ...defaultConfig(), shareWithAccounts: [SHARED_ACCOUNT] };

let synth: SynthesizedCatalog;
let template: Record<string, any>;
let portfolioId: string;
let productId: string;

beforeAll(() => {
  synth = synthesizeCatalog(config);
  template = synth.catalog.toJSON();
  [portfolioId] = onlyResource(template, 'AWS::ServiceCatalog::Portfolio');
  [productId] = onlyResource(template, 'AWS::ServiceCatalog::CloudFormationProduct');
});

// The synth belongs to the run's cache (test/support/synth-cache.ts), removed with the run's temporary folder.
afterAll(() => removeTemporaryDirectories());

const ref = (logicalId: string) => ({ Ref: logicalId });

describe('portfolio', () => {
  test('has the configured display name, provider name and description', () => {
    const [, portfolio] = onlyResource(template, 'AWS::ServiceCatalog::Portfolio');
    expect(portfolio.Properties).toEqual({
      DisplayName: 'Hardened Amazon EKS',
      ProviderName: 'Platform team',
      Description: config.portfolio.description,
    });
    expect(config.portfolio.displayName).toBe('Hardened Amazon EKS');
    expect(config.portfolio.providerName).toBe('Platform team');
  });

  test('is given to each configured portfolio role', () => {
    expect(config.portfolioRoleArns.length).toBeGreaterThan(0);
    const associations = resourcesOfType(template, 'AWS::ServiceCatalog::PortfolioPrincipalAssociation')
      .map(([, r]) => r.Properties)
      .filter((p) => p.PrincipalType === 'IAM');
    expect(associations).toHaveLength(config.portfolioRoleArns.length);
    for (const arn of config.portfolioRoleArns) {
      expect(associations).toContainEqual({ PortfolioId: ref(portfolioId), PrincipalARN: arn, PrincipalType: 'IAM' });
    }
  });

  test('is given to each configured principal name pattern (IAM_PATTERN), which travels with organization shares', () => {
    expect(config.portfolioPrincipalPatterns).toEqual(['arn:aws:iam:::role/PlatformConsumers*']);
    const patterns = resourcesOfType(template, 'AWS::ServiceCatalog::PortfolioPrincipalAssociation')
      .map(([, r]) => r.Properties)
      .filter((p) => p.PrincipalType === 'IAM_PATTERN');
    expect(patterns).toEqual(
      config.portfolioPrincipalPatterns.map((arn) => ({
        PortfolioId: ref(portfolioId),
        PrincipalARN: arn,
        PrincipalType: 'IAM_PATTERN',
      })),
    );
  });

  test('is shared with each configured account, TagOptions included', () => {
    const shares = resourcesOfType(template, 'AWS::ServiceCatalog::PortfolioShare').map(([, r]) => r.Properties);
    expect(shares).toEqual([{ PortfolioId: ref(portfolioId), AccountId: SHARED_ACCOUNT, ShareTagOptions: true }]);
  });
});

describe('product', () => {
  test("is published with the product definition's name and owner", () => {
    const [, resource] = onlyResource(template, 'AWS::ServiceCatalog::CloudFormationProduct');
    expect(resource.Properties).toMatchObject({
      Name: hardenedEks.productName,
      Owner: hardenedEks.owner,
      Description: hardenedEks.description,
    });
  });

  test('offers the current version from release.json (plus the retained ones), each loaded from a template URL', () => {
    const [, resource] = onlyResource(template, 'AWS::ServiceCatalog::CloudFormationProduct');
    const versions: any[] = resource.Properties.ProvisioningArtifactParameters;
    expect(versions.map((v) => v.Name)).toEqual([
      ...release.retained.map((v: { name: string }) => v.name),
      release.current.name,
    ]);
    const current = versions[versions.length - 1];
    expect(current.Name).toBe('v1.3.0');
    expect(current.Description).toBe(release.current.description);
    expect(current.DisableTemplateValidation).toBe(false);
    // Every version is published with its own release note, not the current one's.
    expect(versions.map((v) => v.Description)).toEqual([
      ...release.retained.map((v: { description: string }) => v.description),
      release.current.description,
    ]);
    const url: string = resolveIntrinsics(current.Info.LoadTemplateFromURL);
    expect(url).toMatch(/^https:\/\/s3\.eu-west-1\.amazonaws\.com\/[a-z0-9.-]+\/[0-9a-f]{64}\.json$/);
  });

  test("the current version's template URL points at the synthesized product template", () => {
    const [, resource] = onlyResource(template, 'AWS::ServiceCatalog::CloudFormationProduct');
    const versions: any[] = resource.Properties.ProvisioningArtifactParameters;
    const url: string = resolveIntrinsics(versions[versions.length - 1].Info.LoadTemplateFromURL);
    const manifest = JSON.parse(fs.readFileSync(path.join(synth.outdir, 'HardenedEksCatalog.assets.json'), 'utf8'));
    const published = Object.values<any>(manifest.files).filter((asset) =>
      Object.values<any>(asset.destinations).some(
        (d) =>
          url ===
          `https://s3.${PSEUDO_PARAMETERS['AWS::Region']}.amazonaws.com/${resolveSubString(d.bucketName)}/${d.objectKey}`,
      ),
    );
    expect(published).toHaveLength(1);
    expect(published[0].source.path).toMatch(/HardenedEksProduct.*\.product\.template\.json$/);
    const publishedTemplate = JSON.parse(fs.readFileSync(path.join(synth.outdir, published[0].source.path), 'utf8'));
    expect(publishedTemplate).toEqual(synth.productJson);
  });

  test('is associated with the portfolio', () => {
    const associations = resourcesOfType(template, 'AWS::ServiceCatalog::PortfolioProductAssociation').map(
      ([, r]) => r.Properties,
    );
    expect(associations).toEqual([{ PortfolioId: ref(portfolioId), ProductId: ref(productId) }]);
  });
});

describe('launch role', () => {
  test("the product's launch role name is SCHardenedEksLaunchRole", () => {
    expect(hardenedEks.launchRoleName).toBe('SCHardenedEksLaunchRole');
  });

  test('a local launch role constraint names the role SCHardenedEksLaunchRole (not an account-bound ARN)', () => {
    const [, constraint] = onlyResource(template, 'AWS::ServiceCatalog::LaunchRoleConstraint');
    expect(constraint.Properties.PortfolioId).toEqual(ref(portfolioId));
    expect(constraint.Properties.ProductId).toEqual(ref(productId));
    expect(constraint.Properties.RoleArn).toBeUndefined();
    const localRoleName = constraint.Properties.LocalRoleName;
    // Either the name itself or a Ref to an IAM role (whose Ref is its name) with that RoleName.
    const name =
      typeof localRoleName === 'string' ? localRoleName : template.Resources[localRoleName.Ref]?.Properties?.RoleName;
    if (typeof localRoleName !== 'string') expect(template.Resources[localRoleName.Ref].Type).toBe('AWS::IAM::Role');
    expect(name).toBe('SCHardenedEksLaunchRole');
  });

  test('the role SCHardenedEksLaunchRole exists and only Service Catalog may assume it', () => {
    const [, role] = onlyResource(
      template,
      'AWS::IAM::Role',
      (r) => r.Properties.RoleName === 'SCHardenedEksLaunchRole',
    );
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'servicecatalog.amazonaws.com' } },
    ]);
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.Policies.map((p: any) => p.PolicyName)).toEqual(['Launch']);
  });
});

describe('TagOptions', () => {
  test('one active TagOption per configured key and value', () => {
    const expected = Object.entries(config.tagOptions).flatMap(([key, values]) =>
      values.map((value) => ({ Key: key, Value: value, Active: true })),
    );
    expect(expected).toHaveLength(6);
    const tagOptions = resourcesOfType(template, 'AWS::ServiceCatalog::TagOption').map(([, r]) => r.Properties);
    expect(tagOptions).toHaveLength(expected.length);
    expect(tagOptions).toEqual(expect.arrayContaining(expected));
  });

  test('each TagOption is associated with the portfolio', () => {
    const tagOptionIds = resourcesOfType(template, 'AWS::ServiceCatalog::TagOption').map(([id]) => id);
    const associations = resourcesOfType(template, 'AWS::ServiceCatalog::TagOptionAssociation').map(
      ([, r]) => r.Properties,
    );
    expect(associations).toHaveLength(tagOptionIds.length);
    for (const id of tagOptionIds)
      expect(associations).toContainEqual({ ResourceId: ref(portfolioId), TagOptionId: ref(id) });
  });
});

describe('constraints', () => {
  const settings = (): HardenedEksSettings => defaultSettings(config);

  test('a launch template constraint keeps KubernetesVersion, NodeInstanceType and CorporateCidrs on the approved values', () => {
    const [, constraint] = onlyResource(template, 'AWS::ServiceCatalog::LaunchTemplateConstraint');
    expect(constraint.Properties.PortfolioId).toEqual(ref(portfolioId));
    expect(constraint.Properties.ProductId).toEqual(ref(productId));
    const rules = JSON.parse(constraint.Properties.Rules);
    const asserts = Object.values<any>(rules).flatMap((rule) => rule.Assertions.map((a: any) => a.Assert));
    expect(asserts).toContainEqual({ 'Fn::Contains': [['1.35', '1.36'], { Ref: 'KubernetesVersion' }] });
    expect(asserts).toContainEqual({
      'Fn::Contains': [['m7i.large', 'm7i.xlarge', 'm6i.large'], { Ref: 'NodeInstanceType' }],
    });
    expect(asserts).toContainEqual({
      'Fn::EachMemberIn': [{ Ref: 'CorporateCidrs' }, ['10.0.0.0/8', '192.168.0.0/16']],
    });
    // …and those are the configured values, not a copy that could drift.
    expect(asserts).toContainEqual({ 'Fn::Contains': [settings().kubernetesVersions, { Ref: 'KubernetesVersion' }] });
    expect(asserts).toContainEqual({ 'Fn::Contains': [settings().instanceTypes, { Ref: 'NodeInstanceType' }] });
    expect(asserts).toContainEqual({ 'Fn::EachMemberIn': [{ Ref: 'CorporateCidrs' }, settings().corporateCidrs] });
  });

  test('the constrained parameters exist in the product template (CorporateCidrs as a list)', () => {
    const parameters = synth.productJson.Parameters;
    expect(parameters.KubernetesVersion?.Type).toBe('String');
    expect(parameters.NodeInstanceType?.Type).toBe('String');
    expect(parameters.CorporateCidrs?.Type).toBe('CommaDelimitedList');
  });

  test('a resource update constraint lets consumers update tags of provisioned products', () => {
    const [, constraint] = onlyResource(template, 'AWS::ServiceCatalog::ResourceUpdateConstraint');
    expect(constraint.Properties).toEqual({
      PortfolioId: ref(portfolioId),
      ProductId: ref(productId),
      TagUpdateOnProvisionedProduct: 'ALLOWED',
    });
  });
});

describe('product asset bucket', () => {
  const bucket = () =>
    onlyResource(template, 'AWS::S3::Bucket', (r) => r.Properties.BucketName === config.assetBucketName);

  test('has the configured name, encryption, versioning and all public access blocked', () => {
    const [, resource] = bucket();
    expect(resource.Properties.BucketName).toBe('hardened-eks-catalog-assets-example');
    expect(resource.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
      { ServerSideEncryptionByDefault: { SSEAlgorithm: expect.stringMatching(/^(AES256|aws:kms|aws:kms:dsse)$/) } },
    ]);
    expect(resource.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(resource.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(resource.DeletionPolicy).toBe('Retain');
  });

  test('logs access to a separate, encrypted, private bucket', () => {
    const [assetsId, resource] = bucket();
    const destination = resource.Properties.LoggingConfiguration?.DestinationBucketName;
    expect(destination).toEqual({ Ref: expect.any(String) });
    expect(destination.Ref).not.toBe(assetsId);
    const logs = template.Resources[destination.Ref];
    expect(logs.Type).toBe('AWS::S3::Bucket');
    expect(logs.Properties.BucketEncryption).toBeDefined();
    expect(logs.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
  });

  describe('bucket policy', () => {
    const ORG = 'o-exampleorg1';
    const READER = 'arn:aws:iam::111122223333:role/Reader';
    const OBJECT = `arn:aws:s3:::${'hardened-eks-catalog-assets-example'}/asset.zip`;
    let policy: PolicyDocument;

    beforeAll(() => {
      const [assetsId] = bucket();
      const [, bucketPolicy] = onlyResource(
        template,
        'AWS::S3::BucketPolicy',
        (r) => r.Properties.Bucket?.Ref === assetsId,
      );
      policy = resolveIntrinsics(bucketPolicy.Properties.PolicyDocument, {
        [assetsId]: config.assetBucketName,
        [`${assetsId}.Arn`]: `arn:aws:s3:::${config.assetBucketName}`,
      });
    });

    /** The decision on `action` on the asset object by `principalArn`, under the bucket policy and `identityPolicies`. */
    const decideOnObject = (
      principalArn: string,
      action: string,
      context: Record<string, string>,
      identityPolicies: PolicyDocument[] = [],
    ) => decide({ identityPolicies, resourcePolicy: policy }, { principalArn, action, resourceArn: OBJECT, context });

    test('is scoped to the configured organization', () => {
      expect(config.organizationId).toBe(ORG);
      const conditions = JSON.stringify((policy.Statement as any[]).map((s) => s.Condition));
      expect(conditions).toContain(`"aws:PrincipalOrgID":"${ORG}"`);
    });

    test('denies requests without TLS, even from the organization', async () => {
      expect(
        await decideOnObject(READER, 's3:GetObject', { 'aws:PrincipalOrgID': ORG, 'aws:SecureTransport': 'false' }),
      ).toBe('ExplicitlyDenied');
    });

    test('lets principals of the organization read objects (over TLS)', async () => {
      expect(
        await decideOnObject(READER, 's3:GetObject', { 'aws:PrincipalOrgID': ORG, 'aws:SecureTransport': 'true' }),
      ).toBe('Allowed');
    });

    test('grants the organization s3:GetObject only', async () => {
      for (const action of ['s3:PutObject', 's3:DeleteObject']) {
        expect(await decideOnObject(READER, action, { 'aws:PrincipalOrgID': ORG, 'aws:SecureTransport': 'true' })).toBe(
          'ImplicitlyDenied',
        );
      }
    });

    test('denies reads from outside the organization even when an identity policy allows them', async () => {
      const allowAll: PolicyDocument = {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
      };
      const outsider = 'arn:aws:iam::999988887777:role/Outsider';
      expect(
        await decideOnObject(
          outsider,
          's3:GetObject',
          { 'aws:PrincipalOrgID': 'o-otherorg0000', 'aws:SecureTransport': 'true' },
          [allowAll],
        ),
      ).toBe('ExplicitlyDenied');
      // An account in no organization at all has no aws:PrincipalOrgID.
      expect(await decideOnObject(outsider, 's3:GetObject', { 'aws:SecureTransport': 'true' }, [allowAll])).toBe(
        'ExplicitlyDenied',
      );
    });
  });
});

/** `${AWS::AccountId}`-style placeholders in asset manifests, resolved with the test pseudo parameters. */
function resolveSubString(text: string): string {
  return resolveIntrinsics({ 'Fn::Sub': text });
}
