import type { z } from 'zod';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import { Construct } from 'constructs';
import { BreakGlassRoleSpec } from '../identity/break-glass-role';
import { RoleBoundaryName, RoleBoundaryScope } from '../identity/product-role-boundary';

/**
 * What consumers may do with a retained version: `active` launch and update to it; `deprecated` update stacks
 * already on it but not launch it (Service Catalog guidance DEPRECATED); `inactive` neither (Active false).
 */
export type VersionStatus = 'active' | 'deprecated' | 'inactive';

/** A stateful resource the current version may replace or remove, accepted with what consumers must do about it. */
export interface AcceptedBreakingChange {
  /** The resource's logical ID in the product template (in the retained version's template when it is removed). */
  readonly resource: string;
  /** What consumers do before or after updating (e.g. back up, migrate data); shown in releases.md. */
  readonly migration: string;
}

/** Where a product's version history lives: `products/<folder>/release.json`. */
export interface ProductRelease {
  /** The version built from the current code, e.g. v1.2.0. */
  readonly current: {
    name: string;
    description: string;
    locked: boolean;
    acceptedBreakingChanges: AcceptedBreakingChange[];
  };
  /** Earlier released versions still in the product, published from their committed snapshots. */
  readonly retained: { name: string; description: string; status: VersionStatus }[];
}

/** What the catalog passes to a product when it builds the product's stack. */
export interface ProductBuildContext {
  /** The bucket the product's assets are copied to; product stacks must use it as `assetBucket`. */
  readonly assetBucket: servicecatalog.ProductStackProps['assetBucket'];
  /** The AWS Organization of the catalog. */
  readonly organizationId: string;
}

/**
 * A Service Catalog product this builder can publish. Each folder under `products/` exports one as
 * `product`; the catalog finds it by the folder named in configuration.
 */
export interface ProductDefinition<Settings = unknown> {
  readonly productName: string;
  readonly owner: string;
  readonly description: string;
  readonly supportDescription?: string;
  /** Validates the product's settings from configuration; throws `ConfigError` naming the field. */
  parseSettings(raw: unknown, field: string): Settings;
  /** The zod schema of the settings: the editors' JSON Schema of cdk.json and the README's table come from it. */
  readonly settingsSchema?: z.ZodType;
  /** Builds the product's CloudFormation template as a ProductStack. */
  createProductStack(
    scope: Construct,
    id: string,
    settings: Settings,
    context: ProductBuildContext,
  ): servicecatalog.ProductStack;
  /** Name of the local launch role; the same-named role must exist in every account that launches the product. */
  readonly launchRoleName: string;
  /** The least-privilege permissions CloudFormation needs to launch this product (assets come from `assetBucketName`). */
  launchRoleStatements(settings: Settings, assetBucketName: string): iam.PolicyStatement[];
  /**
   * The permissions boundary every role of the product carries: created beside the launch role (hub and StackSet),
   * and the launch role creates or changes no role without it.
   * @default - no boundary (the launch role's statements alone limit what the product's roles may do)
   */
  roleBoundary?(settings: Settings): { name: RoleBoundaryName; scope: RoleBoundaryScope };
  /**
   * The break-glass role every launching account gets beside the launch role (hub and StackSet), so that the
   * product's clusters can name it in the launching account instead of trusting another account's role.
   * @default - no break-glass role
   */
  breakGlassRole?(settings: Settings): BreakGlassRoleSpec;
  /** Template constraints that keep consumers on approved parameter values. */
  templateRules(settings: Settings): servicecatalog.TemplateRule[];
  /** Service control policies, by file name: attached to the target OUs by the organization stack and written to `cdk.out/organization/`. */
  organizationPolicies?(settings: Settings): Record<string, unknown>;
}
