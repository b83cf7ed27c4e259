#!/usr/bin/env bash
# Builds one of the tests' Go programs (client-go clients) into .cache/<name>/<binary>:
#   build-go-program.sh <source dir, relative to the repository> <name> <binary>
# Go modules come from the Go module proxy (GOPROXY), checked against the program's go.sum; the
# programs share most modules, so with one built the others only compile. Idempotent: a stamp
# holding a hash of the sources and the Go version makes a second run exit at once. Go is found
# on PATH or in /usr/local/go/bin; the program's go.mod names the Go version it needs.
set -euo pipefail

if (($# != 3)); then
  echo "usage: $0 <source dir> <cache name> <binary name>" >&2
  exit 2
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source_dir="$root/$1"
out_dir="$root/.cache/$2"
binary="$out_dir/$3"
stamp="$out_dir/.skiff-$3-build"

go_bin="$(command -v go || true)"
[[ -z "$go_bin" && -x /usr/local/go/bin/go ]] && go_bin=/usr/local/go/bin/go
if [[ -z "$go_bin" ]]; then
  echo "Go is required to build $1 (not on PATH, nor /usr/local/go/bin/go)" >&2
  exit 1
fi

build_id() {
  {
    "$go_bin" version
    cat "$source_dir/go.mod" "$source_dir/go.sum" "$source_dir"/*.go
  } | sha256sum | cut -d' ' -f1
}

is_built() { [[ -f "$stamp" && "$(<"$stamp")" == "$(build_id)" && -x "$binary" ]]; }

is_built && exit 0

mkdir -p "$out_dir"
# One build at a time: parallel runs in the same tree would otherwise race on the binary.
exec 9>"$root/.cache/$2.lock"
flock 9
is_built && exit 0

echo "building $1 into $binary" >&2
cd "$source_dir"
# -mod=readonly: go.mod and go.sum are the record of what is built, never rewritten here.
GOFLAGS="-mod=readonly -buildvcs=false" "$go_bin" build -trimpath -o "$binary.tmp" .
mv "$binary.tmp" "$binary"
build_id >"$stamp"
