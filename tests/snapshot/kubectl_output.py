"""Snapshot files written the way kubectl writes them, reimplemented from kubectl's source for the tests.

* `kubectl cluster-info dump`:
  https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/kubectl/pkg/cmd/clusterinfo/clusterinfo_dump.go
  (the same code as kubernetes/kubectl pkg/cmd/clusterinfo/clusterinfo_dump.go). Run() prints the NodeList,
  then per namespace the EventList, ReplicationControllerList, ServiceList, DaemonSetList, DeploymentList,
  ReplicaSetList and PodList, then for each pod, init containers first, a
  "==== START logs for container %s of pod %s/%s ====\\n" line, the raw log bytes (or "Request log error: %s\\n"
  when the log request failed) and the matching END line. With --output-directory each list goes to
  <name>.json (nodes.json, <ns>/events.json, ...) and each pod's blocks to <ns>/<pod>/logs.txt. The lists are
  typed lists from client-go: their items carry no kind/apiVersion.
* JSON printer: json.MarshalIndent(obj, "", "    ") followed by "\\n"; Go's encoder escapes <, > and & in strings.
  https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/cli-runtime/pkg/printers/json.go
* YAML printer (printers/yaml.go next to it): "---\\n" before every object but the first that printer prints;
  the objects themselves are written by sigs.k8s.io/yaml, which PyYAML only approximates here.
* `kubectl get -o json` of any resources prints an unstructured List: keys sorted, each item with its kind.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import yaml


def go_json(obj: object, *, sort_keys: bool = False) -> bytes:
    """encoding/json.MarshalIndent(obj, "", "    ") and the printer's trailing newline."""
    text = json.dumps(obj, indent=4, ensure_ascii=False, sort_keys=sort_keys)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n").encode()


def kubectl_get_json(*items: dict) -> bytes:
    """`kubectl get <several resources> -A -o json`."""
    return go_json({"apiVersion": "v1", "items": list(items), "kind": "List", "metadata": {"resourceVersion": ""}}, sort_keys=True)


def kubectl_get_yaml(*items: dict) -> bytes:
    """`kubectl get <several resources> -A -o yaml`."""
    listed = {"apiVersion": "v1", "items": list(items), "kind": "List", "metadata": {"resourceVersion": ""}}
    return yaml.safe_dump(listed, sort_keys=True, allow_unicode=True).encode()


def typed_list(kind: str, items: list[dict], api_version: str = "v1") -> dict:
    """A list as client-go returns it (e.g. PodList): item kinds and apiVersions are left out."""
    return {
        "kind": kind,
        "apiVersion": api_version,
        "metadata": {"resourceVersion": "770"},
        "items": [{k: v for k, v in item.items() if k not in ("kind", "apiVersion")} for item in items],
    }


@dataclass
class NamespaceDump:
    events: list[dict] = field(default_factory=list)
    replication_controllers: list[dict] = field(default_factory=list)
    services: list[dict] = field(default_factory=list)
    daemonsets: list[dict] = field(default_factory=list)
    deployments: list[dict] = field(default_factory=list)
    replicasets: list[dict] = field(default_factory=list)
    pods: list[dict] = field(default_factory=list)


@dataclass
class LogRequestError:
    """kubectl could not get a container's logs; `message` is err.Error()."""

    message: str


Logs = dict[tuple[str, str, str], "bytes | LogRequestError"]  # (namespace, pod, container) -> raw log bytes


class _Printer:
    def __init__(self, output: str) -> None:
        self.output = output
        self.count = 0

    def print(self, obj: dict, writer: IO[bytes]) -> None:
        self.count += 1
        if self.output == "json":
            writer.write(go_json(obj))
            return
        if self.count > 1:
            writer.write(b"---\n")
        writer.write(yaml.safe_dump(obj, sort_keys=True, allow_unicode=True).encode())


def cluster_info_dump(
    nodes: list[dict],
    namespaces: dict[str, NamespaceDump],
    logs: Logs,
    *,
    output_directory: Path | None = None,
    output: str = "json",
) -> bytes:
    """What `kubectl cluster-info dump [-o yaml] [--output-directory DIR]` writes; returns its stdout
    (empty when writing to a directory, apart from the final message kubectl prints there)."""
    stdout = io.BytesIO()
    opened: list[IO[bytes]] = []
    extension = ".yaml" if output == "yaml" else ".json"

    def writer(name: str, ext: str) -> IO[bytes]:
        if output_directory is None:
            return stdout
        path = output_directory / f"{name}{ext}"
        path.parent.mkdir(parents=True, exist_ok=True)
        opened.append(path.open("wb"))
        return opened[-1]

    printer = _Printer(output)
    printer.print(typed_list("NodeList", nodes), writer("nodes", extension))
    for ns, dump in namespaces.items():
        for name, kind, api_version, items in (
            ("events", "EventList", "v1", dump.events),
            ("replication-controllers", "ReplicationControllerList", "v1", dump.replication_controllers),
            ("services", "ServiceList", "v1", dump.services),
            ("daemonsets", "DaemonSetList", "apps/v1", dump.daemonsets),
            ("deployments", "DeploymentList", "apps/v1", dump.deployments),
            ("replicasets", "ReplicaSetList", "apps/v1", dump.replicasets),
            ("pods", "PodList", "v1", dump.pods),
        ):
            printer.print(typed_list(kind, items, api_version), writer(f"{ns}/{name}", extension))
        for pod in dump.pods:
            pod_name = pod["metadata"]["name"]
            log_writer = writer(f"{ns}/{pod_name}/logs", ".txt")
            spec = pod.get("spec", {})
            for container in (spec.get("initContainers") or []) + (spec.get("containers") or []):
                log = logs.get((ns, pod_name, container["name"]), b"")
                _print_container(log_writer, container["name"], ns, pod_name, log)
    for file in opened:
        file.close()
    if output_directory is not None:
        stdout.write(f"Cluster info dumped to {output_directory}\n".encode())
    return stdout.getvalue()


def _print_container(writer: IO[bytes], container: str, namespace: str, pod: str, log: bytes | LogRequestError) -> None:
    writer.write(f"==== START logs for container {container} of pod {namespace}/{pod} ====\n".encode())
    if isinstance(log, LogRequestError):
        writer.write(f"Request log error: {log.message}\n".encode())
    else:
        writer.write(log)
    writer.write(f"==== END logs for container {container} of pod {namespace}/{pod} ====\n".encode())
