#!/usr/bin/env bash
# The client-go informer (test/e2e/watch-clients/informer: a SharedInformer on ConfigMaps printing each event), for test/e2e/watch-clients.test.ts.
exec bash "$(dirname "${BASH_SOURCE[0]}")/build-go-program.sh" test/e2e/watch-clients/informer watch-informer informer
