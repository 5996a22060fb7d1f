import * as fs from 'fs';
import * as path from 'path';
import { CatalogStack, PublishedProduct } from '../catalog/catalog-stack';
import { describeChange, diffUpgrade, ResourceChange, UpgradeDiff } from './upgrade-safety';

/** Updating a provisioned product from a retained version to the current one, in one region's hub. */
export interface UpgradeAssessment {
  readonly product: PublishedProduct;
  readonly region: string;
  readonly from: string;
  readonly to: string;
  readonly diff: UpgradeDiff;
  /** Breaking changes release.json accepts, with their migration notes. */
  readonly accepted: { change: ResourceChange; migration: string }[];
  /** Breaking changes nobody accepted: they fail the synth. */
  readonly unaccepted: ResourceChange[];
}

/**
 * Every retained version a hub offers (a provisioned product may be on any of them, deprecated or not), diffed
 * against the current version's template as synthesized into `outdir`.
 */
export function assessUpgrades(hubs: CatalogStack[], outdir: string): UpgradeAssessment[] {
  return hubs.flatMap((hub) =>
    hub.products.flatMap((product) => {
      const current = readTemplate(path.join(outdir, product.productStack.templateFile));
      const accepting = product.release.current.acceptedBreakingChanges;
      return product.retained.map((version): UpgradeAssessment => {
        const diff = diffUpgrade(readTemplate(version.snapshotFile), current);
        const acceptance = (change: ResourceChange) => accepting.find((a) => a.resource === change.logicalId);
        return {
          product,
          region: hub.catalogRegion.region,
          from: version.name,
          to: product.release.current.name,
          diff,
          accepted: diff.breaking.flatMap((change) => {
            const a = acceptance(change);
            return a ? [{ change, migration: a.migration }] : [];
          }),
          unaccepted: diff.breaking.filter((change) => !acceptance(change)),
        };
      });
    }),
  );
}

/** An upgrade would replace or remove a stateful resource that release.json does not accept. */
export class UpgradeSafetyError extends Error {
  constructor(readonly assessments: UpgradeAssessment[]) {
    super(
      assessments
        .flatMap((a) =>
          a.unaccepted.map(
            (change) =>
              `Unsafe upgrade of ${a.product.folder} from ${a.from} to ${a.to} (${a.region}): ${describeChange(change)}; ` +
              `keep the resource, or accept it in ${path.relative(process.cwd(), a.product.releaseFile)} current.acceptedBreakingChanges ` +
              `({ "resource": "${change.logicalId}", "migration": "…" })`,
          ),
        )
        .join('\n'),
    );
    this.name = 'UpgradeSafetyError';
  }
}

/** Throws UpgradeSafetyError when any upgrade has a breaking change nobody accepted. */
export function checkUpgrades(assessments: UpgradeAssessment[]): void {
  const unsafe = assessments.filter((a) => a.unaccepted.length > 0);
  if (unsafe.length > 0) throw new UpgradeSafetyError(unsafe);
}

/** Node groups an upgrade replaces or removes, one line each, for the synth's output. */
export function upgradeWarnings(assessments: UpgradeAssessment[]): string[] {
  return assessments.flatMap((a) =>
    a.diff.warnings.map(
      (change) =>
        `WARNING upgrade of ${a.product.folder} from ${a.from} to ${a.to} (${a.region}): ${describeChange(change)}: nodes are drained and recreated`,
    ),
  );
}

function readTemplate(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}
