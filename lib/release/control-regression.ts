import * as fs from 'fs';
import * as path from 'path';
import { CatalogStack, PublishedProduct } from '../catalog/catalog-stack';
import { VersionStatus } from '../catalog/product-definition';

/** The controls a template satisfies (IDs of the controls matrix), as the threat-model pack judges it. */
export type SatisfiedControls = (template: Record<string, unknown>) => ReadonlySet<string>;

/** Controls the current version has that a retained version lacks: updating a product to that version removes them. */
export interface ControlRegression {
  readonly product: PublishedProduct;
  readonly version: string;
  readonly status: VersionStatus;
  readonly lost: string[];
}

/**
 * Compares each retained version of each product (the home hub's snapshots) with the current version, control by
 * control: a version that satisfies fewer controls is a downgrade path for consumers.
 */
export function assessControlRegressions(
  hubs: CatalogStack[],
  outdir: string,
  satisfied: SatisfiedControls,
): ControlRegression[] {
  const [home] = hubs;
  return home.products.flatMap((product) => {
    const current = satisfied(readTemplate(path.join(outdir, product.productStack.templateFile)));
    return product.retained.flatMap((version): ControlRegression[] => {
      const old = satisfied(readTemplate(version.snapshotFile));
      const lost = [...current].filter((control) => !old.has(control)).sort();
      const status = product.release.retained.find((r) => r.name === version.name)?.status ?? 'active';
      return lost.length ? [{ product, version: version.name, status, lost }] : [];
    });
  });
}

/** A retained version with fewer controls than the current one is still launchable or updatable to. */
export class ControlRegressionError extends Error {
  constructor(readonly regressions: ControlRegression[]) {
    super(
      regressions
        .map(
          (r) =>
            `Downgrade of ${r.product.folder}: ${r.version} (${r.status}) lacks ${r.lost.length} control(s) of ` +
            `${r.product.release.current.name} (${r.lost.join(', ')}); consumers could launch it or update back to it. Mark it "status": "inactive" ` +
            `in ${path.relative(process.cwd(), r.product.releaseFile)} retained (provisioned products on it can still update to the current version)`,
        )
        .join('\n'),
    );
    this.name = 'ControlRegressionError';
  }
}

/** Throws ControlRegressionError for every version with fewer controls that consumers can still choose. */
export function checkControlRegressions(regressions: ControlRegression[]): void {
  const open = regressions.filter((r) => r.status !== 'inactive');
  if (open.length > 0) throw new ControlRegressionError(open);
}

function readTemplate(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}
