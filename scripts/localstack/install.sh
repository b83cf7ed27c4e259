#!/usr/bin/env bash
# Installs LocalStack (host mode, no Docker) for Skiff's deploy tests into .venv/localstack:
# localstack-core from PyPI at the versions pinned in constraints.txt, Skiff's runtime executor
# plugin (executor/, test infrastructure: runs each Lambda bundle in a host Node process), and the
# engines LocalStack would otherwise download from hosts CI cannot reach, provisioned into its
# filesystem root (.venv/localstack/filesystem/var/lib/localstack/lib):
#   - java/21: the machine's JDK (>= 17; DynamoDB Local 2.x runs on 17), linked, not downloaded;
#   - dynamodb-local/2: the DynamoDB Local the tests already fetch from Maven Central
#     (.cache/dynamodb-local), behind a manifest-only DynamoDBLocal.jar whose main class is the
#     tests' loopback launcher (so it listens on 127.0.0.1), and a no-op javaagent in place of
#     LocalStack's patch agent (not on any registry CI reaches);
#   - kinesis-local (LocalStack's DynamoDB Streams engine) from the npm registry.
# Idempotent: a stamp holding the pins and the executor's hash makes a second run return at once.
# Python: localstack-core 2026.3.0 declares Requires-Python >= 3.10 but uses 3.12 syntax (PEP 695
# generics in localstack/services/stores.py): it needs Python >= 3.12. Debian 12 ships 3.11 only;
# this machine kind's image carries pyenv's CPython 3.13 beside its default 3.11, which is used.
# SKIFF_LOCALSTACK_PYTHON names another interpreter (>= 3.12).
set -euo pipefail

readonly LOCALSTACK_VERSION=2026.3.0
readonly KINESIS_LOCAL_VERSION=0.5.2

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$root/.venv/localstack"
libs="$venv/filesystem/var/lib/localstack/lib"
stamp="$venv/.skiff-localstack-version"

# The first Python >= 3.12: $SKIFF_LOCALSTACK_PYTHON, then on PATH, then pyenv's installed versions.
find_python() {
  local candidate
  for candidate in "${SKIFF_LOCALSTACK_PYTHON:-}" python3.13 python3.12 python3 \
    "$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"/versions/3.1[3-9]*/bin/python3 \
    "$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"/versions/3.12*/bin/python3; do
    [[ -n "$candidate" ]] || continue
    if "$candidate" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  echo "LocalStack 2026.3.0 needs Python >= 3.12 with venv; none found (set SKIFF_LOCALSTACK_PYTHON)" >&2
  return 1
}

want="$(
  {
    echo "$LOCALSTACK_VERSION kinesis-local@$KINESIS_LOCAL_VERSION"
    cat "$here/constraints.txt" "$here/install.sh"
    find "$here/executor" -type f \( -name '*.py' -o -name '*.cjs' -o -name '*.toml' \) -print0 |
      sort -z | xargs -0 cat
  } | sha256sum | cut -d' ' -f1
)"
is_installed() { [[ -f "$stamp" && "$(<"$stamp")" == "$want" && -x "$venv/bin/localstack" ]]; }

is_installed && exit 0
mkdir -p "$root/.venv"
exec 9>"$root/.venv/localstack.lock"
flock 9
is_installed && exit 0

# DynamoDB Local and its loopback launcher come from the tests' own Maven Central fetch.
bash "$root/scripts/engines/fetch-dynamodb-local.sh"

echo "installing localstack-core $LOCALSTACK_VERSION (host mode) into $venv" >&2
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
quiet() { "$@" >"$log" 2>&1 || { cat "$log" >&2; return 1; }; }

python="$(find_python)"
if ! "$venv/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
  rm -rf "$venv"
  quiet "$python" -m venv "$venv"
fi
quiet "$venv/bin/python" -m pip install --disable-pip-version-check \
  -c "$here/constraints.txt" "localstack-core[runtime]==$LOCALSTACK_VERSION" service-identity
# Built from a copy (setuptools leaves build/ and egg-info beside the sources it builds), and
# installed as a copy: the stamp's hash reinstalls it when the sources change.
executor_copy="$(mktemp -d)"
cp -r "$here/executor/." "$executor_copy"
quiet "$venv/bin/python" -m pip install --disable-pip-version-check --no-deps --force-reinstall \
  "$executor_copy"
rm -rf "$executor_copy"

# java/21: LocalStack's marker is bin/java under the install dir; the machine's JDK stands in.
java_home="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
mkdir -p "$libs/java"
ln -sfn "$java_home" "$libs/java/21"

# dynamodb-local/2: the jars by reference, a manifest-only jar to start them, a no-op agent.
ddb="$libs/dynamodb-local/2"
work="$(mktemp -d)"
trap 'rm -f "$log"; rm -rf "$work"' EXIT
rm -rf "$ddb"
mkdir -p "$ddb"
ln -sfn "$root/.cache/dynamodb-local" "$ddb/DynamoDBLocal_lib"
{
  echo "Main-Class: SkiffDynamoDBLocal"
  printf 'Class-Path: DynamoDBLocal_lib/launcher/'
  for jar in "$root"/.cache/dynamodb-local/*.jar; do printf ' \n DynamoDBLocal_lib/%s' "$(basename "$jar")"; done
  echo
} >"$work/manifest.txt"
(cd "$work" && jar --create --file "$ddb/DynamoDBLocal.jar" --manifest manifest.txt)
cat >"$work/SkiffNoopAgent.java" <<'EOF'
/** Stands in for LocalStack's DynamoDB Local patch agent, which no registry CI reaches carries. */
public final class SkiffNoopAgent {
  public static void premain(String args) {}
}
EOF
mkdir -p "$work/agent"
javac --release 17 -nowarn -d "$work/agent" "$work/SkiffNoopAgent.java"
echo "Premain-Class: SkiffNoopAgent" >"$work/agent-manifest.txt"
(cd "$work" && jar --create --file "$ddb/ddb-local-loader-0.1.jar" --manifest agent-manifest.txt -C agent .)

# kinesis-local: what LocalStack's own installer would run (npm install --prefix <dir> pkg@version).
kinesis="$libs/kinesis-local/$KINESIS_LOCAL_VERSION"
if [[ ! -f "$kinesis/node_modules/kinesis-local/main.js" ]]; then
  quiet npm install --no-audit --no-fund --prefix "$kinesis" "kinesis-local@$KINESIS_LOCAL_VERSION"
fi

echo "$want" >"$stamp"
