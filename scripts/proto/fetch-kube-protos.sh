#!/usr/bin/env bash
# Regenerates lib/api/protobuf/kube-descriptor.json, the wire schema Skiff speaks protobuf with
# (application/vnd.kubernetes.protobuf), from Kubernetes' own sources: the `generated.proto` files
# (field numbers and types) and the Go types (`types.go`: JSON names, omitempty, pointers, inline
# fields) of the Go modules k8s.io/api and k8s.io/apimachinery (Apache-2.0, The Kubernetes Authors).
#
# The two module zips come from the Go module proxy at a pinned version and are checked against
# pinned SHA-256 sums; nothing of them is committed: scripts/proto/build-kube-descriptor.ts reads
# them from a temporary folder and writes only the compact descriptor, which is committed because
# the API (and its Lambda bundle) needs it at run time. Run it again to move to another version:
#   bash scripts/proto/fetch-kube-protos.sh
# Field numbers never change between versions (protobuf compatibility), so any version serves
# every client; a newer one only adds fields.
set -euo pipefail

readonly VERSION=v0.37.2
readonly API_SHA256=0ed015a8674e49bb21626ef5d9b465e047b9ad29bbd8e27f3d932bb0161a9fbd
readonly APIMACHINERY_SHA256=3d50f66b5a226c5c079af9eb49c4bfd94566ccfd728a32658c438f6df1c7bba5
readonly PROXY="${GOPROXY_URL:-https://proxy.golang.org}"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fetch_module() {
  local module="$1" sum="$2" zip="$work/$(basename "$1").zip"
  curl -fsSL --retry 3 -o "$zip" "$PROXY/$module/@v/$VERSION.zip"
  echo "$sum  $zip" | sha256sum -c --quiet -
  # Module zips hold every file under "<module>@<version>/".
  unzip -q "$zip" -d "$work/modules"
}

fetch_module k8s.io/api "$API_SHA256"
fetch_module k8s.io/apimachinery "$APIMACHINERY_SHA256"

cd "$root"
npx tsx scripts/proto/build-kube-descriptor.ts \
  --api "$work/modules/k8s.io/api@$VERSION" \
  --apimachinery "$work/modules/k8s.io/apimachinery@$VERSION" \
  --version "$VERSION" \
  --out lib/api/protobuf/kube-descriptor.json
npx prettier --log-level warn --write lib/api/protobuf/kube-descriptor.json
