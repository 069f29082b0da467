"""Cluster objects for the snapshot tests. Every event message, status message and log line is copied
verbatim from ../shared/cases/real-failures.jsonl, with the case's source cited next to it; only object
names, uids and timestamps are made up (and those that appear in a message are taken from it)."""

from __future__ import annotations

# ---- case ocs-ci-kafdrop-rate-limit-crio: https://github.com/red-hat-storage/ocs-ci/issues/4494 ----------
# Namespace, pod and node names are the ones in its Scheduled message.
KAFDROP_NS, KAFDROP_POD, KAFDROP_NODE = "myproject", "kafdrop-1-j4969", "compute-0"
KAFDROP_UID = "3d3f1c5e-6a51-4c0e-9d41-0f5a9b8e7c21"
KAFDROP_EVENTS = [  # (type, reason, message), source: https://github.com/red-hat-storage/ocs-ci/issues/4494
    ("Normal", "Scheduled", "Successfully assigned myproject/kafdrop-1-j4969 to compute-0"),
    ("Normal", "AddedInterface", "Add eth0 [10.131.0.86/23]"),
    ("Normal", "Pulling", 'Pulling image "obsidiandynamics/kafdrop:latest"'),
    (
        "Warning",
        "Failed",
        'Failed to pull image "obsidiandynamics/kafdrop:latest": rpc error: code = Unknown desc = Error reading '
        "manifest latest in docker.io/obsidiandynamics/kafdrop: toomanyrequests: You have reached your pull rate "
        "limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit",
    ),
    ("Warning", "Failed", "Error: ErrImagePull"),
    ("Normal", "BackOff", 'Back-off pulling image "obsidiandynamics/kafdrop:latest"'),
]
# The waiting message during back-off is the BackOff event's text (same source as above).
KAFDROP_WAITING_MESSAGE = 'Back-off pulling image "obsidiandynamics/kafdrop:latest"'

# ---- case es-client-insufficient-cpu: https://github.com/pires/kubernetes-elasticsearch-cluster/issues/178 --
ES_NS, ES_POD, ES_UID = "default", "es-client-2155074821-nxdkt", "9b2f3a8e-1f0c-4e43-8d7a-5b9c1e2f4a60"
ES_EVENTS = [("Warning", "FailedScheduling", "0/5 nodes are available: 5 Insufficient cpu")]  # source: same issue

# ---- case wekan-node-cannot-find-module: https://github.com/wekan/wekan/issues/6363 ------------------------
WEKAN_NS, WEKAN_POD, WEKAN_UID = "wekan", "wekan-7c9d6b5f4-q2xlm", "c0a8e4d2-7b1f-4f5e-a3c9-2d8e6f1b0a93"
WEKAN_LOG_LINES = [  # source: https://github.com/wekan/wekan/issues/6363
    "node:internal/modules/cjs/loader:1503",
    "  throw err;",
    "  ^",
    "Error: Cannot find module '/build/main.js'",
    "    at Module._resolveFilename (node:internal/modules/cjs/loader:1500:15)",
    "    at wrapResolveFilename (node:internal/modules/cjs/loader:1071:27)",
    "    at defaultResolveImplForCJSLoading (node:internal/modules/cjs/loader:1095:10)",
    "    at resolveForCJSWithHooks (node:internal/modules/cjs/loader:1116:12)",
    "    at Module._load (node:internal/modules/cjs/loader:1285:25)",
    "    at wrapModuleLoad (node:internal/modules/cjs/loader:255:19)",
    "    at Module.executeUserEntryPoint [as runMain] (node:internal/modules/run_main:154:5)",
    "    at node:internal/main/run_main_module:33:47 {",
    "  code: 'MODULE_NOT_FOUND',",
    "  requireStack: []",
    "}",
    "Node.js v24.16.0",
]

# ---- case tracee-raspi-exec-format: https://github.com/aquasecurity/tracee/issues/2757 ----------------------
TRACEE_NS, TRACEE_POD, TRACEE_UID = "tracee-system", "tracee-9xq7w", "5e7d2c1b-8a4f-4b6e-9c3d-1f0e2a4b6c88"
TRACEE_LOG_LINE = "exec /tracee/entrypoint.sh: exec format error"  # source: same issue

