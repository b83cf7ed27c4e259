#!/usr/bin/env bash
# Installs the official Python Kubernetes client (`kubernetes` on PyPI) into the virtualenv
# .venv/kubernetes, so tests never depend on the system's Python packages.
# test/e2e/watch-clients.test.ts runs test/e2e/watch-clients/watch_configmaps.py with its python,
# .venv/kubernetes/bin/python, to watch the local server as a Python program would.
# Idempotent: a stamp file holding the pinned version makes a second run exit at once.
set -euo pipefail

readonly KUBERNETES_VERSION=37.0.2

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="$root/.venv/kubernetes"
stamp="$venv/.skiff-kubernetes-version"

is_installed() {
  [[ -f "$stamp" && "$(<"$stamp")" == "$KUBERNETES_VERSION" && -x "$venv/bin/python" ]]
}

is_installed && exit 0

mkdir -p "$root/.venv"
# One install at a time: parallel runs in the same tree would otherwise race on the venv.
exec 9>"$root/.venv/kubernetes.lock"
flock 9
is_installed && exit 0

echo "installing kubernetes==$KUBERNETES_VERSION (the Python client) from PyPI into $venv" >&2
rm -rf "$venv"
python3 -m venv "$venv"
# pip's output is noise unless it fails.
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  "kubernetes==$KUBERNETES_VERSION" >"$log" 2>&1; then
  cat "$log" >&2
  exit 1
fi
echo "$KUBERNETES_VERSION" >"$stamp"
