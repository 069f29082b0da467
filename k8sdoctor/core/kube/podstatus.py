"""The pod STATUS, READY and RESTARTS columns exactly as `kubectl get pods` computes them.

A reimplementation of printPod in kubernetes/pkg/printers/internalversion/printers.go (v1.32):
`Init:X/Y`, `Init:CrashLoopBackOff`, `CrashLoopBackOff`, `Completed`, `Terminating`,
`SchedulingGated`, `ExitCode:N`, `Signal:N`, `NotReady`, and status.reason values such as `Evicted`.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from k8sdoctor.core.kube.raw import as_dict, as_int, as_list
from k8sdoctor.core.kube.timeutil import parse_time


class PodSummary(NamedTuple):
    """The STATUS, READY and RESTARTS columns of one pod."""

    status: str
    ready: int
    total: int
    restarts: int
    last_restart: datetime | None


def _terminated_reason(term: dict, prefix: str) -> str:
    if term.get("reason"):
        return prefix + str(term["reason"])
    if as_int(term.get("signal")):
        return f"{prefix}Signal:{as_int(term.get('signal'))}"
    return f"{prefix}ExitCode:{as_int(term.get('exitCode')) or 0}"


def summarize(pod: dict) -> PodSummary:
    """All three columns in one pass, following printPod's order of precedence."""
    spec, status, meta = as_dict(pod.get("spec")), as_dict(pod.get("status")), as_dict(pod.get("metadata"))
    phase = str(status.get("phase") or "")
    reason = str(status.get("reason") or phase)
    conditions = [c for c in as_list(status.get("conditions")) if isinstance(c, dict)]
    if any(c.get("type") == "PodScheduled" and c.get("reason") == "SchedulingGated" for c in conditions):
        reason = "SchedulingGated"
    init_specs = {c["name"]: c for c in as_list(spec.get("initContainers")) if isinstance(c, dict) and isinstance(c.get("name"), str)}
    sidecars = {name for name, c in init_specs.items() if c.get("restartPolicy") == "Always"}
    total = len(as_list(spec.get("containers"))) + len(sidecars)
    ready = restarts = sidecar_restarts = 0
    last_restart: datetime | None = None
    last_sidecar_restart: datetime | None = None

    def later(a: datetime | None, b: datetime | None) -> datetime | None:
        return b if a is None or (b is not None and b > a) else a

    initializing = False
    init_statuses = [c for c in as_list(status.get("initContainerStatuses")) if isinstance(c, dict)]
    for i, cs in enumerate(init_statuses):
        restarts += as_int(cs.get("restartCount")) or 0
        finished = parse_time(as_dict(as_dict(cs.get("lastState")).get("terminated")).get("finishedAt"))
        last_restart = later(last_restart, finished)
        is_sidecar = isinstance(cs.get("name"), str) and cs["name"] in sidecars
        if is_sidecar:
            sidecar_restarts += as_int(cs.get("restartCount")) or 0
            last_sidecar_restart = later(last_sidecar_restart, finished)
        state = as_dict(cs.get("state"))
        term, waiting = as_dict(state.get("terminated")), as_dict(state.get("waiting"))
        if term and not as_int(term.get("exitCode")):
            continue
        if is_sidecar and cs.get("started") is True:
            if cs.get("ready") is True:
                ready += 1
            continue
        if term:
            reason = _terminated_reason(term, "Init:")
        elif waiting.get("reason") and waiting.get("reason") != "PodInitializing":
            reason = f"Init:{waiting['reason']}"
        else:
            reason = f"Init:{i}/{len(init_specs)}"
        initializing = True
        break

    initialized = any(c.get("type") == "Initialized" and c.get("status") == "True" for c in conditions)
    if not initializing or initialized:
        restarts, last_restart = sidecar_restarts, last_sidecar_restart
        has_running = False
        for cs in reversed([c for c in as_list(status.get("containerStatuses")) if isinstance(c, dict)]):
            restarts += as_int(cs.get("restartCount")) or 0
            last_restart = later(last_restart, parse_time(as_dict(as_dict(cs.get("lastState")).get("terminated")).get("finishedAt")))
            state = as_dict(cs.get("state"))
            term, waiting = as_dict(state.get("terminated")), as_dict(state.get("waiting"))
            if waiting.get("reason"):
                reason = str(waiting["reason"])
            elif term:
                reason = _terminated_reason(term, "")
            elif cs.get("ready") is True and state.get("running") is not None:
                has_running = True
                ready += 1
        if reason == "Completed" and has_running:
            pod_ready = any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions)
            reason = "Running" if pod_ready else "NotReady"

    if meta.get("deletionTimestamp") and status.get("reason") == "NodeLost":
        reason = "Unknown"
    elif meta.get("deletionTimestamp") and phase not in ("Succeeded", "Failed"):
        reason = "Terminating"
    return PodSummary(reason, ready, total, restarts, last_restart)


def pod_display_status(pod: dict) -> str:
    """The STATUS column of `kubectl get pods`."""
    return summarize(pod).status


def ready_count(pod: dict) -> tuple[int, int]:
    """The READY column as (ready, total)."""
    summary = summarize(pod)
    return summary.ready, summary.total


def restarts(pod: dict) -> tuple[int, datetime | None]:
    """The RESTARTS column: the count and when the last restart happened (if known)."""
    summary = summarize(pod)
    return summary.restarts, summary.last_restart
