"""Cluster objects for the live-path tests, timed against the real clock (the CLI reads it), and helpers
to read the JSON diagnosis.

Nodes and containers come from tests/analyzers/builders.py. Every kubelet, scheduler or runtime
message and every log line comes from the corpus through `corpus_message` or `corpus_logs`, which
check the source cited next to it. Events were last seen `EVENT_AGE` before their module built them,
so k8sdoctor cites them as "(12m ago)" for the minute a module takes at most.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import datetime, timedelta

from k8sdoctor.core.kube.timeutil import format_time, utcnow
from tests.analyzers.builders import container, corpus_message, node
from tests.realcases import PUBLIC_MESSAGES, SHARED_CASES, load_cases

__all__ = [
    "ago",
    "container",
    "corpus_logs",
    "corpus_message",
    "event",
    "evidence",
    "finding",
    "node",
    "pending",
    "pod",
    "step",
    "terminated",
    "waiting_status",
]

EVENT_AGE = 12 * 60
_SEQ = itertools.count(1)
_CASES = {c["id"]: c for c in load_cases(SHARED_CASES) + load_cases(PUBLIC_MESSAGES)}
#: What the DefaultTolerationSeconds admission plugin adds to every pod.
_DEFAULT_TOLERATIONS = [
    {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
    {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
]


def corpus_logs(case_id: str, source: str) -> list[str]:
    """The verbatim log lines of a corpus case; `source` must be the case's cited source."""
    case = _CASES[case_id]
    assert case["source"] == source, f"{case_id} comes from {case['source']}"
    assert case["logs"], case_id
    return list(case["logs"])


# ---- objects ------------------------------------------------------------------------------------
def ago(seconds: float, now: datetime | None = None) -> str:
    """A timestamp `seconds` before `now` (default: this instant); give one `now` to the timestamps of
    one object so their differences are exact."""
    return format_time((now or utcnow()) - timedelta(seconds=seconds))


def pod(
    name,
    namespace,
    *,
    node_name=None,
    containers=(),
    init_containers=(),
    phase="Running",
    owner=None,
    statuses=None,
    spec=None,
    status=None,
    labels=None,
):
    """A pod created an hour ago; running pods get ready container statuses unless `statuses` is given.
    `owner` is (kind, name); a ReplicaSet owner sets the pod-template-hash label, a Job restartPolicy
    OnFailure."""
    restart = "OnFailure" if owner and owner[0] == "Job" else "Always"
    pod_spec = {"containers": [dict(c) for c in containers] or [container("app")], "restartPolicy": restart, **(spec or {})}
    if init_containers:
        pod_spec["initContainers"] = [dict(c) for c in init_containers]
    if node_name:
        pod_spec["nodeName"] = node_name
    meta = {"name": name, "namespace": namespace, "uid": str(uuid.uuid4()), "creationTimestamp": ago(3600), "labels": dict(labels or {})}
    if owner:
        kind, owner_name = owner
        api = "batch/v1" if kind == "Job" else "apps/v1"
        meta["ownerReferences"] = [{"apiVersion": api, "kind": kind, "name": owner_name, "uid": f"{owner_name}-uid", "controller": True}]
        if kind == "ReplicaSet":
            meta["labels"].setdefault("pod-template-hash", owner_name.rsplit("-", 1)[-1])
    if statuses is None and phase == "Running":
        running = {"running": {"startedAt": ago(3000)}}
        statuses = [
            {"name": c["name"], "image": c["image"], "ready": True, "restartCount": 0, "state": running} for c in pod_spec["containers"]
        ]
    pod_status = {"phase": phase, **(status or {})}
    if statuses:
        pod_status["containerStatuses"] = statuses
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": pod_spec, "status": pod_status}


def terminated(reason, code, *, ran=60, ended=400, **extra):
    """A container's termination (`reason` None: the runtime gave none) after a run of `ran` seconds
    that ended `ended` seconds ago."""
    now = utcnow()
    return {
        **({"reason": reason} if reason else {}),
        "exitCode": code,
        "startedAt": ago(ended + ran, now),
        "finishedAt": ago(ended, now),
        **extra,
    }


def waiting_status(name, image, reason, *, restarts=0, last=None):
    """A containerStatus waiting with `reason`, after `last`, its last termination."""
    status = {"name": name, "image": image, "ready": False, "restartCount": restarts, "state": {"waiting": {"reason": reason}}}
    if last:
        status["lastState"] = {"terminated": last}
    return status


def event(about: dict, message: str, *, reason, type_="Warning", component="kubelet", count=1, field_path=None):
    """An event about a pod, last seen `EVENT_AGE` ago (a count > 1 spread one a minute before that)."""
    meta, now = about["metadata"], utcnow()
    involved = {"kind": "Pod", "namespace": meta["namespace"], "name": meta["name"], "uid": meta["uid"]}
    if field_path:
        involved["fieldPath"] = field_path
    return {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": f"{meta['name']}.{next(_SEQ):x}", "namespace": meta["namespace"]},
        "involvedObject": involved,
        "reason": reason,
        "type": type_,
        "message": message,
        "count": count,
        "source": {"component": component},
        "firstTimestamp": ago(EVENT_AGE + 60 * (count - 1), now),
        "lastTimestamp": ago(EVENT_AGE, now),
    }


def pending(name, namespace, message=None, *, owner, spec=None, **kwargs):
    """[pod, event...] for a pod no node was found for. The scheduler's `message` is on its PodScheduled
    condition (as `kubectl describe` shows it) and in a FailedScheduling event; without a message no
    scheduler has looked at it: no condition, no event."""
    spec = {"tolerations": _DEFAULT_TOLERATIONS, **(spec or {})}
    status = {}
    if message:
        status["conditions"] = [
            {"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": message, "lastTransitionTime": ago(3500)}
        ]
    target = pod(name, namespace, phase="Pending", owner=owner, statuses=[], spec=spec, status=status, **kwargs)
    return [target] + ([event(target, message, reason="FailedScheduling", component="default-scheduler")] if message else [])


# ---- reading a diagnosis ------------------------------------------------------------------------
def finding(diagnosis: dict, cause: str, container_name: str | None = None) -> dict:
    found = [f for f in diagnosis["findings"] if f["cause"] == cause and (container_name is None or f["container"] == container_name)]
    assert found, f"no {cause} finding; got {[(f['category'], f['cause']) for f in diagnosis['findings']]}"
    return found[0]


def evidence(f: dict, source: str) -> list[str]:
    """Texts of the evidence with exactly this source."""
    return [e["text"] for e in f["evidence"] if e["source"] == source]


def step(f: dict, starts: str) -> dict:
    found = [s for s in f["remediation"] if s["text"].startswith(starts)]
    assert found, f"no step starting {starts!r}; steps: {[s['text'] for s in f['remediation']]}"
    return found[0]
