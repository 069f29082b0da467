"""The live cluster view behind the TUI: an Inventory fed by deltas, re-diagnosing only what changed.

Deltas (from the informer, or built from a snapshot) are applied with `apply()`, which only records
which subjects became dirty. `flush()` re-diagnoses the dirty pods and returns the rows that changed and
the keys that went away, so the table is updated in place. With `objects=True` the view also keeps every
other diagnosed kind (Deployments, Services, claims, nodes...): a change marks the object itself and
the subjects whose diagnosis reads it (its owners up to the workload, the Services that select a pod,
a claim's pods, a Deployment whose ReplicaSet got an event, the pods that mount a Secret:
`dependents.Dependents`), and `flush_objects()` re-diagnoses those. A subject whose diagnosis changes
also marks the subjects whose findings carry its top finding (`carried_by`: a Pending pod carries its
claim's, an Ingress its Service's). Cost per watch event is O(that object's relations).

No I/O and no Textual here: the TUI calls `apply` from its queue-draining worker and the flushes at most
about ten times a second.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime

from k8sdoctor.cluster.dependents import CLUSTER_GATES, NAMESPACE_GATES, Dependents
from k8sdoctor.cluster.live.informer import Change, Delta, Replace, SourceState
from k8sdoctor.core.engine import Engine
from k8sdoctor.core.facts import build_object_facts
from k8sdoctor.core.findings import Diagnosis
from k8sdoctor.core.inventory import Inventory, Key, Ref, obj_key
from k8sdoctor.core.kube.columns import Cell, kubectl_cells
from k8sdoctor.core.kube.kinds import BY_KIND, SUBJECTS, WORKLOADS, is_namespaced
from k8sdoctor.core.kube.podstatus import PodSummary, summarize
from k8sdoctor.core.kube.timeutil import human_duration, parse_time

#: The kinds besides pods that the view diagnoses (with `objects=True`).
OBJECT_SUBJECTS = tuple(k for k in SUBJECTS if k != "Pod")


@dataclass(slots=True)
class PodRow:
    """What the pods table shows for one pod."""

    key: Key
    namespace: str
    name: str
    ready: str  # "1/2"
    status: str
    restarts: str  # "5 (3m ago)"
    restart_count: int
    created: datetime | None
    diagnosis: Diagnosis
    node: str = ""  # spec.nodeName: where it runs (the `/` filter finds pods by node)
    labels: dict = field(default_factory=dict)  # metadata.labels (the `/` filter's LABEL=VALUE terms)

    @property
    def severity(self) -> str | None:
        return self.diagnosis.worst_severity

    @property
    def problem(self) -> bool:
        return not self.diagnosis.healthy

    def age(self, now: datetime) -> str:
        return human_duration((now - self.created).total_seconds()) if self.created else "<unknown>"

    @property
    def diagnosis_text(self) -> str:
        if not self.diagnosis.findings:
            return ""
        top = self.diagnosis.findings[0]
        more = f" +{len(self.diagnosis.findings) - 1}" if len(self.diagnosis.findings) > 1 else ""
        return f"{top.category}: {top.cause}{more}"


@dataclass(slots=True)
class ObjectRow:
    """What a resource view shows for one object of a kind besides pods: kubectl's columns (after
    NAMESPACE and NAME) and the diagnosis."""

    ref: Ref  # (kind, namespace, name)
    cells: tuple[Cell, ...]
    diagnosis: Diagnosis
    created: datetime | None = None

    @property
    def kind(self) -> str:
        return self.ref[0]

    @property
    def namespace(self) -> str:
        return self.ref[1]

    @property
    def name(self) -> str:
        return self.ref[2]

    @property
    def severity(self) -> str | None:
        return self.diagnosis.worst_severity

    @property
    def problem(self) -> bool:
        return not self.diagnosis.healthy

    @property
    def not_created(self) -> bool:
        """A workload whose pods are refused at creation (PodsNotCreated)."""
        return any(f.category == "PodsNotCreated" and f.is_problem for f in self.diagnosis.findings)


def _ref(kind: str, obj: dict) -> Ref:
    """(kind, namespace, name); namespace "" for cluster-scoped kinds."""
    namespace, name = obj_key(obj)
    return (kind, namespace if is_namespaced(kind) else "", name)


def _signature(d: Diagnosis) -> tuple:
    return tuple((f.category, f.cause, f.severity) for f in d.findings)


@dataclass
class Flush:
    changed: list[PodRow] = field(default_factory=list)
    removed: list[Key] = field(default_factory=list)


@dataclass
class ObjectFlush:
    changed: list[ObjectRow] = field(default_factory=list)
    removed: list[Ref] = field(default_factory=list)


@dataclass
class ConnectionStatus:
    """Combined state of the reflectors: syncing, ready, forbidden or disconnected."""

    state: str = "syncing"
    message: str = ""
    retry_at: float | None = None
    per_kind: dict[str, SourceState] = field(default_factory=dict)


def _resource(kind: str) -> str:
    """How the API names a kind's resource (`events`, `deployments`)."""
    info = BY_KIND.get(kind)
    return info.plural if info is not None else kind.lower()


