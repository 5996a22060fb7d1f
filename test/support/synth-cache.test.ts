import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { adoptOutdir, cachedOutdir, cacheKey } from './synth-cache';

/** A folder with a synthesized app's manifest, and a source folder with one file, `sourceAge` ms older or newer. */
function synthAndSource(sourceAgeMs: number): { outdir: string; source: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-cache-test-'));
  const outdir = path.join(root, 'cdk.out');
  const source = path.join(root, 'lib');
  fs.mkdirSync(outdir);
  fs.mkdirSync(path.join(source, 'snapshots'), { recursive: true });
  fs.writeFileSync(path.join(outdir, 'manifest.json'), '{}');
  fs.writeFileSync(path.join(source, 'stack.ts'), '');
  fs.writeFileSync(path.join(source, 'snapshots', 'written-by-the-synth.json'), '{}');
  const synthesized = Date.now() / 1000;
  fs.utimesSync(path.join(outdir, 'manifest.json'), synthesized, synthesized);
  fs.utimesSync(path.join(source, 'stack.ts'), synthesized + sourceAgeMs / 1000, synthesized + sourceAgeMs / 1000);
  // The synth writes the products' snapshots itself: they never make it stale.
  fs.utimesSync(path.join(source, 'snapshots', 'written-by-the-synth.json'), synthesized + 60, synthesized + 60);
  return { outdir, source };
}

describe('adoptOutdir (the test command synth read by the whole run)', () => {
  test('adopts a synth newer than its sources: the run reads that folder for the key', () => {
    const { outdir, source } = synthAndSource(-60_000);
    const key = cacheKey({ test: 'adopt', outdir });
    const adopted = adoptOutdir(key, outdir, [source]);
    expect(fs.realpathSync(adopted)).toBe(fs.realpathSync(outdir));
    expect(
      cachedOutdir(key, () => {
        throw new Error('no synth expected for an adopted key');
      }),
    ).toEqual({
      outdir: adopted,
      cached: true,
    });
  });

  test('refuses a synth older than a source, naming the file', () => {
    const { outdir, source } = synthAndSource(60_000);
    expect(() => adoptOutdir(cacheKey({ test: 'stale', outdir }), outdir, [source])).toThrow(
      `${outdir} is older than ${path.join(source, 'stack.ts')}: synthesize again (npx cdk synth)`,
    );
  });

  test('refuses a folder that holds no synthesized app', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-cache-test-'));
    expect(() => adoptOutdir(cacheKey({ test: 'empty', empty }), empty, [])).toThrow(
      `${empty} holds no synthesized app (no manifest.json)`,
    );
  });
});
