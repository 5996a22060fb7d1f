/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // The app's own package resolves to its TypeScript sources (nag-rules/package.json "exports"), as under tsx.
  testEnvironmentOptions: { customExportConditions: ['@hardened-eks/source', 'node', 'require', 'default'] },
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
  // A product synth bundles the kubectl handler's assets and takes seconds.
  testTimeout: 120000,
  // The main process only schedules: on a 2-core machine the default (cores - 1) would leave a core idle.
  maxWorkers: '100%',
  // Synths write tens of MB each: one temporary folder per run, removed at the end (test/support/temporary-directory.ts).
  // On a run with no timings yet (CI's fresh clone), the files marked @long-running start first.
  testSequencer: '<rootDir>/test/support/long-running-first-sequencer.js',
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};
