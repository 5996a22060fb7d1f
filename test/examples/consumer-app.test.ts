import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { product as hardenedEks } from '../../products/hardened-eks';
import release from '../../products/hardened-eks/release.json';
import { diffUpgrade } from '../../lib/release/upgrade-safety';
import { removeTemporaryDirectories, tempDirectory } from '../catalog/catalog-helpers';
import { defaultConfig, defaultSettings } from '../support/project-app';
import { runCfnLint } from '../support/template-checkers';

/**
 * The consumer example (examples/consumer): a team's CDK app that launches the product with
 * CfnCloudFormationProvisionedProduct, run as `cdk synth` runs it. Its choices are checked against the product's
 * published template and the portfolio's TagOptions, so the example cannot drift from what the product accepts.
 */
const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'consumer');
const SNAPSHOTS = path.join(__dirname, '..', '..', 'products', 'hardened-eks', 'snapshots');
const exampleContext = () => JSON.parse(fs.readFileSync(path.join(EXAMPLE, 'cdk.json'), 'utf8')).context;

function synthesize(context: Record<string, unknown>): {
  status: number | null;
  stderr: string;
  template?: Record<string, any>;
  file: string;
} {
  const outdir = tempDirectory('consumer-');
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'bin/consumer.ts'], {
    cwd: EXAMPLE,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(context) },
  });
  const file = path.join(outdir, 'TeamHardenedEksCluster.template.json');
  return {
    status: result.status,
    stderr: result.stderr,
    file,
    template: fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined,
  };
}

let launch: ReturnType<typeof synthesize>;
let provisioned: Record<string, any>;

beforeAll(() => {
  launch = synthesize(exampleContext());
  provisioned = launch.template?.Resources.Cluster;
});

afterAll(() => removeTemporaryDirectories());

test('synthesizes a CloudFormationProvisionedProduct of the hardened EKS product', () => {
  expect({ status: launch.status, stderr: launch.stderr }).toEqual({ status: 0, stderr: '' });
  expect(provisioned.Type).toBe('AWS::ServiceCatalog::CloudFormationProvisionedProduct');
  expect(provisioned.Properties.ProductName).toBe(hardenedEks.productName);
  expect(launch.template!.Outputs.KubeconfigCommand.Value).toEqual({
    'Fn::GetAtt': ['Cluster', 'Outputs.KubeconfigCommand'],
  });
});

test('launches a version consumers may launch: the current one or an active retained one', () => {
  const launchable = [
    release.current.name,
    ...release.retained.filter((v: { status?: string }) => (v.status ?? 'active') === 'active').map((v) => v.name),
  ];
  expect(launchable).toContain(provisioned.Properties.ProvisioningArtifactName);
});

describe('its parameters, checked against the template of the version it launches', () => {
  const productTemplate = () => {
    const file = fs
      .readdirSync(SNAPSHOTS)
      .find(
        (f) =>
          f.startsWith('HardenedEksCatalogHardenedEksHistory') &&
          f.endsWith(`.${provisioned.Properties.ProvisioningArtifactName}.product.template.json`),
      )!;
    return JSON.parse(fs.readFileSync(path.join(SNAPSHOTS, file), 'utf8'));
  };
  const given = () =>
    Object.fromEntries(
      (provisioned.Properties.ProvisioningParameters as { Key: string; Value: string }[]).map((p) => [p.Key, p.Value]),
    );

  test('names only parameters the product has, and every one without a default', () => {
    const parameters = productTemplate().Parameters as Record<string, any>;
    expect(Object.keys(given()).filter((key) => !(key in parameters))).toEqual([]);
    expect(
      Object.entries(parameters)
        .filter(([key, p]) => p.Default === undefined && !(key in given()))
        .map(([key]) => key),
    ).toEqual([]);
  });

  test('gives values the product accepts', () => {
    const parameters = productTemplate().Parameters as Record<string, any>;
    for (const [key, value] of Object.entries(given())) {
      const p = parameters[key];
      const values = p.Type === 'CommaDelimitedList' ? value.split(',') : [value];
      for (const v of values) {
        if (p.AllowedValues)
          expect({ key, v, allowed: p.AllowedValues.includes(v) }).toEqual({ key, v, allowed: true });
        if (p.AllowedPattern)
          expect({ key, v, matches: new RegExp(p.AllowedPattern).test(v) }).toEqual({ key, v, matches: true });
        if (p.Type === 'Number') expect(Number(v)).toBeGreaterThanOrEqual(p.MinValue ?? -Infinity);
        if (p.Type === 'Number') expect(Number(v)).toBeLessThanOrEqual(p.MaxValue ?? Infinity);
      }
    }
    // CorporateCidrs must be among the approved ranges (the template constraint's rule).
    expect(defaultSettings().corporateCidrs).toEqual(expect.arrayContaining(given().CorporateCidrs.split(',')));
  });

  test("tags with the portfolio's TagOptions", () => {
    const tagOptions = defaultConfig().tagOptions;
    for (const { Key, Value } of provisioned.Properties.Tags) expect(tagOptions[Key]).toContain(Value);
  });
});

test('updating to another version is an in-place update of the provisioned product, not a new one', () => {
  const context = exampleContext();
  context.provisionedProduct.version = 'v9.9.9';
  const update = synthesize(context);

  expect(update.template!.Resources.Cluster.Properties.ProvisioningArtifactName).toBe('v9.9.9');
  const diff = diffUpgrade(launch.template!, update.template!);
  expect([diff.updated, diff.replaced, diff.removed, diff.added]).toEqual([1, 0, 0, 0]);
});

test('a version that is not one stops the app with one line naming the field', () => {
  const context = exampleContext();
  context.provisionedProduct.version = 'latest';
  const bad = synthesize(context);

  expect(bad.status).toBe(1);
  expect(bad.stderr.trim()).toBe(
    "Invalid context at 'provisionedProduct.version': must be a product version like v1.2.3",
  );
});

test("cfn-lint reports no error on the consumer's template", () => {
  expect(runCfnLint([launch.file]).filter((f) => f.level === 'error')).toEqual([]);
});
