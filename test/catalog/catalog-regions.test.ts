import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { buildCatalogApp, type CatalogAppStacks } from '../../lib/app/catalog-app';
import { CONFIG_CONTEXT_KEY } from '../../lib/config/catalog-config';
import { releasesMarkdown } from '../../lib/release/releases-report';
import { assessUpgrades, type UpgradeAssessment } from '../../lib/release/upgrade-assessment';
import release from '../../products/hardened-eks/release.json';
import { defaultConfig, projectContext, seedRetainedSnapshots } from '../support/project-app';
import { runCfnLint } from '../support/template-checkers';
import { onlyResource, removeTemporaryDirectories, resourcesOfType, tempDirectory } from './catalog-helpers';
import { awsSolutionsReport } from '../support/aws-solutions';

/**
 * The whole app of the built-in configuration (two regions, the organization stack), synthesized once with the
 * committed snapshots of the retained versions: one hub per region, each with its own asset bucket and product
 * template, the same portfolio contents, and the launch role created once.
 */
const config = defaultConfig();
let stacks: CatalogAppStacks;
let outdir: string;
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(outdir, file), 'utf8'));
const hubTemplate = (i: number) => read(stacks.hubs[i].templateFile);
const productTemplate = (i: number) => read(stacks.hubs[i].products[0].productStack.templateFile);

beforeAll(() => {
  outdir = tempDirectory('regions-');
  const snapshots = path.join(outdir, 'snapshots');
  seedRetainedSnapshots('hardened-eks', path.join(snapshots, 'hardened-eks'));
  const context = { ...projectContext() };
  delete context[CONFIG_CONTEXT_KEY];
  const app = new App({ outdir, context });
  stacks = buildCatalogApp(app, config, { snapshotDirectory: (folder) => path.join(snapshots, folder) });
  app.synth();
});

afterAll(() => removeTemporaryDirectories());

test('one hub per configured region: the home region keeps its names, the others are qualified by region', () => {
  expect(config.regions).toEqual(['eu-west-1', 'us-east-1']);
  expect(stacks.hubs.map((h) => [h.stackName, h.region, h.catalogRegion.home])).toEqual([
    ['HardenedEksCatalog', 'eu-west-1', true],
    ['HardenedEksCatalog-us-east-1', 'us-east-1', false],
  ]);
});

test("each hub has its own asset bucket, and its product's Lambda code comes from it (Lambda code must be in the launch's region)", () => {
  const names = ['hardened-eks-catalog-assets-example', 'hardened-eks-catalog-assets-example-us-east-1'];
  names.forEach((name, i) => {
    onlyResource(hubTemplate(i), 'AWS::S3::Bucket', (r) => r.Properties.BucketName === name);
    const codeBuckets = new Set(
      resourcesOfType(productTemplate(i), 'AWS::Lambda::Function').map(([, r]) => r.Properties.Code.S3Bucket),
    );
    expect([...codeBuckets]).toEqual([name]);
  });
});

test('the hubs have the same portfolio contents', () => {
  const contents = (template: Record<string, any>) =>
    Object.fromEntries(
      [
        'AWS::ServiceCatalog::Portfolio',
        'AWS::ServiceCatalog::TagOption',
        'AWS::ServiceCatalog::TagOptionAssociation',
        'AWS::ServiceCatalog::PortfolioPrincipalAssociation',
        'AWS::ServiceCatalog::PortfolioProductAssociation',
        'AWS::ServiceCatalog::LaunchTemplateConstraint',
        'AWS::ServiceCatalog::ResourceUpdateConstraint',
        'Custom::OrganizationPortfolioShare',
      ].map((type) => [
        type,
        resourcesOfType(template, type)
          .map(([, r]) => JSON.stringify({ ...r.Properties, ServiceToken: undefined }))
          .sort(),
      ]),
    );
  const home = contents(hubTemplate(0));
  expect(home['Custom::OrganizationPortfolioShare']).toHaveLength(1);
  expect(home['AWS::ServiceCatalog::PortfolioPrincipalAssociation'].length).toBeGreaterThanOrEqual(2);
  expect(contents(hubTemplate(1))).toEqual(home);
  const product = (template: Record<string, any>) =>
    onlyResource(template, 'AWS::ServiceCatalog::CloudFormationProduct')[1].Properties;
  const { ProvisioningArtifactParameters: _home, ...homeProduct } = product(hubTemplate(0));
  const { ProvisioningArtifactParameters: _other, ...otherProduct } = product(hubTemplate(1));
  expect(otherProduct).toEqual(homeProduct);
});

