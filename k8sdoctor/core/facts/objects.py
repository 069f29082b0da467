"""Facts for any object a playbook can diagnose besides pods: a Deployment, a Service, a claim, a node...

`ObjectFacts` normalizes what every kind has (metadata, conditions, the events about it) and keeps the
inventory at hand, so the fields and relations a playbook asks for (`core/playbooks/fields.py`) are
computed on demand, once each (`memo`). Events in scope include those about the objects a kind acts
through: a Deployment's current ReplicaSets, a CronJob's Jobs (see `EVENT_SCOPES`), and so do those
objects' condition messages; evidence quoted from them names that object. A workload's fields may ask for its pods' own diagnoses
(`pod_diagnosis`), which the engine that diagnoses the workload provides.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from k8sdoctor.core.facts.events import EventFact
from k8sdoctor.core.inventory import Inventory, Ref, Unreadable, obj_key
from k8sdoctor.core.kube.raw import as_dict, as_int, as_str, dicts, dig
from k8sdoctor.core.kube.timeutil import parse_time
from k8sdoctor.core.relations import REVISION_ANNOTATION, WorkloadRef, workload_of

if TYPE_CHECKING:
    from k8sdoctor.core.findings import Diagnosis


@dataclass(slots=True)
class ObjectFacts:
    """One object of any kind but Pod, normalized, with the events in its scope."""

    kind: str
    namespace: str
    name: str
    uid: str
    raw: dict
    now: datetime
    created: datetime | None
    deleting: bool
    conditions: dict[str, dict]
    events: list[EventFact]  # oldest first by last-seen time
    workload: WorkloadRef | None  # the workload that manages it (a ReplicaSet's Deployment)
    inventory: Inventory
    unreadable: list[Unreadable] = field(default_factory=list)
    #: Values computed on demand by fields and relations, once per facts.
    memo: dict = field(default_factory=dict)
    #: Conditions of the objects in its event scope (a Deployment's current ReplicaSets' ReplicaFailure):
    #: (the object, condition type, condition), for matching their messages.
    scope_conditions: list[tuple[Ref, str, dict]] = field(default_factory=list)
    #: Diagnoses one of its pods through the engine diagnosing this object (None outside an engine).
    diagnose_pod: Callable[[dict], Diagnosis] | None = None

    @property
    def ref(self) -> Ref:
        return (self.kind, self.namespace, self.name)

    @property
    def age_seconds(self) -> float | None:
        return None if self.created is None else (self.now - self.created).total_seconds()

    def computed(self, name: str, build: Callable[[ObjectFacts], object]) -> object:
        """`build(self)`, computed once per facts."""
        if name not in self.memo:
            self.memo[name] = build(self)
        return self.memo[name]

    def pod_diagnosis(self, pod: dict) -> Diagnosis | None:
        """A pod's own diagnosis (once per pod), or None when no engine is at hand."""
        if self.diagnose_pod is None:
            return None
        done: dict = self.memo.setdefault("pod_diagnoses", {})
        key = obj_key(pod)
        if key not in done:
            done[key] = self.diagnose_pod(pod)
        return done[key]

    @property
    def pod_diagnoses(self) -> list[Diagnosis]:
        """The pods' diagnoses this object's diagnosis consulted."""
        return list(self.memo.get("pod_diagnoses", {}).values())


def conditions_by_type(raw: dict) -> dict[str, dict]:
    """`status.conditions` by type; of two conditions of one type, the later one."""
    return {as_str(c.get("type")): c for c in dicts(dig(raw, "status", "conditions")) if as_str(c.get("type"))}


def current_replicasets(inventory: Inventory, deployment: dict) -> list[dict]:
    """A Deployment's ReplicaSets that matter now: the newest revision and any that still has replicas."""
    namespace, name = obj_key(deployment)
    sets = [rs for _k, rs in inventory.children("Deployment", namespace, name, "ReplicaSet")]
    if not sets:
        return []
    newest = max(sets, key=lambda rs: as_int(dig(rs, "metadata", "annotations", REVISION_ANNOTATION)) or 0)
    return [rs for rs in sets if rs is newest or (as_int(dig(rs, "spec", "replicas")) or 0) > 0]


def _deployment_scope(inventory: Inventory, obj: dict) -> list[tuple[str, dict]]:
    return [("ReplicaSet", rs) for rs in current_replicasets(inventory, obj)]


def _cronjob_scope(inventory: Inventory, obj: dict) -> list[tuple[str, dict]]:
    namespace, name = obj_key(obj)
    return inventory.children("CronJob", namespace, name, "Job")


#: The objects whose events count as a kind's own: a Deployment acts through its ReplicaSets (their
#: FailedCreate is the Deployment's problem), a CronJob through its Jobs.
EVENT_SCOPES: dict[str, Callable[[Inventory, dict], list[tuple[str, dict]]]] = {
    "Deployment": _deployment_scope,
    "CronJob": _cronjob_scope,
}


def build_object_facts(inventory: Inventory, kind: str, obj: dict, now: datetime) -> ObjectFacts:
    """Normalize an object and join the events in its scope."""
    meta = as_dict(obj.get("metadata"))
    namespace, name = obj_key(obj)
    raw_events = [e for e in inventory.events_about(kind, obj) if isinstance(e, dict)]
    scope = EVENT_SCOPES.get(kind)
    scope_conditions: list[tuple[Ref, str, dict]] = []
    for other_kind, other in scope(inventory, obj) if scope is not None else ():
        raw_events += [e for e in inventory.events_about(other_kind, other) if isinstance(e, dict)]
        ref = (other_kind, *obj_key(other))
        scope_conditions += [(ref, ctype, cond) for ctype, cond in conditions_by_type(other).items()]
    events = [EventFact.from_raw(e) for e in raw_events]
    events.sort(key=lambda e: (e.last is None, e.last or now))
    return ObjectFacts(
        kind=kind,
        namespace=namespace,
        name=name,
        uid=as_str(meta.get("uid")),
        raw=obj,
        now=now,
        created=parse_time(meta.get("creationTimestamp")),
        deleting=bool(meta.get("deletionTimestamp")),
        conditions=conditions_by_type(obj),
        events=events,
        workload=workload_of(inventory, kind, obj),
        inventory=inventory,
        unreadable=inventory.unreadable_for(namespace),
        scope_conditions=scope_conditions,
    )
