"""Cluster objects for the live-path tests, timed against the real clock (the CLI reads it), and helpers
to read the JSON diagnosis.

Nodes, containers and pods come from tests/analyzers/builders.py (pods on the real clock here). Every kubelet, scheduler or runtime
message and every log line comes from the corpus through `corpus_message` or `corpus_logs`, which
check the source cited next to it. Events were last seen `EVENT_AGE` before their module built them,
so k8sdoctor cites them as "(12m ago)" for the minute a module takes at most.
"""

from __future__ import annotations

import itertools
from datetime import datetime

from k8sdoctor.core.kube.timeutil import utcnow
from tests.analyzers import builders
from tests.analyzers.builders import container, corpus_logs, corpus_message, node, waiting_status

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
    "waiting_pod",
    "waiting_status",
]

EVENT_AGE = 12 * 60
_SEQ = itertools.count(1)
#: What the DefaultTolerationSeconds admission plugin adds to every pod.
_DEFAULT_TOLERATIONS = [
    {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
    {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
]


# ---- objects ------------------------------------------------------------------------------------
def ago(seconds: float, now: datetime | None = None) -> str:
    """A timestamp `seconds` before `now` (default: this instant); give one `now` to the timestamps of
    one object so their differences are exact."""
    return builders.ago(seconds, now or utcnow())


def pod(name, namespace, **fields):
    """tests/analyzers/builders.py's pod, in `namespace`, created an hour ago by the real clock."""
    return builders.pod(name, namespace=namespace, now=utcnow(), **fields)


def waiting_pod(name, namespace, containers, reason, **fields):
    """tests/analyzers/builders.py's waiting_pod, in `namespace`, by the real clock."""
    return builders.waiting_pod(name, containers, reason, namespace=namespace, now=utcnow(), **fields)


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
