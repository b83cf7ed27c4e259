"""Creates, reads, patches, replaces and deletes a ConfigMap with the official Python client.

    configmap_crud.py --kubeconfig FILE --namespace NS --name NAME

Calls the generated CoreV1Api as a Python program would (create_namespaced_config_map sends its
POST without a Content-Type in client 37.x) and prints one JSON line per call: the call, and the
data and resourceVersion it got back, or the API's status code and reason when it failed.
test/e2e/python-client.test.ts reads these lines.
"""

import argparse
import json

from kubernetes import client, config
from kubernetes.client.rest import ApiException


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kubeconfig", required=True)
    parser.add_argument("--namespace", required=True)
    parser.add_argument("--name", required=True)
    args = parser.parse_args()

    config.load_kube_config(config_file=args.kubeconfig)
    v1 = client.CoreV1Api()
    ns, name = args.namespace, args.name

    def report(call, fn):
        try:
            result = fn()
            body = result.to_dict() if hasattr(result, "to_dict") else None
            metadata = (body or {}).get("metadata") or {}
            print(json.dumps({"call": call, "data": (body or {}).get("data"),
                              "resourceVersion": metadata.get("resource_version")}), flush=True)
        except ApiException as error:
            reason = None
            try:
                reason = json.loads(error.body or "{}").get("reason")
            except ValueError:
                pass
            print(json.dumps({"call": call, "status": error.status, "reason": reason}), flush=True)

    body = {"metadata": {"name": name}, "data": {"step": "created"}}
    report("create", lambda: v1.create_namespaced_config_map(ns, body))
    report("create again", lambda: v1.create_namespaced_config_map(ns, body))
    report("read", lambda: v1.read_namespaced_config_map(name, ns))
    report("patch", lambda: v1.patch_namespaced_config_map(name, ns, {"data": {"step": "patched"}}))
    current = v1.read_namespaced_config_map(name, ns)
    current.data = {"step": "replaced"}
    report("replace", lambda: v1.replace_namespaced_config_map(name, ns, current))
    report("delete", lambda: v1.delete_namespaced_config_map(name, ns))
    report("read after delete", lambda: v1.read_namespaced_config_map(name, ns))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