def row_for(pod: dict, diagnosis: Diagnosis, now: datetime, summary: PodSummary | None = None) -> PodRow:
    """The table row of a pod (`summary`: its kubectl columns, when the caller has them already)."""
    summary = summary or summarize(pod)  # READY and RESTARTS in one pass over the statuses
    count, last, ready, total = summary.restarts, summary.last_restart, summary.ready, summary.total
    restart_text = str(count)
    if count and last is not None:
        restart_text = f"{count} ({human_duration((now - last).total_seconds())} ago)"
    meta = pod.get("metadata") or {}
    return PodRow(
        key=obj_key(pod),
        namespace=diagnosis.namespace,
        name=diagnosis.name,
        ready=f"{ready}/{total}",
        status=diagnosis.status,
        restarts=restart_text,
        restart_count=count,
        created=parse_time(meta.get("creationTimestamp")),
        diagnosis=diagnosis,
        node=str((pod.get("spec") or {}).get("nodeName") or ""),
        labels=labels if isinstance(labels := meta.get("labels"), dict) else {},
    )


class ClusterView:
    def __init__(self, engine: Engine, inventory: Inventory | None = None, *, objects: bool = False, namespace: str | None = None) -> None:
        self.engine = engine
        self.inventory = inventory or Inventory()
        self.rows: dict[Key, PodRow] = {}
        self.dirty: set[Key] = set(self.inventory.pods)
        self.removed: set[Key] = set()
        self.status = ConnectionStatus()
        self.synced: set[str] = set()  # kinds that completed a list at least once
        self.events_version = 0  # bumps on every event change (for the events view)
        #: Every other diagnosed kind (objects=True): rows, the dirty and the removed ones.
        self.objects = objects
        self.namespace = namespace  # objects of namespaced kinds outside it are read, never diagnosed
        self.object_rows: dict[Ref, ObjectRow] = {}
        self.dirty_objects: set[Ref] = set()
        self.removed_objects: set[Ref] = set()
        self.dependents = Dependents(self.inventory)
        #: Subjects whose findings carry another subject's top finding (a Pending pod its claim's, an
        #: Ingress its Service's), by the carried one: when its diagnosis changes, theirs is stale.
        self.carried_by: dict[Ref, set[Ref]] = {}
        self._carrying: dict[Ref, frozenset[Ref]] = {}
        if objects:
            for pod in self.inventory.pods.values():
                self.dependents.update("Pod", None, pod)
            for kind in OBJECT_SUBJECTS:
                for obj in self.inventory.all(kind):
                    self.dependents.update(kind, None, obj)
                    self._mark_refs({_ref(kind, obj)})

    # ---- deltas ----------------------------------------------------------------------------------
    def apply(self, delta: Delta) -> None:
        if isinstance(delta, SourceState):
            self._state(delta)
        elif isinstance(delta, Replace):
            self._replace(delta)
        elif isinstance(delta, Change):
            self._change(delta.kind, delta.type, delta.obj)

    def _mark(self, key: Key | None) -> None:
        if key is not None and key in self.inventory.pods:
            self.dirty.add(key)

    def _mark_refs(self, refs: set[Ref]) -> None:
        """Mark subjects dirty (pods, and objects of the diagnosed kinds when the view keeps them)."""
        pods = self.inventory.pods
        for ref in refs:
            if ref[0] == "Pod":
                if (ref[1], ref[2]) in pods:
                    self.dirty.add((ref[1], ref[2]))
            elif self.objects and ref[0] in OBJECT_SUBJECTS and (self.namespace is None or ref[1] in ("", self.namespace)):
                self.dirty_objects.add(ref)

    def _mark_problems(self, namespace: str | None) -> None:
        """Mark the workloads of a namespace (None: everywhere) that have a problem, or have no row yet."""
        if namespace is None:
            self.dirty_objects.update(ref for ref, row in self.object_rows.items() if row.kind in WORKLOADS and row.problem)
            return
        refs: set[Ref] = set()
        for kind in WORKLOADS:
            for obj in self.inventory.in_namespace(kind, namespace):
                ref = (kind, *obj_key(obj))
                row = self.object_rows.get(ref)
                if row is None or row.problem:
                    refs.add(ref)
        self._mark_refs(refs)  # only those of the view's namespace

    def _change(self, kind: str, etype: str, obj: dict) -> None:
        if not isinstance(obj, dict):
            return
        deps = self.dependents if self.objects else None
        if kind == "Pod":
            old = self.inventory.pods.get(obj_key(obj))
            if etype == "DELETED":
                key = self.inventory.delete_pod(obj)
                self.dirty.discard(key)
                self.removed.add(key)
            else:
                key = self.inventory.put_pod(obj)
                self.removed.discard(key)
                self.dirty.add(key)
            if deps is not None:  # what read the pod before (its old labels) and what reads it now
                deps.update("Pod", old, None if etype == "DELETED" else obj)
                self._mark_refs((deps.of_pod(old) if old is not None else set()) | deps.of_pod(obj))
        elif kind == "Event":
            about = self.inventory.delete_event(obj) if etype == "DELETED" else self.inventory.put_event(obj)
            self.events_version += 1
            self._mark(about)
            if deps is not None:
                self._mark_refs(deps.of_event(obj))
        else:
            old = self.inventory.get(*_ref(kind, obj)) if deps is not None else None
            if etype == "DELETED":
                self.inventory.delete(kind, obj)
            else:
                self.inventory.put(kind, obj)
            if kind == "Node":  # a node change can change any pending pod's verdict
                for key, row in self.rows.items():
                    if row.diagnosis.phase == "Pending":
                        self.dirty.add(key)
            if deps is not None:
                self._object_changed(kind, etype, old, obj)

    def _object_changed(self, kind: str, etype: str, old: dict | None, obj: dict) -> None:
        deps = self.dependents
        new = None if etype == "DELETED" else self.inventory.get(*_ref(kind, obj))
        deps.update(kind, old, new)
        ref = _ref(kind, obj)
        if kind in OBJECT_SUBJECTS:
            if new is None:
                self.dirty_objects.discard(ref)
                self.removed_objects.add(ref)
            else:
                self.removed_objects.discard(ref)
                self._mark_refs({ref})
        touched = set()
        for version in (old, new):
            if version is not None:
                touched |= deps.touched(kind, version)
        self._mark_refs(touched)
        if kind in NAMESPACE_GATES:
            self._mark_problems(ref[2] if kind == "Namespace" else ref[1])
        elif kind in CLUSTER_GATES:
            self._mark_problems(None)
        elif kind == "APIService":  # the metrics API: every autoscaler reads it
            self._mark_refs({("HorizontalPodAutoscaler", *obj_key(h)) for h in self.inventory.all("HorizontalPodAutoscaler")})

    def _replace(self, delta: Replace) -> None:
        self.synced.add(delta.kind)
        if delta.kind == "Pod":
            new = {obj_key(p): p for p in delta.items}
            for key in list(self.inventory.pods):
                if key not in new:  # deleted while we were not watching: no ghosts
                    self._change("Pod", "DELETED", self.inventory.pods[key])
            for pod in delta.items:
                self._change("Pod", "MODIFIED", pod)
        elif delta.kind == "Event":
            keep = {Inventory.event_id(e) for e in delta.items}
            for eid, event in list(self.inventory.events.items()):
                if eid not in keep:
                    self._change("Event", "DELETED", event)
            for event in delta.items:
                self._change("Event", "MODIFIED", event)
        else:
            kept = {_ref(delta.kind, obj) for obj in delta.items if isinstance(obj, dict)}
            for obj in list(self.inventory.all(delta.kind)):
                if _ref(delta.kind, obj) not in kept:
                    self._change(delta.kind, "DELETED", obj)
            for obj in delta.items:
                self._change(delta.kind, "MODIFIED", obj)

    def _state(self, s: SourceState) -> None:
        self.status.per_kind[s.kind] = s
        # Pods decide the overall state; other kinds only add notes.
        pods = self.status.per_kind.get("Pod")
        if pods is None:
            return
        self.status.state, self.status.message, self.status.retry_at = pods.state, pods.message, pods.retry_at
        for kind, other in self.status.per_kind.items():
            if kind != "Pod" and other.state == "forbidden":
                resource = _resource(kind)
                self.inventory.unreadable = [u for u in self.inventory.unreadable if u.resource != resource]
                self.inventory.mark_unreadable(resource, None, f"forbidden: {other.message}")

    # ---- diagnosis -------------------------------------------------------------------------------
    def flush(self, now: datetime, only: set[Key] | None = None) -> Flush:
        """Re-diagnose the dirty pods (or only those of them in `only`, leaving the rest dirty); report
        changed rows and removed keys."""
        out = Flush()
        for key in self.removed:
            if self.rows.pop(key, None) is not None:
                out.removed.append(key)
            self._carries(("Pod", *key), None)
        self.removed.clear()
        pods = self.inventory.pods
        batch = self.dirty if only is None else self.dirty & only
        for key in batch:
            pod = pods.get(key)
            if pod is None:
                continue
            row = row_for(pod, self.engine.diagnose_pod(self.inventory, pod, now), now)
            old = self.rows.get(key)
            self.rows[key] = row
            out.changed.append(row)
            if self.objects:
                self._carries(("Pod", *key), row.diagnosis)
                if old is None or _signature(old.diagnosis) != _signature(row.diagnosis):
                    self._mark_refs(self.dependents.of_pod(pod) | self.carried_by.get(("Pod", *key), set()))  # what quotes it
        self.dirty = set() if only is None else self.dirty - batch
        return out

    def flush_objects(self, now: datetime, budget: float | None = None) -> ObjectFlush:
        """Re-diagnose the dirty objects of the other kinds (for about `budget` seconds at most, leaving
        the rest dirty); report changed rows and removed refs. Pods still dirty are diagnosed first (their
        findings are quoted by their workloads and Services)."""
        out = ObjectFlush()
        for ref in self.removed_objects:
            if self.object_rows.pop(ref, None) is not None:
                out.removed.append(ref)
            self._carries(ref, None)
        self.removed_objects.clear()
        deadline = None if budget is None else time.perf_counter() + budget
        while self.dirty_objects:
            ref = self.dirty_objects.pop()
            obj = self.inventory.get(*ref)
            if obj is None:
                if self.object_rows.pop(ref, None) is not None:
                    out.removed.append(ref)
                self._carries(ref, None)
                continue
            created = parse_time((obj.get("metadata") or {}).get("creationTimestamp"))
            row = ObjectRow(ref, kubectl_cells(ref[0], obj), self._diagnose_object(ref[0], obj, now), created)
            old = self.object_rows.get(ref)
            self.object_rows[ref] = row
            out.changed.append(row)
            self._carries(ref, row.diagnosis)
            if old is not None and _signature(old.diagnosis) != _signature(row.diagnosis):
                self._mark_refs(self.carried_by.get(ref, set()))  # what carries its finding quotes a stale one
            if deadline is not None and time.perf_counter() >= deadline:
                break
        return out

    def _carries(self, ref: Ref, diagnosis: Diagnosis | None) -> None:
        """Record which subjects the diagnosis of `ref` (None: it is gone) carries the findings of."""
        carried = frozenset(r for f in diagnosis.findings for r in f.carries) if diagnosis is not None else frozenset()
        before = self._carrying.get(ref, frozenset())
        if carried == before:
            return
        for gone in before - carried:
            holders = self.carried_by.get(gone)
            if holders is not None:
                holders.discard(ref)
                if not holders:
                    del self.carried_by[gone]
        for new in carried - before:
            self.carried_by.setdefault(new, set()).add(ref)
        if carried:
            self._carrying[ref] = carried
        else:
            del self._carrying[ref]

    def _diagnose_object(self, kind: str, obj: dict, now: datetime) -> Diagnosis:
        """The engine's diagnosis of one object, quoting its pods' current diagnoses where the view has
        them (a Deployment of 50 replicas does not diagnose its 50 pods again)."""
        facts = build_object_facts(self.inventory, kind, obj, now)
        rows, dirty, engine, inventory = self.rows, self.dirty, self.engine, self.inventory

        def pod_diagnosis(pod: dict) -> Diagnosis:
            key = obj_key(pod)
            row = rows.get(key)
            if row is not None and key not in dirty:
                return row.diagnosis
            return engine.diagnose_pod(inventory, pod, now)

        facts.diagnose_pod = pod_diagnosis
        return engine.diagnose_facts(facts)

    def refresh_problems(self) -> None:
        """Diagnose every subject with a problem again (ages in findings move on)."""
        self.dirty.update(k for k, r in self.rows.items() if r.problem or r.restart_count)
        if self.objects:
            self.dirty_objects.update(ref for ref, row in self.object_rows.items() if row.problem)

    @property
    def state(self) -> str:
        """syncing, ready, empty, forbidden or disconnected."""
        s = self.status.state
        if s == "ready" and not self.inventory.pods:
            return "empty"
        return s
