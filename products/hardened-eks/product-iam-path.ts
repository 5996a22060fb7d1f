import { CfnResource, IAspect } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { RoleBoundaryName } from '../../lib/identity/product-role-boundary';

/** IAM path of every role and managed policy the product creates; the launch role may only touch these. */
export const PRODUCT_IAM_PATH = '/hardened-eks/';

/**
 * The permissions boundary every role of the product carries: created beside the launch role (hub and StackSet),
 * outside PRODUCT_IAM_PATH so that the launch role, which must attach it, cannot change it.
 */
export const HARDENED_EKS_ROLE_BOUNDARY: RoleBoundaryName = {
  path: '/hardened-eks-boundary/',
  policyName: 'HardenedEksRoleBoundary',
};

/** Puts every role and managed policy of the product under one IAM path, so the launch role can be scoped to it. */
export class IamPath implements IAspect {
  constructor(private readonly path: string) {}
  visit(node: IConstruct): void {
    if (node instanceof iam.CfnRole || node instanceof iam.CfnManagedPolicy) {
      // The ManagedPolicy L2 writes the default path '/' explicitly.
      if (node.path === undefined || node.path === '/') node.path = this.path;
    } else if (CfnResource.isCfnResource(node) && node.cfnResourceType === 'AWS::IAM::Role') {
      // CDK's own custom-resource providers declare their roles as plain CfnResources.
      node.addPropertyOverride('Path', this.path);
    }
  }
}
