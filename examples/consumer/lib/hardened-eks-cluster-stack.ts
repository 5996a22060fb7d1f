import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import { Construct } from 'constructs';

/** What a team chooses when it launches the hardened EKS product: `cdk.json` context key `provisionedProduct`. */
export interface ProvisionedClusterSettings {
  /** The provisioned product's name in Service Catalog (unique in the account). */
  readonly name: string;
  /** The product's name as the portfolio shows it. */
  readonly product: string;
  /** The version to launch, or to update to: changing it updates the provisioned product in place. */
  readonly version: string;
  /** Launch parameters by key; parameters left out take the product's defaults. */
  readonly parameters: Record<string, string>;
  /** Tags from the portfolio's TagOptions. */
  readonly tags: Record<string, string>;
}

export interface HardenedEksClusterStackProps extends StackProps {
  readonly cluster: ProvisionedClusterSettings;
}

/** A team's hardened EKS cluster, launched from the platform team's Service Catalog product. */
export class HardenedEksClusterStack extends Stack {
  readonly provisionedProduct: servicecatalog.CfnCloudFormationProvisionedProduct;

  constructor(scope: Construct, id: string, props: HardenedEksClusterStackProps) {
    super(scope, id, props);
    const { cluster } = props;
    this.provisionedProduct = new servicecatalog.CfnCloudFormationProvisionedProduct(this, 'Cluster', {
      provisionedProductName: cluster.name,
      productName: cluster.product,
      provisioningArtifactName: cluster.version,
      provisioningParameters: Object.entries(cluster.parameters).map(([key, value]) => ({ key, value })),
      tags: Object.entries(cluster.tags).map(([key, value]) => ({ key, value })),
    });
    for (const output of ['ClusterName', 'KubeconfigCommand', 'NodeSessionCommand', 'SecurityAlertTopicArn']) {
      new CfnOutput(this, output, { value: this.provisionedProduct.getAtt(`Outputs.${output}`).toString() });
    }
  }
}
