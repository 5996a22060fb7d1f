import { App } from 'aws-cdk-lib';
import { AccountBaselineStack } from '../baseline/account-baseline-stack';
import { catalogRegions } from '../catalog/catalog-regions';
import { CatalogStack } from '../catalog/catalog-stack';
import { LoadedProduct, loadProducts } from '../catalog/product-loader';
import { CatalogConfig } from '../config/catalog-config';
import { OrganizationStackConfig } from '../config/organization-config';
import { LaunchRoleStack } from '../organization/launch-role-stack';
import { OrganizationStack } from '../organization/organization-stack';
import { ProductServiceControlPolicy, productServiceControlPolicies } from '../organization/service-control-policies';

export interface CatalogAppOptions {
  /** @default the repository's `products/` */
  readonly productsDirectory?: string;
  /** @default `<product folder>/snapshots` */
  readonly snapshotDirectory?: (productFolder: string) => string;
}

/** The stacks of the app, for the rule packs and the reports written after synth. */
export interface CatalogAppStacks {
  /** One hub per configured region, the home region's first. */
  readonly hubs: CatalogStack[];
  readonly products: LoadedProduct[];
  readonly serviceControlPolicies: ProductServiceControlPolicy[];
  readonly launchRoles?: LaunchRoleStack;
  readonly organization?: OrganizationStack;
  readonly accountBaseline: AccountBaselineStack;
}

/** Builds every stack the configuration asks for: a hub per region, the optional organization stack with its StackSet template, the account baseline. */
export function buildCatalogApp(app: App, config: CatalogConfig, options: CatalogAppOptions = {}): CatalogAppStacks {
  const products = loadProducts(config, options.productsDirectory, options.snapshotDirectory);
  const regions = catalogRegions(config);
  const hubs = regions.map(
    (region) =>
      new CatalogStack(app, region.stackId, {
        config,
        products,
        region,
        description: `Service Catalog portfolio of hardened Amazon EKS products in ${region.region}`,
      }),
  );
  const serviceControlPolicies = productServiceControlPolicies(products);
  const organizationStacks = config.organizationStack
    ? buildOrganizationStacks(app, {
        organization: config.organizationStack,
        products,
        serviceControlPolicies,
        assetBucketNames: regions.map((r) => r.assetBucketName),
        launchRoleRegion: regions[0].region,
      })
    : {};
  // Optional: deployed once per account and region where no organization-wide service already provides it.
  const accountBaseline = new AccountBaselineStack(app, 'HardenedEksAccountBaseline', {
    ...config.accountBaseline,
    description:
      'Account baseline for hardened EKS products: GuardDuty EKS protection, AWS Config recorder, ECR enhanced scanning',
  });
  return { hubs, products, serviceControlPolicies, ...organizationStacks, accountBaseline };
}

export interface OrganizationStacksProps {
  readonly organization: OrganizationStackConfig;
  readonly products: LoadedProduct[];
  readonly serviceControlPolicies: ProductServiceControlPolicy[];
  /** The buckets launches read the products' assets from, one per catalog region. */
  readonly assetBucketNames: string[];
  /** Where the StackSet creates each account's launch roles (once: IAM is global). */
  readonly launchRoleRegion: string;
}

/** The organization stack (`catalog.organizationStack`) and the launch-role stack whose template its StackSet deploys. */
export function buildOrganizationStacks(
  app: App,
  props: OrganizationStacksProps,
): { launchRoles: LaunchRoleStack; organization: OrganizationStack } {
  const launchRoles = new LaunchRoleStack(app, 'HardenedEksLaunchRoles', {
    products: props.products,
    assetBucketNames: props.assetBucketNames,
    description:
      "Service Catalog launch roles of the hardened EKS products (the template of the organization's StackSet)",
  });
  const organization = new OrganizationStack(app, 'HardenedEksOrganization', {
    env: { region: props.organization.region },
    organization: props.organization,
    launchRoles,
    launchRoleRegion: props.launchRoleRegion,
    serviceControlPolicies: props.serviceControlPolicies,
    description:
      'Hardened EKS catalog in the organization: launch roles by StackSet, service control policies on the target OUs',
  });
  return { launchRoles, organization };
}
