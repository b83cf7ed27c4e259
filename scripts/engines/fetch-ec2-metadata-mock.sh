#!/usr/bin/env bash
# Builds AWS's EC2 instance metadata emulator, amazon-ec2-metadata-mock (AEMM), into
# .cache/ec2-metadata-mock/ec2-metadata-mock, for the node agent's IMDS tests
# (test/integration/agent/ec2-identity.test.ts). It serves IMDSv2 (tokens, and -I to require them),
# instance identity, tags and role credentials from a JSON config file, as the real service would.
#
# The module comes from the Go module proxy at a pinned version, checked against the Go checksum
# database as `go install` does. Idempotent: a stamp with the version and the Go version makes a
# second run exit at once. Go is found on PATH or in /usr/local/go/bin.
set -euo pipefail

readonly MODULE=github.com/aws/amazon-ec2-metadata-mock
readonly VERSION=v1.13.0

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out_dir="$root/.cache/ec2-metadata-mock"
binary="$out_dir/ec2-metadata-mock"
stamp="$out_dir/.version"

go_bin="$(command -v go || true)"
[[ -z "$go_bin" && -x /usr/local/go/bin/go ]] && go_bin=/usr/local/go/bin/go
if [[ -z "$go_bin" ]]; then
  echo "Go is required to build amazon-ec2-metadata-mock (not on PATH, nor /usr/local/go/bin/go)" >&2
  exit 1
fi

build_id() { echo "$VERSION $("$go_bin" env GOVERSION)"; }
is_built() { [[ -f "$stamp" && "$(<"$stamp")" == "$(build_id)" && -x "$binary" ]]; }

is_built && exit 0

mkdir -p "$out_dir"
# One build at a time: parallel jest runs in the same tree would otherwise race on the binary.
exec 9>"$root/.cache/ec2-metadata-mock.lock"
flock 9
is_built && exit 0

echo "building amazon-ec2-metadata-mock $VERSION into $binary" >&2
work="$(mktemp -d "$root/.cache/ec2-metadata-mock.tmp.XXXXXX")"
trap 'rm -rf "$work"' EXIT
# Outside any module, so nothing of the repository's is read or written.
(cd "$work" && GOBIN="$work" GOFLAGS="-mod=mod -buildvcs=false" "$go_bin" install -trimpath \
  "$MODULE/cmd/ec2-metadata-mock@$VERSION")
mv "$work/ec2-metadata-mock" "$binary"
build_id >"$stamp"
