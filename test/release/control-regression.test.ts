import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { CatalogStack } from '../../lib/catalog/catalog-stack';
import { loadProducts } from '../../lib/catalog/product-loader';
import { CONFIG_CONTEXT_KEY } from '../../lib/config/catalog-config';
import {
  assessControlRegressions,
  checkControlRegressions,
  ControlRegressionError,
  type ControlRegression,
} from '../../lib/release/control-regression';
import { satisfiedControls } from '../../nag-rules/core/evaluate';
import { ALL_RULES } from '../../nag-rules/rules';
import { removeTemporaryDirectories, tempDirectory } from '../catalog/catalog-helpers';
import { defaultConfig, projectContext, seedRetainedSnapshots } from '../support/project-app';
import { thrownError } from '../support/thrown-error';

/**
 * "No downgrade that removes controls": the release check compares each retained version's snapshot with the current
 * template control by control (the threat-model pack's verdicts), on the built-in product's real snapshots.
 */
let hub: CatalogStack;
let outdir: string;
let regressions: ControlRegression[];
const satisfied = (template: Record<string, unknown>) => satisfiedControls(template, ALL_RULES);

beforeAll(() => {
  outdir = tempDirectory('control-regression-');
  const snapshots = path.join(outdir, 'snapshots');
  seedRetainedSnapshots('hardened-eks', path.join(snapshots, 'hardened-eks'));
  const config = defaultConfig();
  const [loaded] = loadProducts(config, undefined, (folder) => path.join(snapshots, folder));
  const context = { ...projectContext() };
  delete context[CONFIG_CONTEXT_KEY];
  const app = new App({ outdir, context });
  hub = new CatalogStack(app, 'HardenedEksCatalog', { config, products: [loaded] });
  app.synth();
  regressions = assessControlRegressions([hub], outdir, satisfied);
});

afterAll(() => removeTemporaryDirectories());

test('v1.0.0 lacks the detective and response controls v1.1.0 added, both lack the v1.2.0 fixes, and all three the v1.3.0 boundary', () => {
  const lost = Object.fromEntries(regressions.map((r) => [r.version, r.lost]));
  expect(Object.keys(lost).sort()).toEqual(['v1.0.0', 'v1.1.0', 'v1.2.0']);
  // IDN-9: the role boundary; REM-6: IR-6 now also snapshots the node's volumes; DET-7: its evidence access records
  // dropped deleted versions after a day.
  expect([...lost['v1.2.0']].sort()).toEqual(['DET-7', 'IDN-9', 'REM-6']);
  for (const version of ['v1.1.0', 'v1.0.0']) expect(lost[version]).toContain('IDN-9');
  expect(lost['v1.0.0']).toEqual(expect.arrayContaining(['DET-1', 'DET-2', 'DET-5', 'REM-1', 'REM-6', 'REM-7']));
  // The guardrail's new coverage and protections, and cluster access pinned to the launching account.
  expect(lost['v1.1.0']).toEqual(expect.arrayContaining(['IDN-1', 'IDN-6', 'DET-3']));
  expect(lost['v1.1.0']).not.toContain('DET-1');
});

test('the shipped release retires every version with fewer controls: the check passes', () => {
  expect(regressions.map((r) => r.status)).toEqual(['inactive', 'inactive', 'inactive']);
  expect(() => checkControlRegressions(regressions)).not.toThrow();
});

test('a version with fewer controls left active or only deprecated fails, one line each naming the version, the controls and the fix', () => {
  const reopened = regressions.map((r, i) => ({
    ...r,
    status: i === 0 ? ('active' as const) : ('deprecated' as const),
  }));
  const lines = thrownError(() => checkControlRegressions(reopened), ControlRegressionError).message.split('\n');
  expect(lines).toHaveLength(3);
  expect(lines[0]).toMatch(
    new RegExp(
      `^Downgrade of hardened-eks: ${reopened[0].version} \\(active\\) lacks \\d+ control\\(s\\) of v1\\.3\\.0 \\(.*${reopened[0].lost[0]}.*\\); .*"status": "inactive" in products/hardened-eks/release.json`,
    ),
  );
  expect(lines[1]).toMatch(/\(deprecated\) lacks/);
  expect(lines[2]).toMatch(/\(deprecated\) lacks/);
});

test('a retained version as strong as the current one is no regression', () => {
  const same = assessControlRegressions([hub], outdir, () => new Set(['CLU-1', 'NET-1']));
  expect(same).toEqual([]);
  // One control fewer in a retained version is enough (the first template judged is the current one).
  let calls = 0;
  const onlyCurrentHasNet1 = assessControlRegressions(
    [hub],
    outdir,
    () => new Set(calls++ === 0 ? ['CLU-1', 'NET-1'] : ['CLU-1']),
  );
  expect(onlyCurrentHasNet1.map((r) => [r.version, r.lost])).toEqual([
    ['v1.2.0', ['NET-1']],
    ['v1.1.0', ['NET-1']],
    ['v1.0.0', ['NET-1']],
  ]);
});

describe('satisfiedControls', () => {
  const cluster = (properties: Record<string, unknown>) => ({
    Resources: { C: { Type: 'AWS::EKS::Cluster', Properties: properties } },
  });
  test('a control counts when its rule passes on every resource it judges, not when it fails on one', () => {
    const privateEndpoint = cluster({
      ResourcesVpcConfig: { EndpointPublicAccess: false, EndpointPrivateAccess: true },
    });
    const publicEndpoint = cluster({ ResourcesVpcConfig: { EndpointPublicAccess: true } });
    expect(satisfiedControls(privateEndpoint, ALL_RULES).has('CLU-1')).toBe(true);
    expect(satisfiedControls(publicEndpoint, ALL_RULES).has('CLU-1')).toBe(false);
    const both = { Resources: { ...privateEndpoint.Resources, D: publicEndpoint.Resources.C } };
    expect(satisfiedControls(both, ALL_RULES).has('CLU-1')).toBe(false);
  });
});
