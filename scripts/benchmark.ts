/**
 * Usage: npm run benchmark -- [iterations] [rounds] [--no-tests] [--cli-only]
 *
 * One run, for ratios rather than absolute numbers (nothing here asserts a time):
 *  1. synth time of the catalog app with no rule pack, with AwsSolutions, and with AwsSolutions + EksThreatModel,
 *     each in a fresh App with its own temporary outdir. Two warm-up synths first (module loading, bundling, JIT),
 *     then `rounds` rounds (default 3) of the three configurations in rotating order; the median counts;
 *  2. the pack's throughput: `evaluateTemplate` with every rule on the real product template, `iterations` times
 *     (default 200) in this process after 30 warm-up evaluations, compiled (`npm run build`, what an installed package
 *     and the command run) and as the TypeScript source through tsx (as this app's synth runs it), as templates/s,
 *     resources/s and evaluations/s; next to it the same work with a template model of its own for every rule (how
 *     rules read templates before they shared one model);
 *  3. the `eks-threat-model check` command, compiled, from outside: its cold start on the product template and its
 *     throughput on 200 copies (all cores, and one), next to cfn-guard with the Control Tower rules on the same
 *     template (scripts/cli-benchmark.ts; `--cli-only` runs only this, after one synth for the template);
 *  4. wall time and peak memory of `cdk synth` with every pack (README command 1, into a temporary outdir);
 *  5. unless --no-tests: the wall time and peak memory of `npm test` (the README's test command), measured from the
 *     outside over its whole process tree.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { App, IPolicyValidationPlugin, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildCatalogApp } from '../lib/app/catalog-app';
import { CONFIG_CONTEXT_KEY } from '../lib/config/catalog-config';
import { ALL_RULES, EksThreatModelChecks, evaluateTemplate, TemplateModel } from '@hardened-eks/eks-threat-model';
import { applyExemptions, loadExemptions } from '@hardened-eks/eks-threat-model/register';
import { defaultConfig, projectContext, seedRetainedSnapshots } from '../test/support/project-app';
import { benchmarkCli, buildPackage, EVALUATION_WARM_UPS } from './cli-benchmark';
import { measure, MeasuredRun } from './process-tree';

const EXEMPTIONS_FILE = path.join(__dirname, '..', 'nag-rules', 'exemptions.yaml');

interface SynthRun {
  readonly label: string;
  readonly ms: number;
  /** Whether synth threw (a pack found something): the time still counts, validation ran. */
  readonly threw: boolean;
  readonly outdir: string;
  readonly evaluations?: number;
  /** Time spent in each plugin's `validate` during the synth, by plugin name. */
  readonly validation: Record<string, number>;
}

/** Wraps a plugin's `validate` to time it. */
function timed(plugin: IPolicyValidationPlugin, into: Record<string, number>): IPolicyValidationPlugin {
  const validate = plugin.validate.bind(plugin);
  plugin.validate = (context) => {
    const start = performance.now();
    try {
      return validate(context);
    } finally {
      into[plugin.name] = (into[plugin.name] ?? 0) + performance.now() - start;
    }
  };
  return plugin;
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nag-benchmark-'));
const config = defaultConfig();

function synth(label: string, plugins: (app: App) => IPolicyValidationPlugin[]): SynthRun {
  const outdir = fs.mkdtempSync(path.join(root, 'cdk.out-'));
  const context = { ...projectContext() };
  delete context[CONFIG_CONTEXT_KEY];
  const start = performance.now();
  const app = new App({ outdir, context });
  seedRetainedSnapshots('hardened-eks', path.join(outdir, 'snapshots', 'hardened-eks'));
  buildCatalogApp(app, config, { snapshotDirectory: (folder) => path.join(outdir, 'snapshots', folder) });
  const validation: Record<string, number> = {};
  const packs = plugins(app).map((p) => timed(p, validation));
  if (packs.length) Validations.of(app).addPlugins(...packs);
  // As bin/app.ts does: the approved exemptions are part of every real synth.
  applyExemptions(app, loadExemptions(EXEMPTIONS_FILE));
  let threw = false;
  // The validation report is printed on the console at every synth with findings: keep the table readable.
  const { error, warn, log } = console;
  console.error = console.warn = console.log = () => undefined;
  try {
    app.synth();
  } catch {
    threw = true; // a pack reported findings; the synth's work (and the validation) is done by then
  } finally {
    Object.assign(console, { error, warn, log });
    process.exitCode = 0; // a failed validation sets it; the benchmark itself did not fail
  }
  const ms = performance.now() - start;
  const pack = packs.find((p): p is EksThreatModelChecks => p instanceof EksThreatModelChecks);
  return { label, ms, threw, outdir, validation, ...(pack ? { evaluations: pack.evaluations.length } : {}) };
}

function productTemplateFile(outdir: string): string {
  const file = fs
    .readdirSync(outdir)
    .find((f) => f.endsWith('.product.template.json') && f.includes('HardenedEksProduct'));
  if (!file) throw new Error(`no hardened-eks product template in ${outdir}`);
  return path.join(outdir, file);
}

function productTemplate(outdir: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(productTemplateFile(outdir), 'utf8'));
}

