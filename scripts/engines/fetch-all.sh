#!/usr/bin/env bash
# Fetches every test engine and tool that does not come with npm (`npm run engines:fetch`):
# DynamoDB Local from Maven Central; moto server, schemathesis and the Python Kubernetes client from
# PyPI; and builds the client-go programs the e2e tests run, AWS's metadata mock and helm 3 (Go
# modules from the Go module proxy). dynalite is an npm dependency and needs nothing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bash "$here/fetch-dynamodb-local.sh"
bash "$here/install-moto.sh"
bash "$here/fetch-awscli.sh"
bash "$here/install-schemathesis.sh"
bash "$here/install-kubernetes-python.sh"
bash "$here/build-watch-informer.sh"
bash "$here/build-client-go-writer.sh"
bash "$here/build-client-go-applier.sh"
bash "$here/fetch-ec2-metadata-mock.sh"
bash "$here/fetch-helm.sh"
