"""Whether an object is done, as `kubectl rollout status` and `kubectl wait` judge it, from the raw object.

Pure: no I/O. Messages follow kubectl's own wording (kubectl's polymorphichelpers/rollout_status.go), so
a CI log reads the same as with kubectl. A failure here is one the API already reports as final: a
Deployment past its progress deadline, a failed Job, a pod that ran to failure and will not restart.
"""

from __future__ import annotations

from dataclasses import dataclass

from k8sdoctor.core.kube.raw import as_dict, as_int, as_str, dicts, dig

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


def _observed(obj: dict) -> bool:
    """The controller has seen the latest spec (an object with no generation is taken as seen)."""
    generation = as_int(dig(obj, "metadata", "generation"))
    return generation is None or generation <= (as_int(dig(obj, "status", "observedGeneration")) or 0)


def _replicas(obj: dict) -> int:
    replicas = as_int(dig(obj, "spec", "replicas"))
    return 1 if replicas is None else replicas


def deployment(obj: dict) -> Progress:
    name = as_str(dig(obj, "metadata", "name"))
    if not _observed(obj):
        return Progress("Waiting for deployment spec update to be observed...")
    status = as_dict(obj.get("status"))
    progressing = _condition(obj, "Progressing")
    if progressing.get("reason") == "ProgressDeadlineExceeded":
        return Progress(
            f'deployment "{name}" exceeded its progress deadline', failed=as_str(progressing.get("message")) or "ProgressDeadlineExceeded"
        )
    replicas = _replicas(obj)
    updated = as_int(status.get("updatedReplicas")) or 0
    total = as_int(status.get("replicas")) or 0
    available = as_int(status.get("availableReplicas")) or 0
    if updated < replicas:
        return Progress(f'Waiting for deployment "{name}" rollout to finish: {updated} out of {replicas} new replicas have been updated...')
    if total > updated:
        return Progress(f'Waiting for deployment "{name}" rollout to finish: {total - updated} old replicas are pending termination...')
    if available < updated:
        return Progress(f'Waiting for deployment "{name}" rollout to finish: {available} of {updated} updated replicas are available...')
    return Progress(f'deployment "{name}" successfully rolled out', done=True)


def statefulset(obj: dict) -> Progress:
    if not _observed(obj):
        return Progress("Waiting for statefulset spec update to be observed...")
    status = as_dict(obj.get("status"))
    replicas = _replicas(obj)
    ready = as_int(status.get("readyReplicas")) or 0
    if ready < replicas:
        return Progress(f"Waiting for {replicas - ready} pods to be ready...")
    partition = as_int(dig(obj, "spec", "updateStrategy", "rollingUpdate", "partition"))
    updated = as_int(status.get("updatedReplicas")) or 0
    if partition:
        if updated < replicas - partition:
            return Progress(
                f"Waiting for partitioned roll out to finish: {updated} out of {replicas - partition} new pods have been updated..."
            )
        return Progress(f"partitioned roll out complete: {updated} new pods have been updated...", done=True)
    update_rev, current_rev = as_str(status.get("updateRevision")), as_str(status.get("currentRevision"))
    if update_rev != current_rev:
        return Progress(f"waiting for statefulset rolling update to complete {updated} pods at revision {update_rev}...")
    return Progress(f"statefulset rolling update complete {ready} pods at revision {current_rev}...", done=True)


def daemonset(obj: dict) -> Progress:
    name = as_str(dig(obj, "metadata", "name"))
    if not _observed(obj):
        return Progress("Waiting for daemon set spec update to be observed...")
    status = as_dict(obj.get("status"))
    desired = as_int(status.get("desiredNumberScheduled")) or 0
    updated = as_int(status.get("updatedNumberScheduled"))
    updated = desired if updated is None else updated
    available = as_int(status.get("numberAvailable")) or 0
    if updated < desired:
        return Progress(f'Waiting for daemon set "{name}" rollout to finish: {updated} out of {desired} new pods have been updated...')
    if available < desired:
        return Progress(f'Waiting for daemon set "{name}" rollout to finish: {available} of {desired} updated pods are available...')
    return Progress(f'daemon set "{name}" successfully rolled out', done=True)


def replicaset(obj: dict) -> Progress:
    name = as_str(dig(obj, "metadata", "name"))
    if not _observed(obj):
        return Progress("Waiting for replica set spec update to be observed...")
    replicas = _replicas(obj)
    ready = as_int(dig(obj, "status", "readyReplicas")) or 0
    if ready < replicas:
        return Progress(f'Waiting for replica set "{name}": {ready} of {replicas} pods are ready...')
    return Progress(f'replica set "{name}" has {ready} ready pods', done=True)


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
    if kind == "Deployment":
        return deployment(obj)
    if kind == "StatefulSet":
        return statefulset(obj)
    if kind == "DaemonSet":
        return daemonset(obj)
    if kind == "ReplicaSet":
        return replicaset(obj)
    if kind == "Job":
        return job(obj)
    return pod(obj, condition)
