"""The fields a playbook clause can test, per subject: what each one reads and where it quotes from.

A getter returns (value, where) pairs; `where` names the field quoted as evidence, or is None for a value
k8sdoctor derived (a count, an age) that is not quoted. Pods have `pod.*` and, in container scope,
`container.*` fields. Every other kind has `object.<path>` (any field of the raw object by dotted path; a
list on the way fans out over its items), `object.age`, `object.event_count`, `object.managed_by`, and the
fields its family registers in `KIND_FIELDS`. Every kind has `condition.<Type>.<part>`.

Relations (`related.<name>`) are the objects a subject is joined to, for clauses over related objects;
see `RELATIONS`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from k8sdoctor.core.facts import ContainerFact, ObjectFacts, PodFacts
from k8sdoctor.core.facts.kind_fields import KIND_FIELDS, KindGetter, Values
from k8sdoctor.core.facts.kind_fields import one as _one
from k8sdoctor.core.facts.objects import current_replicasets
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.core.kube.raw import as_dict, as_str, dig
from k8sdoctor.core.playbooks.predicates import TRUSTED
from k8sdoctor.core.relations import claims_of, owned_pods, scale_target, services_selecting

if TYPE_CHECKING:
    from k8sdoctor.core.playbooks.matching import MatchContext

Getter = Callable[["MatchContext"], Values]

CONDITION_PARTS = ("status", "reason", "message")
EVENT_FIELDS = ("type", "reason", "message", "count", "source", "age", "object")
SPECIAL_FIELDS = ("event", "log", "message")


def _pod(x: MatchContext) -> PodFacts:
    assert isinstance(x.facts, PodFacts)
    return x.facts


def _obj(x: MatchContext) -> ObjectFacts:
    assert isinstance(x.facts, ObjectFacts)
    return x.facts


def _c(x: MatchContext) -> ContainerFact:
    assert x.container is not None
    return x.container


def _scheduling_message(x: MatchContext) -> Values:
    found = _pod(x).scheduling_message()
    return [found] if found is not None else []


def _scheduler_reasons(x: MatchContext) -> Values:
    """The kinds of reasons in the freshest scheduler verdict, each quoting the verdict."""
    found = _pod(x).scheduling_message()
    if found is None:
        return []
    message, where = found
    return [(kind, where, message) for kind in _pod(x).scheduler_reasons()]


def _running_for(c: ContainerFact, now: datetime) -> Values:
    return [((now - c.started_at).total_seconds(), None)] if c.started_at else []


POD_FIELDS: dict[str, Getter] = {
    "pod.scheduling_message": _scheduling_message,
    "pod.scheduler_reasons": _scheduler_reasons,
    "pod.phase": lambda x: _one(_pod(x).phase, None),
    "pod.reason": lambda x: _one(_pod(x).reason, "status.reason"),
    "pod.message": lambda x: _one(_pod(x).message, "status.message"),
    "pod.node": lambda x: _one(_pod(x).node_name, "spec.nodeName"),
    "pod.scheduled": lambda x: [(_pod(x).scheduled, None)],
    "pod.event_count": lambda x: [(len(x.events), None)],
    "pod.age": lambda x: _one(_pod(x).age_seconds, None),
    "pod.restart_policy": lambda x: _one(_pod(x).restart_policy, "spec.restartPolicy"),
    "pod.scheduler_name": lambda x: _one(_pod(x).scheduler_name, "spec.schedulerName"),
    "pod.scheduling_gates": lambda x: [(g, "spec.schedulingGates") for g in _pod(x).scheduling_gates],
    "pod.deleting": lambda x: [(_pod(x).deleting, None)],
    "pod.owner_kind": lambda x: _one(_pod(x).owner_kind, "metadata.ownerReferences"),
    "pod.waiting_reasons": lambda x: [
        (c.waiting_reason, f"{c.status_path}.state.waiting.reason") for c in _pod(x).containers if c.waiting_reason
    ],
}

CONTAINER_FIELDS: dict[str, Getter] = {
    "container.name": lambda x: _one(_c(x).name, None),
    "container.kind": lambda x: _one(_c(x).kind, None),
    "container.image": lambda x: _one(_c(x).image, f"{_c(x).spec_path}.image"),
    "container.state": lambda x: _one(_c(x).state, None),
    "container.reported": lambda x: [(bool(_c(x).status), None)],
    "container.waiting.reason": lambda x: _one(_c(x).waiting_reason, f"{_c(x).status_path}.state.waiting.reason"),
    "container.waiting.message": lambda x: _one(_c(x).waiting_message, f"{_c(x).status_path}.state.waiting.message"),
    "container.terminated.reason": lambda x: _one(_c(x).terminated_reason, f"{_c(x).status_path}.state.terminated.reason"),
    "container.terminated.exit_code": lambda x: _one(_c(x).terminated_exit_code, f"{_c(x).status_path}.state.terminated.exitCode"),
    "container.terminated.message": lambda x: _one(_c(x).terminated_message, f"{_c(x).status_path}.state.terminated.message"),
    "container.last.reason": lambda x: _one(_c(x).last_reason, f"{_c(x).status_path}.lastState.terminated.reason"),
    "container.last.exit_code": lambda x: _one(_c(x).last_exit_code, f"{_c(x).status_path}.lastState.terminated.exitCode"),
    "container.last.message": lambda x: _one(_c(x).last_message, f"{_c(x).status_path}.lastState.terminated.message"),
    "container.exit_code": lambda x: (
        _one(_c(x).terminated_exit_code, f"{_c(x).status_path}.state.terminated.exitCode")
        or _one(_c(x).last_exit_code, f"{_c(x).status_path}.lastState.terminated.exitCode")
    ),
    "container.restarts": lambda x: [(_c(x).restarts, f"{_c(x).status_path}.restartCount")],
    "container.ready": lambda x: [(_c(x).ready, None)],
    "container.running_for": lambda x: _running_for(_c(x), x.facts.now),
    "container.liveness_probe": lambda x: [(bool(_c(x).spec.get("livenessProbe")), None)],
    "container.readiness_probe": lambda x: [(bool(_c(x).spec.get("readinessProbe")), None)],
    "container.startup_probe": lambda x: [(bool(_c(x).spec.get("startupProbe")), None)],
    "container.has_logs": lambda x: [(bool(_c(x).logs), None)],
    "container.will_restart": lambda x: [(_c(x).will_restart(_pod(x).phase, _pod(x).restart_policy), None)],
}

OBJECT_FIELDS: dict[str, Getter] = {
    "object.age": lambda x: _one(_obj(x).age_seconds, None),
    "object.event_count": lambda x: [(len(x.events), None)],
    "object.deleting": lambda x: [(_obj(x).deleting, None)],
    "object.managed_by": lambda x: _managed_by(_obj(x)),
}


def _managed_by(facts: ObjectFacts) -> Values:
    return _one(facts.workload.kind if facts.workload is not None else None, "metadata.ownerReferences")


def _kind_getter(fn: KindGetter) -> Getter:
    return lambda x: fn(_obj(x))


def _path_values(value: Any, parts: list[str], where: str) -> Values:
    """Values at a dotted path; a list on the way fans out over its items."""
    if not parts:
        if isinstance(value, list):
            return [v for item in value for v in _path_values(item, [], where)]
        return [] if value is None or isinstance(value, dict) else [(value, where)]
    if isinstance(value, list):
        return [v for item in value for v in _path_values(item, parts, where)]
    if not isinstance(value, dict):
        return []
    return _path_values(value.get(parts[0]), parts[1:], where)


def _object_path(path: str) -> Getter:
    parts = path.split(".")
    return lambda x: _path_values(_obj(x).raw, parts, path)


def _condition_getter(ctype: str, part: str) -> Getter:
    def get(x: MatchContext) -> Values:
        cond = x.facts.conditions.get(ctype)
        if not cond:
            return []
        value = cond.get(part)
        return _one(value if isinstance(value, str) else None, f"status.conditions[{ctype}].{part}")

    return get


def resolve_field(key: str, subject: str, scope: str) -> Getter | str:
    """The getter for a field key, or the reason it is not available for this subject and scope."""
    if key.startswith("condition."):
        parts = key.split(".")
        if len(parts) == 3 and parts[1] and parts[2] in CONDITION_PARTS:
            return _condition_getter(parts[1], parts[2])
    if subject == "Pod":
        if key in POD_FIELDS:
            return POD_FIELDS[key]
        if key in CONTAINER_FIELDS:
            if scope != "container":
                return "container fields need a container-scoped playbook (scope: container)"
            return CONTAINER_FIELDS[key]
        if key.startswith("object."):
            return "object.* fields are for subjects other than Pod; use pod.* and container.*"
        return ""
    if key in OBJECT_FIELDS:
        return OBJECT_FIELDS[key]
    if TRUSTED.get():
        return _on_first_use(key, subject)
    return _family_field(key, subject)


def _kind_fields(subject: str) -> dict[str, KindGetter]:
    """The fields `subject`'s family registers. The family modules are imported here, at the first
    field of a subject other than Pod: a one-shot `diagnose pod` never needs them."""
    from k8sdoctor.core.facts import families  # noqa: F401 - registers the families' fields

    return KIND_FIELDS.get(subject, {})


def _family_field(key: str, subject: str) -> Getter | str:
    """A field of a subject other than Pod: its family's, else a path into the object."""
    if key in _kind_fields(subject):
        return _kind_getter(_kind_fields(subject)[key])
    if key.startswith("object.") and len(key) > len("object.") and "" not in key.split("."):
        return _object_path(key[len("object.") :])
    if key.startswith(("pod.", "container.")):
        return f"{key.split('.')[0]}.* fields are for subject: Pod"
    return ""


