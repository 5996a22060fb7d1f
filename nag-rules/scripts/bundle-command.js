// The second step of the package's `npm run build`: the `eks-threat-model` command and its worker thread as one
// file each (dist/bin/), bundled from tsc's output (dist/cli/) with the dependencies they load. Every thread of a
// check loads the pack: from the 310 modules of the pack, yaml and fast-glob, resolved and read one by one, that
// made a 200-template run on 2 cores about 4 % slower than from one file (`npm run benchmark`). The library entry
// points (dist/index.js …) stay tsc's modules. The bundled packages' licences go with the bundle
// (THIRD-PARTY-LICENSES.txt); a bundled package without a licence file fails the build.
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const PACKAGE = path.join(__dirname, '..');
const OUT = path.join('dist', 'bin');
const ENTRY_POINTS = ['dist/cli/eks-threat-model.js', 'dist/cli/check-worker.js'];
// Loaded from the installed packages when a run needs them: the CDK libraries (peers) only for --aws-solutions, the
// resource specification's database by its file's path, tsx only for workers run from TypeScript (this repository).
// The CEL engine's packages (@bufbuild/*) ship no licence file, which their Apache-2.0 licence asks to go with every
// copy: they stay installed packages. junit-report-builder (with its XML builder, a quarter of the bundle) is loaded
// only for --format junit: left out, each thread compiles a smaller file.
const EXTERNAL = [
  'aws-cdk-lib',
  'cdk-nag',
  'constructs',
  '@aws-cdk/aws-service-spec',
  'tsx',
  '@bufbuild/*',
  'junit-report-builder',
];
const NOTICES = 'THIRD-PARTY-LICENSES.txt';

const { metafile } = esbuild.buildSync({
  absWorkingDir: PACKAGE,
  entryPoints: ENTRY_POINTS,
  outdir: OUT,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: EXTERNAL,
  metafile: true,
  logLevel: 'warning',
});

/** The folder of the installed package a bundled file comes from (`…/node_modules/@scope/name`). */
function packageFolderOf(file) {
  const match = /^(.*[\\/]node_modules[\\/](?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(file);
  return match ? path.resolve(PACKAGE, match[1]) : undefined;
}

const folders = new Set();
for (const input of Object.keys(metafile.inputs)) {
  const folder = packageFolderOf(input);
  if (folder) folders.add(folder);
}

const notices = [...folders]
  .map((folder) => {
    const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8'));
    const licenceFile = fs.readdirSync(folder).find((name) => /^licen[cs]e(\.(md|txt))?$/i.test(name));
    if (!licenceFile)
      throw new Error(`bundle-command: ${manifest.name} ${manifest.version} has no licence file in ${folder}`);
    const text = fs.readFileSync(path.join(folder, licenceFile), 'utf8').trim();
    return { name: manifest.name, version: manifest.version, license: manifest.license, text };
  })
  .sort((a, b) => a.name.localeCompare(b.name));

fs.writeFileSync(
  path.join(PACKAGE, OUT, NOTICES),
  `The eks-threat-model command (${ENTRY_POINTS.map((entry) => path.basename(entry)).join(', ')} in this folder) ` +
    `bundles these packages:\n\n${notices
      .map(({ name, version, license, text }) => `${'-'.repeat(80)}\n${name} ${version} (${license})\n\n${text}\n`)
      .join('\n')}`,
);