describe('the launch role (IAM is global)', () => {
  const launchRoles = (template: Record<string, any>) =>
    resourcesOfType(template, 'AWS::IAM::Role').filter(([, r]) => r.Properties.RoleName === 'SCHardenedEksLaunchRole');

  test("is created by the home hub only; every hub's constraint names it", () => {
    expect(launchRoles(hubTemplate(0))).toHaveLength(1);
    expect(launchRoles(hubTemplate(1))).toEqual([]);
    const [, constraint] = onlyResource(hubTemplate(1), 'AWS::ServiceCatalog::LaunchRoleConstraint');
    expect(constraint.Properties.LocalRoleName).toBe('SCHardenedEksLaunchRole');
  });

  test("may read the product assets of every region's bucket", () => {
    const [[, role]] = launchRoles(hubTemplate(0));
    const assets = role.Properties.Policies[0].PolicyDocument.Statement.find((s: any) => s.Sid === 'ProductAssets');
    expect(JSON.stringify(assets.Resource)).toContain(':s3:::hardened-eks-catalog-assets-example/*');
    expect(JSON.stringify(assets.Resource)).toContain(':s3:::hardened-eks-catalog-assets-example-us-east-1/*');
    expect(assets.Condition).toEqual({
      'ForAnyValue:StringEquals': { 'aws:CalledVia': ['cloudformation.amazonaws.com'] },
    });
  });

  test("the StackSet deploys it once, in the home region, with the same policy as the home hub's role", () => {
    const [, stackSet] = onlyResource(read(stacks.organization!.templateFile), 'AWS::CloudFormation::StackSet');
    expect(stackSet.Properties.StackInstancesGroup.map((g: any) => g.Regions)).toEqual([['eu-west-1']]);
    const [[, homeRole]] = launchRoles(hubTemplate(0));
    const [, stackSetRole] = onlyResource(
      JSON.parse(stackSet.Properties.TemplateBody),
      'AWS::IAM::Role',
      (r) => r.Properties.RoleName === 'SCHardenedEksLaunchRole',
    );
    expect(stackSetRole.Properties.Policies).toEqual(homeRole.Properties.Policies);
  });
});

describe('versions', () => {
  test('the home hub offers every retained version and the current one', () => {
    const [, product] = onlyResource(hubTemplate(0), 'AWS::ServiceCatalog::CloudFormationProduct');
    expect(product.Properties.ProvisioningArtifactParameters.map((v: any) => v.Name)).toEqual([
      ...release.retained.map((v) => v.name),
      release.current.name,
    ]);
  });

  test('another region offers the versions released since it was added: those with a snapshot for its hub', () => {
    const [, product] = onlyResource(hubTemplate(1), 'AWS::ServiceCatalog::CloudFormationProduct');
    // us-east-1 was added with v1.1.0 (its snapshot is committed): v1.0.0 was never released there.
    expect(product.Properties.ProvisioningArtifactParameters.map((v: any) => v.Name)).toEqual([
      'v1.2.0',
      'v1.1.0',
      release.current.name,
    ]);
    expect(stacks.hubs[1].products[0].notOffered).toEqual(['v1.0.0']);
    expect(stacks.hubs[0].products[0].notOffered).toEqual([]);
  });

  test('a version retired in release.json is retired where it is offered: v1.0.0, v1.1.0 and v1.2.0 at home, v1.1.0 and v1.2.0 in us-east-1', () => {
    const retired = (hub: number) =>
      resourcesOfType(hubTemplate(hub), 'Custom::ProductVersionStatus').flatMap(([, r]) =>
        r.Properties.Versions.map((v: any) => v.Name),
      );
    expect([...new Set(retired(0))].sort()).toEqual(['v1.0.0', 'v1.1.0', 'v1.2.0']);
    expect([...new Set(retired(1))].sort()).toEqual(['v1.1.0', 'v1.2.0']);
  });

  test("the regional hub's current snapshot is committed next to the home hub's", () => {
    const committed = fs.readdirSync(path.join(__dirname, '..', '..', 'products', 'hardened-eks', 'snapshots'));
    expect(committed).toContain(path.basename(stacks.hubs[1].products[0].current.snapshotFile));
    expect(committed).toContain(path.basename(stacks.hubs[0].products[0].current.snapshotFile));
  });
});

