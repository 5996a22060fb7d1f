import { z } from 'zod';
import { organizationStackSchema } from './organization-config';
import {
  ConfigError,
  configObject,
  configRecord,
  flag,
  list,
  matching,
  parseConfig,
  patterns,
  text,
} from './validation';

export const CONFIG_CONTEXT_KEY = 'catalog';

/** A node of the AWS Organization, as Service Catalog's `OrganizationNode` names it. */
export interface OrganizationNode {
  readonly type: 'ORGANIZATION' | 'ORGANIZATIONAL_UNIT';
  /** The organization ID (`o-…`) or the OU ID (`ou-…`). */
  readonly value: string;
}

/** One product of the portfolio: a folder under `products/` and that product's own settings. */
const productEntrySchema = configObject({
  folder: matching(patterns.productFolder, 'a folder name under products/').meta({
    description: 'folder under products/; its index.ts exports `product: ProductDefinition`',
  }),
  /** @default {} */
  settings: z
    .unknown()
    .default({})
    .meta({ description: "the product's settings, which the product's definition parses itself" }),
});

const accountBaselineSchema = configObject({
  /** @default true */
  guardDuty: flag()
    .default(true)
    .meta({ description: 'GuardDuty detector with EKS audit logs and Runtime Monitoring' }),
  /** @default true */
  config: flag()
    .default(true)
    .meta({ description: "AWS Config recorder and delivery channel (the product's Config rules need one)" }),
  /** @default true */
  enhancedImageScanning: flag().default(true).meta({ description: 'ECR enhanced scanning with Amazon Inspector' }),
}).superRefine((baseline, context) => {
  if (!Object.values(baseline).some(Boolean)) {
    context.addIssue({
      code: 'custom',
      message: 'turns every part off: leave at least one on, or do not deploy the HardenedEksAccountBaseline stack',
    });
  }
});

