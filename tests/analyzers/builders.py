"""Realistic cluster objects for analyzer tests, and the real failure messages they carry.

Object names, nodes and numbers are made up; every kubelet, scheduler or runtime message comes from
../shared/cases/real-failures.jsonl or tests/fixtures/public-messages.jsonl through `corpus_message` (log
lines through `corpus_logs`), which check the source each test cites next to it.
"""

from __future__ import annotations

import itertools
import re
from datetime import datetime, timedelta, timezone

from k8sdoctor.core.findings import Diagnosis, Finding
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.core.kube.timeutil import format_time
from tests.realcases import PUBLIC_MESSAGES, SHARED_CASES, load_cases

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)
_CASES = {c["id"]: c for c in load_cases(SHARED_CASES) + load_cases(PUBLIC_MESSAGES)}
_UIDS = itertools.count(1)


def _cited(case_id: str, source: str) -> dict:
    case = _CASES[case_id]
    assert case["source"] == source, f"{case_id} comes from {case['source']}"
    return case


def corpus_message(case_id: str, source: str, *, contains: str = "") -> str:
    """The verbatim message of a corpus case (its first event message containing `contains`, else its
    status message); `source` must be the case's cited source."""
    case = _cited(case_id, source)
    for event in case.get("events") or []:
        if event.get("message") and contains in event["message"]:
            return event["message"]
    assert case.get("status_message") and contains in case["status_message"], case_id
    return case["status_message"]


def corpus_logs(case_id: str, source: str) -> list[str]:
    """The verbatim log lines of a corpus case; `source` must be the case's cited source."""
    case = _cited(case_id, source)
    assert case["logs"], case_id
    return list(case["logs"])


def ago(seconds: float, now: datetime = NOW) -> str:
    return format_time(now - timedelta(seconds=seconds))


def uid() -> str:
    return f"00000000-0000-4000-8000-{next(_UIDS):012d}"


def node(
    name,
    *,
    cpu="4",
    memory="16Gi",
    pods="110",
    labels=None,
    taints=None,
    images=(),
    arch="amd64",
    os="linux",
    unschedulable=False,
    extra=None,
):
    allocatable = {"cpu": cpu, "memory": memory, "pods": pods, "ephemeral-storage": "100Gi", **(extra or {})}
    return {
        "kind": "Node",
        "metadata": {
            "name": name,
            "uid": uid(),
            "labels": {"kubernetes.io/hostname": name, "kubernetes.io/arch": arch, "kubernetes.io/os": os, **(labels or {})},
        },
        "spec": {"taints": list(taints or []), **({"unschedulable": True} if unschedulable else {})},
        "status": {
            "capacity": dict(allocatable),
            "allocatable": allocatable,
            "nodeInfo": {
                "architecture": arch,
                "operatingSystem": os,
                "containerRuntimeVersion": "containerd://1.7.13",
                "kubeletVersion": "v1.30.2",
            },
            "images": [{"names": list(names), "sizeBytes": 10_000_000} for names in images],
            "conditions": [{"type": "Ready", "status": "True"}],
        },
    }


def container(name, image="registry.example/app:1.0", *, cpu=None, memory=None, limits=None, **extra):
    requests = {k: v for k, v in (("cpu", cpu), ("memory", memory)) if v is not None}
    resources = {}
    if requests:
        resources["requests"] = requests
    if limits:
        resources["limits"] = limits
    return {"name": name, "image": image, **({"resources": resources} if resources else {}), **extra}


def pod(
    name,
    *,
    namespace="shop",
    node_name=None,
    containers=(),
    init_containers=(),
    phase="Running",
    owner=None,
    statuses=None,
    spec=None,
    status=None,
    labels=None,
    now=NOW,
):
    """A pod created an hour before `now`; running pods get ready container statuses unless `statuses` is
    given. `owner` is (kind, name); a ReplicaSet owner sets the pod-template-hash label, a Job
    restartPolicy OnFailure."""
    restart = "OnFailure" if owner and owner[0] == "Job" else "Always"
    pod_spec = {"containers": [dict(c) for c in containers] or [container("app")], "restartPolicy": restart, **(spec or {})}
    if init_containers:
        pod_spec["initContainers"] = [dict(c) for c in init_containers]
    if node_name:
        pod_spec["nodeName"] = node_name
    meta = {"name": name, "namespace": namespace, "uid": uid(), "creationTimestamp": ago(3600, now), "labels": dict(labels or {})}
    if owner:
        kind, owner_name = owner
        api = "batch/v1" if kind == "Job" else "apps/v1"
        meta["ownerReferences"] = [{"apiVersion": api, "kind": kind, "name": owner_name, "uid": f"{owner_name}-uid", "controller": True}]
        if kind == "ReplicaSet":
            meta["labels"].setdefault("pod-template-hash", owner_name.rsplit("-", 1)[-1])
    if statuses is None and phase == "Running":
        running = {"running": {"startedAt": ago(3000, now)}}
        statuses = [
            {"name": c["name"], "image": c["image"], "ready": True, "restartCount": 0, "state": running} for c in pod_spec["containers"]
        ]
    pod_status = {"phase": phase, **(status or {})}
    if statuses:
        pod_status["containerStatuses"] = statuses
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": pod_spec, "status": pod_status}


