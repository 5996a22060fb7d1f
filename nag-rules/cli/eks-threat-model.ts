#!/usr/bin/env node
// The `eks-threat-model` command (the package's "bin"). Compiled, it loads neither TypeScript nor tsx.
import { main } from './check';

// Output piped into a command that stops reading (`| head`) is not an error of the check.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});
process.exitCode = main(process.argv.slice(2));