def _on_first_use(key: str, subject: str) -> Getter:
    """The getter of a field of a playbook compiled before (the cache, `TRUSTED`), found when a clause
    first reads it: the families are imported only once an object of their kinds is diagnosed. A field
    the cache holds but the code no longer has (a development build with the same version) reads as
    absent."""
    found: list[Getter] = []

    def get(x: MatchContext) -> Values:
        if not found:
            getter = _family_field(key, subject)
            found.append(getter if not isinstance(getter, str) else (lambda _x: []))
        return found[0](x)

    return get


def field_names(subject: str, scope: str) -> list[str]:
    """The fields a clause may name (for "did you mean" and the docs)."""
    names = [f"condition.<Type>.{p}" for p in CONDITION_PARTS] + list(SPECIAL_FIELDS)
    if subject == "Pod":
        names += list(POD_FIELDS) + (list(CONTAINER_FIELDS) if scope == "container" else [])
    else:
        names += list(OBJECT_FIELDS) + list(_kind_fields(subject)) + ["object.<path>"]
    names += [f"related.{name}" for name in RELATIONS.get(subject, {})]
    return names


# ---- relations ------------------------------------------------------------------------------------
Subject = PodFacts | ObjectFacts
#: A relation: the related kind ("*": the object says) and the objects of that kind joined to a subject.
Relation = tuple[str, Callable[[Subject, Inventory], list[dict]]]


