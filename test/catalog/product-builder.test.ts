import * as fs from 'fs';
import * as path from 'path';
import { ConfigError } from '../../lib/config/validation';
import { MINIMAL_BUCKET_LAUNCH_ROLE_NAME, product as minimalBucket } from '../fixtures/products/minimal-bucket';
import minimalBucketRelease from '../fixtures/products/minimal-bucket/release.json';
import {
  configWithProducts,
  FIXTURE_PRODUCTS,
  type FixtureCatalog,
  onlyResource,
  removeTemporaryDirectories,
  resourcesOfType,
  synthesizeFixtureCatalog,
  tempDirectory,
} from './catalog-helpers';

/**
 * "Adding a product is a new folder under products/ and a line of configuration": the fixture folder
 * test/fixtures/products/minimal-bucket (an index.ts exporting `product` and a release.json) is published by an
 * unchanged CatalogStack from nothing but a configuration entry naming it.
 */
const entry = { folder: 'minimal-bucket', settings: { expirationDays: 30 } };

afterAll(() => removeTemporaryDirectories());

describe('a fixture product folder and one configuration entry', () => {
  let built: FixtureCatalog;
  let template: Record<string, any>;
  let portfolioId: string;
  let productId: string;
  let snapshots: string;

  beforeAll(() => {
    snapshots = tempDirectory('fixture-snapshots-');
    built = synthesizeFixtureCatalog(configWithProducts([entry]), snapshots);
    template = built.catalog;
    [portfolioId] = onlyResource(template, 'AWS::ServiceCatalog::Portfolio');
    [productId] = onlyResource(template, 'AWS::ServiceCatalog::CloudFormationProduct');
  });

  test("publish the fixture as the portfolio's only product, with its release.json version", () => {
    const [, resource] = onlyResource(template, 'AWS::ServiceCatalog::CloudFormationProduct');
    expect(resource.Properties).toMatchObject({
      Name: 'Minimal encrypted bucket',
      Owner: 'Catalog tests',
      Description: minimalBucket.description,
      ProvisioningArtifactParameters: [{ Name: 'v0.3.0', Description: minimalBucketRelease.current.description }],
    });
    expect(resource.Properties.ProvisioningArtifactParameters[0].Info.LoadTemplateFromURL).toBeDefined();
    expect(
      resourcesOfType(template, 'AWS::ServiceCatalog::PortfolioProductAssociation').map(([, r]) => r.Properties),
    ).toEqual([{ PortfolioId: { Ref: portfolioId }, ProductId: { Ref: productId } }]);
    expect(built.stack.products.map((p) => p.folder)).toEqual(['minimal-bucket']);
  });

  test("parse the fixture's settings with the fixture's own parser", () => {
    expect(built.stack.products[0].settings).toEqual({ expirationDays: 30 });
  });

  test("create the fixture's launch role, trusted by Service Catalog, with the fixture's statements", () => {
    const [roleId, role] = onlyResource(
      template,
      'AWS::IAM::Role',
      (r) => r.Properties.RoleName === MINIMAL_BUCKET_LAUNCH_ROLE_NAME,
    );
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'servicecatalog.amazonaws.com' } },
    ]);
    const statements: any[] = role.Properties.Policies[0].PolicyDocument.Statement;
    expect(statements.map((s) => s.Sid)).toEqual(['ProvisionedProductStacks', 'ProductBucket']);
    expect(statements[1].Action).toEqual(expect.arrayContaining(['s3:CreateBucket', 's3:PutEncryptionConfiguration']));
    // No hardened-eks launch role came along.
    expect(
      resourcesOfType(template, 'AWS::IAM::Role').filter(
        ([, r]) => r.Properties.RoleName === 'SCHardenedEksLaunchRole',
      ),
    ).toEqual([]);

    const [, constraint] = onlyResource(template, 'AWS::ServiceCatalog::LaunchRoleConstraint');
    expect(constraint.Properties).toMatchObject({
      PortfolioId: { Ref: portfolioId },
      ProductId: { Ref: productId },
      LocalRoleName: { Ref: roleId },
    });
  });

  test('add no template constraint for a product without template rules, and still let tags be updated', () => {
    expect(resourcesOfType(template, 'AWS::ServiceCatalog::LaunchTemplateConstraint')).toEqual([]);
    const [, update] = onlyResource(template, 'AWS::ServiceCatalog::ResourceUpdateConstraint');
    expect(update.Properties).toEqual({
      PortfolioId: { Ref: portfolioId },
      ProductId: { Ref: productId },
      TagUpdateOnProvisionedProduct: 'ALLOWED',
    });
  });

  test("publish the fixture's template: one encrypted, private bucket expiring objects after the configured days", () => {
    const templates = Object.entries(built.productTemplates);
    expect(templates).toHaveLength(1);
    const [file, productTemplate] = templates[0];
    expect(file).toMatch(/MinimalBucketProduct/);
    const [, bucket] = onlyResource(productTemplate, 'AWS::S3::Bucket');
    expect(Object.keys(productTemplate.Resources)).toHaveLength(1);
    expect(
      bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault
        .SSEAlgorithm,
    ).toBe('AES256');
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.LifecycleConfiguration.Rules).toEqual([{ ExpirationInDays: 30, Status: 'Enabled' }]);
  });

  test('write the version snapshot to the snapshot directory, not into the fixture folder', () => {
    const written = fs.readdirSync(path.join(snapshots, 'minimal-bucket'));
    expect(written).toEqual([expect.stringMatching(/MinimalBucketProduct.*\.v0\.3\.0\.product\.template\.json$/)]);
    expect(fs.existsSync(path.join(FIXTURE_PRODUCTS, 'minimal-bucket', 'snapshots'))).toBe(false);
  });
});

