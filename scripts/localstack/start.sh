#!/usr/bin/env bash
# Starts LocalStack in host mode for Skiff's deploy tests (install.sh first) and waits until its
# health endpoint answers, with a deadline (SKIFF_LOCALSTACK_START_SECONDS, default 120).
# Its gateway asks for 127.0.0.1:4566 (SKIFF_LOCALSTACK_PORT); Lambda functions run through
# Skiff's skiff-node executor. State and logs go to .localstack/; stop.sh ends everything.
# LocalStack's gateway and its Kinesis engine may still bind 0.0.0.0: CI runs the whole LocalStack
# phase in a network namespace with only loopback (ci.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

deadline_seconds="${SKIFF_LOCALSTACK_START_SECONDS:-120}"
health="http://127.0.0.1:$SKIFF_LOCALSTACK_PORT/_localstack/health"

if [[ -f "$localstack_pidfile" ]] && kill -0 "$(<"$localstack_pidfile")" 2>/dev/null; then
  echo "LocalStack already running (pid $(<"$localstack_pidfile"))" >&2
  exit 0
fi
[[ -x "$localstack_venv/bin/python" ]] || { echo "LocalStack is not installed: run scripts/localstack/install.sh" >&2; exit 1; }

localstack_environment
rm -rf "$FILESYSTEM_ROOT/var/lib/localstack/tmp" "$FILESYSTEM_ROOT/var/lib/localstack/state"
mkdir -p "$localstack_state" "$SKIFF_LOCALSTACK_LOGS"
# Its own session and process group: stop.sh walks its process tree from this pid.
setsid "$localstack_venv/bin/python" -m localstack.runtime.main \
  </dev/null >"$localstack_state/localstack.log" 2>&1 &
pid=$!
echo "$pid" >"$localstack_pidfile"

started=$SECONDS
healthy() {
  "$localstack_venv/bin/python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$health" 2>/dev/null
}
until healthy; do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "LocalStack exited during startup; its log:" >&2
    tail -50 "$localstack_state/localstack.log" >&2
    exit 1
  fi
  if ((SECONDS - started > deadline_seconds)); then
    echo "LocalStack was not healthy within ${deadline_seconds}s; its log:" >&2
    tail -50 "$localstack_state/localstack.log" >&2
    exit 1
  fi
  sleep 0.5
done
echo "LocalStack $("$localstack_venv/bin/python" -c 'import importlib.metadata as m; print(m.version("localstack-core"))' 2>/dev/null || true) healthy on 127.0.0.1:$SKIFF_LOCALSTACK_PORT (pid $pid) after $((SECONDS - started))s" >&2