def _service_pods(facts: Subject, inv: Inventory) -> list[dict]:
    from k8sdoctor.core.kube.selectors import string_map

    selector = string_map(dig(facts.raw, "spec", "selector"))
    return inv.pods_matching(facts.namespace, selector) if selector else []


def ingress_backend_names(ingress: dict) -> list[str]:
    """The Service names an Ingress sends traffic to (default backend and every rule path)."""
    spec = as_dict(ingress.get("spec"))
    backends = [as_dict(spec.get("defaultBackend"))]
    for rule in spec.get("rules") or ():
        backends += [as_dict(p.get("backend")) for p in dig(rule, "http", "paths") or () if isinstance(p, dict)]
    names: list[str] = []
    for backend in backends:
        name = as_str(dig(backend, "service", "name"))
        if name and name not in names:
            names.append(name)
    return names


def _ingress_services(facts: Subject, inv: Inventory) -> list[dict]:
    found = (inv.get("Service", facts.namespace, n) for n in ingress_backend_names(facts.raw))
    return [svc for svc in found if svc is not None]


def _hpa_target(facts: Subject, inv: Inventory) -> list[dict]:
    _kind, target = scale_target(inv, facts.raw)
    return [target] if target is not None else []


def _hpa_pods(facts: Subject, inv: Inventory) -> list[dict]:
    kind, target = scale_target(inv, facts.raw)
    return owned_pods(inv, kind, target) if target is not None else []


