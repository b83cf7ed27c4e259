#!/usr/bin/env bash
# Builds the client-go applier of test/e2e/client-go/applier (a Go program that server-side applies
# through client-go's typed apply configurations, JSON on the wire) into
# .cache/client-go-applier/applier, for test/e2e/client-go-apply.test.ts. Go modules come from the
# Go module proxy (GOPROXY), checked against the program's go.sum; it needs the same modules as the
# client-go writer, so with those cached only the compile is left.
# Idempotent: a stamp holding a hash of the sources and the Go version makes a second run exit at
# once. Go is found on PATH or in /usr/local/go/bin; its go.mod names the Go version it needs.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source_dir="$root/test/e2e/client-go/applier"
out_dir="$root/.cache/client-go-applier"
binary="$out_dir/applier"
stamp="$out_dir/.skiff-applier-build"

go_bin="$(command -v go || true)"
[[ -z "$go_bin" && -x /usr/local/go/bin/go ]] && go_bin=/usr/local/go/bin/go
if [[ -z "$go_bin" ]]; then
  echo "Go is required to build the client-go applier (not on PATH, nor /usr/local/go/bin/go)" >&2
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
exec 9>"$root/.cache/client-go-applier.lock"
flock 9
is_built && exit 0

echo "building the client-go applier (test/e2e/client-go/applier) into $binary" >&2
cd "$source_dir"
# -mod=readonly: go.mod and go.sum are the record of what is built, never rewritten here.
GOFLAGS="-mod=readonly -buildvcs=false" "$go_bin" build -trimpath -o "$binary.tmp" .
mv "$binary.tmp" "$binary"
build_id >"$stamp"
