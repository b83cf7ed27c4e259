#!/usr/bin/env bash
# Installs schemathesis (property-based testing of an API from its OpenAPI documents) from PyPI into
# the virtualenv .venv/schemathesis (see pip-venv.sh). test/e2e/schemathesis.test.ts runs its CLI,
# .venv/schemathesis/bin/st, against the local server.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/pip-venv.sh"
install_pip_venv schemathesis schemathesis 4.32.5 bin/st
