#!/usr/bin/env bash
# Installs schemathesis (property-based testing of an API from its OpenAPI documents) from PyPI into
# the virtualenv .venv/schemathesis, so tests never depend on the system's Python packages.
# test/e2e/schemathesis.test.ts runs its CLI, .venv/schemathesis/bin/st, against the local server.
# Idempotent: a stamp file holding the pinned version makes a second run exit at once.
set -euo pipefail

readonly SCHEMATHESIS_VERSION=4.32.5

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="$root/.venv/schemathesis"
stamp="$venv/.skiff-schemathesis-version"

is_installed() {
  [[ -f "$stamp" && "$(<"$stamp")" == "$SCHEMATHESIS_VERSION" && -x "$venv/bin/st" ]]
}

is_installed && exit 0

mkdir -p "$root/.venv"
# One install at a time: parallel runs in the same tree would otherwise race on the venv.
exec 9>"$root/.venv/schemathesis.lock"
flock 9
is_installed && exit 0

echo "installing schemathesis==$SCHEMATHESIS_VERSION from PyPI into $venv" >&2
rm -rf "$venv"
python3 -m venv "$venv"
# pip's output is noise unless it fails.
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  "schemathesis==$SCHEMATHESIS_VERSION" >"$log" 2>&1; then
  cat "$log" >&2
  exit 1
fi
echo "$SCHEMATHESIS_VERSION" >"$stamp"
