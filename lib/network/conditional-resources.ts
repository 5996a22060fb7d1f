import { CfnCondition, CfnResource, IAspect, Aspects } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct, IConstruct } from 'constructs';

/** Puts every CloudFormation resource below `scope` under `condition` (e.g. "create the VPC"). */
export function applyConditionToAll(scope: IConstruct, condition: CfnCondition): void {
  Aspects.of(scope).add(new ApplyCondition(condition));
}

class ApplyCondition implements IAspect {
  constructor(private readonly condition: CfnCondition) {}
  visit(node: IConstruct): void {
    if (CfnResource.isCfnResource(node) && node.cfnOptions.condition === undefined)
      node.cfnOptions.condition = this.condition;
  }
}

/** An HTTPS (443) egress rule of `group` to a security group or a CIDR, which exists only under `condition` when one is given. */
export function httpsEgress(
  scope: Construct,
  id: string,
  group: ec2.ISecurityGroup,
  destination: { destinationSecurityGroupId: string } | { cidrIp: string },
  description: string,
  condition?: CfnCondition,
): ec2.CfnSecurityGroupEgress {
  const rule = new ec2.CfnSecurityGroupEgress(scope, id, {
    groupId: group.securityGroupId,
    ipProtocol: 'tcp',
    fromPort: 443,
    toPort: 443,
    ...destination,
    description,
  });
  if (condition) rule.cfnOptions.condition = condition;
  return rule;
}

/** HTTPS egress of `group` to the VPC interface endpoints (`EndpointEgress`), when the product made their security group. */
export function endpointEgress(
  scope: Construct,
  group: ec2.ISecurityGroup,
  endpointSecurityGroup: ec2.ISecurityGroup | undefined,
  description: string,
  condition?: CfnCondition,
): void {
  if (!endpointSecurityGroup) return;
  httpsEgress(
    scope,
    'EndpointEgress',
    group,
    { destinationSecurityGroupId: endpointSecurityGroup.securityGroupId },
    description,
    condition,
  );
}
