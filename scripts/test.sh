#!/usr/bin/env bash
# `npm test`, the README's test command. Step 1 runs its parts side by side (they are independent, and the synth uses
# little more than one core): Biome, ruff and shellcheck on the shipped scripts, the type check, and the synth with every
# rule pack (README command 1) followed by cfn-lint and the Control Tower guard rules on every template it wrote (their
# results are kept by template content, so the tests that judge the same templates read them). Step 2, jest, reads that
# synth (HARDENED_EKS_APP_OUTDIR) instead of making its own. Arguments go to jest.
set -euo pipefail
cd "${BASH_SOURCE[0]%/*}/.."

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

names=(lint lint-scripts typecheck synth-and-check-templates)
commands=('biome ci .' 'bash scripts/check-scripts.sh' 'tsc --noEmit'
  'cdk synth --quiet && tsx --conditions=@hardened-eks/source scripts/check-templates.ts cdk.out')
pids=()
for i in "${!names[@]}"; do
  bash -c "${commands[$i]}" >"$logs/${names[$i]}" 2>&1 &
  pids+=("$!")
done
failed=()
for i in "${!names[@]}"; do
  status=0
  wait "${pids[$i]}" || status=$?
  echo "> ${commands[$i]}"
  cat "$logs/${names[$i]}"
  if [[ $status -ne 0 ]]; then failed+=("${names[$i]} (exit $status)"); fi
done
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "npm test: failed: ${failed[*]}" >&2
  exit 1
fi

echo '> jest'
HARDENED_EKS_APP_OUTDIR=cdk.out jest "$@"
