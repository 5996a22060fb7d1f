/**
 * The environment for a child process that runs the app as users do: with aws-cdk-lib's built-in CloudFormation
 * validation, which the test run turns off for its in-process synths (global-setup.ts).
 */
export function withBuiltInValidation(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { CDK_VALIDATION: _skipped, ...rest } = env;
  return rest;
}
