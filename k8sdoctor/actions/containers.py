"""Which container an action is about, and what the pod's status says about its logs.

The default is the failing container (the one a finding names, else the one whose status is worst),
then the `kubectl.kubernetes.io/default-container` annotation, then the first app container.
"""

from __future__ import annotations

from dataclasses import dataclass

from k8sdoctor.core.findings import Diagnosis
from k8sdoctor.core.suggest import close_names
from k8sdoctor.errors import NotFoundError

DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container"
#: Waiting reasons of a container that has not run yet (so it has written no logs).
NEVER_STARTED = {
    "ContainerCreating",
    "PodInitializing",
    "ErrImagePull",
    "ImagePullBackOff",
    "InvalidImageName",
    "ErrImageNeverPull",
    "CreateContainerConfigError",
    "CreateContainerError",
    "RunContainerError",
}


def _d(obj: object) -> dict:
    return obj if isinstance(obj, dict) else {}


def _l(obj: object) -> list:
    return obj if isinstance(obj, list) else []


@dataclass(frozen=True, slots=True)
class ContainerRef:
    name: str
    kind: str  # "init", "app" or "ephemeral"
    spec: dict
    status: dict  # {} when the kubelet has not reported it


def containers(pod: dict) -> list[ContainerRef]:
    """Every container of the pod, init first, each with its status."""
    spec, status = _d(pod.get("spec")), _d(pod.get("status"))
    out = []
    for spec_key, status_key, kind in (
        ("initContainers", "initContainerStatuses", "init"),
        ("containers", "containerStatuses", "app"),
        ("ephemeralContainers", "ephemeralContainerStatuses", "ephemeral"),
    ):
        statuses = {s.get("name"): s for s in map(_d, _l(status.get(status_key)))}
        out += [ContainerRef(str(c.get("name", "")), kind, c, statuses.get(c.get("name"), {})) for c in map(_d, _l(spec.get(spec_key)))]
    return out


def find(pod: dict, name: str) -> ContainerRef:
    """The container called `name`, or a NotFoundError listing close names."""
    found = next((c for c in containers(pod) if c.name == name), None)
    if found is None:
        meta = _d(pod.get("metadata"))
        names = [c.name for c in containers(pod)]
        raise NotFoundError(
            f'container "{name}" not found in pod "{meta.get("name", "")}" (it has: {", ".join(names) or "none"})', close_names(name, names)
        )
    return found


def _trouble(ref: ContainerRef) -> int:
    """How badly a container is doing: 0 is fine; higher is worse."""
    state = _d(ref.status.get("state"))
    waiting, term = _d(state.get("waiting")), _d(state.get("terminated"))
    if waiting.get("reason") and waiting.get("reason") != "PodInitializing":
        return 4
    if term and term.get("exitCode") not in (0, None):
        return 3
    if isinstance(ref.status.get("restartCount"), int) and ref.status["restartCount"] > 0 and ref.kind != "ephemeral":
        return 2
    if ref.status and ref.status.get("ready") is not True and ref.kind == "app":
        return 1
    return 0


def failing_container(pod: dict, diagnosis: Diagnosis | None = None) -> str | None:
    """The container the diagnosis blames, else the one in the worst state; None if all look fine."""
    names = {c.name for c in containers(pod)}
    for finding in diagnosis.findings if diagnosis else ():
        if finding.is_problem and finding.container in names:
            return finding.container
    worst = max((c for c in containers(pod) if c.kind != "ephemeral"), key=_trouble, default=None)
    return worst.name if worst is not None and _trouble(worst) > 0 else None


def default_container(pod: dict, diagnosis: Diagnosis | None = None) -> str:
    """The failing container, then the default-container annotation, then the first app container."""
    failing = failing_container(pod, diagnosis)
    if failing:
        return failing
    annotated = _d(_d(pod.get("metadata")).get("annotations")).get(DEFAULT_CONTAINER_ANNOTATION)
    refs = containers(pod)
    if annotated and any(c.name == annotated for c in refs):
        return str(annotated)
    app = next((c for c in refs if c.kind == "app"), None) or next(iter(refs), None)
    if app is None:
        raise NotFoundError(f'pod "{_d(pod.get("metadata")).get("name", "")}" has no containers')
    return app.name


def has_previous(ref: ContainerRef) -> bool:
    """Whether a previous (terminated) run exists to read logs from: it restarted, or its status keeps
    a last termination."""
    last = _d(_d(ref.status.get("lastState")).get("terminated"))
    restarts = ref.status.get("restartCount")
    return bool(last) or (isinstance(restarts, int) and restarts > 0)


def offers_previous(ref: ContainerRef) -> bool:
    """Previous logs are worth offering: the container restarted or waits to start again."""
    waiting = _d(_d(ref.status.get("state")).get("waiting"))
    return has_previous(ref) or (bool(waiting) and waiting.get("reason") not in NEVER_STARTED)


def why_no_logs(pod: dict, ref: ContainerRef, previous: bool) -> str | None:
    """Why there can be no logs to read (said before asking), or None when there may be some."""
    state = _d(ref.status.get("state"))
    waiting = _d(state.get("waiting"))
    name = ref.name
    if not _d(pod.get("spec")).get("nodeName"):
        return f"the pod is not scheduled on a node yet, so container {name} has never run and has no logs"
    if previous and not has_previous(ref):
        return f"container {name} has not restarted: there is no previous run to read"
    if not previous and not ref.status:
        return f"the kubelet has not reported container {name} yet: it has not started"
    if not previous and waiting.get("reason") in NEVER_STARTED and not has_previous(ref):
        message = f": {waiting['message']}" if waiting.get("message") else ""
        return f"container {name} has never started ({waiting['reason']}{message}), so it has written no logs"
    return None
