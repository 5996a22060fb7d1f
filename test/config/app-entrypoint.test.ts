import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CONFIG_CONTEXT_KEY } from '../../lib/config/catalog-config';
import { ADMIN_API_ACTIONS } from '../../lib/identity/admin-api-guardrail';
import {
  cdkSynthIn,
  userEnvironment,
  WITHOUT_ASSET_BUNDLING,
  WITHOUT_BUILT_IN_VALIDATION,
} from '../support/child-environment';
import { projectContext } from '../support/project-app';
import { testCommandSynth } from '../support/synth-cache';
import { copyProject } from '../support/project-copy';
import * as YAML from 'yaml';

/**
 * Runs the real entry point (`node --conditions=@hardened-eks/source --import tsx bin/app.ts`, what cdk.json's "app" runs) as a child process.
 *
 * The app publishes the product through ProductStackHistory with the default snapshot directory, so every
 * successful run (re)writes `products/hardened-eks/snapshots/*.product.template.json` — inside the repository
 * (the snapshot of a current version that is not locked is overwritten). To leave the repository unchanged, the
 * app runs from a throw-away copy of the project (bin, lib, products, nag-rules and the config files, with
 * node_modules linked), and the tests check that the repository's snapshot folder is the same before and after.
 *
 * Under `npm test` the unmodified project's `cdk synth` is the one the test command ran just before jest, in the
 * repository: its output and the snapshots it rewrote are read, and the snapshots compared with the committed ones.
 *
 * @long-running runs the app as a child process six times (seven, a full `cdk synth` among them, when jest runs
 * alone) (long-running-first-sequencer.js)
 */

const ROOT = path.join(__dirname, '..', '..');
const REPO_SNAPSHOTS = path.join(ROOT, 'products', 'hardened-eks', 'snapshots');
const TIMEOUT = 120_000;

let work: string;
let project: string;
let repoSnapshotsBefore: Record<string, string>;

/** File name → SHA-256 of every file in a folder (empty if the folder does not exist). */
function hashFolder(dir: string): Record<string, string> {
  if (!fs.existsSync(dir)) return {};
  return Object.fromEntries(
    fs
      .readdirSync(dir)
      .sort()
      .map((f) => [
        f,
        crypto
          .createHash('sha256')
          .update(fs.readFileSync(path.join(dir, f)))
          .digest('hex'),
      ]),
  );
}

function runApp(context: Record<string, unknown>, outdir: string, cwd = project): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['--conditions=@hardened-eks/source', '--import', 'tsx', 'bin/app.ts'], {
    cwd,
    encoding: 'utf8',
    timeout: TIMEOUT - 10_000,
    env: userEnvironment({
      CDK_OUTDIR: outdir,
      CDK_CONTEXT_JSON: JSON.stringify({ ...context, ...WITHOUT_ASSET_BUNDLING }),
      ...WITHOUT_BUILT_IN_VALIDATION,
    }),
  });
}

beforeAll(() => {
  repoSnapshotsBefore = hashFolder(REPO_SNAPSHOTS);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'app-entrypoint-'));
  project = copyProject(path.join(work, 'project'));
});

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('bad configuration stops the app with exit code 1 and the field in stderr', () => {
  test(
    'empty breakGlassRoleArns',
    () => {
      const context = projectContext();
      context[CONFIG_CONTEXT_KEY].products[0].settings.breakGlassRoleArns = [];
      const outdir = path.join(work, 'out-no-break-glass');

      const result = runApp(context, outdir);

      expect(result.error).toBeUndefined();
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(
        "Invalid configuration at 'catalog.products[0].settings.breakGlassRoleArns': must not be empty",
      );
      // A configuration error is reported as one line, not as a stack trace, and nothing is synthesized.
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(fs.existsSync(path.join(outdir, 'HardenedEksCatalog.template.json'))).toBe(false);
      expect(fs.existsSync(path.join(outdir, 'organization'))).toBe(false);
    },
    TIMEOUT,
  );

  test(
    'no catalog context at all',
    () => {
      const context = projectContext();
      delete context[CONFIG_CONTEXT_KEY];

      const result = runApp(context, path.join(work, 'out-no-catalog'));

      expect(result.status).toBe(1);
      expect(result.stderr).toContain("Invalid configuration at 'catalog': is missing");
    },
    TIMEOUT,
  );
});

