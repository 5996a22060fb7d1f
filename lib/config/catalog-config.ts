import { OrganizationStackConfig, parseOrganizationStackConfig } from './organization-config';
import {
  ConfigError, expectArray, expectBoolean, expectObject, expectString, patterns,
} from './validation';

/** One product of the portfolio: a folder under `products/` and that product's own settings. */
export interface ProductEntry {
  /** Folder name under `products/`; the folder's `index.ts` exports `product: ProductDefinition`. */
  readonly folder: string;
  /** Settings the product's definition parses and validates itself. */
  readonly settings: unknown;
}

/** The platform configuration: `cdk.json` context key `catalog`. */
export interface CatalogConfig {
  readonly portfolio: { displayName: string; providerName: string; description: string };
  /** The AWS Organization whose accounts may read product assets and whose buckets nodes may reach. */
  readonly organizationId: string;
  /** Physical name of the bucket holding product assets (the kubectl handler's code and layers) in the home region. */
  readonly assetBucketName: string;
  /**
   * The regions the catalog is offered in, one hub stack each. The first is the home region: its hub keeps the
   * names the catalog was first deployed with; the others get region-qualified names.
   */
  readonly regions: string[];
  /** Accounts the portfolio is shared with. */
  readonly shareWithAccounts: string[];
  /** Organization nodes the portfolio is shared with (TagOptions and principal names included): OUs, or the whole organization. */
  readonly shareWithOrganization: OrganizationNode[];
  /** IAM roles given access to the portfolio in this account. */
  readonly portfolioRoleArns: string[];
  /**
   * Principal name patterns (`arn:aws:iam:::role/PlatformConsumers*`) given access to the portfolio; with an
   * organization share they give access in every shared account, without a per-account association.
   */
  readonly portfolioPrincipalPatterns: string[];
  /** TagOptions: allowed values per tag key; a key with one value is enforced on every launch. */
  readonly tagOptions: Record<string, string[]>;
  readonly products: ProductEntry[];
  /** The optional organization stack (launch roles by StackSet, service control policies): absent, none is synthesized. */
  readonly organizationStack?: OrganizationStackConfig;
  /** Switches of the optional account-baseline stack (deployed once per account and region, not through Service Catalog). */
  readonly accountBaseline: AccountBaselineConfig;
}

export interface AccountBaselineConfig {
  /** GuardDuty detector with EKS audit logs and Runtime Monitoring. */
  readonly guardDuty: boolean;
  /** AWS Config recorder and delivery channel (the product's Config rules need one). */
  readonly config: boolean;
  /** ECR enhanced scanning with Amazon Inspector. */
  readonly enhancedImageScanning: boolean;
}

/** A node of the AWS Organization, as Service Catalog's `OrganizationNode` names it. */
export interface OrganizationNode {
  readonly type: 'ORGANIZATION' | 'ORGANIZATIONAL_UNIT';
  /** The organization ID (`o-…`) or the OU ID (`ou-…`). */
  readonly value: string;
}

export const CONFIG_CONTEXT_KEY = 'catalog';

