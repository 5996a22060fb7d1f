#!/usr/bin/env bash
# The step of action.yml: installs the pack's dependencies next to the action once, then runs
# `eks-threat-model check` on the templates with the action's inputs (environment variables) and sets the outputs.
set -euo pipefail

root="${GITHUB_ACTION_PATH:?run as the step of action.yml}"
if [ ! -d "$root/node_modules" ]; then
  npm ci --prefix "$root" --omit=dev --no-audit --no-fund >&2
fi

args=(check)
# The templates input is a list of files and globs: word splitting and glob expansion are wanted here.
# shellcheck disable=SC2206
args+=(${TEMPLATES:?the templates input is required})
args+=(--out "${OUT:-eks-threat-model-report}" --format "${FORMATS:-text,sarif,junit}" --fail-on "${FAIL_ON:-error}" --profile "${PROFILE:-misconfigurations}")
if [ -n "${EXEMPTIONS:-}" ]; then
  args+=(--exemptions "$EXEMPTIONS")
fi

status=0
node "$root/scripts/eks-threat-model.js" "${args[@]}" || status=$?

if [ -n "${GITHUB_OUTPUT:-}" ]; then
  case ",${FORMATS:-text,sarif,junit}," in *,sarif,*) echo "sarif=${OUT:-eks-threat-model-report}/threat-model.sarif" >>"$GITHUB_OUTPUT" ;; esac
  case ",${FORMATS:-text,sarif,junit}," in *,junit,*) echo "junit=${OUT:-eks-threat-model-report}/threat-model.junit.xml" >>"$GITHUB_OUTPUT" ;; esac
fi
exit "$status"
