#!/usr/bin/env bash
# Fetches every test engine that does not come with npm (`npm run engines:fetch`): DynamoDB Local
# from Maven Central and moto server from PyPI. dynalite is an npm dependency and needs nothing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bash "$here/fetch-dynamodb-local.sh"
bash "$here/install-moto.sh"
bash "$here/install-schemathesis.sh"
