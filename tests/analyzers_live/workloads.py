"""Workloads for the live-path tests of the beyond-pods families (PodsNotCreated, RolloutStuck,
PodsFailing, JobFailed, CronJobNotRunning), and the two ways to read them: the real CLI against the local
API server, and the same CLI on a snapshot kubectl saved from that server.

Objects use relative times ("-20m") that the server resolves when the scenario loads. Every controller,
kubelet or API server message comes from tests/fixtures (beyond-pods rows through `case_message`, pod
failures through `corpus_message`), each checked against the source cited next to its use.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import orjson

from tests.beyondcases import beyond_case, case_message

__all__ = [
    "Verdicts",
    "beyond_case",
    "case_message",
    "cronjob",
    "deployment",
    "job",
    "load",
    "namespace",
    "object_event",
    "pod",
    "replicaset",
    "run_both",
    "running",
    "template",
]

#: What `kubectl get` saves for a snapshot of these tests: every kind their diagnoses read.
SNAPSHOT_KINDS = (
    "namespaces,nodes,pods,events,deployments,replicasets,statefulsets,daemonsets,jobs,cronjobs,resourcequotas,"
    "limitranges,services,endpointslices,serviceaccounts,mutatingwebhookconfigurations,validatingwebhookconfigurations"
)


def namespace(name: str, labels: dict | None = None) -> dict:
    labels = {"kubernetes.io/metadata.name": name, **(labels or {})}
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": labels}, "status": {"phase": "Active"}}


def template(app: str, containers: list[dict], **spec: object) -> dict:
    return {"metadata": {"labels": {"app": app}}, "spec": {"containers": containers, **spec}}


def deployment(ns: str, name: str, tmpl: dict, *, replicas: int, status: dict, generation: int = 1, **spec: object) -> dict:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": ns, "generation": generation, "creationTimestamp": "-3d"},
        "spec": {"replicas": replicas, "selector": {"matchLabels": tmpl["metadata"]["labels"]}, "template": tmpl, **spec},
        "status": {"observedGeneration": generation, **status},
    }


def replicaset(ns: str, name: str, tmpl: dict, *, replicas: int, status: dict, owner: str | None = None, revision: int = 1, **meta) -> dict:
    metadata = {
        "name": name,
        "namespace": ns,
        "creationTimestamp": meta.pop("created", "-1h"),
        "annotations": {"deployment.kubernetes.io/revision": str(revision)},
        **meta,
    }
    if owner:
        metadata["ownerReferences"] = [{"apiVersion": "apps/v1", "kind": "Deployment", "name": owner, "controller": True}]
    labels = {**tmpl["metadata"]["labels"], "pod-template-hash": name.rsplit("-", 1)[-1]}
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": metadata,
        "spec": {"replicas": replicas, "selector": {"matchLabels": labels}, "template": {**tmpl, "metadata": {"labels": labels}}},
        "status": status,
    }


def job(ns: str, name: str, tmpl: dict, *, status: dict, owner: str | None = None, created: str = "-1h", **spec: object) -> dict:
    meta: dict = {"name": name, "namespace": ns, "creationTimestamp": created, "labels": {"job-name": name}}
    if owner:
        meta["ownerReferences"] = [{"apiVersion": "batch/v1", "kind": "CronJob", "name": owner, "controller": True}]
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": meta, "spec": {"template": tmpl, **spec}, "status": status}


def cronjob(ns: str, name: str, schedule: str, tmpl: dict, *, status: dict, created: str = "-30d", **spec: object) -> dict:
    return {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": name, "namespace": ns, "creationTimestamp": created},
        "spec": {"schedule": schedule, "jobTemplate": {"spec": {"template": tmpl}}, **spec},
        "status": status,
    }


def pod(
    ns: str,
    name: str,
    owner: tuple[str, str],
    containers: list[dict],
    status: dict,
    *,
    created: str = "-1h",
    labels: dict | None = None,
    **spec,
) -> dict:
    kind, owner_name = owner
    api = "batch/v1" if kind == "Job" else "apps/v1"
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": name,
            "namespace": ns,
            "creationTimestamp": created,
            "labels": labels or {},
            "ownerReferences": [{"apiVersion": api, "kind": kind, "name": owner_name, "controller": True}],
        },
        "spec": {"containers": containers, "restartPolicy": "OnFailure" if kind == "Job" else "Always", **spec},
        "status": status,
    }


def running(containers: list[dict]) -> dict:
    return {
        "phase": "Running",
        "conditions": [{"type": "Ready", "status": "True"}],
        "containerStatuses": [
            {"name": c["name"], "image": c["image"], "ready": True, "restartCount": 0, "state": {"running": {"startedAt": "-50m"}}}
            for c in containers
        ],
    }


def object_event(
    kind: str,
    ns: str,
    name: str,
    message: str,
    *,
    reason: str,
    type_: str = "Warning",
    component: str = "",
    count: int = 1,
    last: str = "-2m",
    field_path: str = "",
) -> dict:
    """An event about any object; `message` must come from a fixture row."""
    api = {
        "ReplicaSet": "apps/v1",
        "Deployment": "apps/v1",
        "StatefulSet": "apps/v1",
        "DaemonSet": "apps/v1",
        "Job": "batch/v1",
        "CronJob": "batch/v1",
    }.get(kind, "v1")
    involved = {"apiVersion": api, "kind": kind, "namespace": ns, "name": name}
    if field_path:
        involved["fieldPath"] = field_path
    seq = hashlib.sha256(f"{kind}/{ns}/{name}/{reason}/{message}".encode()).hexdigest()[:12]
    return {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": f"{name}.{seq}", "namespace": ns},
        "involvedObject": involved,
        "type": type_,
        "reason": reason,
        "message": message,
        "count": count,
        "source": {"component": component} if component else {},
        "firstTimestamp": "-50m" if count > 1 else last,
        "lastTimestamp": last,
    }


# ---- both paths ----------------------------------------------------------------------------------
@dataclass
class Verdicts:
    """The JSON of `diagnose all -A`, live and from a snapshot of the same server."""

    live: dict
    snapshot: dict
    snapshot_path: Path

    def item(self, kind: str, namespace: str, name: str, *, snapshot: bool = False) -> dict:
        items = (self.snapshot if snapshot else self.live)["items"]
        found = [i for i in items if (i["kind"], i["namespace"], i["name"]) == (kind, namespace, name)]
        assert found, f"no {kind} {namespace}/{name} in the diagnosis"
        return found[0]

    def causes(self, kinds: tuple[str, ...], *, snapshot: bool = False) -> set[tuple[str, str, str, str, str]]:
        """(kind, namespace, name, category, cause) of every finding on objects of these kinds."""
        items = (self.snapshot if snapshot else self.live)["items"]
        return {
            (i["kind"], i["namespace"], i["name"], f["category"], f["cause"]) for i in items if i["kind"] in kinds for f in i["findings"]
        }


def run_both(server, kubeconfig: Path, k8sdoctor, tmp: Path) -> Verdicts:
    """`diagnose all -A -o json` live; `kubectl get ... -A -o json` into a file; the same from that file."""
    live = k8sdoctor("diagnose", "all", "-A", "-o", "json")
    assert live.code in (0, 1), live.err
    home = tmp / "kubectl-home"
    home.mkdir(exist_ok=True)
    env = {"HOME": str(home), "PATH": "/usr/bin:/usr/local/bin:/bin", "KUBECONFIG": str(kubeconfig)}
    saved = subprocess.run(["kubectl", "get", SNAPSHOT_KINDS, "-A", "-o", "json"], capture_output=True, text=True, env=env, timeout=60)
    assert saved.returncode == 0, saved.stderr
    path = tmp / "snapshot.json"
    path.write_text(saved.stdout)
    offline = subprocess.run(
        [sys.executable, "-m", "k8sdoctor", "diagnose", "all", "-A", "-o", "json", "--snapshot", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        env={"HOME": str(home), "PATH": env["PATH"], "COLUMNS": "100"},
    )
    assert offline.returncode == live.code, offline.stderr
    return Verdicts(live.json(), orjson.loads(offline.stdout), path)


def load(server, objects: list[dict], logs: list[dict] | None = None) -> None:
    server.load_scenario({"objects": objects, "logs": logs or []})


def dump(payload: dict) -> str:
    """For assertion messages."""
    return json.dumps(payload, indent=1)[:4000]
