import { checkerOf, templateOf } from '../../rule-harness';

/** Launch-template data of a hardened node: IMDSv2 hop 1, KMS-encrypted root volume, its own security group. */
export function hardenedLaunchTemplateData(): Record<string, any> {
  return {
    MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 },
    BlockDeviceMappings: [
      { DeviceName: '/dev/xvda', Ebs: { Encrypted: true, KmsKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } } },
    ],
    SecurityGroupIds: [{ 'Fn::GetAtt': ['NodeSg', 'GroupId'] }],
  };
}

/**
 * A small template with one managed node group `NG` using launch template `LT`, in private subnet `Subnet` (NAT
 * route only), with a node role `Role` allowed Session Manager and an encrypted, logged Session document.
 * `change` edits the resources before they are returned.
 */
export function nodeTemplate(
  change: (resources: Record<string, any>) => void = () => {},
  extra: Record<string, unknown> = {},
): Record<string, any> {
  const resources: Record<string, any> = {
    Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } },
    NodeSg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'nodes' } },
    LT: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: hardenedLaunchTemplateData() } },
    Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
    Subnet: {
      Type: 'AWS::EC2::Subnet',
      Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.0.0.0/24', MapPublicIpOnLaunch: false },
    },
    Table: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: 'Vpc' } } },
    Assoc: {
      Type: 'AWS::EC2::SubnetRouteTableAssociation',
      Properties: { SubnetId: { Ref: 'Subnet' }, RouteTableId: { Ref: 'Table' } },
    },
    Igw: { Type: 'AWS::EC2::InternetGateway', Properties: {} },
    Nat: { Type: 'AWS::EC2::NatGateway', Properties: { SubnetId: 'subnet-public' } },
    NatRoute: {
      Type: 'AWS::EC2::Route',
      Properties: { RouteTableId: { Ref: 'Table' }, DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: { Ref: 'Nat' } },
    },
    Role: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
        ManagedPolicyArns: [
          { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonSSMManagedInstanceCore']] },
        ],
      },
    },
    SessionLogs: { Type: 'AWS::Logs::LogGroup', Properties: { KmsKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } } },
    SessionDoc: {
      Type: 'AWS::SSM::Document',
      Properties: {
        DocumentType: 'Session',
        Content: {
          schemaVersion: '1.0',
          sessionType: 'Standard_Stream',
          inputs: {
            kmsKeyId: { Ref: 'Key' },
            cloudWatchLogGroupName: { Ref: 'SessionLogs' },
            cloudWatchEncryptionEnabled: true,
          },
        },
      },
    },
    NG: {
      Type: 'AWS::EKS::Nodegroup',
      Properties: {
        ClusterName: 'c',
        AmiType: 'AL2023_x86_64_STANDARD',
        NodeRole: { 'Fn::GetAtt': ['Role', 'Arn'] },
        Subnets: [{ Ref: 'Subnet' }],
        LaunchTemplate: { Id: { Ref: 'LT' }, Version: { 'Fn::GetAtt': ['LT', 'LatestVersionNumber'] } },
      },
    },
  };
  change(resources);
  return templateOf(resources, extra);
}

/** Runs one rule on the node group `NG` of a `nodeTemplate`. */
export const checkNodegroup = checkerOf(nodeTemplate, 'NG');

/** The logical ID of the product's single managed node group and of its launch template. */
export function productNodegroup(template: Record<string, any>): { nodegroup: string; launchTemplate: string } {
  const entries = Object.entries(template.Resources as Record<string, any>);
  const nodegroups = entries.filter(([, r]) => r.Type === 'AWS::EKS::Nodegroup');
  if (nodegroups.length !== 1) throw new Error(`expected one node group, found ${nodegroups.length}`);
  const launchTemplate = nodegroups[0][1].Properties.LaunchTemplate.Id.Ref as string;
  return { nodegroup: nodegroups[0][0], launchTemplate };
}
