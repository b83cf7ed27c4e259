#!/usr/bin/env bash
# Installs moto server (the engine LocalStack runs for EC2, and a third DynamoDB implementation)
# from PyPI into the virtualenv .venv/moto (see pip-venv.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/pip-venv.sh"
install_pip_venv moto 'moto[server]' 5.2.5 bin/moto_server
