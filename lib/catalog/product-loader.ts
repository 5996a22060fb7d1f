import * as fs from 'fs';
import * as path from 'path';
import { CatalogConfig } from '../config/catalog-config';
import { ConfigError } from '../config/validation';
import { ProductDefinition, ProductRelease } from './product-definition';
import { loadRelease } from './release-file';

/** A configured product: its folder, definition, parsed settings and release history. */
export interface LoadedProduct {
  readonly folder: string;
  /** Where its entry is in configuration (`catalog.products[<i>]`), for error messages. */
  readonly field: string;
  readonly definition: ProductDefinition;
  readonly settings: unknown;
  readonly release: ProductRelease;
  /** The product's `release.json`. */
  readonly releaseFile: string;
  /** Where ProductStackHistory keeps the snapshots of its released versions. */
  readonly snapshotDirectory: string;
}

export const DEFAULT_PRODUCTS_DIRECTORY = path.join(__dirname, '..', '..', 'products');

/**
 * Loads every configured product from its folder (`index.ts` exporting `product`, `release.json`) and parses its
 * settings with the product's own parser. Problems name the configuration field.
 */
export function loadProducts(
  config: CatalogConfig,
  productsDirectory: string = DEFAULT_PRODUCTS_DIRECTORY,
  snapshotDirectory?: (productFolder: string) => string,
): LoadedProduct[] {
  return config.products.map((entry, index) => {
    const field = `catalog.products[${index}]`;
    const folder = path.join(productsDirectory, entry.folder);
    const definition = loadProductDefinition(folder, `${field}.folder`);
    const releaseFile = path.join(folder, 'release.json');
    const release = loadRelease(releaseFile, `${field}.folder`);
    const settings = definition.parseSettings(entry.settings, `${field}.settings`);
    return {
      folder: entry.folder,
      field,
      definition,
      settings,
      release,
      releaseFile,
      snapshotDirectory: snapshotDirectory?.(entry.folder) ?? path.join(folder, 'snapshots'),
    };
  });
}

function loadProductDefinition(folder: string, field: string): ProductDefinition {
  let loaded: { product?: ProductDefinition };
  try {
    loaded = require(folder);
  } catch (error) {
    if (!fs.existsSync(folder)) throw new ConfigError(field, `no product folder ${folder}`);
    throw error;
  }
  if (!loaded.product) throw new ConfigError(field, `${folder}/index.ts does not export 'product'`);
  return loaded.product;
}
