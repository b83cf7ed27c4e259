#!/usr/bin/env bash
# The client-go applier (test/e2e/client-go/applier: server-side apply through typed apply configurations), for test/e2e/client-go-apply.test.ts.
exec bash "$(dirname "${BASH_SOURCE[0]}")/build-go-program.sh" test/e2e/client-go/applier client-go-applier applier
