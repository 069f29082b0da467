"""Which extra evidence is worth fetching for a pod, decided from the pod alone (pure).

Logs are fetched only for containers that crashed or are crashing, and only the previous
container's logs when it has restarted (that run is the one that failed). Secret and ConfigMap names
are worth listing only when a container cannot be created or a volume cannot be mounted.
"""

from __future__ import annotations

from dataclasses import dataclass

LOG_TAIL_LINES = 200
LOG_TAIL_BYTES = 1 << 20  # `limitBytes` of a tail read: one endless line costs no more than this
_CONFIG_REASONS = {"CreateContainerConfigError", "CreateContainerError", "ContainerCreating"}


@dataclass(frozen=True, slots=True)
class LogRequest:
    container: str
    previous: bool


def _statuses(pod: dict) -> list[dict]:
    status = pod.get("status") if isinstance(pod.get("status"), dict) else {}
    out = []
    for key in ("initContainerStatuses", "containerStatuses"):
        value = status.get(key)
        if isinstance(value, list):
            out.extend(s for s in value if isinstance(s, dict))
    return out


def logs_to_fetch(pod: dict) -> list[LogRequest]:
    """Containers whose log tail may name a crash cause."""
    wanted: list[LogRequest] = []
    status = pod.get("status") if isinstance(pod.get("status"), dict) else {}
    if status.get("reason") == "Evicted":
        return wanted  # its containers are gone, and the eviction message says why
    for cs in _statuses(pod):
        name = cs.get("name")
        if not isinstance(name, str):
            continue
        state = cs.get("state") if isinstance(cs.get("state"), dict) else {}
        last = (cs.get("lastState") or {}).get("terminated") if isinstance(cs.get("lastState"), dict) else None
        restarts = cs.get("restartCount") if isinstance(cs.get("restartCount"), int) else 0
        waiting = state.get("waiting") if isinstance(state.get("waiting"), dict) else {}
        terminated = state.get("terminated") if isinstance(state.get("terminated"), dict) else {}
        if cs.get("ready") is True and not waiting and restarts == 0:
            continue
        if last and restarts > 0:
            wanted.append(LogRequest(name, previous=True))
        elif terminated and terminated.get("exitCode") not in (0, None):
            wanted.append(LogRequest(name, previous=False))
        elif waiting.get("reason") == "CrashLoopBackOff":
            wanted.append(LogRequest(name, previous=True))
    return wanted


def needs_cluster_pods(pod: dict) -> bool:
    """True for a Pending pod the scheduler says lacks resources: how far it is from fitting needs what
    every pod on the nodes requests (as `kubectl describe node` shows)."""
    status = pod.get("status") if isinstance(pod.get("status"), dict) else {}
    if status.get("phase") != "Pending":
        return False
    for cond in status.get("conditions") or ():
        if isinstance(cond, dict) and cond.get("type") == "PodScheduled" and "Insufficient" in str(cond.get("message") or ""):
            return True
    return False


_PULL_REASONS = {"ErrImagePull", "ImagePullBackOff", "InvalidImageName"}


def needs_namespace_pods(pod: dict) -> bool:
    """True for an image pull failure: the other pods of the namespace show which tags really exist
    ("did you mean the one the other replicas run")."""
    for cs in _statuses(pod):
        waiting = (cs.get("state") or {}).get("waiting") if isinstance(cs.get("state"), dict) else None
        if isinstance(waiting, dict) and waiting.get("reason") in _PULL_REASONS:
            return True
    return False


def needs_object_names(pod: dict) -> bool:
    """True when Secret/ConfigMap names could explain the failure ("did you mean")."""
    status = pod.get("status") if isinstance(pod.get("status"), dict) else {}
    if status.get("phase") == "Pending":
        return True
    for cs in _statuses(pod):
        waiting = (cs.get("state") or {}).get("waiting") if isinstance(cs.get("state"), dict) else None
        if isinstance(waiting, dict) and waiting.get("reason") in _CONFIG_REASONS:
            return True
    return False