describe("the SME's approval of the controls matrix", () => {
  /** A copy of the project whose matrix or approval record a test changes. */
  function changedCopy(name: string, file: string, change: (text: string) => string): string {
    const copy = copyProject(path.join(work, name));
    const target = path.join(copy, file);
    const changed = change(fs.readFileSync(target, 'utf8'));
    expect(changed).not.toBe(fs.readFileSync(target, 'utf8'));
    fs.writeFileSync(target, changed);
    return copy;
  }

  test(
    'a matrix changed since its approval stops the app, naming the change, in one line',
    () => {
      const copy = changedCopy('changed-matrix', 'nag-rules/matrix/controls.ts', (text) =>
        text.replace("title: 'Cluster deletion protection'", "title: 'Cluster deletion protection where convenient'"),
      );
      const outdir = path.join(work, 'out-changed-matrix');

      const result = runApp(projectContext(), outdir, copy);

      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(
        /^Invalid controls-matrix approval \(nag-rules\/matrix-approval\.yaml\): the controls matrix changed since version [0-9a-f]{12} was approved by .+: control CLU-7 changed\. /,
      );
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(fs.existsSync(path.join(outdir, 'HardenedEksCatalog.template.json'))).toBe(false);
    },
    TIMEOUT,
  );

  test(
    'an approval without an approver stops the app, naming the field',
    () => {
      const copy = changedCopy('no-approver', 'nag-rules/matrix-approval.yaml', (text) =>
        text.replace(/^approvedBy: .*\n/m, ''),
      );

      const result = runApp(projectContext(), path.join(work, 'out-no-approver'), copy);

      expect(result.status).toBe(1);
      expect(result.stderr.trim()).toBe(
        'Invalid controls-matrix approval (nag-rules/matrix-approval.yaml): approvedBy: is missing',
      );
    },
    TIMEOUT,
  );
});

