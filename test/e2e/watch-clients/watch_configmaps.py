"""Watches the ConfigMaps of one namespace with the official Python client and prints each event.

    watch_configmaps.py --kubeconfig FILE --namespace NS [--resource-version RV]
                        [--timeout-seconds N] [--allow-watch-bookmarks] [--until-deleted NAME]

Runs `watch.Watch().stream(v1.list_namespaced_config_map, ...)` as a Python program would, and
prints one JSON line per event as it arrives: its type, the object's kind, name, resourceVersion,
data["seq"] (the writer's counter) and the time it arrived (unix nanoseconds). It stops after the
DELETED event of --until-deleted, or when the stream ends (--timeout-seconds), and then prints
{"type": "END", "elapsedMs": ...}, the time the stream was open. An ERROR event or a failed
request ends it with the client's exception on stderr and exit code 1.
test/e2e/watch-clients.test.ts drives the writes and reads these lines.
"""

import argparse
import json
import sys
import time

from kubernetes import client, config, watch


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kubeconfig", required=True)
    parser.add_argument("--namespace", required=True)
    parser.add_argument("--resource-version")
    parser.add_argument("--timeout-seconds", type=int)
    parser.add_argument("--allow-watch-bookmarks", action="store_true")
    parser.add_argument("--until-deleted")
    args = parser.parse_args()

    config.load_kube_config(config_file=args.kubeconfig)
    v1 = client.CoreV1Api()
    options = {"namespace": args.namespace}
    if args.resource_version is not None:
        options["resource_version"] = args.resource_version
    if args.timeout_seconds is not None:
        options["timeout_seconds"] = args.timeout_seconds
    if args.allow_watch_bookmarks:
        options["allow_watch_bookmarks"] = True

    watcher = watch.Watch()
    started = time.monotonic()
    for event in watcher.stream(v1.list_namespaced_config_map, **options):
        received = time.time_ns()
        # The raw object: a BOOKMARK's object is not deserialized, and carries only its kind,
        # apiVersion and resourceVersion.
        raw = event["raw_object"]
        metadata = raw.get("metadata") or {}
        line = {
            "type": event["type"],
            "kind": raw.get("kind"),
            "apiVersion": raw.get("apiVersion"),
            "name": metadata.get("name"),
            "resourceVersion": metadata.get("resourceVersion"),
            "seq": (raw.get("data") or {}).get("seq"),
            "receivedUnixNano": received,
        }
        print(json.dumps(line), flush=True)
        if event["type"] == "DELETED" and line["name"] == args.until_deleted:
            watcher.stop()
    elapsed_ms = (time.monotonic() - started) * 1000
    print(json.dumps({"type": "END", "elapsedMs": elapsed_ms}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
