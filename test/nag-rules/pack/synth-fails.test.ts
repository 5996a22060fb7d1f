import { SpawnSyncReturns } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CONFIG_CONTEXT_KEY } from '../../../lib/config/catalog-config';
import { cdkSynthIn, WITHOUT_ASSET_BUNDLING, WITHOUT_BUILT_IN_VALIDATION } from '../../support/child-environment';
import { copyProject as copyWholeProject } from '../../support/project-copy';

/**
 * `cdk synth` end to end with the threat-model pack wired in `bin/app.ts`. Every run happens in a throw-away copy
 * of the project (bin, lib, products, nag-rules and the config files, node_modules linked), because a synth
 * rewrites `products/<folder>/snapshots`; the repository's snapshot folders are checked unchanged at the end.
 *
 * The violating copy publishes only a test-only product (`fixtures/public-endpoint-cluster`, copied into the copy's
 * `products/`): an `AWS::EKS::Cluster` with a public endpoint. The product's own settings cannot switch a control
 * off, by design, so a fixture product is the way to make a template the pack must refuse. The unmodified project's
 * `cdk synth` (exit 0, no finding left, the reports written) is checked by test/config/app-entrypoint.test.ts.
 *
 * @long-running runs `cdk synth` as a child process five times (long-running-first-sequencer.js)
 */

const ROOT = path.join(__dirname, '..', '..', '..');
const TIMEOUT = 180_000;
const FIXTURE = path.join(__dirname, 'fixtures', 'public-endpoint-cluster');
const FIXTURE_FOLDER = 'public-endpoint-cluster';
const CLUSTER_PATH = 'HardenedEksCatalog/PublicEndpointClusterProduct/Cluster';

let work: string;
let snapshotsBefore: Record<string, string>;

function hashTree(dir: string): Record<string, string> {
  if (!fs.existsSync(dir)) return {};
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, file)] = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  }
  return out;
}

/** A copy of the project in `work/<name>`, optionally publishing only the fixture product. */
function copyProject(name: string, options: { fixtureOnly?: boolean } = {}): string {
  const project = copyWholeProject(path.join(work, name));
  if (options.fixtureOnly) {
    fs.cpSync(FIXTURE, path.join(project, 'products', FIXTURE_FOLDER), { recursive: true });
    const cdkJson = JSON.parse(fs.readFileSync(path.join(project, 'cdk.json'), 'utf8'));
    cdkJson.context[CONFIG_CONTEXT_KEY].products = [{ folder: FIXTURE_FOLDER, settings: {} }];
    // One hub is enough to see the pack fail: each further region's hub would publish the same cluster again, and the
    // organization stack (optional) would only add the fixture's launch role and guardrails to every synth.
    cdkJson.context[CONFIG_CONTEXT_KEY].regions = cdkJson.context[CONFIG_CONTEXT_KEY].regions.slice(0, 1);
    delete cdkJson.context[CONFIG_CONTEXT_KEY].organizationStack;
    Object.assign(cdkJson.context, WITHOUT_ASSET_BUNDLING);
    fs.writeFileSync(path.join(project, 'cdk.json'), JSON.stringify(cdkJson, null, 2));
    // The shipped register names constructs of the real product, which this copy does not publish.
    writeRegister(project, '[]\n');
  }
  return project;
}

/** `cdk synth --quiet` (the project's pinned CLI) in a project copy, into `outdir`. */
function synth(project: string, outdir: string): SpawnSyncReturns<string> & { text: string } {
  const result = cdkSynthIn(project, outdir, {
    variables: WITHOUT_BUILT_IN_VALIDATION,
    timeoutMs: TIMEOUT - 15_000,
  });
  return { ...result, text: `${result.stdout}\n${result.stderr}` };
}

/** Writes the copy's exemption register. */
function writeRegister(project: string, yaml: string): void {
  fs.writeFileSync(path.join(project, 'nag-rules', 'exemptions.yaml'), yaml);
}