describe('releases.md', () => {
  let markdown: string;
  let upgrades: UpgradeAssessment[];
  beforeAll(() => {
    upgrades = assessUpgrades(stacks.hubs, outdir);
    markdown = releasesMarkdown(stacks.hubs, upgrades, outdir);
  });

  test('lists each version, newest first, with its status, its snapshot per region and what changed', () => {
    const rows = markdown
      .split('\n')
      .filter((l) => /^\| v\d\S* \| (current|active|deprecated|inactive) \|/.test(l))
      .map((l) => l.split(' | ').map((c) => c.replace(/^\| |\|$/g, '').trim()));
    expect(rows.map(([name, status]) => [name, status])).toEqual([
      [release.current.name, 'current'],
      ['v1.2.0', 'inactive'],
      ['v1.1.0', 'inactive'],
      ['v1.0.0', 'inactive'],
    ]);
    expect(rows[0][2]).toMatch(
      /^`snapshots\/hardened-eks\/HardenedEksCatalogHardenedEksHistory[0-9A-F]{8}\.HardenedEksCatalogHardenedEksProduct[0-9A-F]{8}\.v1\.3\.0\.product\.template\.json`$/,
    );
    expect(rows[0][3]).toMatch(
      /^`snapshots\/hardened-eks\/HardenedEksCataloguseast1HardenedEksHistory.*\.v1\.3\.0\.product\.template\.json`$/,
    );
    expect(rows[1][3]).toMatch(/\.v1\.2\.0\.product\.template\.json`$/);
    expect(rows[2][3]).toMatch(/\.v1\.1\.0\.product\.template\.json`$/);
    expect(rows[3][3]).toBe('not offered (released before the region was added)');
    expect(rows[0][4]).toBe(release.current.description);
    expect(rows[3][4]).toBe(release.retained.find((v) => v.name === 'v1.0.0')!.description);
    expect(markdown).toContain('| version | status | eu-west-1 snapshot | us-east-1 snapshot | what changed |');
  });

  test('has the upgrade to the current version from each retained version each region offers, with its figures', () => {
    expect(upgrades.map((u) => [u.from, u.to, u.region])).toEqual([
      ...release.retained.map((v) => [v.name, release.current.name, 'eu-west-1']),
      ['v1.2.0', release.current.name, 'us-east-1'],
      ['v1.1.0', release.current.name, 'us-east-1'],
    ]);
    expect(markdown).toContain(`### Upgrades to ${release.current.name}`);
    for (const { from, region, diff, accepted } of upgrades) {
      expect(markdown).toContain(
        `| ${from} | ${region} | ${diff.added} | ${diff.updated} | ${diff.replaced} | ${diff.removed} | ${diff.breaking.length} | ${accepted.length} | ${diff.warnings.length} |`,
      );
      expect(diff.added + diff.updated).toBeGreaterThan(0);
    }
    // The synth passes: nothing the current version breaks is left unaccepted.
    expect(upgrades.flatMap((u) => u.unaccepted)).toEqual([]);
  });
});

describe('checks on the regional hub', () => {
  test('AwsSolutions finds nothing unacknowledged in the us-east-1 hub and its product', () => {
    expect(awsSolutionsReport(stacks.hubs[1]).findings).toEqual([]);
  });

  test('cfn-lint reports no error on the us-east-1 hub and its product', () => {
    const templates = [stacks.hubs[1].templateFile, stacks.hubs[1].products[0].productStack.templateFile].map((f) =>
      path.join(outdir, f),
    );
    expect(runCfnLint(templates).filter((f) => f.level === 'error')).toEqual([]);
  });
});
