#!/usr/bin/env bash
# CI's LocalStack phase (.ci/run), in order: install LocalStack (host mode), start it on
# 127.0.0.1, `npm run localstack:deploy`, the remote suite against the deployed stack
# (SKIFF_TARGET=localstack: kubectl applies the examples through API Gateway and waits for the
# deployed reconcile function's fan-out; the example operator converges its StaticSites; the
# store conformance suite on LocalStack's DynamoDB),
# the ss check that every listener LocalStack's processes hold is on loopback, then
# `npm run localstack:destroy`; LocalStack and everything under it stop whatever happened.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here/../.."

phase() { printf -- '--- %s (%ss)\n' "$*" "$SECONDS"; }
SECONDS=0
phase "install"
bash "$here/install.sh"
phase "start"
trap 'bash "$here/stop.sh"' EXIT
bash "$here/start.sh"
phase "deploy"
SKIFF_EXAMPLE_OPERATORS=true npm run --silent localstack:deploy
phase "remote suite"
SKIFF_TARGET=localstack SKIFF_ENGINES=none npm run --silent test:remote
phase "listeners"
bash "$here/check-listeners.sh"
phase "destroy"
npm run --silent localstack:destroy
phase "stop"
bash "$here/stop.sh"
trap - EXIT
phase "LocalStack phase done"
