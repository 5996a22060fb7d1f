#!/usr/bin/env node
// The `eks-threat-model` command run from this repository's sources (the root package's "bin": pre-commit hooks and
// the GitHub Action install this repository, not the built package): tsx loads the TypeScript. An install of
// @hardened-eks/eks-threat-model runs its compiled bin instead.

require('tsx/cjs');
require('../nag-rules/cli/eks-threat-model.ts');
