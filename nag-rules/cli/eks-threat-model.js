#!/usr/bin/env node
// The `eks-threat-model` command (package.json "bin"): registers tsx to load the TypeScript sources, then runs the CLI.
'use strict';
require('tsx/cjs');
const { main } = require('./check.ts');

// Output piped into a command that stops reading (`| head`) is not an error of the check.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});
process.exitCode = main(process.argv.slice(2));
