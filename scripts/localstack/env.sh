# Sourced by the scripts beside it: where LocalStack lives and how it is configured for Skiff's
# deploy tests (host mode, no Docker, loopback only). See docs/localstack.md.

localstack_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
localstack_venv="$localstack_root/.venv/localstack"
# Runtime state: the pid, LocalStack's log, the executor's per-function logs, the stack outputs.
localstack_state="$localstack_root/.localstack"
localstack_pidfile="$localstack_state/localstack.pid"
: "${SKIFF_LOCALSTACK_PORT:=4566}"

localstack_environment() {
  # Host mode: LocalStack runs as a Python process here, not in its container.
  export OVERRIDE_IN_DOCKER=0
  export FILESYSTEM_ROOT="$localstack_venv/filesystem"
  export GATEWAY_LISTEN="127.0.0.1:$SKIFF_LOCALSTACK_PORT"
  export LOCALSTACK_HOST="127.0.0.1:$SKIFF_LOCALSTACK_PORT"
  # The default gateway server (twisted) binds 0.0.0.0 whatever GATEWAY_LISTEN says; hypercorn
  # binds the address given.
  export GATEWAY_SERVER=hypercorn
  # No DNS here: queue URLs carry the path, not a per-region host name; no DNS server of its own.
  export SQS_ENDPOINT_STRATEGY=path
  export DNS_ADDRESS=0
  # Lambda runs each function's bundle in a host Node process (executor/, test infrastructure).
  export LAMBDA_RUNTIME_EXECUTOR=skiff-node
  export SKIFF_LOCALSTACK_LOGS="$localstack_state/logs"
  # Nothing from outside: no analytics, no certificate download, no update checks.
  export DISABLE_EVENTS=1
  export SKIP_SSL_CERT_DOWNLOAD=1
  export LOCALSTACK_TELEMETRY_DISABLED=1
  # A fresh emulator each start: nothing persisted between runs.
  export PERSISTENCE=0
  # Node servers LocalStack starts (its Kinesis engine, behind DynamoDB Streams) listen on
  # 127.0.0.1 where they would ask for every interface (loopback-listen.cjs).
  export NODE_OPTIONS="--require $localstack_root/scripts/localstack/loopback-listen.cjs${NODE_OPTIONS:+ $NODE_OPTIONS}"
}

# What deploy.sh and destroy.sh call LocalStack with: its endpoint for every service (S3 by IP
# address, so buckets are addressed by path and no bucket host name needs DNS), test credentials
# and a region, each kept when already set.
localstack_client_environment() {
  export AWS_ENDPOINT_URL="${AWS_ENDPOINT_URL:-http://127.0.0.1:$SKIFF_LOCALSTACK_PORT}"
  export AWS_ENDPOINT_URL_S3="${AWS_ENDPOINT_URL_S3:-$AWS_ENDPOINT_URL}"
  export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
  export AWS_REGION="${AWS_REGION:-us-east-1}"
  export AWS_DEFAULT_REGION="$AWS_REGION"
}

# Every process below $1 (children first found, then theirs), by walking parent ids.
localstack_descendants() {
  local -a queue=("$1")
  local parent child
  while ((${#queue[@]} > 0)); do
    parent="${queue[0]}"
    queue=("${queue[@]:1}")
    for child in $(ps -e -o pid=,ppid= | awk -v p="$parent" '$2 == p { print $1 }'); do
      echo "$child"
      queue+=("$child")
    done
  done
}
