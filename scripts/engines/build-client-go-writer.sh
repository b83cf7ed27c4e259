#!/usr/bin/env bash
# The client-go writer (test/e2e/client-go/writer: creates, updates, applies and deletes through client-go's default, protobuf, configuration), for test/e2e/client-go.test.ts.
exec bash "$(dirname "${BASH_SOURCE[0]}")/build-go-program.sh" test/e2e/client-go/writer client-go-writer writer
