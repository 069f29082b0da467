"""Which extra evidence is worth fetching for a pod, decided from the pod alone (pure).

Logs are fetched only for containers that crashed or are crashing, and only the previous
container's logs when it has restarted (that run is the one that failed). Secret and ConfigMap names
are worth listing only when a container cannot be created or a volume cannot be mounted.
"""

from __future__ import annotations

from typing import NamedTuple

from k8sdoctor.core.kube.raw import as_dict, as_int, as_str, dicts

LOG_TAIL_LINES = 200
LOG_TAIL_BYTES = 1 << 20  # `limitBytes` of a tail read: one endless line costs no more than this
#: A piece of evidence a diagnosis asks a live source for (`Finding.wants`, `Diagnosis.wants`):
#: (kind, namespace, name) reads one object; ("logs", namespace, "pod/container/previous|current") a
#: log tail; the forms below, made by `events_about` and `listing`, events and lists.
Want = tuple[str, str, str]
_CONFIG_REASONS = {"CreateContainerConfigError", "CreateContainerError", "ContainerCreating"}


class LogRequest(NamedTuple):
    container: str
    previous: bool


def _statuses(pod: dict) -> list[dict]:
    status = as_dict(pod.get("status"))
    return dicts(status.get("initContainerStatuses")) + dicts(status.get("containerStatuses"))


def logs_to_fetch(pod: dict) -> list[LogRequest]:
    """Containers whose log tail may name a crash cause."""
    wanted: list[LogRequest] = []
    status = as_dict(pod.get("status"))
    if status.get("reason") == "Evicted":
        return wanted  # its containers are gone, and the eviction message says why
    for cs in _statuses(pod):
        name = cs.get("name")
        if not isinstance(name, str):
            continue
        state = as_dict(cs.get("state"))
        last = as_dict(as_dict(cs.get("lastState")).get("terminated"))
        restarts = as_int(cs.get("restartCount")) or 0
        waiting = as_dict(state.get("waiting"))
        terminated = as_dict(state.get("terminated"))
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
    status = as_dict(pod.get("status"))
    if status.get("phase") != "Pending":
        return False
    for cond in dicts(status.get("conditions")):
        if cond.get("type") == "PodScheduled" and cond.get("message"):
            from k8sdoctor.core.kube.scheduler_message import reason_kinds  # only for pods the scheduler left

            if "insufficient-resources" in reason_kinds(str(cond.get("message"))):
                return True
    return False


_PULL_REASONS = {"ErrImagePull", "ImagePullBackOff", "InvalidImageName"}


def needs_namespace_pods(pod: dict) -> bool:
    """True for an image pull failure: the other pods of the namespace show which tags really exist
    ("did you mean the one the other replicas run")."""
    for cs in _statuses(pod):
        waiting = as_dict(as_dict(cs.get("state")).get("waiting"))
        if waiting.get("reason") in _PULL_REASONS:
            return True
    return False


def needs_object_names(pod: dict) -> bool:
    """True when Secret/ConfigMap names could explain the failure ("did you mean")."""
    status = as_dict(pod.get("status"))
    if status.get("phase") == "Pending":
        return True
    for cs in _statuses(pod):
        waiting = as_dict(as_dict(cs.get("state")).get("waiting"))
        if waiting.get("reason") in _CONFIG_REASONS:
            return True
    return False


def _ran(pod: dict) -> bool:
    """Scheduled and running, and each container that is not ready ran and exited or runs not ready:
    what is wrong is inside the containers, not in pulling them, placing the pod or mounting its volumes."""
    status = as_dict(pod.get("status"))
    if status.get("phase") != "Running" or status.get("reason") or not as_dict(pod.get("spec")).get("nodeName"):
        return False
    for cs in _statuses(pod):
        state = as_dict(cs.get("state"))
        waiting = as_str(as_dict(state.get("waiting")).get("reason"))
        if waiting and waiting != "CrashLoopBackOff":
            return False
    return True


def kinds_to_fetch(pod: dict) -> frozenset[str]:
    """The kinds around one unhealthy pod its diagnosis may read (besides its events and logs), decided
    from the pod: its controller's kind (the workload and its revisions); unless its containers ran, the
    nodes (placement, capacity, platform, images on nodes) and, when it mounts claims, the claims and
    StorageClasses; ServiceAccounts when an image pull fails (pull secrets)."""
    kinds = set()
    owner = next((o for o in dicts(as_dict(pod.get("metadata")).get("ownerReferences")) if o.get("controller")), {})
    if owner.get("kind") in ("ReplicaSet", "Job"):
        kinds.add(str(owner["kind"]))
    if not _ran(pod):
        kinds.add("Node")
        if any(as_dict(v.get("persistentVolumeClaim")) for v in dicts(as_dict(pod.get("spec")).get("volumes"))):
            kinds |= {"PersistentVolumeClaim", "StorageClass"}
    if needs_namespace_pods(pod):
        kinds.add("ServiceAccount")
    return frozenset(kinds)


def events_about(kind: str, namespace: str, name: str) -> Want:
    """Ask for the events about one object (a pod's claim: its FailedBinding says why it is Pending)."""
    return ("Event", namespace, f"{kind}/{name}")


def listing(kind: str, namespace: str, *, label: str = "", field: str = "") -> Want:
    """Ask for every object of a kind in a namespace ("" for a cluster-scoped kind, "*" for all
    namespaces), or those a label or field selector picks (`field="spec.nodeName=worker-1"`)."""
    return (kind, namespace, f"label:{label}" if label else f"field:{field}" if field else "")