function day(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/** One register entry, as YAML. */
function entry(rule: string, resource: string, expires: string): string {
  return [
    `- rule: ${rule}`,
    `  resource: ${resource}`,
    '  reason: Test fixture whose public endpoint is the point of the test.',
    '  approvedBy: Jane Doe (security SME)',
    `  approvedOn: "${day(-30)}"`,
    `  expires: "${expires}"`,
    '  ticket: SEC-0001',
    '',
  ].join('\n');
}

beforeAll(() => {
  snapshotsBefore = hashTree(path.join(ROOT, 'products'));
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-fails-'));
});

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('a product with a public API endpoint', () => {
  let project: string;
  let result: SpawnSyncReturns<string> & { text: string };
  /** The pack's violations of that synth, as [rule, severity, construct paths]. */
  let violations: [string, string, string[]][];
  beforeAll(() => {
    project = copyProject('violating', { fixtureOnly: true });
    const outdir = path.join(work, 'out-violating');
    result = synth(project, outdir);
    const file = path.join(outdir, 'validation-report.json');
    const report = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : { pluginReports: [] };
    const pack = (report.pluginReports as any[]).find((r) => r.pluginName === 'EksThreatModel');
    violations = ((pack?.violations ?? []) as any[]).map((v) => [
      v.ruleName,
      v.severity,
      v.violatingConstructs.map((c: any) => c.constructPath),
    ]);
  }, TIMEOUT);

  test('fails cdk synth, naming EksThreatModel-CLU-1 and the cluster', () => {
    expect(result.error).toBeUndefined();
    expect(result.status).not.toBeNull();
    expect(result.status).not.toBe(0);
    expect(result.text).toContain('EksThreatModel-CLU-1');
    expect(result.text).toContain(CLUSTER_PATH);
    // The validation report holds the finding as an error of the pack on the cluster (other rules of the pack may
    // fail on this bare fixture too; CLU-1 is the one it exists for).
    expect(violations).toContainEqual(['EksThreatModel-CLU-1', 'error', [CLUSTER_PATH]]);
  });

  test(
    'synthesizes once the register holds an approved, unexpired exemption for each finding',
    () => {
      const entries = violations.flatMap(([rule, , paths]) => paths.map((resource) => entry(rule, resource, day(30))));
      expect(entries.length).toBeGreaterThan(0);
      writeRegister(project, entries.join(''));
      const outdir = path.join(work, 'out-exempted');

      const exempted = synth(project, outdir);

      expect({ status: exempted.status, output: exempted.status === 0 ? '' : exempted.text }).toEqual({
        status: 0,
        output: '',
      });
      expect(
        fs
          .readdirSync(outdir)
          .some((f) => f.includes('PublicEndpointClusterProduct') && f.endsWith('.product.template.json')),
      ).toBe(true);
      // The reports show the finding as exempt, with what the register says about it.
      const matrix = JSON.parse(fs.readFileSync(path.join(outdir, 'controls-matrix.json'), 'utf8'));
      const clu1 = (matrix.violations as any[]).find((v) => v.ruleId === 'EksThreatModel-CLU-1');
      expect(clu1).toMatchObject({
        status: 'exempt',
        constructPath: CLUSTER_PATH,
        exemption: { entry: { approvedBy: 'Jane Doe (security SME)', expires: day(30), ticket: 'SEC-0001' } },
      });
      expect(clu1.acknowledged).toBe(
        `Test fixture whose public endpoint is the point of the test. (approved by Jane Doe (security SME) on ${day(-30)}, expires ${day(30)}, ticket SEC-0001)`,
      );
      // Every entry expires within 30 days: the synth passes and warns about each.
      expect(exempted.stderr).toContain(
        `nag-rules/exemptions.yaml: exemptions[0] (${violations[0][0]} on ${violations[0][2][0]}) expires on ${day(30)}, within 30 days`,
      );
    },
    TIMEOUT,
  );

  test(
    "fails on an entry that waives nothing, naming it, with the register's other entries still in force",
    () => {
      const entries = violations.flatMap(([rule, , paths]) => paths.map((resource) => entry(rule, resource, day(90))));
      // NET-1 judges security groups, never the cluster: this entry waives nothing.
      writeRegister(project, [...entries, entry('EksThreatModel-NET-1', CLUSTER_PATH, day(90))].join(''));

      const stale = synth(project, path.join(work, 'out-stale'));

      expect(stale.status).toBe(1);
      expect(stale.stderr).toContain('Invalid exemptions (nag-rules/exemptions.yaml):');
      expect(stale.stderr).toContain(
        `exemptions[${entries.length}] (EksThreatModel-NET-1 on ${CLUSTER_PATH}) waives nothing: EksThreatModel-NET-1 does not fail on ${CLUSTER_PATH}`,
      );
      expect(stale.stderr).not.toContain('expires on');
      expect(stale.stderr).not.toMatch(/\n\s+at /);
    },
    TIMEOUT,
  );

  test(
    "fails with the register's message, and no stack trace, once an exemption has expired",
    () => {
      writeRegister(project, entry('EksThreatModel-CLU-1', CLUSTER_PATH, day(-1)));

      const expired = synth(project, path.join(work, 'out-expired'));

      expect(expired.status).toBe(1);
      expect(expired.stderr).toContain('Invalid exemptions (nag-rules/exemptions.yaml):');
      expect(expired.stderr).toContain(
        `exemptions[0] (EksThreatModel-CLU-1 on ${CLUSTER_PATH}): expired on ${day(-1)}`,
      );
      expect(expired.stderr).not.toMatch(/\n\s+at /);
    },
    TIMEOUT,
  );

  test(
    'fails when the register names a rule the pack does not have',
    () => {
      writeRegister(project, entry('EksThreatModel-CLU-999', CLUSTER_PATH, day(30)));

      const unknown = synth(project, path.join(work, 'out-unknown-rule'));

      expect(unknown.status).toBe(1);
      expect(unknown.stderr).toContain(
        "exemptions[0].rule: 'EksThreatModel-CLU-999' is not an existing rule of the pack",
      );
    },
    TIMEOUT,
  );
});

test("the repository's products folder (snapshots included) is unchanged by these runs", () => {
  expect(hashTree(path.join(ROOT, 'products'))).toEqual(snapshotsBefore);
});
