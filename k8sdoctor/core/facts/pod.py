"""Facts for one pod: its containers, events, node, claims and log tails, normalized from the raw pod."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from k8sdoctor.core.facts.events import EventFact, cite_event
from k8sdoctor.core.inventory import Inventory, Unreadable, controller_ref
from k8sdoctor.core.kube.container_kinds import CONTAINER_LISTS, spec_list, status_list
from k8sdoctor.core.kube.raw import as_dict, as_int, as_list, as_str
from k8sdoctor.core.kube.timeutil import parse_time
from k8sdoctor.core.relations import WorkloadRef, workload_of

#: The shape of a scheduler verdict, across versions (see ../shared/notes/message-formats.md section 2).
SCHEDULER_MESSAGE = re.compile(
    r"nodes are (?:available|unavailable)|failed to fit in any node|No nodes are available that match"
    r"|unbound immediate PersistentVolumeClaims|no nodes available to schedule pods"
)


@dataclass(slots=True)
class ContainerFact:
    """One container: its spec, current state and last termination."""

    name: str
    kind: str  # "init", "sidecar" (init container with restartPolicy Always), "app", "ephemeral"
    index: int  # position in its spec list
    image: str
    spec: dict
    status: dict
    state: str  # "waiting", "running", "terminated" or "unknown" (no status yet)
    waiting_reason: str = ""
    waiting_message: str = ""
    terminated_reason: str = ""
    terminated_exit_code: int | None = None
    terminated_message: str = ""
    terminated_signal: int | None = None
    started_at: datetime | None = None  # running since (current state)
    finished_at: datetime | None = None  # current terminated state
    last_reason: str = ""
    last_exit_code: int | None = None
    last_message: str = ""
    last_signal: int | None = None
    last_started_at: datetime | None = None
    last_finished_at: datetime | None = None
    restarts: int = 0
    ready: bool = False
    started: bool | None = None
    logs: list[str] = field(default_factory=list)
    logs_previous: bool = False
    logs_known: bool = False  # False when the source had no logs for it (not fetched, or forbidden)
    status_path: str = ""  # `status.containerStatuses[web]`: where evidence from its status is cited
    spec_path: str = ""  # `spec.initContainers[migrate]`: where evidence from its spec is cited

    def __post_init__(self) -> None:
        self.status_path = f"status.{status_list(self.kind)}[{self.name}]"
        self.spec_path = f"spec.{spec_list(self.kind)}[{self.name}]"

    @property
    def exit_code(self) -> int | None:
        """The current termination's exit code, else the last one's."""
        return self.terminated_exit_code if self.terminated_exit_code is not None else self.last_exit_code

    def will_restart(self, pod_phase: str, restart_policy: str) -> bool:
        """Whether the kubelet will run this container again: not once the pod has failed or succeeded,
        nor a terminated container under restartPolicy Never (or OnFailure after exit 0). A native
        sidecar always restarts."""
        if pod_phase in ("Failed", "Succeeded"):
            return False
        if self.state != "terminated" or self.kind == "sidecar":
            return True
        if restart_policy == "Never":
            return False
        return not (restart_policy == "OnFailure" and self.terminated_exit_code == 0)


_EMPTY: dict = {}


def _d(value: object) -> dict:
    return value if type(value) is dict else _EMPTY  # read-only: never written to


def _s(value: object) -> str:
    return value if type(value) is str else as_str(value)


def _container_fact(spec: dict, status: dict, kind: str, index: int) -> ContainerFact:
    state = _d(status.get("state"))
    last = _d(_d(status.get("lastState")).get("terminated"))
    waiting = _d(state.get("waiting"))
    running = _d(state.get("running"))
    terminated = _d(state.get("terminated"))
    if waiting:
        state_name = "waiting"
    elif running:
        state_name = "running"
    elif terminated:
        state_name = "terminated"
    else:
        state_name = "unknown"
    started = status.get("started")
    fact = ContainerFact(
        name=_s(spec.get("name") or status.get("name")),
        kind=kind,
        index=index,
        image=_s(spec.get("image") or status.get("image")),
        spec=spec,
        status=status,
        state=state_name,
        restarts=as_int(status.get("restartCount")) or 0,
        ready=status.get("ready") is True,
        started=started if isinstance(started, bool) else None,
    )
    # Only the states present are read (most containers have one state and no last termination).
    if waiting:
        fact.waiting_reason = _s(waiting.get("reason"))
        fact.waiting_message = _s(waiting.get("message"))
    if running:
        fact.started_at = parse_time(running.get("startedAt"))
    if terminated:
        fact.terminated_reason = _s(terminated.get("reason"))
        fact.terminated_exit_code = as_int(terminated.get("exitCode"))
        fact.terminated_message = _s(terminated.get("message"))
        fact.terminated_signal = as_int(terminated.get("signal"))
        fact.finished_at = parse_time(terminated.get("finishedAt"))
    if last:
        fact.last_reason = _s(last.get("reason"))
        fact.last_exit_code = as_int(last.get("exitCode"))
        fact.last_message = _s(last.get("message"))
        fact.last_signal = as_int(last.get("signal"))
        fact.last_started_at = parse_time(last.get("startedAt"))
        fact.last_finished_at = parse_time(last.get("finishedAt"))
    return fact


@dataclass(slots=True)
class PodFacts:
    """A pod, normalized, with its events, node, PVCs and log tails."""

    namespace: str
    name: str
    uid: str
    raw: dict
    now: datetime
    phase: str
    reason: str
    message: str
    node_name: str
    created: datetime | None
    deleting: bool
    restart_policy: str
    scheduler_name: str
    scheduling_gates: list[str]
    conditions: dict[str, dict]
    containers: list[ContainerFact]
    events: list[EventFact]  # oldest first by last-seen time
    owner_kind: str  # the direct controller (ReplicaSet, Job, StatefulSet...)
    owner_name: str
    workload: WorkloadRef | None  # the workload a user manages (Deployment over ReplicaSet, CronJob over Job)
    node: dict | None = None
    pvcs: list[dict] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)
    #: Values derived once per facts (the scheduler verdict and its reasons).
    memo: dict = field(default_factory=dict)

    @property
    def scheduled(self) -> bool:
        """On a node: nodeName is set, PodScheduled is True, or a container already has a status."""
        if self.node_name or (self.conditions.get("PodScheduled") or {}).get("status") == "True":
            return True
        return any(c.status for c in self.containers)

    @property
    def age_seconds(self) -> float | None:
        """Seconds since the pod was created (else started, else first seen in an event); None when
        nothing says: an unknown age is unknown, not old."""
        since = self.created or parse_time(as_dict(self.raw.get("status")).get("startTime"))
        if since is None:
            seen = [t for e in self.events for t in (e.first, e.last) if t is not None]
            since = min(seen, default=None)
        return None if since is None else (self.now - since).total_seconds()

    def scheduling_message(self) -> tuple[str, str] | None:
        """The freshest scheduler verdict and where it was read: the PodScheduled condition's message,
        else the newest FailedScheduling (or scheduler-shaped) event. Older verdicts are stale."""
        if "scheduling_message" not in self.memo:
            self.memo["scheduling_message"] = self._scheduling_message()
        return self.memo["scheduling_message"]

    def scheduler_reasons(self) -> list[str]:
        """The kinds of reasons the freshest verdict gives (see core/kube/scheduler_message.py)."""
        if "scheduler_reasons" not in self.memo:
            from k8sdoctor.core.kube.scheduler_message import reason_kinds  # only for pods the scheduler left

            found = self.scheduling_message()
            self.memo["scheduler_reasons"] = reason_kinds(found[0]) if found else []
        return self.memo["scheduler_reasons"]

    def _scheduling_message(self) -> tuple[str, str] | None:
        cond = self.conditions.get("PodScheduled") or {}
        msg = cond.get("message")
        if cond.get("status") != "True" and isinstance(msg, str) and msg:
            return msg, "status.conditions[PodScheduled].message"
        for e in reversed(self.events):
            if e.reason == "FailedScheduling" or SCHEDULER_MESSAGE.search(e.message):
                return e.message, cite_event(e, self.now)
        return None

    def container(self, name: str) -> ContainerFact | None:
        for c in self.containers:
            if c.name == name:
                return c
        return None


def _containers(spec: dict, status: dict) -> list[ContainerFact]:
    out: list[ContainerFact] = []
    for spec_key, status_key, kind in CONTAINER_LISTS:
        statuses = {as_str(s.get("name")): s for s in as_list(status.get(status_key)) if isinstance(s, dict)}
        specs = [s for s in as_list(spec.get(spec_key)) if isinstance(s, dict)]
        seen = set()
        for i, cspec in enumerate(specs):
            name = as_str(cspec.get("name"))
            seen.add(name)
            ckind = "sidecar" if kind == "init" and cspec.get("restartPolicy") == "Always" else kind
            out.append(_container_fact(cspec, as_dict(statuses.get(name)), ckind, i))
        # statuses with no spec (a snapshot that dropped spec): keep them, they still tell the state
        for name, cstatus in statuses.items():
            if name not in seen:
                out.append(_container_fact({"name": name}, cstatus, kind, len(out)))
    return out


def _says_more(cond: dict, other: dict) -> bool:
    """Of two conditions of one type (malformed, but seen), the one that explains: Unschedulable, else
    one with a message; else the later one."""
    rank = (cond.get("reason") == "Unschedulable", bool(cond.get("message")))
    other_rank = (other.get("reason") == "Unschedulable", bool(other.get("message")))
    return rank >= other_rank


def build_pod_facts(inventory: Inventory, pod: dict, now: datetime) -> PodFacts:
    """Normalize a pod and join what the inventory knows about it (events, node, PVCs, logs)."""
    meta = as_dict(pod.get("metadata"))
    spec = as_dict(pod.get("spec"))
    status = as_dict(pod.get("status"))
    namespace = as_str(meta.get("namespace"))
    name = as_str(meta.get("name"))
    owner = controller_ref(pod)
    events = [EventFact.from_raw(e) for e in inventory.events_for_pod(pod) if isinstance(e, dict)]
    events.sort(key=lambda e: (e.last is None, e.last or now))
    containers = _containers(spec, status)
    for c in containers:
        logs = inventory.logs_for(namespace, name, c.name)
        if logs is not None:
            c.logs, c.logs_previous = logs
            c.logs_known = True
    node_name = as_str(spec.get("nodeName"))
    node = inventory.get("Node", "", node_name) if node_name else None
    pvcs = []
    for vol in as_list(spec.get("volumes")):
        claim = as_dict(as_dict(vol).get("persistentVolumeClaim")).get("claimName")
        if claim:
            pvc = inventory.get("PersistentVolumeClaim", namespace, as_str(claim))
            pvcs.append(pvc if pvc is not None else {"metadata": {"name": claim, "namespace": namespace}, "missing": True})
    conditions: dict[str, dict] = {}
    for cond in as_list(status.get("conditions")):
        if isinstance(cond, dict) and cond.get("type"):
            ctype = as_str(cond["type"])
            if ctype not in conditions or _says_more(cond, conditions[ctype]):
                conditions[ctype] = cond
    return PodFacts(
        namespace=namespace,
        name=name,
        uid=as_str(meta.get("uid")),
        raw=pod,
        now=now,
        phase=as_str(status.get("phase")),
        reason=as_str(status.get("reason")),
        message=as_str(status.get("message")),
        node_name=node_name,
        created=parse_time(meta.get("creationTimestamp")),
        deleting=bool(meta.get("deletionTimestamp")),
        restart_policy=as_str(spec.get("restartPolicy")) or "Always",
        scheduler_name=as_str(spec.get("schedulerName")) or "default-scheduler",
        scheduling_gates=[as_str(as_dict(g).get("name")) for g in as_list(spec.get("schedulingGates"))],
        conditions=conditions,
        containers=containers,
        events=events,
        owner_kind=as_str(owner.get("kind")),
        owner_name=as_str(owner.get("name")),
        workload=workload_of(inventory, "Pod", pod),
        node=node,
        pvcs=pvcs,
        unreadable=inventory.unreadable_for(namespace),
    )
