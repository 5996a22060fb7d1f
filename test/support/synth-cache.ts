import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * One synth per configuration per test run. A synth of the catalog costs seconds and writes tens of MB; most test
 * files need the same one (the built-in configuration). The first worker that needs a configuration synthesizes it
 * into the run's temporary folder (set up by `global-setup.ts`); every later test file of the run, in any worker,
 * reads the templates from there. Outside a jest run (no run folder) nothing is cached.
 */

const RUN_DIRECTORY_VARIABLE = 'HARDENED_EKS_TEST_TMPDIR';

/** The key of a configuration: a digest of its JSON form. */
export function cacheKey(value: unknown): string {
  return crypto.createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

/**
 * The output folder of `synthesize` for `key`, synthesized at most once per test run. Two workers that miss at the
 * same time both synthesize; the first to finish publishes its folder, the other's is removed.
 */
export function cachedOutdir(key: string, synthesize: (outdir: string) => void): { outdir: string; cached: boolean } {
  const run = process.env[RUN_DIRECTORY_VARIABLE];
  if (!run) {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-'));
    synthesize(outdir);
    return { outdir, cached: false };
  }
  const outdir = path.join(run, 'synth-cache', key);
  if (fs.existsSync(path.join(outdir, 'manifest.json'))) return { outdir, cached: true };
  fs.mkdirSync(path.dirname(outdir), { recursive: true });
  const building = fs.mkdtempSync(`${outdir}.building-`);
  synthesize(building);
  try {
    fs.renameSync(building, outdir);
  } catch {
    fs.rmSync(building, { recursive: true, force: true });
  }
  return { outdir, cached: false };
}

/**
 * Makes the test command's own synth of the app (`cdk synth`, run just before jest) the run's synth of `key`, so the
 * tests read the templates users get instead of synthesizing them again. Refused when a source the templates come from
 * is newer than that synth (it would be stale).
 */
export function adoptOutdir(key: string, appOutdir: string, sources: readonly string[]): string {
  const run = process.env[RUN_DIRECTORY_VARIABLE];
  if (!run) throw new Error('adoptOutdir: no test run folder (global-setup.ts sets it)');
  const manifest = path.join(appOutdir, 'manifest.json');
  if (!fs.existsSync(manifest)) throw new Error(`${appOutdir} holds no synthesized app (no manifest.json)`);
  const synthesizedAt = fs.statSync(manifest).mtimeMs;
  const newer = sources.flatMap(newerFiles(synthesizedAt));
  if (newer.length)
    throw new Error(`${appOutdir} is older than ${newer.slice(0, 3).join(', ')}: synthesize again (npx cdk synth)`);
  const outdir = path.join(run, 'synth-cache', key);
  fs.mkdirSync(path.dirname(outdir), { recursive: true });
  fs.symlinkSync(path.resolve(appOutdir), outdir, 'dir');
  return outdir;
}

/** The files under `source` (a file or folder; locked snapshots left out: the synth writes them) changed after `time`. */
function newerFiles(time: number): (source: string) => string[] {
  return (source) => {
    if (!fs.existsSync(source)) return [];
    if (fs.statSync(source).isFile()) return fs.statSync(source).mtimeMs > time ? [source] : [];
    return fs
      .readdirSync(source, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && !entry.parentPath.split(path.sep).includes('snapshots'))
      .map((entry) => path.join(entry.parentPath, entry.name))
      .filter((file) => fs.statSync(file).mtimeMs > time);
  };
}

/** The hardened-eks product template of a synthesized catalog's output folder. */
export function productTemplateIn(outdir: string): Record<string, any> {
  const file = fs
    .readdirSync(outdir)
    .find((f) => f.endsWith('.product.template.json') && f.includes('HardenedEksProduct'));
  if (!file) throw new Error(`no hardened-eks product template in ${outdir}`);
  return JSON.parse(fs.readFileSync(path.join(outdir, file), 'utf8'));
}

/** README command 1 as the test command ran it just before jest: its output folder and when it started. */
export interface TestCommandSynth {
  readonly outdir: string;
  /** Epoch milliseconds, from `scripts/test.sh` (HARDENED_EKS_APP_SYNTH_STARTED). */
  readonly startedMs: number;
}

/**
 * The test command's own `cdk synth` of the unmodified project, which `scripts/test.sh` names only after it exited 0;
 * undefined when jest runs alone.
 */
export function testCommandSynth(root: string): TestCommandSynth | undefined {
  const outdir = process.env.HARDENED_EKS_APP_OUTDIR;
  if (!outdir) return undefined;
  const startedMs = Number(process.env.HARDENED_EKS_APP_SYNTH_STARTED);
  if (!Number.isFinite(startedMs) || startedMs <= 0)
    throw new Error(
      'HARDENED_EKS_APP_OUTDIR is set without HARDENED_EKS_APP_SYNTH_STARTED (scripts/test.sh sets both)',
    );
  return { outdir: path.resolve(root, outdir), startedMs };
}

/** The output folder of the built-in configuration's synth, made by the run's global setup (if any). */
export function defaultCatalogOutdir(): string | undefined {
  return process.env.HARDENED_EKS_DEFAULT_CATALOG;
}
