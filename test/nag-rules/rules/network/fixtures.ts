import { checkerOf, idsOfType, templateOf } from '../../rule-harness';
import { groupIdOf } from '../template-values';

/** A security group `SG` with the given inline ingress rules. */
export function groupWith(...ingress: Record<string, unknown>[]): Record<string, any> {
  return templateOf({
    SG: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'g', SecurityGroupIngress: ingress } },
  });
}

/** A standalone ingress rule `Rule` into `SG`. */
export function ruleInto(rule: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, any> {
  return templateOf(
    {
      SG: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'g' } },
      Rule: {
        Type: 'AWS::EC2::SecurityGroupIngress',
        Properties: { GroupId: { 'Fn::GetAtt': ['SG', 'GroupId'] }, ...rule },
      },
    },
    extra,
  );
}

/** Runs one rule on the security group `SG` of `groupWith(...ingress)`. */
export const checkGroupWith = checkerOf(groupWith, 'SG');

/** Runs one rule on the standalone ingress rule `Rule` of `ruleInto(rule, extra)`. */
export const checkRuleInto = checkerOf(ruleInto, 'Rule');

/**
 * A cluster `C` with control-plane group `CpSg`, and node group `NG` whose launch template `LT` attaches `NodeSg`;
 * the kubelet is open from `CpSg` only, and nodes talk to each other.
 */
export function clusterTemplate(change: (resources: Record<string, any>) => void = () => {}): Record<string, any> {
  const resources: Record<string, any> = {
    CpSg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'control plane' } },
    NodeSg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'nodes' } },
    Kubelet: {
      Type: 'AWS::EC2::SecurityGroupIngress',
      Properties: {
        GroupId: groupIdOf('NodeSg'),
        IpProtocol: 'tcp',
        FromPort: 10250,
        ToPort: 10250,
        SourceSecurityGroupId: groupIdOf('CpSg'),
      },
    },
    NodeToNode: {
      Type: 'AWS::EC2::SecurityGroupIngress',
      Properties: { GroupId: groupIdOf('NodeSg'), IpProtocol: '-1', SourceSecurityGroupId: groupIdOf('NodeSg') },
    },
    C: {
      Type: 'AWS::EKS::Cluster',
      Properties: { Name: 'c', ResourcesVpcConfig: { SubnetIds: ['subnet-1'], SecurityGroupIds: [groupIdOf('CpSg')] } },
    },
    LT: {
      Type: 'AWS::EC2::LaunchTemplate',
      Properties: { LaunchTemplateData: { SecurityGroupIds: [groupIdOf('NodeSg')] } },
    },
    NG: {
      Type: 'AWS::EKS::Nodegroup',
      Properties: { ClusterName: { Ref: 'C' }, LaunchTemplate: { Id: { Ref: 'LT' } } },
    },
  };
  change(resources);
  return templateOf(resources);
}

/** Runs one rule on the cluster `C` of a `clusterTemplate`. */
export const checkCluster = checkerOf(clusterTemplate, 'C');

/** A VPC `Vpc` with a flow log and private-DNS interface endpoints for ecr.api, ecr.dkr and sts. */
export function vpcTemplate(change: (resources: Record<string, any>) => void = () => {}): Record<string, any> {
  const endpoint = (service: string) => ({
    Type: 'AWS::EC2::VPCEndpoint',
    Properties: {
      VpcId: { Ref: 'Vpc' },
      VpcEndpointType: 'Interface',
      PrivateDnsEnabled: true,
      ServiceName: { 'Fn::Sub': `com.amazonaws.\${AWS::Region}.${service}` },
    },
  });
  const resources: Record<string, any> = {
    Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
    Flow: {
      Type: 'AWS::EC2::FlowLog',
      Properties: { ResourceId: { Ref: 'Vpc' }, ResourceType: 'VPC', TrafficType: 'ALL' },
    },
    EcrApi: endpoint('ecr.api'),
    EcrDkr: endpoint('ecr.dkr'),
    Sts: endpoint('sts'),
  };
  change(resources);
  return templateOf(resources);
}

/** Runs one rule on the VPC `Vpc` of a `vpcTemplate`. */
export const checkVpc = checkerOf(vpcTemplate, 'Vpc');

/** The logical ID of the product's standalone ingress rule that opens the kubelet port (10250) of its nodes. */
export function productKubeletRule(template: Record<string, any>): string {
  const [id] = idsOfType(template, 'AWS::EC2::SecurityGroupIngress', (r) => r.Properties.FromPort === 10250);
  return id;
}