describe('the built-in configuration, synthesized by `cdk synth` with every rule pack', () => {
  /**
   * Under `npm test` that synth is README command 1 as scripts/test.sh ran it in the repository just before jest (jest
   * runs only when it exited 0, and reads its output); jest run alone synthesizes the project in a copy here.
   */
  let synthesized: {
    readonly project: string;
    readonly outdir: string;
    readonly startedMs: number;
    readonly run?: SpawnSyncReturns<string>;
  };
  let outdir: string;

  beforeAll(() => {
    const commandSynth = testCommandSynth(ROOT);
    if (commandSynth) {
      synthesized = { project: ROOT, ...commandSynth };
    } else {
      const startedMs = Date.now();
      const copyOutdir = path.join(work, 'out-good');
      const run = cdkSynthIn(project, copyOutdir, { timeoutMs: TIMEOUT - 10_000 });
      synthesized = { project, outdir: copyOutdir, startedMs, run };
    }
    outdir = synthesized.outdir;
  }, TIMEOUT);

  test('synthesizes with exit code 0, every stack of the assembly written', () => {
    const { run } = synthesized;
    if (run) {
      expect(run.error).toBeUndefined();
      expect({ status: run.status, output: run.status === 0 ? '' : `${run.stdout}\n${run.stderr}` }).toEqual({
        status: 0,
        output: '',
      });
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
    const templates = Object.values<any>(manifest.artifacts)
      .filter((artifact) => artifact.type === 'aws:cloudformation:stack')
      .map((artifact) => artifact.properties.templateFile as string);
    expect(templates).toEqual(
      expect.arrayContaining(['HardenedEksCatalog.template.json', 'HardenedEksCatalog-us-east-1.template.json']),
    );
    for (const template of templates)
      expect({ template, written: fs.existsSync(path.join(outdir, template)) }).toEqual({
        template,
        written: true,
      });
  });

  test('no finding of the threat-model pack is left in the validation report', () => {
    const file = path.join(outdir, 'validation-report.json');
    const reports = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')).pluginReports as any[]) : [];
    expect(reports.filter((r) => r.pluginName === 'EksThreatModel').flatMap((r) => r.violations)).toEqual([]);
  });

  test('writes controls-matrix.md, controls-matrix.json and threat-model.sarif into the outdir', () => {
    for (const file of ['controls-matrix.md', 'controls-matrix.json', 'threat-model.sarif']) {
      expect({ file, exists: fs.existsSync(path.join(outdir, file)) }).toEqual({ file, exists: true });
    }
    expect(JSON.parse(fs.readFileSync(path.join(outdir, 'threat-model.sarif'), 'utf8')).version).toBe('2.1.0');
    expect(() => JSON.parse(fs.readFileSync(path.join(outdir, 'controls-matrix.json'), 'utf8'))).not.toThrow();
    expect(fs.readFileSync(path.join(outdir, 'controls-matrix.md'), 'utf8')).toContain('CLU-1');
  });

  test('writes a hub template per configured region, each with its own product template', () => {
    const files = fs.readdirSync(outdir);
    const regions: string[] = projectContext()[CONFIG_CONTEXT_KEY].regions;
    expect(regions).toEqual(['eu-west-1', 'us-east-1']);

    const hubs = ['HardenedEksCatalog.template.json', 'HardenedEksCatalog-us-east-1.template.json'];
    for (const hub of hubs) {
      expect(files).toContain(hub);
      const catalog = JSON.parse(fs.readFileSync(path.join(outdir, hub), 'utf8'));
      expect(Object.values(catalog.Resources).map((r: any) => r.Type)).toEqual(
        expect.arrayContaining(['AWS::ServiceCatalog::Portfolio', 'AWS::ServiceCatalog::CloudFormationProduct']),
      );
    }
    const productTemplates = files.filter((f) => f.endsWith('.product.template.json'));
    expect(productTemplates).toHaveLength(regions.length);
    for (const file of productTemplates) {
      const productTemplate = JSON.parse(fs.readFileSync(path.join(outdir, file), 'utf8'));
      expect(Object.values(productTemplate.Resources).map((r: any) => r.Type)).toContain('AWS::EKS::Cluster');
    }
  });

  test('writes releases.md with every version, its status and its snapshots', () => {
    const markdown = fs.readFileSync(path.join(outdir, 'releases.md'), 'utf8');
    expect(markdown).toMatch(
      /^\| v1\.3\.0 \| current \| `products\/hardened-eks\/snapshots\/HardenedEksCatalogHardenedEks/m,
    );
    expect(markdown).toMatch(
      /^\| v1\.2\.0 \| inactive \| `products\/hardened-eks\/snapshots\/.*\.v1\.2\.0\.product\.template\.json` \| `products/m,
    );
    expect(markdown).toMatch(
      /^\| v1\.1\.0 \| inactive \| `products\/hardened-eks\/snapshots\/.*\.v1\.1\.0\.product\.template\.json` \| `products/m,
    );
    expect(markdown).toMatch(
      /^\| v1\.0\.0 \| inactive \| `products\/hardened-eks\/snapshots\/.*\.v1\.0\.0\.product\.template\.json` \| not offered/m,
    );
  });

  test('writes organization/hardened-eks.admin-api-scp.json denying the ADM actions to non-admins and outside the corporate network', () => {
    const file = path.join(outdir, 'organization', 'hardened-eks.admin-api-scp.json');
    expect(fs.existsSync(file)).toBe(true);
    const scp = JSON.parse(fs.readFileSync(file, 'utf8'));
    const settings = projectContext()[CONFIG_CONTEXT_KEY].products[0].settings;

    expect(scp.Version).toBe('2012-10-17');
    const bySid = (sid: string) => (scp.Statement as any[]).find((st) => st.Sid === sid);
    const nonAdmins = bySid('DenyAdminApisToNonAdmins');
    const outside = bySid('DenyAdminApisOutsideCorporateNetwork');
    for (const statement of [nonAdmins, outside]) {
      expect(statement).toBeDefined();
      expect(statement.Effect).toBe('Deny');
      expect(statement.Resource).toBe('*');
      expect([...statement.Action].sort()).toEqual([...ADMIN_API_ACTIONS].sort());
      expect(statement.Action).toHaveLength(36);
    }
    // No statement of the SCP allows anything (an SCP here only takes away).
    expect((scp.Statement as any[]).map((st) => st.Effect)).not.toContain('Allow');
    expect(nonAdmins.Condition.ArnNotLike['aws:PrincipalArn']).toEqual([
      'arn:aws:iam::*:role/HardenedEksBreakGlass',
      'arn:aws:iam::*:role/SCHardenedEksLaunchRole',
    ]);
    // The security team's identities assume each account's break-glass role: they are not admins themselves.
    for (const identity of settings.breakGlassRoleArns) expect(JSON.stringify(nonAdmins)).not.toContain(identity);
    // Break-glass passes from the corporate egress addresses (public): private ranges never appear as aws:SourceIp.
    expect(outside.Condition.NotIpAddress['aws:SourceIp']).toEqual(settings.corporateEgressCidrs);
    // The SCP is within AWS Organizations' size limit for a policy (5,120 characters without white space).
    expect(JSON.stringify(scp).length).toBeLessThanOrEqual(5120);
  });

  test('the run writes the ProductStackHistory snapshots into the product folder of the project it ran in', () => {
    const snapshots = path.join(synthesized.project, 'products', 'hardened-eks', 'snapshots');
    const current = JSON.parse(fs.readFileSync(path.join(ROOT, 'products', 'hardened-eks', 'release.json'), 'utf8'))
      .current.name;
    const written = fs.readdirSync(snapshots).filter((f) => f.endsWith(`.${current}.product.template.json`));

    // One per region's hub: `<history>.<product artifact>.<version>.product.template.json`, the product's as published.
    expect(written).toHaveLength(2);
    for (const file of written) {
      expect(fs.statSync(path.join(snapshots, file)).mtimeMs).toBeGreaterThanOrEqual(synthesized.startedMs - 1000);
      const productTemplate = `${file.split('.')[1]}.product.template.json`;
      expect(JSON.parse(fs.readFileSync(path.join(snapshots, file), 'utf8'))).toEqual(
        JSON.parse(fs.readFileSync(path.join(outdir, productTemplate), 'utf8')),
      );
    }
  });
  test('the snapshots the run rewrote are byte for byte the locked ones (the current version is locked)', () => {
    const rewritten = hashFolder(path.join(synthesized.project, 'products', 'hardened-eks', 'snapshots'));
    expect(Object.keys(rewritten).length).toBeGreaterThan(2);
    if (synthesized.project !== ROOT) {
      expect(rewritten).toEqual(repoSnapshotsBefore);
      return;
    }
    // The synth ran in the repository before jest: the snapshots are compared with the committed ones.
    const status = spawnSync('git', ['status', '--porcelain', '--', 'products/hardened-eks/snapshots'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect({ status: status.status, stderr: status.stderr }).toEqual({ status: 0, stderr: '' });
    expect(status.stdout).toBe('');
  });
});

describe('an upgrade that would replace the cluster', () => {
  test(
    'stops the synth with exit code 1, naming the upgrade, the cluster and the property, after writing releases.md',
    () => {
      const copy = copyProject(path.join(work, 'breaking-upgrade'));
      const snapshots = path.join(copy, 'products', 'hardened-eks', 'snapshots');
      // As if v1.0.0 had shipped another service CIDR: updating to the current version replaces the cluster.
      const v100 = fs
        .readdirSync(snapshots)
        .find((f) => f.startsWith('HardenedEksCatalogHardenedEks') && f.endsWith('.v1.0.0.product.template.json'))!;
      const old = JSON.parse(fs.readFileSync(path.join(snapshots, v100), 'utf8'));
      const [clusterId, cluster] = Object.entries<any>(old.Resources).find(([, r]) => r.Type === 'AWS::EKS::Cluster')!;
      cluster.Properties.KubernetesNetworkConfig = {
        ...cluster.Properties.KubernetesNetworkConfig,
        ServiceIpv4Cidr: '172.21.0.0/16',
      };
      fs.writeFileSync(path.join(snapshots, v100), JSON.stringify(old, null, 2));
      const outdir = path.join(work, 'out-breaking-upgrade');
      // The home region's hub is the one the message names; the other region's would only synthesize the product again.
      // Its register entries would then name constructs this run does not build, so the copy's register leaves them out.
      const context = projectContext();
      const [home, ...others] = context[CONFIG_CONTEXT_KEY].regions as string[];
      const register = path.join(copy, 'nag-rules', 'exemptions.yaml');
      const entries = YAML.parse(fs.readFileSync(register, 'utf8')) as { resource: string }[];
      const homeEntries = entries.filter(
        (e) => !others.some((region) => e.resource.startsWith(`HardenedEksCatalog-${region}/`)),
      );
      expect(homeEntries.length).toBeLessThan(entries.length);
      fs.writeFileSync(register, YAML.stringify(homeEntries));

      const result = runApp(
        { ...context, [CONFIG_CONTEXT_KEY]: { ...context[CONFIG_CONTEXT_KEY], regions: [home] } },
        outdir,
        copy,
      );

      expect(result.status).toBe(1);
      const current = JSON.parse(fs.readFileSync(path.join(ROOT, 'products', 'hardened-eks', 'release.json'), 'utf8'))
        .current.name;
      expect(result.stderr).toContain(
        `Unsafe upgrade of hardened-eks from v1.0.0 to ${current} (eu-west-1): AWS::EKS::Cluster ${clusterId} would be replaced ` +
          '(property KubernetesNetworkConfig changes); keep the resource, or accept it in products/hardened-eks/release.json current.acceptedBreakingChanges',
      );
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(fs.readFileSync(path.join(outdir, 'releases.md'), 'utf8')).toContain(
        'Breaking changes not accepted (the synth fails):',
      );
    },
    TIMEOUT,
  );
});

describe("a construct's validation error", () => {
  test(
    'stops the app with exit code 1 and one line naming the construct path, the property and the rule',
    () => {
      const copy = copyProject(path.join(work, 'construct-validation'));
      const part = path.join(copy, 'products', 'hardened-eks', 'parts', 'incident-response-part.ts');
      const source = fs.readFileSync(part, 'utf8');
      // A value the settings' parser would refuse, given to the construct directly.
      const changed = source.replace('retentionDays: incidentResponse.evidenceRetentionDays', 'retentionDays: 0');
      expect(changed).not.toBe(source);
      fs.writeFileSync(part, changed);
      const outdir = path.join(work, 'out-construct-validation');

      const result = runApp(projectContext(), outdir, copy);

      expect(result.status).toBe(1);
      // Nothing else is on stderr but, were bundling on (it is off in these runs), esbuild's report of the handlers.
      const lines = result.stderr
        .split('\n')
        .filter((line) => line.trim() !== '' && !/^Bundling asset |^\s+\S+\s+\d+(\.\d+)?kb$|Done in \d+ms$/.test(line));
      expect(lines).toEqual([
        'ValidationError: HardenedEksCatalog/HardenedEksProduct/Evidence: retentionDays must be a positive whole number of days, got 0',
      ]);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(fs.existsSync(path.join(outdir, 'HardenedEksCatalog.template.json'))).toBe(false);
    },
    TIMEOUT,
  );
});

test("the repository's snapshot folder is unchanged by these runs", () => {
  expect(hashFolder(REPO_SNAPSHOTS)).toEqual(repoSnapshotsBefore);
});
