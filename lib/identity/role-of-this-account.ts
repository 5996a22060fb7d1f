import { Aws } from 'aws-cdk-lib';

/** The ARN of a role of the account the template is deployed to, by its name (a literal or a token). */
export function roleArnOfThisAccount(roleName: string): string {
  return `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${roleName}`;
}