# ---- case sedna-kb-python-module-not-found: https://github.com/kubeedge/sedna/issues/320 --------------------
SEDNA_LOG_LINES = [  # source: https://github.com/kubeedge/sedna/issues/320
    "Traceback (most recent call last):",
    '  File "/code/lib/sedna/service/run_kb.py", line 18, in <module>',
    "    from sedna.service.server.knowledgeBase.model import init_db",
    '  File "/code/lib/sedna/__init__.py", line 16, in <module>',
    "    import sedna.algorithms",
    '  File "/code/lib/sedna/algorithms/__init__.py", line 19, in <module>',
    "    from . import optical_flow",
    '  File "/code/lib/sedna/algorithms/optical_flow/__init__.py", line 19, in <module>',
    "    import cv2",
    "ModuleNotFoundError: No module named 'cv2'",
]

# Not a pod failure message: apimachinery's generic text for an HTTP 400 with no message, which users of
# `kubectl cluster-info dump` met when log requests failed (https://github.com/kubernetes/kubernetes/issues/44069).
LOG_REQUEST_ERROR = "the server rejected our request for an unknown reason"


def pod(
    namespace: str,
    name: str,
    uid: str,
    *,
    containers: list[str],
    init_containers: tuple[str, ...] = (),
    node: str | None = None,
    waiting: tuple[str, str] | None = None,
) -> dict:
    """A Pod as the API returns it; `waiting` is (reason, message) for the first container."""
    spec: dict = {"containers": [{"name": c, "image": f"example.test/{c}:1"} for c in containers]}
    if init_containers:
        spec["initContainers"] = [{"name": c, "image": f"example.test/{c}:1"} for c in init_containers]
    if node:
        spec["nodeName"] = node
    status: dict = {"phase": "Pending" if waiting else "Running"}
    if waiting:
        reason, message = waiting
        status["containerStatuses"] = [
            {"name": containers[0], "state": {"waiting": {"reason": reason, "message": message}}, "ready": False, "restartCount": 0}
        ]
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace, "uid": uid, "creationTimestamp": "2024-05-01T10:00:00Z"},
        "spec": spec,
        "status": status,
    }


def events(namespace: str, pod_name: str, pod_uid: str, rows: list[tuple[str, str, str]]) -> list[dict]:
    """core/v1 Events about a pod, one per (type, reason, message) row."""
    return [
        {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": f"{pod_name}.17c3a2b1d{i:07x}", "namespace": namespace, "uid": f"{pod_uid[:8]}-ev-{i}"},
            "involvedObject": {"kind": "Pod", "namespace": namespace, "name": pod_name, "uid": pod_uid, "apiVersion": "v1"},
            "reason": reason,
            "message": message,
            "type": type_,
            "count": 1,
            "firstTimestamp": "2024-05-01T10:00:02Z",
            "lastTimestamp": "2024-05-01T10:00:02Z",
        }
        for i, (type_, reason, message) in enumerate(rows)
    ]


def kafdrop_pod() -> dict:
    return pod(
        KAFDROP_NS,
        KAFDROP_POD,
        KAFDROP_UID,
        containers=["kafdrop"],
        node=KAFDROP_NODE,
        waiting=("ImagePullBackOff", KAFDROP_WAITING_MESSAGE),
    )


def kafdrop_events() -> list[dict]:
    return events(KAFDROP_NS, KAFDROP_POD, KAFDROP_UID, KAFDROP_EVENTS)


def es_pod() -> dict:
    return pod(ES_NS, ES_POD, ES_UID, containers=["es-client"])


def es_events() -> list[dict]:
    return events(ES_NS, ES_POD, ES_UID, ES_EVENTS)


def node(name: str) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": name, "uid": f"uid-{name}"},
        "status": {"conditions": [{"type": "Ready", "status": "True"}]},
    }


def pvc(namespace: str, name: str) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"accessModes": ["ReadWriteOnce"]},
        "status": {"phase": "Pending"},
    }


def deployment(namespace: str, name: str) -> dict:
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "namespace": namespace}, "spec": {"replicas": 1}}


def replicaset(namespace: str, name: str) -> dict:
    return {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": name, "namespace": namespace}, "spec": {"replicas": 1}}


def service(namespace: str, name: str) -> dict:
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": namespace}, "spec": {"type": "ClusterIP"}}
