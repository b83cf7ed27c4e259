#!/usr/bin/env bash
# Installs moto server (the engine LocalStack runs for EC2, and a third DynamoDB implementation)
# from PyPI into the virtualenv .venv/moto, so tests never depend on the system's Python packages.
# Idempotent: a stamp file holding the pinned version makes a second run exit at once.
set -euo pipefail

readonly MOTO_VERSION=5.2.5

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="$root/.venv/moto"
stamp="$venv/.skiff-moto-version"

is_installed() { [[ -f "$stamp" && "$(<"$stamp")" == "$MOTO_VERSION" && -x "$venv/bin/moto_server" ]]; }

is_installed && exit 0

mkdir -p "$root/.venv"
# One install at a time: parallel jest runs in the same tree would otherwise race on the venv.
exec 9>"$root/.venv/moto.lock"
flock 9
is_installed && exit 0

echo "installing moto[server]==$MOTO_VERSION from PyPI into $venv" >&2
rm -rf "$venv"
python3 -m venv "$venv"
# pip's output is noise unless it fails.
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION" >"$log" 2>&1; then
  cat "$log" >&2
  exit 1
fi
echo "$MOTO_VERSION" >"$stamp"
