import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ClusterSecurityGroups } from '../../../lib/network/cluster-security-groups';
import { ProductNetwork } from '../../../lib/network/product-network';
import { PRIVATE_SUBNET_PREFIX } from '../settings';
import { HardenedEksProductContext } from './product-context';

/** The VPC (created, or the consumer's own) and the cluster's security groups. */
export class NetworkPart {
  readonly network: ProductNetwork;
  readonly securityGroups: ClusterSecurityGroups;
  /** Where the cluster, the nodes and the responder run. */
  readonly privateSubnets: ec2.SubnetSelection;

  constructor(context: HardenedEksProductContext) {
    const { stack, settings, parameters, keys } = context;
    this.network = new ProductNetwork(stack, 'Network', {
      createVpc: parameters.createVpc,
      existingVpcId: parameters.existingVpcId.valueAsString,
      existingPrivateSubnetIds: parameters.existingPrivateSubnetIds.valueAsList,
      vpcCidr: settings.vpcCidr,
      availabilityZones: settings.availabilityZones,
      privateSubnetPrefix: PRIVATE_SUBNET_PREFIX,
      natGateways: settings.natGateways,
      organizationId: context.organizationId,
      logKey: keys.logs,
      logRetention: context.logRetention,
    });
    this.securityGroups = new ClusterSecurityGroups(stack, 'SecurityGroups', {
      vpc: this.network.vpc,
      corporateCidrs: parameters.corporateCidrSlots(settings.corporateCidrs.length),
    });
    this.privateSubnets = { subnets: this.network.vpc.privateSubnets };
  }

  get vpc(): ec2.IVpc {
    return this.network.vpc;
  }
}
