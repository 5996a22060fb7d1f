import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CatalogStack, CatalogStackProps } from '../../lib/catalog/catalog-stack';
import { CatalogConfig, CONFIG_CONTEXT_KEY, parseCatalogConfig } from '../../lib/config/catalog-config';
import { HardenedEksSettings, parseHardenedEksSettings } from '../../products/hardened-eks/settings';
import { cachedOutdir, cacheKey, productTemplateIn } from './synth-cache';

const ROOT = path.join(__dirname, '..', '..');

/** The project's cdk.json context (feature flags and the built-in catalog configuration). */
export function projectContext(): Record<string, any> {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context;
}

/** The built-in catalog configuration, optionally with the hardened-eks product's settings changed. */
export function defaultConfig(settings: Record<string, unknown> = {}): CatalogConfig {
  const raw = projectContext()[CONFIG_CONTEXT_KEY];
  const products = raw.products.map((p: any) =>
    p.folder === 'hardened-eks' ? { ...p, settings: { ...p.settings, ...settings } } : p,
  );
  return parseCatalogConfig({ ...raw, products });
}

/** The hardened-eks product's settings from the built-in configuration, parsed. */
export function defaultSettings(config: CatalogConfig = defaultConfig()): HardenedEksSettings {
  const entry = config.products.find((p) => p.folder === 'hardened-eks');
  if (!entry) throw new Error('no hardened-eks product in the configuration');
  return parseHardenedEksSettings(entry.settings, 'catalog.products[0].settings');
}

export interface SynthesizedCatalog {
  /** The hub (portfolio) stack's template. */
  readonly catalog: Template;
  /** The hardened-eks product's template (as published to Service Catalog). */
  readonly product: Template;
  readonly productJson: Record<string, any>;
  readonly outdir: string;
}

export interface SynthesizedCatalogApp extends SynthesizedCatalog {
  readonly app: App;
  readonly stack: CatalogStack;
}

/**
 * Copies a product's committed snapshots of retained versions (not the current one, which each test synthesizes
 * afresh from its own configuration) into a test's snapshot folder.
 */
export function seedRetainedSnapshots(folder: string, into: string): void {
  const source = path.join(ROOT, 'products', folder, 'snapshots');
  const releaseFile = path.join(ROOT, 'products', folder, 'release.json');
  if (!fs.existsSync(source) || !fs.existsSync(releaseFile)) return;
  const current = JSON.parse(fs.readFileSync(releaseFile, 'utf8')).current.name as string;
  fs.mkdirSync(into, { recursive: true });
  for (const file of fs.readdirSync(source).filter((f) => !f.endsWith(`.${current}.product.template.json`))) {
    fs.copyFileSync(path.join(source, file), path.join(into, file));
  }
}

/** Synthesizes the catalog into `outdir` on an app with the project's context and no validation plugins. */
function synthesizeInto(
  outdir: string,
  config: CatalogConfig,
  props: Partial<CatalogStackProps>,
): { app: App; stack: CatalogStack } {
  const snapshots = path.join(outdir, 'snapshots');
  for (const { folder } of config.products) seedRetainedSnapshots(folder, path.join(snapshots, folder));
  const context = { ...projectContext() };
  delete context[CONFIG_CONTEXT_KEY];
  const app = new App({ outdir, context });
  const stack = new CatalogStack(app, 'HardenedEksCatalog', {
    config,
    snapshotDirectory: (folder) => path.join(snapshots, folder),
    ...props,
  });
  app.synth();
  return { app, stack };
}

/** The templates of a synthesized catalog's output folder. */
function readSynthesized(outdir: string): SynthesizedCatalog {
  const productJson = productTemplateIn(outdir);
  return {
    outdir,
    productJson,
    catalog: Template.fromJSON(
      JSON.parse(fs.readFileSync(path.join(outdir, 'HardenedEksCatalog.template.json'), 'utf8')),
    ),
    product: Template.fromJSON(productJson),
  };
}

/**
 * The catalog's templates for a configuration (by default the built-in one), synthesized on an app with the
 * project's context and no validation plugins (so findings never throw here). Synthesized once per configuration
 * per test run (test/support/synth-cache.ts); each call returns fresh objects, so a test may change them.
 */
export function synthesizeCatalog(config: CatalogConfig = defaultConfig()): SynthesizedCatalog {
  const { outdir } = cachedOutdir(cacheKey(config), (into) => synthesizeInto(into, config, {}));
  return readSynthesized(outdir);
}

/**
 * Synthesizes the catalog afresh, for the tests that need the construct tree (cdk-nag's `validateScope`, construct
 * metadata) or props a cache key cannot name. Costs seconds: call once per test file.
 */
export function synthesizeCatalogApp(
  config: CatalogConfig = defaultConfig(),
  props: Partial<CatalogStackProps> = {},
): SynthesizedCatalogApp {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-'));
  const { app, stack } = synthesizeInto(outdir, config, props);
  return { ...readSynthesized(outdir), app, stack };
}

/** Resources of one type in a template JSON, by logical ID. */
export function resourcesOfType(template: Record<string, any>, type: string): [string, any][] {
  return Object.entries(template.Resources as Record<string, any>).filter(([, r]) => r.Type === type);
}
