import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CLEAN_TYPE, clusterWith } from '../cli/cli-support';
import { installIntoFreshProject, PackedPackage, packPackage, runOrThrow } from '../../support/outside-project';

/**
 * The pack as another team gets it: `npm pack` (which builds it), installed with npm into a fresh project outside this
 * repository, used there by a CDK app written in TypeScript (compiled with tsc against the shipped declarations) and
 * through the installed `eks-threat-model` command. Offline: npm's cache and this repository's installed CDK libraries.
 *
 * @long-running packs, installs and builds the package in another folder (long-running-first-sequencer.js)
 */
const ROOT = path.join(__dirname, '..', '..', '..');
const PEERS = ['aws-cdk-lib', 'constructs', 'cdk-nag'];
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

let work: string;
let project: string;
let packed: PackedPackage;

const APP = `import { App, Stack, Validations } from 'aws-cdk-lib';
import { CfnCluster } from 'aws-cdk-lib/aws-eks';
import { ALL_RULES, EksThreatModelChecks } from '@hardened-eks/eks-threat-model';

declare const process: { argv: string[] };
const [endpoint, outdir] = process.argv.slice(2);
const app = new App({ outdir });
const stack = new Stack(app, 'OutsideCluster');
new CfnCluster(stack, 'Cluster', {
  roleArn: 'arn:aws:iam::111122223333:role/eks',
  resourcesVpcConfig: { subnetIds: ['subnet-1'], endpointPrivateAccess: true, endpointPublicAccess: endpoint === 'public' },
});
// The rule of the endpoint only: a one-resource cluster has none of the product's other controls.
Validations.of(app).addPlugins(new EksThreatModelChecks(undefined, { rules: ALL_RULES.filter((rule) => rule.controlId === 'CLU-1') }));
app.synth();
`;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'eks-threat-model-package-'));
  packed = packPackage(work);
  project = path.join(work, 'outside-app');
  installIntoFreshProject(project, packed, PEERS);
});

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('the tarball ships the build, its declarations and its docs, and no TypeScript source', () => {
  expect(packed.name).toBe('@hardened-eks/eks-threat-model');
  const outsideBuild = packed.files.filter((file) => !file.startsWith('dist/'));
  expect(outsideBuild.sort()).toEqual(['README.md', 'RULES.md', 'matrix-approval.yaml', 'package.json']);
  expect(packed.files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
  expect(packed.files).toEqual(
    expect.arrayContaining([
      'dist/index.js',
      'dist/index.d.ts',
      'dist/evaluation.js',
      'dist/evaluation.d.ts',
      'dist/exemptions/register.d.ts',
      'dist/reports/index.d.ts',
      'dist/matrix/index.d.ts',
      'dist/bin/eks-threat-model.js',
      'dist/bin/check-worker.js',
      'dist/bin/THIRD-PARTY-LICENSES.txt',
      'dist/security-view/render-svg.js',
    ]),
  );
  expect(fs.existsSync(path.join(project, 'node_modules', 'typescript'))).toBe(false);
  expect(fs.existsSync(path.join(project, 'node_modules', 'tsx'))).toBe(false);
});

test('an outside CDK app adding EksThreatModelChecks with Validations.of(app).addPlugins fails its synth on a public endpoint, naming the rule, and passes a private one', () => {
  fs.writeFileSync(path.join(project, 'app.ts'), APP);
  fs.writeFileSync(
    path.join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        strict: true,
        types: [],
        skipLibCheck: true,
      },
      files: ['app.ts'],
    }),
  );
  // Type-checked against the shipped declarations and compiled to app.js: the app runs on plain node.
  runOrThrow(process.execPath, [TSC, '-p', 'tsconfig.json'], project);
  const synth = (endpoint: string) =>
    spawnSync(process.execPath, ['app.js', endpoint, path.join(work, `cdk.out-${endpoint}`)], {
      cwd: project,
      encoding: 'utf8',
    });

  const failed = synth('public');
  expect(failed.status).not.toBe(0);
  expect(`${failed.stdout}${failed.stderr}`).toContain('EksThreatModel-CLU-1');
  expect(`${failed.stdout}${failed.stderr}`).toMatch(/Validation failed/i);

  const passed = synth('private');
  expect(passed.stderr).not.toContain('EksThreatModel-CLU-1');
  expect(passed.status).toBe(0);
  expect(fs.existsSync(path.join(work, 'cdk.out-private', 'OutsideCluster.template.json'))).toBe(true);
});

