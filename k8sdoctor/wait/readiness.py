"""Whether an object is done, as `kubectl rollout status` and `kubectl wait` judge it, from the raw object.

Pure: no I/O. Messages follow kubectl's own wording (kubectl's polymorphichelpers/rollout_status.go), so
a CI log reads the same as with kubectl. A failure here is one the API already reports as final: a
Deployment past its progress deadline, a failed Job, a pod that ran to failure and will not restart.
"""

from __future__ import annotations

from dataclasses import dataclass

from k8sdoctor.core.kube.raw import as_dict, as_int, as_str, dicts, dig
from k8sdoctor.core.kube.rollout_status import ROLLOUT_KINDS, rollout_status

#: The kinds `wait` follows, and what it waits for by default.
WAITABLE = {
    "Deployment": "healthy",
    "StatefulSet": "healthy",
    "DaemonSet": "healthy",
    "ReplicaSet": "healthy",
    "Job": "complete",
    "Pod": "healthy",
}
#: What `--for` accepts per kind.
CONDITIONS = {kind: ("healthy",) for kind in WAITABLE} | {"Job": ("complete",), "Pod": ("healthy", "complete")}


@dataclass(frozen=True, slots=True)
class Progress:
    """Where an object stands: `done`, `failed` (a final verdict from the API: why), or still waiting."""

    message: str
    done: bool = False
    failed: str | None = None


def _condition(obj: dict, ctype: str) -> dict:
    return next((c for c in dicts(dig(obj, "status", "conditions")) if c.get("type") == ctype), {})


def rollout(kind: str, obj: dict) -> Progress:
    """A Deployment, StatefulSet, DaemonSet or ReplicaSet, as `kubectl rollout status` judges it; a
    Deployment past its progress deadline has failed (kubectl stops waiting there too)."""
    status = rollout_status(kind, obj)
    if status.deadline is not None:
        return Progress(f'deployment "{as_str(dig(obj, "metadata", "name"))}" exceeded its progress deadline', failed=status.deadline)
    return Progress(status.message, done=status.done)


def job(obj: dict) -> Progress:
    name = as_str(dig(obj, "metadata", "name"))
    failed = _condition(obj, "Failed")
    if failed.get("status") == "True":
        why = as_str(failed.get("message")) or as_str(failed.get("reason")) or "Failed"
        return Progress(f'job "{name}" failed: {why}', failed=why)
    if _condition(obj, "Complete").get("status") == "True":
        return Progress(f'job "{name}" completed', done=True)
    status = as_dict(obj.get("status"))
    succeeded, completions = as_int(status.get("succeeded")) or 0, as_int(dig(obj, "spec", "completions"))
    of = f" of {completions}" if completions is not None else ""
    return Progress(f'Waiting for job "{name}" to complete: {succeeded}{of} succeeded, {as_int(status.get("active")) or 0} active...')


def pod(obj: dict, condition: str) -> Progress:
    name = as_str(dig(obj, "metadata", "name"))
    phase = as_str(dig(obj, "status", "phase"))
    if phase == "Succeeded":
        return Progress(f'pod "{name}" completed', done=True)
    if phase == "Failed":
        why = as_str(dig(obj, "status", "message")) or as_str(dig(obj, "status", "reason")) or "the pod ran to failure"
        return Progress(f'pod "{name}" failed: {why}', failed=why)
    if condition == "healthy" and _condition(obj, "Ready").get("status") == "True":
        return Progress(f'pod "{name}" is ready', done=True)
    waiting_for = "to be ready" if condition == "healthy" else "to complete"
    return Progress(f'Waiting for pod "{name}" {waiting_for} (phase {phase or "unknown"})...')


def progress(kind: str, obj: dict, condition: str) -> Progress:
    """Where `obj` (of `kind`, one of WAITABLE) stands with respect to `condition` (healthy, complete)."""
    if kind in ROLLOUT_KINDS:
        return rollout(kind, obj)
    if kind == "Job":
        return job(obj)
    return pod(obj, condition)
