"""Server-side printing: `meta.k8s.io/v1` Table responses, the columns `kubectl get` shows.

Pods, events, nodes, namespaces and deployments get kubectl's real columns (ported from printers.go), and
so do the kinds of `tables_network.py`; other kinds get NAME and AGE. Cells are computed when the request is served, so AGE is fresh.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from k8sdoctor.core.kube.podstatus import summarize
from k8sdoctor.core.kube.timeutil import age, human_duration
from k8sdoctor.fakeapi.tables_network import PRINTERS as NETWORK_PRINTERS
from k8sdoctor.fakeapi.views import partial_metadata


def _column(name: str, description: str, *, priority: int = 0, fmt: str = "", kind: str = "string") -> dict:
    return {"name": name, "type": kind, "format": fmt, "description": description, "priority": priority}


_NAME = _column("Name", "Name must be unique within a namespace.", fmt="name")
_AGE = _column("Age", "CreationTimestamp is a timestamp representing the server time when this object was created.")

POD_COLUMNS = [
    _NAME,
    _column("Ready", "The aggregate readiness state of this pod for accepting traffic."),
    _column("Status", "The aggregate status of the containers in this pod."),
    _column(
        "Restarts",
        "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.",
    ),
    _AGE,
    _column("IP", "podIP address allocated to the pod.", priority=1),
    _column("Node", "NodeName indicates in which node this pod is scheduled.", priority=1),
    _column("Nominated Node", "nominatedNodeName is set when this pod preempts other pods on the node.", priority=1),
    _column("Readiness Gates", "If specified, all readiness gates will be evaluated for pod readiness.", priority=1),
]

EVENT_COLUMNS = [
    _column("Last Seen", "The time at which the most recent occurrence of this event was recorded."),
    _column("Type", "Type of this event (Normal, Warning), new types could be added in the future"),
    _column(
        "Reason",
        "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
    ),
    _column("Object", "The object that this event is about."),
    _column("Subobject", "The field of the object this event is about.", priority=1),
    _column("Source", "The component reporting this event.", priority=1),
    _column("Message", "A human-readable description of the status of this operation."),
    _column("First Seen", "The time at which the event was first recorded.", priority=1),
    _column("Count", "The number of times this event has occurred.", priority=1),
    _column("Name", "Name must be unique within a namespace.", priority=1, fmt="name"),
]

NODE_COLUMNS = [
    _NAME,
    _column("Status", "The status of the node"),
    _column("Roles", "The roles of the node"),
    _AGE,
    _column("Version", "Kubelet Version reported by the node."),
    _column("Internal-IP", "List of addresses reachable to the node.", priority=1),
    _column("External-IP", "List of addresses reachable to the node.", priority=1),
    _column("OS-Image", "OS Image reported by the node from /etc/os-release.", priority=1),
    _column("Kernel-Version", "Kernel Version reported by the node.", priority=1),
    _column("Container-Runtime", "ContainerRuntime Version reported by the node.", priority=1),
]

NAMESPACE_COLUMNS = [_NAME, _column("Status", "The status of the namespace"), _AGE]

DEPLOYMENT_COLUMNS = [
    _NAME,
    _column("Ready", "Number of the pod with ready state"),
    _column(
        "Up-to-date", "Total number of non-terminated pods targeted by this deployment that have the desired template spec.", kind="integer"
    ),
    _column(
        "Available", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.", kind="integer"
    ),
    _AGE,
    _column("Containers", "Names of each container in the template.", priority=1),
    _column("Images", "Images referenced by each container in the template.", priority=1),
    _column("Selector", "Label selector for pods.", priority=1),
]
GENERIC_COLUMNS = [_NAME, _AGE]

_POD_DONE = {
    "Succeeded": [{"type": "Completed", "status": "True", "reason": "Succeeded", "message": "The pod has completed successfully."}],
    "Failed": [{"type": "Completed", "status": "True", "reason": "Failed", "message": "The pod failed."}],
}


def pod_cells(pod: dict, now: datetime) -> list:
    summary = summarize(pod)
    spec, status, meta = pod.get("spec") or {}, pod.get("status") or {}, pod.get("metadata") or {}
    restarts = str(summary.restarts)
    if summary.restarts and summary.last_restart is not None:
        restarts = f"{summary.restarts} ({human_duration((now - summary.last_restart).total_seconds())} ago)"
    pod_ips = status.get("podIPs") or []
    gates = spec.get("readinessGates") or []
    gates_cell = "<none>"
    if gates:
        conditions = {c.get("type"): c.get("status") for c in status.get("conditions") or ()}
        passed = sum(1 for g in gates if conditions.get(g.get("conditionType")) == "True")
        gates_cell = f"{passed}/{len(gates)}"
    return [
        meta.get("name", ""),
        f"{summary.ready}/{summary.total}",
        summary.status,
        restarts,
        age(meta.get("creationTimestamp"), now),
        (pod_ips[0].get("ip") if pod_ips else "") or "<none>",
        spec.get("nodeName") or "<none>",
        status.get("nominatedNodeName") or "<none>",
        gates_cell,
    ]


def event_cells(event: dict, now: datetime) -> list:
    first = age(event.get("firstTimestamp"), now)
    if not event.get("firstTimestamp"):
        first = age(event.get("eventTime"), now)
    last = age(event.get("lastTimestamp"), now) if event.get("lastTimestamp") else first
    count = event.get("count") or 1
    series = event.get("series")
    if series:
        last = age(series.get("lastObservedTime"), now)
        count = series.get("count") or count
    subject = event.get("involvedObject") or {}
    kind = (subject.get("kind") or "").lower()
    target = f"{kind}/{subject['name']}" if subject.get("name") else kind
    source = event.get("source") or {}
    component = source.get("component") or event.get("reportingComponent") or ""
    instance = source.get("host") or event.get("reportingInstance") or ""
    return [
        last,
        event.get("type", ""),
        event.get("reason", ""),
        target,
        subject.get("fieldPath", ""),
        f"{component}, {instance}" if instance else component,
        (event.get("message") or "").strip(),
        first,
        count,
        (event.get("metadata") or {}).get("name", ""),
    ]


def node_cells(node: dict, now: datetime) -> list:
    meta, spec, status = node.get("metadata") or {}, node.get("spec") or {}, node.get("status") or {}
    states = [
        ("Ready" if c.get("status") == "True" else "NotReady") for c in status.get("conditions") or () if c.get("type") == "Ready"
    ] or ["Unknown"]
    if spec.get("unschedulable"):
        states.append("SchedulingDisabled")
    labels = meta.get("labels") or {}
    roles = {k.split("/", 1)[1] for k in labels if k.startswith("node-role.kubernetes.io/") and "/" in k}
    if labels.get("kubernetes.io/role"):
        roles.add(labels["kubernetes.io/role"])
    roles.discard("")
    addresses = status.get("addresses") or []
    info = status.get("nodeInfo") or {}

    def address(kind: str) -> str:
        return next((a.get("address") for a in addresses if a.get("type") == kind), None) or "<none>"

    return [
        meta.get("name", ""),
        ",".join(states),
        ",".join(sorted(roles)) or "<none>",
        age(meta.get("creationTimestamp"), now),
        info.get("kubeletVersion", ""),
        address("InternalIP"),
        address("ExternalIP"),
        info.get("osImage") or "<unknown>",
        info.get("kernelVersion") or "<unknown>",
        info.get("containerRuntimeVersion") or "<unknown>",
    ]


def namespace_cells(namespace: dict, now: datetime) -> list:
    meta = namespace.get("metadata") or {}
    return [meta.get("name", ""), (namespace.get("status") or {}).get("phase", ""), age(meta.get("creationTimestamp"), now)]


def _selector(selector: dict) -> str:
    """metav1.LabelSelectorAsSelector(...).String(): requirements sorted by key."""
    terms = [(k, f"{k}={v}") for k, v in (selector.get("matchLabels") or {}).items()]
    for expr in selector.get("matchExpressions") or ():
        key, op, values = expr.get("key", ""), expr.get("operator", ""), ",".join(sorted(expr.get("values") or ()))
        terms.append(
            (key, {"In": f"{key} in ({values})", "NotIn": f"{key} notin ({values})", "Exists": key, "DoesNotExist": f"!{key}"}.get(op, key))
        )
    return ",".join(term for _, term in sorted(terms))


def deployment_cells(deployment: dict, now: datetime) -> list:
    meta, spec = deployment.get("metadata") or {}, deployment.get("spec") or {}
    status = deployment.get("status") or {}
    containers = ((spec.get("template") or {}).get("spec") or {}).get("containers") or []
    return [
        meta.get("name", ""),
        f"{status.get('readyReplicas', 0)}/{spec.get('replicas', 1)}",
        status.get("updatedReplicas", 0),
        status.get("availableReplicas", 0),
        age(meta.get("creationTimestamp"), now),
        ",".join(c.get("name", "") for c in containers),
        ",".join(c.get("image", "") for c in containers),
        _selector(spec.get("selector") or {}),
    ]


def generic_cells(obj: dict, now: datetime) -> list:
    meta = obj.get("metadata") or {}
    return [meta.get("name", ""), age(meta.get("creationTimestamp"), now)]


_PRINTERS: dict[str, tuple[list[dict], Callable[[dict, datetime], list]]] = {
    "Pod": (POD_COLUMNS, pod_cells),
    "Event": (EVENT_COLUMNS, event_cells),
    "Node": (NODE_COLUMNS, node_cells),
    "Namespace": (NAMESPACE_COLUMNS, namespace_cells),
    "Deployment": (DEPLOYMENT_COLUMNS, deployment_cells),
    **NETWORK_PRINTERS,
}


def table(kind: str, objects: Iterable[dict], now: datetime, *, include_object: str = "Metadata", list_meta: dict | None = None) -> dict:
    """A Table of `objects` (core representation). include_object: None, Metadata or Object."""
    columns, cells = _PRINTERS.get(kind, (GENERIC_COLUMNS, generic_cells))
    rows = []
    for obj in objects:
        row: dict = {"cells": cells(obj, now)}
        if kind == "Pod":
            done = _POD_DONE.get((obj.get("status") or {}).get("phase", ""))
            if done:
                row["conditions"] = done
        if include_object == "Object":
            row["object"] = obj
        elif include_object != "None":
            row["object"] = partial_metadata(obj)
        rows.append(row)
    return {
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": list_meta or {},
        "columnDefinitions": columns,
        "rows": rows,
    }
