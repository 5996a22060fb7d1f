import { CatalogConfig, regionalBucketName } from '../config/catalog-config';

/** One region the catalog is offered in: where its hub stack goes and what it is called there. */
export interface CatalogRegion {
  readonly region: string;
  /**
   * The first configured region. Its hub keeps the names the catalog was first deployed with: its released
   * product templates contain the hub's construct path and asset bucket name, and a renamed stack is a new stack.
   */
  readonly home: boolean;
  /** Construct ID and stack name of the region's hub. */
  readonly stackId: string;
  /** The region's product asset bucket: Lambda code must be in the launch's region. */
  readonly assetBucketName: string;
}

export const HOME_HUB_STACK_ID = 'HardenedEksCatalog';

/** Every configured region with its hub's names: the home region's unchanged, the others qualified by region. */
export function catalogRegions(config: CatalogConfig): CatalogRegion[] {
  return config.regions.map((region, index) =>
    index === 0
      ? { region, home: true, stackId: HOME_HUB_STACK_ID, assetBucketName: config.assetBucketName }
      : {
          region,
          home: false,
          stackId: `${HOME_HUB_STACK_ID}-${region}`,
          assetBucketName: regionalBucketName(config.assetBucketName, region),
        },
  );
}
