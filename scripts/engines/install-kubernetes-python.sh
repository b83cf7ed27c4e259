#!/usr/bin/env bash
# Installs the official Python Kubernetes client (`kubernetes` on PyPI) into the virtualenv
# .venv/kubernetes (see pip-venv.sh). test/e2e/watch-clients.test.ts runs
# test/e2e/watch-clients/watch_configmaps.py with its python, to watch the local server as a
# Python program would.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/pip-venv.sh"
install_pip_venv kubernetes kubernetes 37.0.2 bin/python
