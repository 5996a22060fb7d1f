#!/usr/bin/env bash
# Provides the Python tools of the checks (requirements-dev.txt) in a project-local virtual environment, .venv/.
# Does nothing when .venv/ already holds exactly what the file pins; the tests and check-templates call it.
set -euo pipefail
cd "$(dirname "$0")/.."

# npm test's first step may ask twice at once (the script linter and the template checks): one installs, the other
# waits for it and then finds the environment ready.
if command -v flock >/dev/null; then
  exec 9<"scripts/python-tools.sh"
  flock 9
fi

requirements='requirements-dev.txt'
venv=.venv
stamp="$venv/.requirements.sha256"
wanted=$(sha256sum "$requirements" | cut -d' ' -f1)
if [[ -f $stamp && $(cat "$stamp") == "$wanted" ]]; then
  exit 0
fi

python=${PYTHON:-python3}
if ! command -v "$python" >/dev/null; then
  echo "python-tools: '$python' not found: Python 3.10 or newer with its venv module is a prerequisite (README, Set up)" >&2
  exit 2
fi
if ! "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)'; then
  echo "python-tools: Python 3.10 or newer is required; '$python' is $("$python" --version 2>&1)" >&2
  exit 2
fi

echo "python-tools: installing $requirements into $venv/" >&2
rm -rf "$venv"
# The machine's own site-packages stay visible: a pinned tool that is already installed at that version is used as
# it is (so an offline machine that has it needs no index); pip installs whatever is missing or of another version.
"$python" -m venv --system-site-packages "$venv"
# Two retries rather than pip's five: where an index cannot be reached at all (an offline machine with the tools in a
# local index or its site-packages), five cost about 8 s of back-off on every first run.
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --retries 2 --requirement "$requirements"
echo "$wanted" >"$stamp"
