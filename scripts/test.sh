#!/usr/bin/env bash
# `npm test`, the README's test command.
# Step 1 runs its parts side by side (they are independent, and the synth uses little more than one core): Biome, ruff
# and shellcheck on the shipped scripts, the type check, and the synth with every rule pack (README command 1).
# Step 2 runs jest, which reads that synth (HARDENED_EKS_APP_OUTDIR) instead of making its own, beside cfn-lint and the
# Control Tower guard rules on every template of the synth: the tests judge some of the same templates, and the
# results are kept by template content, so each template is checked once (a process checking one the other is
# checking waits for its result). Arguments go to jest.
set -euo pipefail
cd "${BASH_SOURCE[0]%/*}/.."
# The project's own tools, also when the script runs without npm.
PATH="$PWD/node_modules/.bin:$PATH"

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

# Runs commands side by side, then prints each one's output in order; fails naming those that failed.
side_by_side() {
  local commands=("$@") pids=() failed=() i status
  for i in "${!commands[@]}"; do
    bash -c "${commands[$i]}" >"$logs/$i" 2>&1 &
    pids+=("$!")
  done
  for i in "${!commands[@]}"; do
    status=0
    wait "${pids[$i]}" || status=$?
    echo "> ${commands[$i]}"
    cat "$logs/$i"
    if [[ $status -ne 0 ]]; then failed+=("'${commands[$i]}' (exit $status)"); fi
  done
  if [[ ${#failed[@]} -gt 0 ]]; then
    echo "npm test: failed: ${failed[*]}" >&2
    return 1
  fi
}

# When the synth started: the tests check that it rewrote the product's snapshots (then byte for byte the locked ones).
synth_started=$(date +%s%3N)
side_by_side 'biome ci .' 'bash scripts/check-scripts.sh' 'tsc --noEmit' 'cdk synth --quiet'
# jest prints as it goes; the template checks' report follows it.
bash -c 'tsx --conditions=@hardened-eks/source scripts/check-templates.ts cdk.out' >"$logs/check-templates" 2>&1 &
check_templates=$!
jest_status=0
# jest's workers inherit these V8 flags (jest-worker passes on execArgv): a test file runs much code a few times, so V8
# optimizing only what stays hot, with less inlining, costs less CPU than its defaults (about a tenth of jest's, measured
# on this suite); they change no behaviour. The same setting as the eks-threat-model command's.
HARDENED_EKS_APP_OUTDIR=cdk.out HARDENED_EKS_APP_SYNTH_STARTED=$synth_started \
  node --max-inlined-bytecode-size-cumulative=100 --interrupt-budget=1000000 "$(command -v jest)" "$@" || jest_status=$?
check_templates_status=0
wait "$check_templates" || check_templates_status=$?
echo '> check-templates'
cat "$logs/check-templates"
failed=()
if [[ $jest_status -ne 0 ]]; then failed+=("jest (exit $jest_status)"); fi
if [[ $check_templates_status -ne 0 ]]; then failed+=("check-templates (exit $check_templates_status)"); fi
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "npm test: failed: ${failed[*]}" >&2
  exit 1
fi
