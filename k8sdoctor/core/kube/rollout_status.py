"""Where a rollout stands, as `kubectl rollout status` judges it (kubectl's
pkg/polymorphichelpers/rollout_status.go), with kubectl's own words, from the raw object.

`wait` asks whether a workload is done; the RolloutStuck family asks whether a rollout is under way. Both
read the same checks, in kubectl's order, through `rollout_status`: the `stage` says which check holds the
rollout back, and a Deployment past its progress deadline says so apart (kubectl stops there; the
counts still tell how far the rollout got).
"""

from __future__ import annotations

from dataclasses import dataclass

from k8sdoctor.core.kube.raw import as_dict, as_int, as_str, dicts, dig

#: The checks that hold a rollout back, in the order kubectl makes them.
STAGES = ("observe", "ready", "update", "old-replicas", "available", "partition", "revision", "done")


@dataclass(frozen=True, slots=True)
class RolloutStatus:
    message: str  # kubectl's words
    stage: str  # one of STAGES, or "unsupported" (an OnDelete strategy: kubectl reports no rollout)
    deadline: str | None = None  # a Deployment past its progress deadline: the condition's message
    #: A StatefulSet whose pods are not all at its update revision: kubectl's words for it, whatever
    #: check holds the rollout back first (kubectl waits for ready pods before it looks at revisions).
    revision: str | None = None

    @property
    def done(self) -> bool:
        return self.stage == "done"


def _condition(obj: dict, ctype: str) -> dict:
    return next((c for c in dicts(dig(obj, "status", "conditions")) if c.get("type") == ctype), {})


def _observed(obj: dict) -> bool:
    """The controller has seen the latest spec (an object with no generation is taken as seen)."""
    generation = as_int(dig(obj, "metadata", "generation"))
    return generation is None or generation <= (as_int(dig(obj, "status", "observedGeneration")) or 0)


def replicas(obj: dict) -> int:
    """spec.replicas, defaulting to 1 as the API server does."""
    value = as_int(dig(obj, "spec", "replicas"))
    return 1 if value is None else value


def _deployment(obj: dict) -> RolloutStatus:
    name = as_str(dig(obj, "metadata", "name"))
    if not _observed(obj):
        return RolloutStatus("Waiting for deployment spec update to be observed...", "observe")
    progressing = _condition(obj, "Progressing")
    deadline = None
    if progressing.get("reason") == "ProgressDeadlineExceeded":
        deadline = as_str(progressing.get("message")) or "ProgressDeadlineExceeded"
    status = as_dict(obj.get("status"))
    wanted, updated = replicas(obj), as_int(status.get("updatedReplicas")) or 0
    total, available = as_int(status.get("replicas")) or 0, as_int(status.get("availableReplicas")) or 0
    if updated < wanted:
        message = f'Waiting for deployment "{name}" rollout to finish: {updated} out of {wanted} new replicas have been updated...'
        return RolloutStatus(message, "update", deadline)
    if total > updated:
        message = f'Waiting for deployment "{name}" rollout to finish: {total - updated} old replicas are pending termination...'
        return RolloutStatus(message, "old-replicas", deadline)
    if available < updated:
        message = f'Waiting for deployment "{name}" rollout to finish: {available} of {updated} updated replicas are available...'
        return RolloutStatus(message, "available", deadline)
    return RolloutStatus(f'deployment "{name}" successfully rolled out', "done", deadline)


def _statefulset(obj: dict) -> RolloutStatus:
    if as_str(dig(obj, "spec", "updateStrategy", "type")) not in ("", "RollingUpdate"):
        return RolloutStatus("rollout status is only available for RollingUpdate strategy type", "unsupported")
    if not _observed(obj):
        return RolloutStatus("Waiting for statefulset spec update to be observed...", "observe")
    status = as_dict(obj.get("status"))
    wanted, ready = replicas(obj), as_int(status.get("readyReplicas")) or 0
    updated = as_int(status.get("updatedReplicas")) or 0
    update_rev, current_rev = as_str(status.get("updateRevision")), as_str(status.get("currentRevision"))
    revision = None
    if update_rev and current_rev and update_rev != current_rev:
        revision = f"waiting for statefulset rolling update to complete {updated} pods at revision {update_rev}..."
    if ready < wanted:
        return RolloutStatus(f"Waiting for {wanted - ready} pods to be ready...", "ready", revision=revision)
    partition = as_int(dig(obj, "spec", "updateStrategy", "rollingUpdate", "partition"))
    if partition:
        if updated < wanted - partition:
            message = f"Waiting for partitioned roll out to finish: {updated} out of {wanted - partition} new pods have been updated..."
            return RolloutStatus(message, "partition")
        return RolloutStatus(f"partitioned roll out complete: {updated} new pods have been updated...", "done")
    if update_rev != current_rev:
        message = f"waiting for statefulset rolling update to complete {updated} pods at revision {update_rev}..."
        return RolloutStatus(message, "revision", revision=message)
    return RolloutStatus(f"statefulset rolling update complete {ready} pods at revision {current_rev}...", "done")


def _daemonset(obj: dict) -> RolloutStatus:
    name = as_str(dig(obj, "metadata", "name"))
    if as_str(dig(obj, "spec", "updateStrategy", "type")) not in ("", "RollingUpdate"):
        return RolloutStatus("rollout status is only available for RollingUpdate strategy type", "unsupported")
    if not _observed(obj):
        return RolloutStatus("Waiting for daemon set spec update to be observed...", "observe")
    status = as_dict(obj.get("status"))
    desired = as_int(status.get("desiredNumberScheduled")) or 0
    updated = as_int(status.get("updatedNumberScheduled"))
    updated = desired if updated is None else updated
    available = as_int(status.get("numberAvailable")) or 0
    if updated < desired:
        return RolloutStatus(
            f'Waiting for daemon set "{name}" rollout to finish: {updated} out of {desired} new pods have been updated...', "update"
        )
    if available < desired:
        return RolloutStatus(
            f'Waiting for daemon set "{name}" rollout to finish: {available} of {desired} updated pods are available...', "available"
        )
    return RolloutStatus(f'daemon set "{name}" successfully rolled out', "done")


def _replicaset(obj: dict) -> RolloutStatus:
    """Not a kubectl rollout-status kind: its ready pods against spec.replicas, in the same manner."""
    name = as_str(dig(obj, "metadata", "name"))
    if not _observed(obj):
        return RolloutStatus("Waiting for replica set spec update to be observed...", "observe")
    wanted, ready = replicas(obj), as_int(dig(obj, "status", "readyReplicas")) or 0
    if ready < wanted:
        return RolloutStatus(f'Waiting for replica set "{name}": {ready} of {wanted} pods are ready...', "ready")
    return RolloutStatus(f'replica set "{name}" has {ready} ready pods', "done")


_BY_KIND = {"Deployment": _deployment, "StatefulSet": _statefulset, "DaemonSet": _daemonset, "ReplicaSet": _replicaset}
ROLLOUT_KINDS = tuple(_BY_KIND)


def rollout_status(kind: str, obj: dict) -> RolloutStatus:
    """Where the rollout of a Deployment, StatefulSet, DaemonSet (or ReplicaSet) stands."""
    return _BY_KIND[kind](obj)