function pad(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows
    .map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '))
    .join('\n');
}

const mib = (bytes: number | undefined): string =>
  bytes === undefined ? 'n/a' : `${(bytes / 2 ** 20).toFixed(0)} MiB`;

async function main(): Promise<void> {
  const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));
  const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const unknown = flags.filter((f) => f !== '--no-tests' && f !== '--cli-only');
  if (unknown.length)
    throw new Error(
      `unknown option(s) ${unknown.join(' ')}; usage: npm run benchmark -- [iterations] [rounds] [--no-tests] [--cli-only]`,
    );
  if (flags.includes('--cli-only')) {
    console.log(benchmarkCli(productTemplateFile(synth('product template', () => []).outdir)));
    fs.rmSync(root, { recursive: true, force: true });
    return;
  }
  const iterations = Number(positional[0] ?? 200);
  if (!Number.isInteger(iterations) || iterations < 1)
    throw new Error(`iterations must be a positive integer, not ${positional[0]}`);

  const rounds = Number(positional[1] ?? 5);
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new Error(`rounds must be a positive integer, not ${positional[1]}`);

  const configurations: [string, (app: App) => IPolicyValidationPlugin[]][] = [
    ['no packs', () => []],
    ['AwsSolutions', (app) => [new AwsSolutionsChecks(app)]],
    ['AwsSolutions + EksThreatModel', (app) => [new AwsSolutionsChecks(app), new EksThreatModelChecks(app)]],
  ];
  const warmUp = [synth('warm-up', () => []), synth('warm-up', configurations[2][1])];
  const runs = new Map<string, SynthRun[]>(configurations.map(([label]) => [label, []]));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < configurations.length; i++) {
      const [label, plugins] = configurations[(i + round) % configurations.length];
      const run = synth(label, plugins);
      runs.get(label)!.push(run);
      fs.rmSync(run.outdir, { recursive: true, force: true });
    }
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const stats = configurations.map(([label]) => {
    const all = runs.get(label)!;
    const packMs = (name: string): string =>
      name in all[0].validation ? median(all.map((r) => r.validation[name])).toFixed(0) : '-';
    return {
      label,
      median: median(all.map((r) => r.ms)),
      min: Math.min(...all.map((r) => r.ms)),
      threw: all[0].threw,
      evaluations: all[0].evaluations,
      aws: packMs('AwsSolutions'),
      eks: packMs('EksThreatModel'),
    };
  });
  const base = stats[0].median;
  console.log(
    `Synth of the catalog app: fresh App each, ${rounds} round(s) in rotating order after 2 warm-ups (${warmUp.map((w) => w.ms.toFixed(0)).join(', ')} ms)\n`,
  );
  console.log(
    pad([
      [
        'configuration',
        'synth ms (median)',
        'min',
        'x no packs',
        'AwsSolutions validate ms',
        'EksThreatModel validate ms',
        'synth threw',
        'evaluations',
      ],
      ...stats.map((r) => [
        r.label,
        r.median.toFixed(0),
        r.min.toFixed(0),
        (r.median / base).toFixed(2),
        r.aws,
        r.eks,
        r.threw ? 'yes' : 'no',
        r.evaluations === undefined ? '-' : String(r.evaluations),
      ]),
    ]),
  );
  const [, aws, both] = stats;
  console.log(
    `\nEksThreatModel's validation is ${both.eks} ms of a ${both.median.toFixed(0)} ms synth (${((Number(both.eks) / both.median) * 100).toFixed(1)}%); ` +
      `AwsSolutions' is ${aws.aws} ms. Whole-synth differences below a few hundred ms are noise (asset copies, GC).`,
  );

  const template = productTemplate(warmUp[0].outdir);
  const resources = new TemplateModel(template).resources.size;
  // The compiled package is what an installed package and the command run; this app's synth runs the TypeScript source
  // through tsx, whose transform (keepNames) wraps every function the code creates, closures in hot loops included.
  const compiled = require(buildPackage()) as typeof import('@hardened-eks/eks-threat-model');
  const builds: [string, Pick<typeof compiled, 'ALL_RULES' | 'evaluateTemplate'>][] = [
    ['compiled package (nag-rules/dist)', compiled],
    ['TypeScript source through tsx', { ALL_RULES, evaluateTemplate }],
  ];
  const throughput = builds.map(([label, pack]) => {
    // Warmed up as the synths are.
    for (let i = 0; i < EVALUATION_WARM_UPS; i++) pack.evaluateTemplate(template, pack.ALL_RULES);
    let evaluations = 0;
    const start = performance.now();
    for (let i = 0; i < iterations; i++) evaluations += pack.evaluateTemplate(template, pack.ALL_RULES).length;
    return { label, seconds: (performance.now() - start) / 1000, evaluations: evaluations / iterations };
  });
  console.log(
    `\nevaluateTemplate on the product template (${resources} resources, ${ALL_RULES.length} rules, ${throughput[0].evaluations} evaluations each), ${iterations} times after ${EVALUATION_WARM_UPS} warm-ups, in this process\n`,
  );
  console.log(
    pad([
      ['code', 'ms / template', 'templates / s', 'resources / s', 'evaluations / s'],
      ...throughput.map(({ label, seconds, evaluations }) => [
        label,
        ((seconds * 1000) / iterations).toFixed(2),
        (iterations / seconds).toFixed(1),
        ((iterations * resources) / seconds).toFixed(0),
        ((iterations * evaluations) / seconds).toFixed(0),
      ]),
    ]),
  );

  // The same work with a model of its own for every rule: each rule indexes the template and parses its documents again.
  const separateIterations = Math.max(1, Math.round(iterations / 4));
  const separateStart = performance.now();
  for (let i = 0; i < separateIterations; i++)
    for (const rule of compiled.ALL_RULES) compiled.evaluateTemplate(template, [rule]);
  const separateSeconds = (performance.now() - separateStart) / 1000;
  const shared = iterations / throughput[0].seconds;
  const separate = separateIterations / separateSeconds;
  console.log(
    `
One model shared by the rules (compiled): ${shared.toFixed(1)} templates/s; a model per rule: ${separate.toFixed(1)} templates/s ` +
      `(${separateIterations} times) = ${(shared / separate).toFixed(2)}x from sharing.`,
  );

  console.log(`\n${benchmarkCli(productTemplateFile(warmUp[0].outdir))}`);

  const synthOut = fs.mkdtempSync(path.join(root, 'app-'));
  const synthRun = await measure(
    process.execPath,
    [require.resolve('aws-cdk/bin/cdk'), 'synth', '--quiet', '--output', synthOut],
    {
      cwd: path.join(__dirname, '..'),
    },
  );
  const rows: string[][] = [['run', 'wall s', 'peak memory (process tree)', 'exit']];
  const row = (label: string, run: MeasuredRun) => [
    label,
    (run.ms / 1000).toFixed(1),
    mib(run.peakBytes),
    String(run.status),
  ];
  rows.push(row('cdk synth, every pack (README command 1)', synthRun));
  if (!flags.includes('--no-tests')) {
    const testRun = await measure('npm', ['test'], {
      cwd: path.join(__dirname, '..'),
      env: { ...process.env, CI: 'true' },
    });
    rows.push(row('npm test', testRun));
  }
  console.log(`
Whole commands, measured from outside (${os.cpus().length} cores, load ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')})\n`);
  console.log(pad(rows));
  fs.rmSync(root, { recursive: true, force: true });
}

main().catch((error) => {
  console.error((error as Error).message);
  process.exit(2);
});