def _named(kind: str, *path: str) -> Callable[[Subject, Inventory], list[dict]]:
    """The cluster-scoped object a field names (a claim's StorageClass or volume, a pod's node)."""

    def get(facts: Subject, inv: Inventory) -> list[dict]:
        name = as_str(dig(facts.raw, *path))
        found = inv.get(kind, "", name) if name else None
        return [found] if found is not None else []

    return get


def _owned(kind: str) -> Callable[[Subject, Inventory], list[dict]]:
    return lambda facts, inv: owned_pods(inv, kind, facts.raw)


def _children(kind: str, child: str) -> Callable[[Subject, Inventory], list[dict]]:
    return lambda facts, inv: [o for _k, o in inv.children(kind, facts.namespace, facts.name, child)]


#: RELATIONS[subject][name] = (related kind, the related objects), read from the inventory's indexes.
RELATIONS: dict[str, dict[str, Relation]] = {
    "Pod": {
        "services": ("Service", lambda f, inv: services_selecting(inv, f.raw)),
        "claims": ("PersistentVolumeClaim", lambda f, inv: [c for _n, c in claims_of(inv, f.raw) if c is not None]),
        "node": ("Node", _named("Node", "spec", "nodeName")),
    },
    "Deployment": {
        "replicasets": ("ReplicaSet", lambda f, inv: current_replicasets(inv, f.raw)),
        "pods": ("Pod", _owned("Deployment")),
    },
    "ReplicaSet": {"pods": ("Pod", _owned("ReplicaSet"))},
    "StatefulSet": {"pods": ("Pod", _owned("StatefulSet"))},
    "DaemonSet": {"pods": ("Pod", _owned("DaemonSet"))},
    "Job": {"pods": ("Pod", _owned("Job"))},
    "CronJob": {"jobs": ("Job", _children("CronJob", "Job")), "pods": ("Pod", _owned("CronJob"))},
    "Service": {
        "pods": ("Pod", _service_pods),
        "endpointslices": ("EndpointSlice", lambda f, inv: inv.endpoint_slices(f.namespace, f.name)),
    },
    "Ingress": {"services": ("Service", _ingress_services)},
    "PersistentVolumeClaim": {
        "pods": ("Pod", lambda f, inv: inv.pods_using_claim(f.namespace, f.name)),
        "storageclass": ("StorageClass", _named("StorageClass", "spec", "storageClassName")),
        "volume": ("PersistentVolume", _named("PersistentVolume", "spec", "volumeName")),
    },
    "HorizontalPodAutoscaler": {"target": ("*", _hpa_target), "pods": ("Pod", _hpa_pods)},
    "Node": {"pods": ("Pod", lambda f, inv: inv.pods_on_node(f.name))},
}


def related_kind(declared: str, obj: dict) -> str:
    """The kind of a related object: the relation's, or for "*" (a scale target) the object's own."""
    return (as_str(obj.get("kind")) or "Deployment") if declared == "*" else declared
