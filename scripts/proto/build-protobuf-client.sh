#!/usr/bin/env bash
# Builds test/e2e/protobuf-client (a Go program: client-go's typed clients speaking protobuf to the
# API, creating, watching, updating and deleting a ConfigMap and a Deployment) into
# .cache/protobuf-client/protobuf-client, for test/e2e/wire-formats.test.ts. Go modules come from the
# Go module proxy (GOPROXY), checked against the program's go.sum; the Go build cache makes a
# rebuild after a change quick. Idempotent: a stamp holding a hash of the sources and the Go version
# makes a second run exit at once.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source_dir="$root/test/e2e/protobuf-client"
out_dir="$root/.cache/protobuf-client"
binary="$out_dir/protobuf-client"
stamp="$out_dir/.skiff-protobuf-client-build"

go_bin="$(command -v go || true)"
[[ -z "$go_bin" && -x /usr/local/go/bin/go ]] && go_bin=/usr/local/go/bin/go
if [[ -z "$go_bin" ]]; then
  echo "Go is required to build the client-go protobuf client (not on PATH, nor /usr/local/go/bin/go)" >&2
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
exec 9>"$root/.cache/protobuf-client.lock"
flock 9
is_built && exit 0

echo "building the client-go protobuf client (test/e2e/protobuf-client) into $binary" >&2
cd "$source_dir"
# -mod=readonly: go.mod and go.sum are the record of what is built, never rewritten here.
GOFLAGS="-mod=readonly -buildvcs=false" "$go_bin" build -trimpath -o "$binary.tmp" .
mv "$binary.tmp" "$binary"
build_id >"$stamp"
