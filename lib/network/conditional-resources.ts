import { CfnCondition, CfnResource, IAspect, Aspects } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Puts every CloudFormation resource below `scope` under `condition` (e.g. "create the VPC"). */
export function applyConditionToAll(scope: IConstruct, condition: CfnCondition): void {
  Aspects.of(scope).add(new ApplyCondition(condition));
}

class ApplyCondition implements IAspect {
  constructor(private readonly condition: CfnCondition) {}
  visit(node: IConstruct): void {
    if (CfnResource.isCfnResource(node) && node.cfnOptions.condition === undefined) node.cfnOptions.condition = this.condition;
  }
}