def waiting_status(name, image, reason, *, restarts=0, last=None):
    """A containerStatus waiting with `reason`, after `last`, its last termination."""
    status = {"name": name, "image": image, "ready": False, "restartCount": restarts, "state": {"waiting": {"reason": reason}}}
    if last:
        status["lastState"] = {"terminated": last}
    return status


def waiting_pod(name, containers, reason, *, owner=None, node_name="worker-1", **fields):
    """A Pending pod on `node_name` whose containers all wait with `reason`, owned by the ReplicaSet its
    name starts with unless `owner` says otherwise (an init container's status goes in `status`)."""
    return pod(
        name,
        node_name=node_name,
        phase="Pending",
        owner=owner or ("ReplicaSet", name.rsplit("-", 1)[0]),
        containers=containers,
        statuses=[waiting_status(c["name"], c["image"], reason) for c in containers],
        **fields,
    )


def event(about: dict, message: str, *, reason=None, type_=None, component="kubelet", seconds_ago=30, count=1, field_path=None):
    meta = about["metadata"]
    involved = {"kind": "Pod", "namespace": meta["namespace"], "name": meta["name"], "uid": meta["uid"]}
    if field_path:
        involved["fieldPath"] = field_path
    raw = {
        "kind": "Event",
        "metadata": {"name": f"{meta['name']}.{next(_UIDS)}", "namespace": meta["namespace"], "uid": uid()},
        "involvedObject": involved,
        "message": message,
        "count": count,
        "source": {"component": component},
        "firstTimestamp": ago(seconds_ago + 60 * (count - 1)),
        "lastTimestamp": ago(seconds_ago),
    }
    if reason:
        raw["reason"] = reason
    if type_:
        raw["type"] = type_
    return raw


def system_pods(nodes) -> list[dict]:
    """kube-system pods on every node (as a cluster-wide read sees them), requesting 100m CPU, 128Mi."""
    return [
        pod(
            f"kube-proxy-{n['metadata']['name']}",
            namespace="kube-system",
            node_name=n["metadata"]["name"],
            containers=[container("kube-proxy", "registry.k8s.io/kube-proxy:v1.30.2", cpu="100m", memory="128Mi")],
        )
        for n in nodes
    ]


def cluster(*groups, listed=()) -> Inventory:
    """An inventory of the given objects (lists of dicts, by their `kind`); `listed` names
    (kind, namespace) pairs whose names were listed."""
    inv = Inventory()
    for group in groups:
        for obj in group if isinstance(group, (list, tuple)) else [group]:
            inv.put(obj.get("kind", ""), obj)
    inv.listed_names.update(listed)
    return inv


def diagnose(engine, inv: Inventory, target: dict) -> Diagnosis:
    return engine.diagnose_pod(inv, target, NOW)


def finding(diagnosis: Diagnosis, cause: str, container_name: str | None = None) -> Finding:
    found = [f for f in diagnosis.findings if f.cause == cause and (container_name is None or f.container == container_name)]
    assert found, f"no {cause} finding; got {[(f.category, f.cause) for f in diagnosis.findings]}"
    return found[0]


def evidence(f: Finding, source: str) -> list[str]:
    """Texts of the evidence with exactly this source."""
    return [e.text for e in f.evidence if e.source == source]


def step(f: Finding, starts: str):
    found = [s for s in f.remediation if s.text.startswith(starts)]
    assert found, f"no step starting {starts!r}; steps: {[s.text for s in f.remediation]}"
    return found[0]


def termination(read: list[str], explanation: str) -> str:
    """The termination evidence ("Error, exit code 1"), checked to be the fields as read and nothing more,
    with the finding's text saying what the code means."""
    [text] = read
    code = text.rsplit(", exit code ", 1)[1]
    assert code.isdigit(), f"the evidence interprets instead of quoting: {text!r}"
    assert re.search(rf"exit code {code}\b", explanation, re.IGNORECASE), (
        f"the finding's text does not explain exit code {code}: {explanation!r}"
    )
    return text
