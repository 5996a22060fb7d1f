import { Errors, ValidationError } from 'aws-cdk-lib';
import { lit } from 'aws-cdk-lib/core/lib/helpers-internal';
import { IConstruct } from 'constructs';

/**
 * A construct's property breaks one of its rules: `ValidationError: <construct path>: <property> <rule>`.
 *
 * It is aws-cdk-lib's own ValidationError (so `Errors.isValidationError` and the construct path CDK records hold), with
 * the path and the property in the message and as fields. aws-cdk-lib exports the class but marks its constructor
 * internal (its error code is a `lit` string literal): the tests pin what this class relies on.
 */
export class ConstructValidationError extends ValidationError {
  readonly property: string;
  readonly rule: string;

  /** `rule` reads after the property's name: `must be …`, `is …`. */
  constructor(scope: IConstruct, property: string, rule: string) {
    super(lit`ValidationError`, `${scope.node.path}: ${property} ${rule}`, scope);
    // aws-cdk-lib's error classes set their own prototype, which would hide this class from `instanceof`.
    Object.setPrototypeOf(this, new.target.prototype);
    this.property = property;
    this.rule = rule;
  }
}

/**
 * The one line a construct's validation error is shown as (no stack trace: the path and the property say where), for
 * this project's errors and aws-cdk-lib's own alike; undefined for any other error.
 */
export function validationErrorLine(error: unknown): string | undefined {
  if (error instanceof ConstructValidationError) return `${error.name}: ${error.message}`;
  if (!Errors.isValidationError(error)) return undefined;
  const where = error.constructPath === undefined ? '' : `${error.constructPath}: `;
  return `ValidationError: ${where}${error.message.replace(/\s*\n\s*/g, '; ')} (${error.name})`;
}
