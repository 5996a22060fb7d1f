/**
 * What the test run changes for its in-process synths (global-setup.ts): aws-cdk-lib's built-in CloudFormation
 * validation is off, and no stack bundles assets (`aws:cdk:bundling-stacks` is empty), since every in-process synth
 * would otherwise run esbuild on the hub's custom-resource handlers again.
 */
export const IN_PROCESS_SYNTH_ENVIRONMENT = {
  CDK_VALIDATION: 'false',
  CDK_CONTEXT_JSON: JSON.stringify({ 'aws:cdk:bundling-stacks': [] }),
} as const;

/**
 * The environment for a child process that runs the app as users do (built-in validation on, assets bundled): this
 * process's environment without the in-process settings above, plus `variables`.
 */
export function userEnvironment(variables: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const { CDK_VALIDATION: _validation, CDK_CONTEXT_JSON: _context, ...rest } = process.env;
  return { ...rest, ...variables };
}
