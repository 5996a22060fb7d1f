#!/usr/bin/env node
// The `eks-threat-model` command (the package's "bin"). Compiled, it loads neither TypeScript nor tsx.
import { setFlagsFromString } from 'v8';
import { startCheck } from './check-threads';

// A check is a short batch run over one rule pack of many functions. With V8's defaults a run spends more CPU
// optimizing them (in the main thread's isolate and again in each worker's) than the optimized code then saves:
// optimizing only the functions that stay hot, with less inlining, judges 200 product templates on 2 cores in about
// three quarters of the time (`npm run benchmark`). Set before the pack loads, for every thread.
setFlagsFromString('--interrupt-budget=1000000');
setFlagsFromString('--max-inlined-bytecode-size-cumulative=100');

const argv = process.argv.slice(2);
// The worker threads load the pack while this thread does.
const started = startCheck(argv, process.cwd());
const { main } = require('./check') as typeof import('./check');

// Output piped into a command that stops reading (`| head`) is not an error of the check.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});
try {
  process.exitCode = main(argv, undefined, started);
} finally {
  started?.pool?.close();
}
