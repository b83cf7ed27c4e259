#!/usr/bin/env bash
# Installs AWS CLI v1 (the `awscli` package, pure Python) from PyPI into the virtualenv .venv/awscli
# (see pip-venv.sh). test/integration/auth-token.test.ts runs its `aws eks get-token` against the
# token verifier, to show a kubeconfig's aws exec entry works with Skiff unmodified.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/pip-venv.sh"
install_pip_venv awscli awscli 1.46.3 bin/aws
