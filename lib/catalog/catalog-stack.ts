import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Names, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import { Construct } from 'constructs';
import { CatalogConfig } from '../config/catalog-config';
import { ConfigError } from '../config/validation';
import { CatalogRegion, catalogRegions } from './catalog-regions';
import { acknowledge, logicalIdOf } from '../compliance/acknowledge';
import { pascalCase } from './naming';
import { OrganizationPortfolioShare } from './organization-portfolio-share';
import { ProductAssetBucket } from './product-asset-bucket';
import { ProductDefinition, ProductRelease } from './product-definition';
import { LoadedProduct, loadProducts } from './product-loader';
import { ProductLaunchRole } from './product-launch-role';
import { ProductVersionStatus } from './product-version-status';

export interface CatalogStackProps extends StackProps {
  readonly config: CatalogConfig;
  /** The region this hub serves, with its names. @default the home region (the first of `config.regions`) */
  readonly region?: CatalogRegion;
  /** Folder holding one sub-folder per product. @default the repository's `products/` (DEFAULT_PRODUCTS_DIRECTORY) */
  readonly productsDirectory?: string;
  /** Where ProductStackHistory reads and writes template snapshots. @default `<product folder>/snapshots` */
  readonly snapshotDirectory?: (productFolder: string) => string;
  /** The configured products, already loaded. @default loaded from `productsDirectory` */
  readonly products?: LoadedProduct[];
}

/** A product as published: its definition, its stack, its Service Catalog product. */
export interface PublishedProduct {
  readonly folder: string;
  readonly definition: ProductDefinition;
  readonly settings: unknown;
  readonly release: ProductRelease;
  readonly releaseFile: string;
  readonly productStack: servicecatalog.ProductStack;
  readonly product: servicecatalog.CloudFormationProduct;
  /** Created by the home region's hub only: IAM is global, the other regions' constraints name the same role. */
  readonly launchRole?: ProductLaunchRole;
  /** The retained versions this hub offers, each from its committed snapshot. */
  readonly retained: PublishedVersion[];
  /** Retained versions released before this region was added: they have no snapshot for this hub. */
  readonly notOffered: string[];
  /** The current version; its snapshot is (re)written by each synth. */
  readonly current: PublishedVersion;
}

/** A version of a product as one hub publishes it. */
export interface PublishedVersion {
  readonly name: string;
  /** The template snapshot ProductStackHistory publishes it from. */
  readonly snapshotFile: string;
}

/**
 * The hub stack: a portfolio, each configured product with its version history, a launch role per product,
 * TagOptions, a template constraint, sharing and principal associations, and the product asset bucket.
 * Adding a product is a folder under `products/` and an entry in configuration: nothing here changes.
 */
export class CatalogStack extends Stack {
  readonly catalogRegion: CatalogRegion;
  readonly portfolio: servicecatalog.Portfolio;
  readonly assets: ProductAssetBucket;
  readonly products: PublishedProduct[] = [];

  constructor(scope: Construct, id: string, props: CatalogStackProps) {
    const region = props.region ?? catalogRegions(props.config)[0];
    super(scope, id, { ...props, env: { ...props.env, region: region.region } });
    this.catalogRegion = region;
    const { config } = props;
    this.assets = new ProductAssetBucket(this, 'ProductAssets', {
      bucketName: region.assetBucketName,
      organizationId: config.organizationId,
    });

    this.portfolio = new servicecatalog.Portfolio(this, 'Portfolio', {
      displayName: config.portfolio.displayName,
      providerName: config.portfolio.providerName,
      description: config.portfolio.description,
    });
    if (Object.keys(config.tagOptions).length > 0) {
      this.portfolio.associateTagOptions(
        new servicecatalog.TagOptions(this, 'TagOptions', { allowedValuesForTags: config.tagOptions }),
      );
    }
    config.portfolioRoleArns.forEach((arn, i) => {
      this.portfolio.giveAccessToRole(iam.Role.fromRoleArn(this, `PortfolioRole${i}`, arn, { mutable: false }));
    });
    for (const pattern of config.portfolioPrincipalPatterns) {
      // Named by the pattern, not its position: a reordered list must not replace one association with an equal one.
      new servicecatalog.CfnPortfolioPrincipalAssociation(this.portfolio, `PrincipalPattern${digest(pattern)}`, {
        portfolioId: this.portfolio.portfolioId,
        principalArn: pattern,
        principalType: 'IAM_PATTERN',
      });
    }
    for (const account of config.shareWithAccounts) this.portfolio.shareWithAccount(account, { shareTagOptions: true });
    if (config.shareWithOrganization.length > 0) {
      const share = new OrganizationPortfolioShare(this, 'OrganizationShare', {
        portfolio: this.portfolio,
        nodes: config.shareWithOrganization,
      });
      // The first share carries the TagOptions and principal names associated by then.
      share.resource.node.addDependency(this.portfolio);
    }

    this.acknowledgeAssetCopy();
    const products = props.products ?? loadProducts(config, props.productsDirectory, props.snapshotDirectory);
    for (const loaded of products) this.products.push(this.publish(loaded, config));
    this.retireVersions();
  }

