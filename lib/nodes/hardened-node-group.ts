import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface HardenedNodeGroupProps {
  readonly cluster: eks.ICluster;
  readonly nodeRole: iam.IRole;
  /** The nodes' own security group, attached through the launch template so EKS does not add its cluster SG. */
  readonly securityGroup: ec2.ISecurityGroup;
  /** Customer-managed key for the root volume. */
  readonly volumeKey: kms.IKey;
  readonly subnets: ec2.SubnetSelection;
  /** Instance type (may be a parameter token). */
  readonly instanceType: string;
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredSize: number;
  /** Root volume size in GiB. @default 50 */
  readonly volumeSizeGiB?: number;
}

/**
 * A managed node group of AL2023 nodes (EP-2, LM-1, LM-5): IMDSv2 required with hop limit 1 so pods cannot reach
 * the node's credentials, an encrypted root volume with a customer-managed key, no key pair and no remoteAccess
 * (Session Manager replaces SSH), and only the node security group.
 */
export class HardenedNodeGroup extends Construct {
  readonly launchTemplate: ec2.CfnLaunchTemplate;
  readonly nodegroup: eks.Nodegroup;

  constructor(scope: Construct, id: string, props: HardenedNodeGroupProps) {
    super(scope, id);
    this.launchTemplate = new ec2.CfnLaunchTemplate(this, 'LaunchTemplate', {
      launchTemplateData: {
        metadataOptions: {
          httpTokens: 'required',
          httpPutResponseHopLimit: 1,
          httpEndpoint: 'enabled',
          instanceMetadataTags: 'disabled',
        },
        blockDeviceMappings: [
          {
            deviceName: '/dev/xvda',
            ebs: {
              encrypted: true,
              kmsKeyId: props.volumeKey.keyArn,
              volumeSize: props.volumeSizeGiB ?? 50,
              volumeType: 'gp3',
              deleteOnTermination: true,
            },
          },
        ],
        securityGroupIds: [props.securityGroup.securityGroupId],
        monitoring: { enabled: true },
        tagSpecifications: [{ resourceType: 'instance', tags: [{ key: 'eks-hardened:node', value: 'true' }] }],
      },
    });
    this.nodegroup = new eks.Nodegroup(this, 'Nodegroup', {
      cluster: props.cluster,
      nodeRole: props.nodeRole,
      amiType: eks.NodegroupAmiType.AL2023_X86_64_STANDARD,
      capacityType: eks.CapacityType.ON_DEMAND,
      subnets: props.subnets,
      launchTemplateSpec: { id: this.launchTemplate.ref, version: this.launchTemplate.attrLatestVersionNumber },
      minSize: props.minSize,
      maxSize: props.maxSize,
      desiredSize: props.desiredSize,
      enableNodeAutoRepair: true,
    });
    // The type may be a parameter; the L2 would try to read its architecture, so it is set on the L1.
    (this.nodegroup.node.defaultChild as eks.CfnNodegroup).instanceTypes = [props.instanceType];
  }
}
