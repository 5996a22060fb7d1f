import * as path from 'path';
import { Aws, CustomResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import { Construct } from 'constructs';
import { CustomResourceHandler } from './custom-resource-handler';
import { VersionStatus } from './product-definition';

/** A product whose versions are not all active, as one hub offers it. */
export interface ProductVersions {
  readonly product: servicecatalog.CloudFormationProduct;
  /** Every version the hub offers (a release changes the list, and the statuses are applied again). */
  readonly offered: string[];
  /** The versions to retire, by name. */
  readonly retired: { name: string; status: Exclude<VersionStatus, 'active'> }[];
}

export interface ProductVersionStatusProps {
  readonly products: ProductVersions[];
}

/** What Service Catalog's UpdateProvisioningArtifact sets for each status. */
export const VERSION_SETTINGS = {
  deprecated: { Guidance: 'DEPRECATED', Active: 'true' },
  inactive: { Guidance: 'DEPRECATED', Active: 'false' },
} as const;

/**
 * Retires product versions through UpdateProvisioningArtifact, which CloudFormation cannot set: a deprecated
 * version can no longer be launched but stacks on it can still be updated; an inactive one can be neither.
 * One custom resource per product; its handler may change only the versions of these products.
 */
export class ProductVersionStatus extends Construct {
  readonly handler: CustomResourceHandler;
  readonly resources: CustomResource[];

  constructor(scope: Construct, id: string, props: ProductVersionStatusProps) {
    super(scope, id);
    const productArn = (product: servicecatalog.IProduct) =>
      `arn:${Aws.PARTITION}:catalog:${Aws.REGION}:${Aws.ACCOUNT_ID}:product/${product.productId}`;
    this.handler = new CustomResourceHandler(this, 'Retire', {
      entry: path.join(__dirname, 'product-version-status', 'handler.ts'),
      description: 'Sets the guidance and active state of product versions',
      statements: [
        new iam.PolicyStatement({
          sid: 'VersionsOfTheseProducts',
          actions: ['servicecatalog:ListProvisioningArtifacts', 'servicecatalog:UpdateProvisioningArtifact'],
          resources: props.products.map((p) => productArn(p.product)),
        }),
      ],
    });
    this.resources = props.products.map(
      ({ product, offered, retired }) =>
        new CustomResource(this, product.node.id, {
          serviceToken: this.handler.serviceToken,
          resourceType: 'Custom::ProductVersionStatus',
          properties: {
            ProductId: product.productId,
            Versions: retired.map(({ name, status }) => ({ Name: name, ...VERSION_SETTINGS[status] })),
            OfferedVersions: offered,
          },
        }),
    );
  }
}
