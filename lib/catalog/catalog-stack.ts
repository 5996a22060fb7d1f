import * as crypto from 'crypto';
import { Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import { Construct } from 'constructs';
import { CatalogConfig } from '../config/catalog-config';
import { acknowledge, logicalIdOf } from '../compliance/acknowledge';
import { pascalCase } from './naming';
import { OrganizationPortfolioShare } from './organization-portfolio-share';
import { ProductAssetBucket } from './product-asset-bucket';
import { ProductDefinition } from './product-definition';
import { LoadedProduct, loadProducts } from './product-loader';
import { ProductLaunchRole } from './product-launch-role';

export interface CatalogStackProps extends StackProps {
  readonly config: CatalogConfig;
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
  readonly productStack: servicecatalog.ProductStack;
  readonly product: servicecatalog.CloudFormationProduct;
  readonly launchRole: ProductLaunchRole;
}

/**
 * The hub stack: a portfolio, each configured product with its version history, a launch role per product,
 * TagOptions, a template constraint, sharing and principal associations, and the product asset bucket.
 * Adding a product is a folder under `products/` and an entry in configuration: nothing here changes.
 */
export class CatalogStack extends Stack {
  readonly portfolio: servicecatalog.Portfolio;
  readonly assets: ProductAssetBucket;
  readonly products: PublishedProduct[] = [];

  constructor(scope: Construct, id: string, props: CatalogStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.assets = new ProductAssetBucket(this, 'ProductAssets', { bucketName: config.assetBucketName, organizationId: config.organizationId });

    this.portfolio = new servicecatalog.Portfolio(this, 'Portfolio', {
      displayName: config.portfolio.displayName,
      providerName: config.portfolio.providerName,
      description: config.portfolio.description,
    });
    if (Object.keys(config.tagOptions).length > 0) {
      this.portfolio.associateTagOptions(new servicecatalog.TagOptions(this, 'TagOptions', { allowedValuesForTags: config.tagOptions }));
    }
    config.portfolioRoleArns.forEach((arn, i) => this.portfolio.giveAccessToRole(iam.Role.fromRoleArn(this, `PortfolioRole${i}`, arn, { mutable: false })));
    for (const pattern of config.portfolioPrincipalPatterns) {
      // Named by the pattern, not its position: a reordered list must not replace one association with an equal one.
      new servicecatalog.CfnPortfolioPrincipalAssociation(this.portfolio, `PrincipalPattern${digest(pattern)}`, {
        portfolioId: this.portfolio.portfolioId, principalArn: pattern, principalType: 'IAM_PATTERN',
      });
    }
    for (const account of config.shareWithAccounts) this.portfolio.shareWithAccount(account, { shareTagOptions: true });
    if (config.shareWithOrganization.length > 0) {
      const share = new OrganizationPortfolioShare(this, 'OrganizationShare', { portfolio: this.portfolio, nodes: config.shareWithOrganization });
      // The first share carries the TagOptions and principal names associated by then.
      share.resource.node.addDependency(this.portfolio);
    }

    this.acknowledgeAssetCopy();
    const products = props.products ?? loadProducts(config, props.productsDirectory, props.snapshotDirectory);
    for (const loaded of products) this.products.push(this.publish(loaded, config));
  }

  /**
   * The asset copy is CDK's BucketDeployment singleton, created while product stacks synthesize, so its findings
   * are acknowledged on this stack by their exact IDs (the stack has no other Lambda function).
   */
  private acknowledgeAssetCopy(): void {
    const reason = 'CDK\'s BucketDeployment copies product assets from the bootstrap bucket into the product asset bucket; its policy and runtime are CDK\'s.';
    for (const id of [
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
      `AwsSolutions-IAM5[Resource::<${logicalIdOf(this.assets.bucket)}.Arn>/*]`,
      'AwsSolutions-IAM5[Action::s3:List*]', 'AwsSolutions-IAM5[Action::s3:GetObject*]', 'AwsSolutions-IAM5[Action::s3:GetBucket*]',
      'AwsSolutions-IAM5[Action::s3:DeleteObject*]', 'AwsSolutions-IAM5[Action::s3:Abort*]', 'AwsSolutions-L1',
    ]) acknowledge(this, id, reason);
  }

  private publish({ folder, definition, settings, release, snapshotDirectory }: LoadedProduct, config: CatalogConfig): PublishedProduct {
    const id = pascalCase(folder);
    const productStack = definition.createProductStack(this, `${id}Product`, settings, {
      assetBucket: this.assets.bucket, organizationId: config.organizationId,
    });
    const history = new servicecatalog.ProductStackHistory(this, `${id}History`, {
      productStack,
      currentVersionName: release.current.name,
      currentVersionLocked: release.current.locked,
      description: release.current.description,
      directory: snapshotDirectory,
    });
    const product = new servicecatalog.CloudFormationProduct(this, id, {
      productName: definition.productName,
      owner: definition.owner,
      description: definition.description,
      supportDescription: definition.supportDescription,
      productVersions: [
        // Each retained version keeps its own release note (the history would give every version the current one's).
        ...release.retained.map((v) => ({ ...history.versionFromSnapshot(v.name), description: v.description })),
        history.currentVersion(),
      ],
    });
    this.portfolio.addProduct(product);

    const launchRole = new ProductLaunchRole(this, `${id}LaunchRole`, { definition, settings, assetBucketName: this.assets.bucket.bucketName });
    this.portfolio.setLocalLaunchRole(product, launchRole);
    for (const [i, rule] of definition.templateRules(settings).entries()) {
      this.portfolio.constrainCloudFormationParameters(product, { rule, messageLanguage: servicecatalog.MessageLanguage.EN, description: `Approved values ${i + 1}` });
    }
    this.portfolio.constrainTagUpdates(product, { allow: true });
    return { folder, definition, settings, productStack, product, launchRole };
  }
}

function digest(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex').slice(0, 8);
}