describe('the installed eks-threat-model command', () => {
  const bin = () => path.join(project, 'node_modules', '.bin', 'eks-threat-model');
  const check = (...args: string[]): SpawnSyncReturns<string> =>
    spawnSync(bin(), ['check', ...args], { cwd: project, encoding: 'utf8' });

  test('judges a template: a public endpoint fails naming the rule, a template without a cluster passes', () => {
    fs.writeFileSync(path.join(project, 'public.json'), JSON.stringify(clusterWith({ EndpointPublicAccess: true })));
    fs.writeFileSync(path.join(project, 'clean.json'), JSON.stringify({ Resources: { Handle: { Type: CLEAN_TYPE } } }));
    // npm linked the bin: an executable file starting with a shebang, run here directly, not through node.
    const installed = fs.realpathSync(bin());
    expect(fs.statSync(installed).mode & 0o111).not.toBe(0);
    expect(fs.readFileSync(installed, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const failing = check('public.json');
    expect(failing.stderr).toBe('');
    expect(failing.status).toBe(1);
    expect(failing.stdout).toContain(
      'FAIL EksThreatModel-CLU-1 error Cluster [TH-1, EP-1, PV-1] the public endpoint is on',
    );
    const clean = check('clean.json');
    expect(clean.status).toBe(0);
    expect(clean.stdout).toContain(
      '1 template(s), profile product: 0 finding(s) (0 error, 0 warning, 0 unresolved), 0 acknowledged; 0 fail the run',
    );
  });

  test('spreads a directory over worker threads (the compiled worker) with the same result as one thread', () => {
    for (let i = 0; i < 6; i++) {
      fs.mkdirSync(path.join(project, 'templates'), { recursive: true });
      fs.writeFileSync(
        path.join(project, 'templates', `t${i}.json`),
        JSON.stringify(
          i % 2 ? clusterWith({ EndpointPublicAccess: true }) : clusterWith({ EndpointPublicAccess: false }),
        ),
      );
    }
    const threaded = check('templates', '--jobs', '2');
    const single = check('templates', '--jobs', '1');
    expect(threaded.stderr).toBe('');
    expect(threaded.stdout).toBe(single.stdout);
    expect(threaded.stdout).toContain('6 template(s), profile product: ');
    expect(threaded.stdout.match(/FAIL EksThreatModel-CLU-1 /g)).toHaveLength(3);
  });

  test('is one bundled file per thread, shipped with the licences of every package bundled into it', () => {
    const installed = fs.realpathSync(bin());
    expect(path.relative(path.join(project, 'node_modules', packed.name), installed)).toBe(
      path.join('dist', 'bin', 'eks-threat-model.js'),
    );
    // Preloaded: lists on exit the files of the package and of the bundled packages that node loaded as modules.
    const probe = path.join(work, 'modules-probe.js');
    fs.writeFileSync(
      probe,
      `process.on('exit', () => process.stderr.write('modules: ' + Object.keys(require.cache).filter((f) =>
      /[\\\\/]node_modules[\\\\/](@hardened-eks[\\\\/]eks-threat-model|yaml|fast-glob|junit-report-builder)[\\\\/]/.test(f)).map((f) => f.replace(${JSON.stringify(`${project}${path.sep}`)}, '')).sort().join(',') + '\\n'));\n`,
    );
    const modulesLoaded = (...args: string[]) => {
      const run = spawnSync(process.execPath, ['--require', probe, installed, 'check', 'public.json', ...args], {
        cwd: project,
        encoding: 'utf8',
      });
      return { stdout: run.stdout, modules: /modules: (.*)/.exec(run.stderr)?.[1].split(',') };
    };
    const bundle = ['node_modules', packed.name, 'dist', 'bin', 'eks-threat-model.js'].join(path.sep);
    const text = modulesLoaded();
    expect(text.stdout).toContain('FAIL EksThreatModel-CLU-1');
    expect(text.modules).toEqual([bundle]);
    // The JUnit writer is left out of the bundle: loaded from the installed package when that format is asked for.
    const junit = modulesLoaded('--format', 'junit');
    expect(junit.stdout).toContain('<testsuites');
    expect(junit.modules?.[0]).toBe(bundle);
    expect(junit.modules?.slice(1).every((f) => f.startsWith(path.join('node_modules', 'junit-report-builder')))).toBe(
      true,
    );
    expect(junit.modules?.length).toBeGreaterThan(1);

    // esbuild names each bundled file in a comment (`// ../node_modules/yaml/dist/…`): the notices name every package.
    const bundled = (file: string) =>
      [
        ...fs
          .readFileSync(file, 'utf8')
          .matchAll(/^\/\/ .*node_modules\/((?:@[^/\s]+\/)?[^/\s]+)\/(?!.*node_modules\/)/gm),
      ].map((match) => match[1]);
    const bundledPackages = new Set([
      ...bundled(installed),
      ...bundled(path.join(path.dirname(installed), 'check-worker.js')),
    ]);
    expect([...bundledPackages]).toEqual(expect.arrayContaining(['yaml', 'fast-glob']));
    const notices = fs.readFileSync(path.join(path.dirname(installed), 'THIRD-PARTY-LICENSES.txt'), 'utf8');
    const noticed = [...notices.matchAll(/^-{80}\n(\S+) \S+ \(([^)]+)\)\n\n(.+)/gm)];
    expect(noticed.map((match) => match[1]).sort()).toEqual([...bundledPackages].sort());
    for (const [, name, license, firstLine] of noticed) {
      expect(`${name}: ${license}`).toMatch(/: (MIT|ISC|Apache-2\.0|BSD-[23]-Clause)$/);
      expect(`${name}: ${firstLine}`).not.toBe(`${name}: `);
    }
  });

  test('loads neither aws-cdk-lib nor cdk-nag (nor the evaluation entry does), unless --aws-solutions asks for cdk-nag', () => {
    // Preloaded into the command's process: says on exit which CDK modules were loaded.
    const probe = path.join(work, 'probe.js');
    fs.writeFileSync(
      probe,
      `process.on('exit', () => process.stderr.write('loaded: ' + [...new Set(Object.keys(require.cache)
      .map((f) => (/[\\\\/]node_modules[\\\\/](aws-cdk-lib|cdk-nag|constructs|tsx|typescript)[\\\\/]/.exec(f) || [])[1]).filter(Boolean))].sort().join(',') + '\\n'));\n`,
    );
    const loaded = (args: string[]) => {
      const result = spawnSync(process.execPath, ['--require', probe, ...args], { cwd: project, encoding: 'utf8' });
      return /loaded: (.*)/.exec(result.stderr)?.[1];
    };
    expect(loaded([fs.realpathSync(bin()), 'check', 'public.json'])).toBe('');
    expect(loaded(['-e', "require('@hardened-eks/eks-threat-model/evaluation')"])).toBe('');
    expect(loaded([fs.realpathSync(bin()), 'check', 'public.json', '--aws-solutions'])).toBe(
      'aws-cdk-lib,cdk-nag,constructs',
    );
  });
});
