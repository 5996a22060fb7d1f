/** CloudFormation values the rule tests' templates write the way CDK does. */

/** The ARN of a resource of the template (`Fn::GetAtt` Arn). */
export function arnOf(id: string): Record<string, unknown> {
  return { 'Fn::GetAtt': [id, 'Arn'] };
}

/** The ID of a security group of the template (`Fn::GetAtt` GroupId). */
export function groupIdOf(id: string): Record<string, unknown> {
  return { 'Fn::GetAtt': [id, 'GroupId'] };
}

/** The ARN of an AWS managed IAM policy, in the template's partition. */
export function awsManagedPolicyArn(name: string): Record<string, unknown> {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::aws:policy/${name}`]] };
}
