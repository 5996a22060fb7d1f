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

/** The hardened-eks product template of a synthesized catalog's output folder. */
export function productTemplateIn(outdir: string): Record<string, any> {
  const file = fs
    .readdirSync(outdir)
    .find((f) => f.endsWith('.product.template.json') && f.includes('HardenedEksProduct'));
  if (!file) throw new Error(`no hardened-eks product template in ${outdir}`);
  return JSON.parse(fs.readFileSync(path.join(outdir, file), 'utf8'));
}

/** The output folder of the built-in configuration's synth, made by the run's global setup (if any). */
export function defaultCatalogOutdir(): string | undefined {
  return process.env.HARDENED_EKS_DEFAULT_CATALOG;
}