describe('configuration mistakes fail naming the field', () => {
  const build = (products: unknown[]) => () =>
    synthesizeFixtureCatalog(configWithProducts(products), tempDirectory('fixture-snapshots-'));
  const configError = (fn: () => unknown): ConfigError => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return error as ConfigError;
    }
    throw new Error('expected a ConfigError, but nothing was thrown');
  };

  test('a folder that does not exist', () => {
    const error = configError(build([{ folder: 'no-such-product', settings: {} }]));
    expect(error.field).toBe('catalog.products[0].folder');
    expect(error.message).toMatch(/catalog\.products\[0\]\.folder/);
    expect(error.message).toContain('no-such-product');
  });

  test('a folder that does not exist, as the second product', () => {
    const error = configError(build([entry, { folder: 'no-such-product', settings: {} }]));
    expect(error.message).toMatch(/catalog\.products\[1\]\.folder/);
  });

  test.each([
    ['zero days', 0],
    ['a string', '30'],
    ['a fraction', 1.5],
    ['missing', undefined],
  ])('an invalid fixture setting (%s)', (_name, expirationDays) => {
    const error = configError(build([{ folder: 'minimal-bucket', settings: { expirationDays } }]));
    expect(error.field).toBe('catalog.products[0].settings.expirationDays');
    expect(error.message).toMatch(/catalog\.products\[0\]\.settings\.expirationDays/);
  });

  test('an unknown fixture setting', () => {
    const error = configError(build([{ folder: 'minimal-bucket', settings: { expirationDays: 30, versioned: true } }]));
    expect(error.message).toMatch(/catalog\.products\[0\]\.settings\.versioned/);
  });

  test('a release.json whose version name is not like v1.2.3', () => {
    const error = configError(build([{ folder: 'bad-release-name', settings: { expirationDays: 30 } }]));
    expect(error.message).toContain(path.join('bad-release-name', 'release.json'));
    expect(error.message).toMatch(/release\.json current\.name': '1\.0' is not a version like v1\.2\.3/);
  });

  test('a release.json whose locked flag is not a boolean', () => {
    const error = configError(build([{ folder: 'bad-release-shape', settings: { expirationDays: 30 } }]));
    expect(error.message).toMatch(/bad-release-shape.release\.json current\.locked': must be true or false/);
  });
});