export function parseCatalogConfig(raw: unknown, field = CONFIG_CONTEXT_KEY): CatalogConfig {
  if (raw === undefined) throw new ConfigError(field, `is missing: add a "${field}" object to the context in cdk.json`);
  const o = expectObject(raw, field, ['portfolio', 'organizationId', 'assetBucketName', 'regions', 'shareWithAccounts', 'shareWithOrganization', 'portfolioRoleArns', 'portfolioPrincipalPatterns', 'tagOptions', 'organizationStack', 'products', 'accountBaseline']);
  const p = expectObject(o.portfolio, `${field}.portfolio`, ['displayName', 'providerName', 'description']);
  const tagOptionsRaw = expectObject(o.tagOptions ?? {}, `${field}.tagOptions`, Object.keys(o.tagOptions ?? {}));
  const tagOptions: Record<string, string[]> = {};
  for (const [key, values] of Object.entries(tagOptionsRaw)) {
    expectString(key, `${field}.tagOptions.${key}`, patterns.tagKey, `a tag key of 1-128 characters`);
    tagOptions[key] = expectArray(values, `${field}.tagOptions.${key}`,
      (v, f) => expectString(v, f, /^.{1,256}$/, 'a tag value of 1-256 characters'), { minItems: 1 });
  }
  const organizationId = expectString(o.organizationId, `${field}.organizationId`, patterns.organizationId, 'an AWS Organizations ID like o-a1b2c3d4e5');
  const assetBucketName = expectString(o.assetBucketName, `${field}.assetBucketName`, patterns.bucketName, 'a valid S3 bucket name');
  if (o.regions === undefined) throw new ConfigError(`${field}.regions`, 'is missing: list the regions the catalog is offered in, the home region first');
  const regions = expectArray(o.regions, `${field}.regions`, (v, f) => expectString(v, f, patterns.region, 'an AWS region like eu-west-1'), { minItems: 1 });
  for (const region of regions.slice(1)) {
    const regional = regionalBucketName(assetBucketName, region);
    if (regional.length > 63) {
      throw new ConfigError(`${field}.assetBucketName`, `is too long for the ${region} hub's bucket '${regional}' (S3 bucket names have at most 63 characters)`);
    }
  }
  return {
    portfolio: {
      displayName: expectString(p.displayName, `${field}.portfolio.displayName`, /^.{1,100}$/, 'a name of 1-100 characters'),
      providerName: expectString(p.providerName, `${field}.portfolio.providerName`, /^.{1,50}$/, 'a name of 1-50 characters'),
      description: expectString(p.description, `${field}.portfolio.description`, /^[\s\S]{1,2000}$/, 'a description of 1-2000 characters'),
    },
    organizationId,
    assetBucketName,
    regions,
    shareWithAccounts: expectArray(o.shareWithAccounts ?? [], `${field}.shareWithAccounts`,
      (v, f) => expectString(v, f, patterns.accountId, 'a 12-digit AWS account ID')),
    shareWithOrganization: expectArray(o.shareWithOrganization ?? [], `${field}.shareWithOrganization`,
      (v, f) => organizationNode(v, f, organizationId)),
    portfolioRoleArns: expectArray(o.portfolioRoleArns ?? [], `${field}.portfolioRoleArns`,
      (v, f) => expectString(v, f, patterns.iamRoleArn, 'an IAM role ARN')),
    // Service Catalog takes at most 10 IAM_PATTERN principals per portfolio.
    portfolioPrincipalPatterns: expectArray(o.portfolioPrincipalPatterns ?? [], `${field}.portfolioPrincipalPatterns`,
      (v, f) => expectString(v, f, patterns.iamPrincipalPattern, 'a principal name pattern without an account, like arn:aws:iam:::role/PlatformConsumers*'),
      { maxItems: 10 }),
    tagOptions,
    products: expectArray(o.products, `${field}.products`, (v, f) => {
      const entry = expectObject(v, f, ['folder', 'settings']);
      return { folder: expectString(entry.folder, `${f}.folder`, patterns.productFolder, 'a folder name under products/'), settings: entry.settings ?? {} };
    }, { minItems: 1 }),
    ...(o.organizationStack === undefined ? {} : { organizationStack: parseOrganizationStackConfig(o.organizationStack, `${field}.organizationStack`) }),
    accountBaseline: (() => {
      const b = expectObject(o.accountBaseline ?? {}, `${field}.accountBaseline`, ['guardDuty', 'config', 'enhancedImageScanning']);
      const accountBaseline = {
        guardDuty: expectBoolean(b.guardDuty ?? true, `${field}.accountBaseline.guardDuty`),
        config: expectBoolean(b.config ?? true, `${field}.accountBaseline.config`),
        enhancedImageScanning: expectBoolean(b.enhancedImageScanning ?? true, `${field}.accountBaseline.enhancedImageScanning`),
      };
      if (!Object.values(accountBaseline).some(Boolean)) {
        throw new ConfigError(`${field}.accountBaseline`, 'turns every part off: leave at least one on, or do not deploy the HardenedEksAccountBaseline stack');
      }
      return accountBaseline;
    })(),
  };
}

/** The asset bucket of a hub outside the home region (bucket names are global, and Lambda code must be in the launch's region). */
export function regionalBucketName(assetBucketName: string, region: string): string {
  return `${assetBucketName}-${region}`;
}

/** An OU ID, or the catalog's own organization ID for the whole organization. */
function organizationNode(value: unknown, field: string, organizationId: string): OrganizationNode {
  const text = expectString(value, field);
  if (text === organizationId) return { type: 'ORGANIZATION', value: text };
  return {
    type: 'ORGANIZATIONAL_UNIT',
    value: expectString(text, field, patterns.organizationalUnitId,
      `an organizational unit ID like ou-ab12-cd34ef56, nor the catalog's organization ${organizationId} (the whole organization)`),
  };
}
