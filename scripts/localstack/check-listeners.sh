#!/usr/bin/env bash
# Checks that every TCP listener of the LocalStack start.sh started, and of every process under it
# (the functions' Node processes, DynamoDB Local, the Kinesis engine), is on loopback; prints them.
# Exits 1 when one listens anywhere else, or when LocalStack is not running.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

[[ -f "$localstack_pidfile" ]] && pid="$(<"$localstack_pidfile")" && kill -0 "$pid" 2>/dev/null ||
  { echo "LocalStack is not running" >&2; exit 1; }
listeners="$(ss -Hltnp)"
count=0
bad=0
for p in "$pid" $(localstack_descendants "$pid"); do
  while read -r line; do
    [[ -n "$line" ]] || continue
    address="$(awk '{ print $4 }' <<<"$line")"
    count=$((count + 1))
    case "$address" in
      127.0.0.1:* | '[::ffff:127.0.0.1]:'* | '[::1]:'*) echo "ok   $address  $(ps -o comm= -p "$p") (pid $p)" ;;
      *) echo "FAIL $address  $(ps -o comm= -p "$p") (pid $p): not loopback" >&2; bad=$((bad + 1)) ;;
    esac
  done < <(grep -F "pid=$p," <<<"$listeners" || true)
done
echo "$count listeners of LocalStack's processes, $bad not on loopback" >&2
((bad == 0))
