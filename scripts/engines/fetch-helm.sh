#!/usr/bin/env bash
# Builds helm 3 into .cache/helm/helm, for test/e2e/helm.test.ts (install, upgrade, rollback and
# uninstall of test/fixtures/charts/skiff-demo against the local server). Helm ships no package in
# the registries we use, so it is built from its module with `go install`: the module and its
# dependencies come from the Go module proxy, checked against the Go checksum database.
#
# The module and build caches are Go's own (GOMODCACHE, GOCACHE: under $HOME unless set), shared
# with the other Go builds here and kept between fresh clones on the same machine, which is what
# makes CI's second build quick; only the binary lives in the repository's .cache.
# Idempotent: a stamp with the version and the Go version makes a second run exit at once.
set -euo pipefail

readonly MODULE=helm.sh/helm/v3
readonly VERSION=v3.21.4

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out_dir="$root/.cache/helm"
binary="$out_dir/helm"
stamp="$out_dir/.version"

go_bin="$(command -v go || true)"
[[ -z "$go_bin" && -x /usr/local/go/bin/go ]] && go_bin=/usr/local/go/bin/go
if [[ -z "$go_bin" ]]; then
  echo "Go is required to build helm (not on PATH, nor /usr/local/go/bin/go)" >&2
  exit 1
fi

build_id() { echo "$VERSION $("$go_bin" env GOVERSION)"; }
is_built() { [[ -f "$stamp" && "$(<"$stamp")" == "$(build_id)" && -x "$binary" ]]; }

is_built && exit 0

mkdir -p "$out_dir"
# One build at a time: parallel jest runs in the same tree would otherwise race on the binary.
exec 9>"$root/.cache/helm.lock"
flock 9
is_built && exit 0

echo "building helm $VERSION (go install $MODULE/cmd/helm) into $binary; the first build takes a few minutes" >&2
work="$(mktemp -d "$root/.cache/helm.tmp.XXXXXX")"
trap 'rm -rf "$work"' EXIT
# Outside any module, so nothing of the repository's is read or written.
(cd "$work" && GOBIN="$work" GOFLAGS="-mod=mod -buildvcs=false" "$go_bin" install -trimpath \
  "$MODULE/cmd/helm@$VERSION")
mv "$work/helm" "$binary"
build_id >"$stamp"