  /** Versions release.json marks deprecated or inactive, among those this hub offers. */
  private retireVersions(): void {
    const retiring = this.products
      .map(({ product, release, retained, current }) => {
        const offered = retained.map((v) => v.name);
        const retired = release.retained.flatMap(({ name, status }) =>
          status !== 'active' && offered.includes(name) ? [{ name, status }] : [],
        );
        return { product, offered: [...offered, current.name], retired };
      })
      .filter((p) => p.retired.length > 0);
    if (retiring.length > 0) new ProductVersionStatus(this, 'VersionStatus', { products: retiring });
  }

  /**
   * The asset copy is CDK's BucketDeployment singleton, created while product stacks synthesize, so its findings
   * are acknowledged on this stack by their exact IDs (the custom resource handlers carry their own).
   */
  private acknowledgeAssetCopy(): void {
    const reason =
      "CDK's BucketDeployment copies product assets from the bootstrap bucket into the product asset bucket; its policy and runtime are CDK's.";
    for (const id of [
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-${this.catalogRegion.region}/*]`,
      `AwsSolutions-IAM5[Resource::<${logicalIdOf(this.assets.bucket)}.Arn>/*]`,
      'AwsSolutions-IAM5[Action::s3:List*]',
      'AwsSolutions-IAM5[Action::s3:GetObject*]',
      'AwsSolutions-IAM5[Action::s3:GetBucket*]',
      'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
      'AwsSolutions-IAM5[Action::s3:Abort*]',
      'AwsSolutions-L1',
    ])
      acknowledge(this, id, reason);
  }

  private publish(loaded: LoadedProduct, config: CatalogConfig): PublishedProduct {
    const { folder, field, definition, settings, release, releaseFile, snapshotDirectory } = loaded;
    const id = pascalCase(folder);
    const productStack = definition.createProductStack(this, `${id}Product`, settings, {
      assetBucket: this.assets.bucket,
      organizationId: config.organizationId,
    });
    const history = new servicecatalog.ProductStackHistory(this, `${id}History`, {
      productStack,
      currentVersionName: release.current.name,
      currentVersionLocked: release.current.locked,
      description: release.current.description,
      directory: snapshotDirectory,
    });
    const version = (name: string): PublishedVersion => ({
      name,
      snapshotFile: snapshotFile(history, productStack, snapshotDirectory, name),
    });
    const snapshots = release.retained.map((v) => version(v.name));
    const missing = snapshots.filter((v) => !fs.existsSync(v.snapshotFile));
    if (this.catalogRegion.home && missing.length > 0) {
      throw new ConfigError(
        `${field}.folder`,
        `release.json retains ${missing[0].name}, but its snapshot ${missing[0].snapshotFile} is missing: ` +
          'a retained version is published from its committed snapshot',
      );
    }
    const retained = snapshots.filter((v) => !missing.includes(v));
    const product = new servicecatalog.CloudFormationProduct(this, id, {
      productName: definition.productName,
      owner: definition.owner,
      description: definition.description,
      supportDescription: definition.supportDescription,
      // versionFromSnapshot gives every version the current one's description.
      productVersions: [
        ...retained.map((v) => ({
          ...history.versionFromSnapshot(v.name),
          description: release.retained.find((r) => r.name === v.name)?.description,
        })),
        history.currentVersion(),
      ],
    });
    this.portfolio.addProduct(product);

    let launchRole: ProductLaunchRole | undefined;
    if (this.catalogRegion.home) {
      const assetBucketNames = catalogRegions(config).map((r) => r.assetBucketName);
      launchRole = new ProductLaunchRole(this, `${id}LaunchRole`, { definition, settings, assetBucketNames });
      this.portfolio.setLocalLaunchRole(product, launchRole);
    } else {
      this.portfolio.setLocalLaunchRole(
        product,
        iam.Role.fromRoleName(this, `${id}LaunchRole`, definition.launchRoleName),
      );
    }
    for (const [i, rule] of definition.templateRules(settings).entries()) {
      this.portfolio.constrainCloudFormationParameters(product, {
        rule,
        messageLanguage: servicecatalog.MessageLanguage.EN,
        description: `Approved values ${i + 1}`,
      });
    }
    this.portfolio.constrainTagUpdates(product, { allow: true });
    return {
      folder,
      definition,
      settings,
      release,
      releaseFile,
      productStack,
      product,
      launchRole,
      retained,
      notOffered: missing.map((v) => v.name),
      current: version(release.current.name),
    };
  }
}

/** The snapshot file ProductStackHistory reads a version from (and writes the current version to). */
function snapshotFile(
  history: servicecatalog.ProductStackHistory,
  productStack: servicecatalog.ProductStack,
  directory: string,
  version: string,
): string {
  return path.join(directory, `${Names.uniqueId(history)}.${productStack.artifactId}.${version}.product.template.json`);
}

function digest(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex').slice(0, 8);
}
