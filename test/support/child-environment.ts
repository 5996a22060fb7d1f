import { SpawnSyncReturns, spawnSync } from 'node:child_process';

const CDK_CLI = require.resolve('aws-cdk/bin/cdk');

/**
 * Context under which no stack bundles its assets: the hub's custom-resource handlers are bundled by esbuild at synth
 * time (about a second per app run), and only the templates' asset hashes depend on it. Child runs that test the app's
 * other answers use it too; the unmodified project's `cdk synth` bundles, as README command 1 does.
 */
export const WITHOUT_ASSET_BUNDLING = { 'aws:cdk:bundling-stacks': [] } as const;

/**
 * aws-cdk-lib's built-in CloudFormation validation never fails a synth of this app: its errors become warnings unless
 * `@aws-cdk/core:validateAgainstDefaultRules` is set, which cdk.json does not (cfn-lint judges the real synth's
 * templates instead). It costs about 2.3 s per run of the app, so the child runs that test the app's other answers
 * (configuration, register, release checks) go without it; the unmodified project's `cdk synth` keeps it.
 */
export const WITHOUT_BUILT_IN_VALIDATION = { CDK_VALIDATION: 'false' } as const;

/**
 * What the test run changes for its in-process synths (global-setup.ts): aws-cdk-lib's built-in CloudFormation
 * validation is off, and no stack bundles assets (`aws:cdk:bundling-stacks` is empty), since every in-process synth
 * would otherwise run esbuild on the hub's custom-resource handlers again.
 */
export const IN_PROCESS_SYNTH_ENVIRONMENT = {
  ...WITHOUT_BUILT_IN_VALIDATION,
  CDK_CONTEXT_JSON: JSON.stringify(WITHOUT_ASSET_BUNDLING),
} as const;

/**
 * The environment for a child process that runs the app as users do (built-in validation on, assets bundled): this
 * process's environment without the in-process settings above, plus `variables`.
 */
export function userEnvironment(variables: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const { CDK_VALIDATION: _validation, CDK_CONTEXT_JSON: _context, ...rest } = process.env;
  return { ...rest, ...variables };
}

/**
 * `cdk synth --quiet` with the project's pinned CLI in a project copy (test/support/project-copy.ts), into `outdir`, as
 * CI runs the README's first command; `variables` are added to the user environment.
 */
export function cdkSynthIn(
  project: string,
  outdir: string,
  options: { readonly variables?: NodeJS.ProcessEnv; readonly timeoutMs: number },
): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CDK_CLI, 'synth', '--quiet', '--output', outdir], {
    cwd: project,
    encoding: 'utf8',
    timeout: options.timeoutMs,
    env: userEnvironment({ CI: 'true', ...options.variables }),
  });
}
