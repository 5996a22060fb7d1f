import { CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ConstructValidationError } from '../errors/construct-validation-error';

/**
 * Acknowledges one rule finding on a construct (and everything below it), with the reason a reviewer reads.
 * Every acknowledgement in the project goes through here so that the exemption register can check them.
 */
export function acknowledge(scope: IConstruct, ruleId: string, reason: string): void {
  if (reason.trim().length < 20)
    throw new ConstructValidationError(
      scope,
      `reason of the acknowledgement of ${ruleId}`,
      'must be one a reviewer can check (20 characters or more)',
    );
  Validations.of(scope).acknowledge({ id: ruleId, reason });
}

/** The logical ID of a construct's CloudFormation resource, as cdk-nag prints it inside finding IDs. */
export function logicalIdOf(construct: IConstruct): string {
  const resource = construct.node.defaultChild as CfnElement;
  return Stack.of(construct).resolve(resource.logicalId);
}
