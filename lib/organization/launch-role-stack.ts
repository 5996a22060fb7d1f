import { BootstraplessSynthesizer, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { LoadedProduct } from '../catalog/product-loader';
import { ProductLaunchRole } from '../catalog/product-launch-role';
import { pascalCase } from '../catalog/naming';

export interface LaunchRoleStackProps extends StackProps {
  /** The products whose launch roles each target account gets. */
  readonly products: LoadedProduct[];
  /** The buckets launches read the products' assets from, one per catalog region. */
  readonly assetBucketNames: string[];
}

/**
 * The template the organization's StackSet deploys into every target account: each product's local launch role,
 * built by the same construct as the hub's. A stack of the app, so it is synthesized and checked like every
 * other template; it has no assets and no bootstrap check, because member accounts are not CDK-bootstrapped.
 */
export class LaunchRoleStack extends Stack {
  readonly roles: ProductLaunchRole[];

  constructor(scope: Construct, id: string, props: LaunchRoleStackProps) {
    super(scope, id, { ...props, synthesizer: new BootstraplessSynthesizer() });
    this.roles = props.products.map(
      ({ folder, definition, settings }) =>
        new ProductLaunchRole(this, `${pascalCase(folder)}LaunchRole`, {
          definition,
          settings,
          assetBucketNames: props.assetBucketNames,
        }),
    );
  }

  /** This stack's template, as the StackSet's `TemplateBody`. */
  templateBody(): string {
    return JSON.stringify(this._toCloudFormation());
  }
}
