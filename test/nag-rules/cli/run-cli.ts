// The reports tests' name for the in-process CLI runner (one runner for all CLI tests: cli-support.ts).
export { run as runCli } from './cli-support';
