import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { CatalogStack } from '../../lib/catalog/catalog-stack';
import { CatalogConfig, CONFIG_CONTEXT_KEY, parseCatalogConfig } from '../../lib/config/catalog-config';
import { projectContext, resourcesOfType } from '../support/project-app';

export { PSEUDO_PARAMETERS, resolveIntrinsics } from '../support/intrinsics';
export { resourcesOfType } from '../support/project-app';

/** The only resource of a type matching `predicate`; throws (with what was found) if there is not exactly one. */
export function onlyResource(
  template: Record<string, any>,
  type: string,
  predicate: (r: any) => boolean = () => true,
): [string, any] {
  const found = resourcesOfType(template, type).filter(([, r]) => predicate(r));
  if (found.length !== 1)
    throw new Error(`expected exactly one ${type}, found ${found.length}: ${found.map(([id]) => id).join(', ')}`);
  return found[0];
}

/** Folder of the fixture products (`test/fixtures/products`). */
export const FIXTURE_PRODUCTS = path.join(__dirname, '..', 'fixtures', 'products');

/** The project's catalog configuration with `products` replaced, parsed the way `bin/app.ts` parses cdk.json. */
export function configWithProducts(products: unknown[]): CatalogConfig {
  const raw = projectContext()[CONFIG_CONTEXT_KEY];
  return parseCatalogConfig({ ...raw, products });
}

export interface FixtureCatalog {
  readonly app: App;
  readonly stack: CatalogStack;
  readonly outdir: string;
  /** The hub stack's template. */
  readonly catalog: Record<string, any>;
  /** Each product's published template, by its file name in the cloud assembly. */
  readonly productTemplates: Record<string, Record<string, any>>;
}

/**
 * Builds and synthesizes a CatalogStack over `test/fixtures/products` (or `productsDirectory`) on an app with the
 * project's context minus the `catalog` key — as `bin/app.ts` does — with snapshots in `snapshotDirectory`.
 */
export function synthesizeFixtureCatalog(
  config: CatalogConfig,
  snapshotDirectory: string,
  productsDirectory: string = FIXTURE_PRODUCTS,
): FixtureCatalog {
  const outdir = tempDirectory('fixture-catalog-');
  const context = { ...projectContext() };
  delete context[CONFIG_CONTEXT_KEY];
  const app = new App({ outdir, context });
  const stack = new CatalogStack(app, 'FixtureCatalog', {
    config,
    productsDirectory,
    snapshotDirectory: (folder) => path.join(snapshotDirectory, folder),
  });
  app.synth();
  const read = (file: string) => JSON.parse(fs.readFileSync(path.join(outdir, file), 'utf8'));
  const productTemplates = Object.fromEntries(
    fs
      .readdirSync(outdir)
      .filter((f) => f.endsWith('.product.template.json'))
      .map((f) => [f, read(f)]),
  );
  return { app, stack, outdir, catalog: read('FixtureCatalog.template.json'), productTemplates };
}

const temporaryDirectories: string[] = [];

/** A fresh temporary directory, removed by `removeTemporaryDirectories`. */
export function tempDirectory(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temporaryDirectories.push(dir);
  return dir;
}

/** Removes the directories `tempDirectory` created (and any others given, e.g. a synthesized cloud assembly). */
export function removeTemporaryDirectories(...others: string[]): void {
  for (const dir of [...temporaryDirectories.splice(0), ...others]) fs.rmSync(dir, { recursive: true, force: true });
}
