#!/usr/bin/env bash
# Stops the LocalStack start.sh started and everything under it: the functions' Node processes,
# DynamoDB Local and the Kinesis engine (LocalStack starts those in sessions of their own, so the
# process tree is walked by parent id, not the process group). TERM first, KILL after 10 s.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

[[ -f "$localstack_pidfile" ]] || exit 0
pid="$(<"$localstack_pidfile")"
if ! kill -0 "$pid" 2>/dev/null; then
  rm -f "$localstack_pidfile"
  exit 0
fi
# Found before the parent goes, while they are still its descendants.
mapfile -t pids < <(echo "$pid"; localstack_descendants "$pid")
kill -TERM "${pids[@]}" 2>/dev/null || true
for _ in $(seq 1 100); do
  alive=()
  for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive+=("$p"); done
  ((${#alive[@]} == 0)) && break
  sleep 0.1
done
if ((${#alive[@]} > 0)); then
  echo "still running after TERM, killing: ${alive[*]}" >&2
  kill -KILL "${alive[@]}" 2>/dev/null || true
fi
rm -f "$localstack_pidfile"
echo "LocalStack stopped (${#pids[@]} processes)" >&2
