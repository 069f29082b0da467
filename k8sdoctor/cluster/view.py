"""The live cluster view behind the TUI: an Inventory fed by deltas, re-diagnosing only what changed.

Deltas (from the informer, or built from a snapshot) are applied with `apply()`, which only records
which pods became dirty. `flush()` re-diagnoses those pods and returns the rows that changed and the
keys that went away, so the table is updated in place. Cost per watch event is O(that pod).

No I/O and no Textual here: the TUI calls `apply` from its queue-draining worker and `flush` at most
about ten times a second.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from k8sdoctor.cluster.live.informer import Change, Delta, Replace, SourceState
from k8sdoctor.core.engine import Engine
from k8sdoctor.core.findings import Diagnosis
from k8sdoctor.core.inventory import Inventory, Key, obj_key
from k8sdoctor.core.kube.podstatus import PodSummary, summarize
from k8sdoctor.core.kube.timeutil import human_duration, parse_time


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


@dataclass
class Flush:
    changed: list[PodRow] = field(default_factory=list)
    removed: list[Key] = field(default_factory=list)


@dataclass
class ConnectionStatus:
    """Combined state of the reflectors: syncing, ready, forbidden or disconnected."""

    state: str = "syncing"
    message: str = ""
    retry_at: float | None = None
    per_kind: dict[str, SourceState] = field(default_factory=dict)


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
    )


class ClusterView:
    def __init__(self, engine: Engine, inventory: Inventory | None = None) -> None:
        self.engine = engine
        self.inventory = inventory or Inventory()
        self.rows: dict[Key, PodRow] = {}
        self.dirty: set[Key] = set(self.inventory.pods)
        self.removed: set[Key] = set()
        self.status = ConnectionStatus()
        self.synced: set[str] = set()  # kinds that completed a list at least once
        self.events_version = 0  # bumps on every event change (for the events view)

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

    def _change(self, kind: str, etype: str, obj: dict) -> None:
        if not isinstance(obj, dict):
            return
        if kind == "Pod":
            if etype == "DELETED":
                key = self.inventory.delete_pod(obj)
                self.dirty.discard(key)
                self.removed.add(key)
            else:
                key = self.inventory.put_pod(obj)
                self.removed.discard(key)
                self.dirty.add(key)
        elif kind == "Event":
            about = self.inventory.delete_event(obj) if etype == "DELETED" else self.inventory.put_event(obj)
            self.events_version += 1
            self._mark(about)
        else:
            if etype == "DELETED":
                self.inventory.delete(kind, obj)
            else:
                self.inventory.put(kind, obj)
            if kind == "Node":  # a node change can change any pending pod's verdict
                for key, row in self.rows.items():
                    if row.diagnosis.phase == "Pending":
                        self.dirty.add(key)

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
            for obj in list(self.inventory.all(delta.kind)):
                self.inventory.delete(delta.kind, obj)
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
                resource = {"Event": "events", "Node": "nodes"}.get(kind, kind.lower())
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
        self.removed.clear()
        pods = self.inventory.pods
        batch = self.dirty if only is None else self.dirty & only
        for key in batch:
            pod = pods.get(key)
            if pod is None:
                continue
            row = row_for(pod, self.engine.diagnose_pod(self.inventory, pod, now), now)
            self.rows[key] = row
            out.changed.append(row)
        self.dirty = set() if only is None else self.dirty - batch
        return out

    @property
    def state(self) -> str:
        """syncing, ready, empty, forbidden or disconnected."""
        s = self.status.state
        if s == "ready" and not self.inventory.pods:
            return "empty"
        return s
