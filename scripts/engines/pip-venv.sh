#!/usr/bin/env bash
# Sourced by the install-*.sh scripts: installs one pinned PyPI requirement into its own virtualenv
# under .venv/, so tests never depend on the system's Python packages.
#
#   install_pip_venv NAME REQUIREMENT VERSION EXECUTABLE
#   install_pip_venv moto 'moto[server]' 5.2.5 bin/moto_server
#
# Idempotent: a stamp file holding the pinned version (and EXECUTABLE being there) makes a second
# run return at once. One install at a time per venv: parallel runs in the same tree would
# otherwise race on it.

install_pip_venv() {
  local name="$1" requirement="$2" version="$3" executable="$4"
  local root venv stamp log
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  venv="$root/.venv/$name"
  stamp="$venv/.skiff-$name-version"
  is_installed() { [[ -f "$stamp" && "$(<"$stamp")" == "$version" && -x "$venv/$executable" ]]; }

  is_installed && return 0
  mkdir -p "$root/.venv"
  exec 9>"$root/.venv/$name.lock"
  flock 9
  is_installed && return 0

  echo "installing $requirement==$version from PyPI into $venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  # pip's output is noise unless it fails.
  log="$(mktemp)"
  if ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    "$requirement==$version" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    return 1
  fi
  rm -f "$log"
  echo "$version" >"$stamp"
}
