import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const PACKAGE_DIR = path.join(ROOT, 'nag-rules');

interface LockEntry {
  readonly version: string;
  readonly integrity?: string;
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly [field: string]: unknown;
}

/** What `npm pack` made: the tarball and the files in it. */
export interface PackedPackage {
  readonly tarball: string;
  readonly name: string;
  readonly integrity: string;
  readonly files: readonly string[];
}

/** Runs a command; throws with its output when it fails (the tests then show npm's own message). */
export function runOrThrow(command: string, args: readonly string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(
      `${command} ${args.join(' ')} (in ${cwd}) exited ${result.status}:\n${result.stdout}\n${result.stderr}`,
    );
  return result.stdout;
}

/** `npm pack` of the workspace package into `into` (its prepack script builds it with tsc first). */
export function packPackage(into: string): PackedPackage {
  const [packed] = JSON.parse(runOrThrow('npm', ['pack', '--json', '--pack-destination', into], PACKAGE_DIR)) as {
    filename: string;
    name: string;
    integrity: string;
    files: { path: string }[];
  }[];
  return {
    tarball: path.join(into, packed.filename),
    name: packed.name,
    integrity: packed.integrity,
    files: packed.files.map((f) => f.path),
  };
}

/**
 * The lock-file entries of `names` and everything they need, as this repository's package-lock.json has them (the
 * same versions and integrities), keyed the way npm lays them out (a nested copy where the repository has one).
 */
function lockClosure(names: readonly string[], leaveOut: readonly string[]): Record<string, LockEntry> {
  const packages = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')).packages as Record<
    string,
    LockEntry
  >;
  const closure: Record<string, LockEntry> = {};
  const visit = (name: string, from: string) => {
    if (leaveOut.includes(name)) return;
    // Node's lookup: the nearest node_modules/<name> above the dependent.
    let key: string | undefined;
    for (
      let base = from;
      key === undefined;
      base = base.includes('/node_modules/') ? base.slice(0, base.lastIndexOf('/node_modules/')) : ''
    ) {
      const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
      if (packages[candidate]) key = candidate;
      else if (!base) throw new Error(`package-lock.json has no ${name} (needed by ${from || 'the package'})`);
    }
    if (closure[key]) return;
    const { version, integrity, license, dependencies, optionalDependencies, peerDependencies } = packages[key];
    closure[key] = { version, integrity, license, dependencies, optionalDependencies, peerDependencies };
    for (const dependency of Object.keys({ ...dependencies, ...peerDependencies })) visit(dependency, key);
  };
  for (const name of names) visit(name, '');
  return closure;
}

/**
 * A fresh project in `dir` (outside this repository) that installs the packed package with `npm ci --offline`: the
 * package's own dependencies come from npm's cache (at the versions and integrities of this repository's lock file,
 * which `npm ci` here put there); the CDK libraries an app brings itself (aws-cdk-lib, constructs, cdk-nag: the
 * package's peers) are linked from this repository's node_modules. Nothing else of the repository is there.
 */
export function installIntoFreshProject(dir: string, packed: PackedPackage, peers: readonly string[]): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8'));
  const dependency = `file:${path.relative(dir, packed.tarball)}`;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify(
      { name: 'outside-app', version: '1.0.0', private: true, dependencies: { [packed.name]: dependency } },
      null,
      2,
    ),
  );
  const lock = {
    name: 'outside-app',
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'outside-app', version: '1.0.0', dependencies: { [packed.name]: dependency } },
      [`node_modules/${packed.name}`]: {
        version: manifest.version,
        resolved: dependency,
        integrity: packed.integrity,
        dependencies: manifest.dependencies,
        peerDependencies: manifest.peerDependencies,
        bin: manifest.bin,
      },
      ...lockClosure(Object.keys(manifest.dependencies), peers),
    },
  };
  fs.writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify(lock, null, 2));
  runOrThrow('npm', ['ci', '--offline', '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund'], dir);
  for (const peer of peers) {
    fs.mkdirSync(path.dirname(path.join(dir, 'node_modules', peer)), { recursive: true });
    fs.symlinkSync(path.join(ROOT, 'node_modules', peer), path.join(dir, 'node_modules', peer), 'dir');
  }
}