/** The platform configuration: `cdk.json` context key `catalog`. */
export const catalogSchema = configObject({
  portfolio: configObject({
    displayName: matching(/^.{1,100}$/, 'a name of 1-100 characters').meta({ description: "the portfolio's name" }),
    providerName: matching(/^.{1,50}$/, 'a name of 1-50 characters').meta({ description: 'who provides it' }),
    description: matching(/^[\s\S]{1,2000}$/, 'a description of 1-2000 characters').meta({
      description: 'what it offers',
    }),
  }).meta({ description: 'how the portfolio appears to consumers' }),
  organizationId: matching(patterns.organizationId, 'an AWS Organizations ID like o-a1b2c3d4e5').meta({
    description:
      'your AWS Organization (`o-…`): who may read product assets; whose S3 buckets nodes may reach; who may use the ECR repositories',
  }),
  assetBucketName: matching(patterns.bucketName, 'a valid S3 bucket name').meta({
    description:
      "physical name of the product asset bucket (the kubectl handler's code and layers live there) in the home region; the other regions' buckets are `<assetBucketName>-<region>`",
  }),
  regions: list(matching(patterns.region, 'an AWS region like eu-west-1'), {
    minItems: 1,
    whenMissing: 'is missing: list the regions the catalog is offered in, the home region first',
  }).meta({
    description:
      "the regions the catalog is offered in, the home region first (at least one, each once): one hub stack per region, each with its own asset bucket (Lambda code must be in the launch's region) and the same portfolio contents. The home region's hub keeps its names (`HardenedEksCatalog`, `assetBucketName`): its released product templates contain them. Another region's hub is `HardenedEksCatalog-<region>`; it offers the versions released since the region was added (those with a snapshot for its hub) and names the launch role the home hub creates (IAM is global)",
  }),
  /** @default [] */
  shareWithAccounts: list(matching(patterns.accountId, 'a 12-digit AWS account ID'))
    .default([])
    .meta({ description: 'accounts the portfolio is shared with' }),
  /** @default [] */
  shareWithOrganization: list(text().meta({ pattern: '^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|o-[a-z0-9]{10,32})$' }))
    .default([])
    .meta({
      description:
        'organizational units (`ou-…`) the portfolio is shared with, or `organizationId` itself for the whole organization; TagOptions and principal names go with the share (`lib/catalog/organization-portfolio-share.ts`; needs the Organizations access below)',
    }),
  /** @default [] */
  portfolioRoleArns: list(matching(patterns.iamRoleArn, 'an IAM role ARN'))
    .default([])
    .meta({ description: 'roles in this account given access to the portfolio' }),
  // Service Catalog takes at most 10 IAM_PATTERN principals per portfolio.
  /** @default [] */
  portfolioPrincipalPatterns: list(
    matching(
      patterns.iamPrincipalPattern,
      'a principal name pattern without an account, like arn:aws:iam:::role/PlatformConsumers*',
    ),
    { maxItems: 10 },
  )
    .default([])
    .meta({
      description:
        'principal name patterns without an account (`arn:aws:iam:::role/PlatformConsumers*`, `PrincipalType: IAM_PATTERN`, at most 10): with an organization share they give access in every shared account with no per-account association. Anyone who may create a role of a matching name in a shared account gets access: keep role creation there restricted',
    }),
  /** @default {} */
  tagOptions: configRecord(
    matching(patterns.tagKey, 'a tag key of 1-128 characters'),
    list(matching(/^.{1,256}$/, 'a tag value of 1-256 characters'), { minItems: 1 }),
  )
    .default({})
    .meta({ description: 'allowed values per tag key (a key with one value is enforced on every launch)' }),
  organizationStack: organizationStackSchema.optional(),
  products: list(productEntrySchema, { minItems: 1 }).meta({
    description: 'one entry per product: `{ "folder": "<folder under products/>", "settings": { … } }`',
  }),
  /** @default {"guardDuty": true, "config": true, "enhancedImageScanning": true} */
  accountBaseline: accountBaselineSchema.prefault({}).meta({
    description:
      'parts of the optional `HardenedEksAccountBaseline` stack (deployed once per account and region, not through Service Catalog)',
  }),
})
  .superRefine((catalog, context) => {
    for (const region of catalog.regions.slice(1)) {
      const regional = regionalBucketName(catalog.assetBucketName, region);
      if (regional.length > 63) {
        context.addIssue({
          code: 'custom',
          path: ['assetBucketName'],
          message: `is too long for the ${region} hub's bucket '${regional}' (S3 bucket names have at most 63 characters)`,
        });
      }
    }
    catalog.shareWithOrganization.forEach((node, index) => {
      if (node !== catalog.organizationId && !patterns.organizationalUnitId.test(node)) {
        context.addIssue({
          code: 'custom',
          path: ['shareWithOrganization', index],
          message: `'${node}' is not an organizational unit ID like ou-ab12-cd34ef56, nor the catalog's organization ${catalog.organizationId} (the whole organization)`,
        });
      }
    });
  })
  .transform(({ shareWithOrganization, ...catalog }) => ({
    ...catalog,
    shareWithOrganization: shareWithOrganization.map(
      (value): OrganizationNode => ({
        type: value === catalog.organizationId ? 'ORGANIZATION' : 'ORGANIZATIONAL_UNIT',
        value,
      }),
    ),
  }));

export type CatalogConfig = z.output<typeof catalogSchema>;
export type ProductEntry = CatalogConfig['products'][number];
export type AccountBaselineConfig = CatalogConfig['accountBaseline'];

export function parseCatalogConfig(raw: unknown, field = CONFIG_CONTEXT_KEY): CatalogConfig {
  if (raw === undefined) throw new ConfigError(field, `is missing: add a "${field}" object to the context in cdk.json`);
  return parseConfig(catalogSchema, raw, field);
}

/** The asset bucket of a hub outside the home region (bucket names are global, and Lambda code must be in the launch's region). */
export function regionalBucketName(assetBucketName: string, region: string): string {
  return `${assetBucketName}-${region}`;
}
