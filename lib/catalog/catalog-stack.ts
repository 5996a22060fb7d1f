import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import { Construct } from 'constructs';
import { CatalogConfig } from '../config/catalog-config';
import { ConfigError, expectArray, expectBoolean, expectObject, expectString } from '../config/validation';
import { acknowledge, logicalIdOf } from '../compliance/acknowledge';
import { OrganizationPortfolioShare } from './organization-portfolio-share';
import { ProductAssetBucket } from './product-asset-bucket';
import { ProductDefinition, ProductRelease } from './product-definition';

export interface CatalogStackProps extends StackProps {
  readonly config: CatalogConfig;
  /** Folder holding one sub-folder per product. @default the repository's `products/` */
  readonly productsDirectory?: string;
  /** Where ProductStackHistory reads and writes template snapshots. @default `<product folder>/snapshots` */
  readonly snapshotDirectory?: (productFolder: string) => string;
}

/** A product as published: its definition, its stack, its Service Catalog product. */
export interface PublishedProduct {
  readonly folder: string;
  readonly definition: ProductDefinition;
  readonly settings: unknown;
  readonly productStack: servicecatalog.ProductStack;
  readonly product: servicecatalog.CloudFormationProduct;
  readonly launchRole: iam.Role;
}

export const DEFAULT_PRODUCTS_DIRECTORY = path.join(__dirname, '..', '..', 'products');

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
    const productsDirectory = props.productsDirectory ?? DEFAULT_PRODUCTS_DIRECTORY;
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
    config.products.forEach((entry, index) => {
      const field = `catalog.products[${index}]`;
      const folder = path.join(productsDirectory, entry.folder);
      const definition = loadProductDefinition(folder, `${field}.folder`);
      const release = loadRelease(path.join(folder, 'release.json'), `${field}.folder`);
      const settings = definition.parseSettings(entry.settings, `${field}.settings`);
      this.products.push(this.publish(entry.folder, definition, settings, release,
        props.snapshotDirectory?.(entry.folder) ?? path.join(folder, 'snapshots'), config));
    });
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

  private publish(folder: string, definition: ProductDefinition, settings: unknown, release: ProductRelease,
    snapshots: string, config: CatalogConfig): PublishedProduct {
    const id = pascalCase(folder);
    const productStack = definition.createProductStack(this, `${id}Product`, settings, {
      assetBucket: this.assets.bucket, organizationId: config.organizationId,
    });
    const history = new servicecatalog.ProductStackHistory(this, `${id}History`, {
      productStack,
      currentVersionName: release.current.name,
      currentVersionLocked: release.current.locked,
      description: release.current.description,
      directory: snapshots,
    });
    const product = new servicecatalog.CloudFormationProduct(this, id, {
      productName: definition.productName,
      owner: definition.owner,
      description: definition.description,
      supportDescription: definition.supportDescription,
      productVersions: [
        ...release.retained.map((v) => history.versionFromSnapshot(v.name)),
        history.currentVersion(),
      ],
    });
    this.portfolio.addProduct(product);

    const launchRole = new iam.Role(this, `${id}LaunchRole`, {
      roleName: definition.launchRoleName,
      assumedBy: new iam.ServicePrincipal('servicecatalog.amazonaws.com'),
      description: `Service Catalog launch role for ${definition.productName}: CloudFormation creates the product with it`,
      inlinePolicies: { Launch: new iam.PolicyDocument({ statements: definition.launchRoleStatements(settings, this.assets.bucket.bucketName) }) },
    });
    acknowledgeLaunchRoleWildcards(launchRole, definition.launchRoleStatements(settings, this.assets.bucket.bucketName));
    this.portfolio.setLocalLaunchRole(product, launchRole);
    for (const [i, rule] of definition.templateRules(settings).entries()) {
      this.portfolio.constrainCloudFormationParameters(product, { rule, messageLanguage: servicecatalog.MessageLanguage.EN, description: `Approved values ${i + 1}` });
    }
    this.portfolio.constrainTagUpdates(product, { allow: true });
    return { folder, definition, settings, productStack, product, launchRole };
  }
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

function loadRelease(file: string, field: string): ProductRelease {
  if (!fs.existsSync(file)) throw new ConfigError(field, `the product has no ${file}`);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(file, `is not valid JSON (${(error as Error).message})`);
  }
  const o = expectObject(raw, file, ['current', 'retained']);
  const version = (v: unknown, f: string, keys: string[]) => {
    const entry = expectObject(v, f, keys);
    return {
      name: expectString(entry.name, `${f}.name`, /^v\d+\.\d+\.\d+$/, 'a version like v1.2.3'),
      description: expectString(entry.description, `${f}.description`),
      locked: entry.locked === undefined ? true : expectBoolean(entry.locked, `${f}.locked`),
    };
  };
  const current = version(o.current, `${file} current`, ['name', 'description', 'locked']);
  const retained = expectArray(o.retained ?? [], `${file} retained`, (v, f) => {
    const { name, description } = version(v, f, ['name', 'description']);
    return { name, description };
  });
  if (retained.some((v) => v.name === current.name)) throw new ConfigError(`${file} retained`, `'${current.name}' is also the current version`);
  return { current, retained };
}

function digest(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex').slice(0, 8);
}

function pascalCase(folder: string): string {
  return folder.split('-').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}

/**
 * The launch role's wildcard resources are each scoped to this account and to the product's IAM path, the
 * Service Catalog stack prefix or the asset bucket, and only usable through CloudFormation: acknowledged one by one.
 */
function acknowledgeLaunchRoleWildcards(role: iam.Role, statements: iam.PolicyStatement[]): void {
  const stack = Stack.of(role);
  const ids = new Set<string>();
  for (const statement of statements) {
    for (const resource of statement.resources) {
      const text = renderForNag(stack.resolve(resource));
      if (text.includes('*')) ids.add(`AwsSolutions-IAM5[Resource::${text}]`);
    }
    for (const action of statement.actions) if (action.includes('*')) ids.add(`AwsSolutions-IAM5[Action::${action}]`);
  }
  for (const id of ids) {
    acknowledge(role, id, 'Launch role: scoped to this account and to the product\'s IAM path, stack prefix or asset bucket; every statement but stack operations requires aws:CalledVia CloudFormation.');
  }
}

/** Renders a resolved IAM resource the way cdk-nag prints it in finding IDs (`<AWS::AccountId>`, `<Logical.Arn>`). */
function renderForNag(resolved: unknown): string {
  if (typeof resolved === 'string') return resolved;
  if (resolved && typeof resolved === 'object') {
    const o = resolved as Record<string, unknown>;
    if ('Ref' in o) return `<${o.Ref}>`;
    if ('Fn::GetAtt' in o) return `<${(o['Fn::GetAtt'] as string[]).join('.')}>`;
    if ('Fn::Join' in o) {
      const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
      return parts.map(renderForNag).join(sep);
    }
  }
  return JSON.stringify(resolved);
}
