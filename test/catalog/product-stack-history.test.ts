import * as fs from 'fs';
import * as path from 'path';
import lockedRelease from '../fixtures/products/minimal-bucket-locked/release.json';
import {
  configWithProducts,
  removeTemporaryDirectories,
  synthesizeFixtureCatalog,
  tempDirectory,
} from './catalog-helpers';

/**
 * Version locking, as the README describes it: once a release's `current.locked` is true, the snapshot written for
 * that version is the published template, and any change to the product's template fails the synth until the
 * release is given a new version name.
 */
const locked = (expirationDays: number) =>
  configWithProducts([{ folder: 'minimal-bucket-locked', settings: { expirationDays } }]);
const unlocked = (expirationDays: number) =>
  configWithProducts([{ folder: 'minimal-bucket', settings: { expirationDays } }]);

const snapshotFiles = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir) : []);

afterAll(() => removeTemporaryDirectories());

describe('a locked release', () => {
  let snapshots: string;
  let written: string;

  beforeAll(() => {
    expect(lockedRelease.current.locked).toBe(true);
    snapshots = tempDirectory('locked-snapshots-');
    synthesizeFixtureCatalog(locked(30), snapshots);
    const files = snapshotFiles(path.join(snapshots, 'minimal-bucket-locked'));
    expect(files).toHaveLength(1);
    written = path.join(snapshots, 'minimal-bucket-locked', files[0]);
  });

  test('writes a snapshot of the version on the first synth', () => {
    expect(path.basename(written)).toMatch(/\.v1\.0\.0\.product\.template\.json$/);
    const snapshot = JSON.parse(fs.readFileSync(written, 'utf8'));
    const buckets = Object.values<any>(snapshot.Resources).filter((r) => r.Type === 'AWS::S3::Bucket');
    expect(buckets.map((b) => b.Properties.LifecycleConfiguration.Rules[0].ExpirationInDays)).toEqual([30]);
  });

  test('synthesizes again while the product is unchanged', () => {
    expect(() => synthesizeFixtureCatalog(locked(30), snapshots)).not.toThrow();
  });

  test('refuses a changed product under the same version name', () => {
    const before = fs.readFileSync(written, 'utf8');
    expect(() => synthesizeFixtureCatalog(locked(60), snapshots)).toThrow(
      /Template has changed for ProductStack Version v1\.0\.0/,
    );
    // …and leaves the published snapshot as it was.
    expect(fs.readFileSync(written, 'utf8')).toBe(before);
  });
});

describe('an unlocked release', () => {
  test('rewrites its snapshot when the product changes', () => {
    const snapshots = tempDirectory('unlocked-snapshots-');
    synthesizeFixtureCatalog(unlocked(30), snapshots);
    expect(() => synthesizeFixtureCatalog(unlocked(60), snapshots)).not.toThrow();
    const files = snapshotFiles(path.join(snapshots, 'minimal-bucket'));
    expect(files).toHaveLength(1);
    const snapshot = JSON.parse(fs.readFileSync(path.join(snapshots, 'minimal-bucket', files[0]), 'utf8'));
    const [bucket] = Object.values<any>(snapshot.Resources).filter((r) => r.Type === 'AWS::S3::Bucket');
    expect(bucket.Properties.LifecycleConfiguration.Rules[0].ExpirationInDays).toBe(60);
  });
});
