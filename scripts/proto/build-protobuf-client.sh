#!/usr/bin/env bash
# The protobuf client (test/e2e/protobuf-client: typed clients speaking protobuf), for test/e2e/wire-formats.test.ts.
exec bash "$(dirname "${BASH_SOURCE[0]}")/../engines/build-go-program.sh" test/e2e/protobuf-client protobuf-client protobuf-client
