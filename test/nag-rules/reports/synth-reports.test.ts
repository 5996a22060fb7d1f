import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Validations } from 'aws-cdk-lib';
import { CatalogStack } from '../../../lib/catalog/catalog-stack';
import { CONFIG_CONTEXT_KEY } from '../../../lib/config/catalog-config';
import { EksThreatModelChecks } from '../../../nag-rules/eks-threat-model-pack';
import { ALL_RULES } from '../../../nag-rules/rules';
import { locateTemplateFiles, threatModelReportsHook } from '../../../nag-rules/reports';
import { defaultConfig, projectContext, seedRetainedSnapshots } from '../../support/project-app';
import { expectValidSarif } from './sarif-shape';

/** One synth of the real catalog with the pack and the reports hook, as bin/app.ts would wire it. */
let outdir: string;
let pack: EksThreatModelChecks;
beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-reports-'));
  const context = { ...projectContext() };
  delete context[CONFIG_CONTEXT_KEY];
  const app = new App({ outdir, context });
  seedRetainedSnapshots('hardened-eks', path.join(outdir, 'snapshots', 'hardened-eks'));
  new CatalogStack(app, 'HardenedEksCatalog', {
    config: defaultConfig(),
    snapshotDirectory: (folder) => path.join(outdir, 'snapshots', folder),
  });
  pack = new EksThreatModelChecks(app, { onValidated: threatModelReportsHook('threat-model') });
  Validations.of(app).addPlugins(pack);
  try {
    app.synth();
  } catch {
    // Findings fail the synth; the hook has run by then (that is what is tested here).
  }
}, 180_000);

test('the hook writes the three reports into the cloud assembly at every synth', () => {
  expect(fs.readdirSync(path.join(outdir, 'threat-model')).sort()).toEqual([
    'controls-matrix.json',
    'controls-matrix.md',
    'runbooks',
    'security-views',
    'threat-model.junit.xml',
    'threat-model.sarif',
  ]);
  expect(pack.evaluations.length).toBeGreaterThan(0);
});

test('each product stack, and only a product, gets its security view and ownership matrix', () => {
  const views = fs.readdirSync(path.join(outdir, 'threat-model', 'security-views'));
  expect(views).toEqual([expect.stringMatching(/^HardenedEksCatalogHardenedEksProduct/)]);
  const folder = path.join(outdir, 'threat-model', 'security-views', views[0]);
  expect(fs.readdirSync(folder).sort()).toEqual(['data-flow.md', 'data-flow.svg', 'ownership.json', 'ownership.md']);
  const markdown = fs.readFileSync(path.join(folder, 'data-flow.md'), 'utf8');
  expect(markdown).toMatch(/^```mermaid\nflowchart LR\n/m);
  expect(JSON.parse(fs.readFileSync(path.join(folder, 'ownership.json'), 'utf8')).components.length).toBeGreaterThan(
    20,
  );
});

test('the JSON counts what the pack evaluated, on the hub and product stacks', () => {
  const json = JSON.parse(fs.readFileSync(path.join(outdir, 'threat-model', 'controls-matrix.json'), 'utf8'));
  expect(json.evaluations.total).toBe(pack.evaluations.length);
  expect(json.violations).toHaveLength(pack.evaluations.filter((e) => e.status === 'fail').length);
  expect(json.stacks).toEqual(expect.arrayContaining([expect.stringMatching(/^HardenedEksCatalogHardenedEksProduct/)]));
  // Every stack's template is found in the assembly, so SARIF locations name files rather than stack names.
  expect(Object.keys(locateTemplateFiles(outdir, json.stacks)).sort()).toEqual([...json.stacks].sort());
});

test('SARIF results point at the TypeScript line that created each construct (CDK creation stack traces), relative to the project', () => {
  const sarif = JSON.parse(fs.readFileSync(path.join(outdir, 'threat-model', 'threat-model.sarif'), 'utf8'));
  expectValidSarif(sarif);
  expect(sarif.runs[0].tool.driver.rules).toHaveLength(ALL_RULES.length);
  expect(sarif.runs[0].results).toHaveLength(pack.evaluations.filter((e) => e.status === 'fail').length);
  expect(sarif.runs[0].results.length).toBeGreaterThan(0);
  for (const result of sarif.runs[0].results) {
    const { artifactLocation, region } = result.locations[0].physicalLocation;
    expect(artifactLocation).toMatchObject({
      uri: expect.stringMatching(/^(lib|products)\/.+\.ts$/),
      uriBaseId: '%SRCROOT%',
    });
    const source = fs.readFileSync(path.join(process.cwd(), artifactLocation.uri), 'utf8').split('\n');
    expect(region.startLine).toBeGreaterThan(0);
    expect(region.startLine).toBeLessThanOrEqual(source.length);
  }
  // The kube-bench CronJob's findings (waived by the register) point at the detection construct that applies it.
  const cronJob = sarif.runs[0].results.find((r: any) =>
    r.locations[0].logicalLocations[0].fullyQualifiedName.includes('/KubeBench/CronJob/'),
  );
  expect(cronJob.locations[0].physicalLocation.artifactLocation.uri).toBe('lib/detection/kube-bench-schedule.ts');
});

test('the Markdown has every threat section', () => {
  const markdown = fs.readFileSync(path.join(outdir, 'threat-model', 'controls-matrix.md'), 'utf8');
  for (const id of ['TH-1', 'TH-2', 'TH-3', 'TH-4']) expect(markdown).toMatch(new RegExp(`^## ${id}: `, 'm'));
});

test('the JUnit report has one case per control and resource of each stack: failures the open findings, skipped the waived ones', () => {
  const { XMLParser } = require('fast-xml-parser') as typeof import('fast-xml-parser');
  const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
    fs.readFileSync(path.join(outdir, 'threat-model', 'threat-model.junit.xml'), 'utf8'),
  );
  const suites: any[] = [xml.testsuites.testsuite].flat();
  const judged = pack.evaluations.filter((e) => e.status !== 'not-applicable');
  expect(suites.map((s) => s.name).sort()).toEqual([...new Set(judged.map((e) => e.stackName))].sort());
  const cases = suites.flatMap((s) => [s.testcase].flat());
  expect(cases).toHaveLength(new Set(judged.map((e) => `${e.stackName}|${e.controlId}|${e.logicalId}`)).size);
  expect(cases.filter((c) => c.failure)).toHaveLength(
    judged.filter((e) => e.status === 'fail' && e.acknowledged === undefined).length,
  );
  expect(cases.filter((c) => c.skipped !== undefined)).toHaveLength(
    judged.filter((e) => e.status === 'fail' && e.acknowledged !== undefined).length,
  );
});
