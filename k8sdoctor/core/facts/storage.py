"""PersistentVolumeClaim fields: its class, how it gets a volume, who waits for it (`claim.*`).

A claim gets its volume one of two ways. With a StorageClass that has a provisioner, the volume is
created for it (at once, or with `volumeBindingMode: WaitForFirstConsumer` once a pod using it is
scheduled). Without one (`storageClassName: ""`, no class and no default class, or the
`kubernetes.io/no-provisioner` provisioner) it can only bind a PersistentVolume created beforehand that
fits: class, size, access modes and selector. The default StorageClass is written into a claim when the
claim is created; a claim created before a default existed stays without a class (kubernetes#44370).
"""

from __future__ import annotations

from dataclasses import dataclass

from k8sdoctor.core.facts.kind_fields import Values, kind_field, one
from k8sdoctor.core.facts.objects import ObjectFacts
from k8sdoctor.core.facts.presence import exists, read_completely
from k8sdoctor.core.inventory import Inventory, obj_key
from k8sdoctor.core.kube.quantity import parse_quantity
from k8sdoctor.core.kube.raw import as_dict, as_str, dicts, dig
from k8sdoctor.core.kube.timeutil import parse_time

DEFAULT_CLASS_ANNOTATIONS = ("storageclass.kubernetes.io/is-default-class", "storageclass.beta.kubernetes.io/is-default-class")
BETA_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class"
NO_PROVISIONER = "kubernetes.io/no-provisioner"
#: A pod waiting this long unscheduled on a claim is stuck, not just starting.
STUCK_AFTER = 120


def is_default_class(storage_class: dict) -> bool:
    annotations = as_dict(dig(storage_class, "metadata", "annotations"))
    return any(as_str(annotations.get(a)).lower() == "true" for a in DEFAULT_CLASS_ANNOTATIONS)


def default_classes(inventory: Inventory) -> list[str]:
    return inventory.derived(
        "storage.default-classes",
        lambda inv: sorted(as_str(dig(sc, "metadata", "name")) for sc in inv.all("StorageClass") if is_default_class(sc)),
    )


def claim_class(pvc: dict) -> str | None:
    """The class a claim names: `spec.storageClassName` (maybe ""), else the old beta annotation, else
    None (no class at all)."""
    name = dig(pvc, "spec", "storageClassName")
    if isinstance(name, str):
        return name
    annotated = dig(pvc, "metadata", "annotations", BETA_CLASS_ANNOTATION)
    return annotated if isinstance(annotated, str) else None


def requested(pvc: dict) -> float | None:
    return parse_quantity(dig(pvc, "spec", "resources", "requests", "storage"))


def _pv_class(pv: dict) -> str:
    return as_str(dig(pv, "spec", "storageClassName")) or as_str(dig(pv, "metadata", "annotations", BETA_CLASS_ANNOTATION))


def volumes_by_class(inventory: Inventory) -> dict[str, list[dict]]:
    """PersistentVolumes not bound to a claim, by class ("" for none); built once per inventory state."""

    def build(inv: Inventory) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {}
        for pv in inv.all("PersistentVolume"):
            if as_str(dig(pv, "status", "phase")) in ("", "Available") and not dig(pv, "spec", "claimRef", "name"):
                out.setdefault(_pv_class(pv), []).append(pv)
        return out

    return inventory.derived("storage.free-volumes", build)


@dataclass(slots=True)
class ClaimState:
    class_name: str | None  # what the claim names (see claim_class)
    storage_class: dict | None
    class_known_missing: bool
    defaults: list[str]
    classes_read: bool
    static: bool  # binds only a PersistentVolume created beforehand
    candidates: list[dict]  # free PersistentVolumes of its class
    consumers: list[dict]
    stuck: list[dict]  # consumers unscheduled for a while


def _unscheduled_for(pod: dict, now_seconds: float | None) -> bool:
    if dig(pod, "status", "phase") != "Pending" or dig(pod, "spec", "nodeName"):
        return False
    conditions = {c.get("type"): c for c in dicts(dig(pod, "status", "conditions"))}
    if as_str(as_dict(conditions.get("PodScheduled")).get("reason")) == "Unschedulable":
        return True
    return now_seconds is not None and now_seconds >= STUCK_AFTER


def claim_state(inventory: Inventory, pvc: dict, now_seconds: float | None = None) -> ClaimState:
    namespace, name = obj_key(pvc)
    class_name = claim_class(pvc)
    storage_class = inventory.get("StorageClass", "", class_name) if class_name else None
    missing = bool(class_name) and exists(inventory, "StorageClass", "", class_name or "") is False
    classes_read = read_completely(inventory, "StorageClass", "")
    defaults = default_classes(inventory)
    provisioner = as_str(storage_class.get("provisioner")) if storage_class else ""
    # Binds only pre-created volumes: no class, a class that provisions nothing, or a class name no
    # StorageClass has (PersistentVolumes may carry any class name; `manual` in many tutorials).
    static = class_name == "" or provisioner == NO_PROVISIONER or missing or (class_name is None and classes_read and not defaults)
    consumers = inventory.pods_using_claim(namespace, name)
    stuck = []
    for pod in consumers:
        created = parse_time(dig(pod, "metadata", "creationTimestamp"))
        age = None if created is None or now_seconds is None else now_seconds - created.timestamp()
        if _unscheduled_for(pod, age):
            stuck.append(pod)
    candidates = volumes_by_class(inventory).get(class_name or "", []) if static or class_name is None else []
    return ClaimState(class_name, storage_class, missing, defaults, classes_read, static, candidates, consumers, stuck)


def _state(facts: ObjectFacts) -> ClaimState:
    got = facts.computed("claim.state", lambda f: claim_state(f.inventory, f.raw, f.now.timestamp()))
    assert isinstance(got, ClaimState)
    return got


@kind_field("claim.class", "PersistentVolumeClaim")
def _class(facts: ObjectFacts) -> Values:
    return one(_state(facts).class_name, "spec.storageClassName")


@kind_field("claim.class_set", "PersistentVolumeClaim")
def _class_set(facts: ObjectFacts) -> Values:
    return [(_state(facts).class_name is not None, None)]


@kind_field("claim.class_missing", "PersistentVolumeClaim")
def _class_missing(facts: ObjectFacts) -> Values:
    state = _state(facts)
    return one(state.class_name if state.class_known_missing else None, "spec.storageClassName")


@kind_field("claim.default_class", "PersistentVolumeClaim")
def _default(facts: ObjectFacts) -> Values:
    return [(name, None) for name in _state(facts).defaults]


@kind_field("claim.classes_read", "PersistentVolumeClaim")
def _classes_read(facts: ObjectFacts) -> Values:
    return [(_state(facts).classes_read, None)]


@kind_field("claim.static", "PersistentVolumeClaim")
def _static(facts: ObjectFacts) -> Values:
    return [(_state(facts).static, None)]


@kind_field("claim.candidate_volumes", "PersistentVolumeClaim")
def _candidates(facts: ObjectFacts) -> Values:
    return [(len(_state(facts).candidates), None)]


@kind_field("claim.binding_mode", "PersistentVolumeClaim")
def _binding_mode(facts: ObjectFacts) -> Values:
    sc = _state(facts).storage_class
    return one(as_str(sc.get("volumeBindingMode")) or "Immediate" if sc else None, None)


@kind_field("claim.provisioner", "PersistentVolumeClaim")
def _provisioner(facts: ObjectFacts) -> Values:
    sc = _state(facts).storage_class
    return one(as_str(sc.get("provisioner")) if sc else None, None)


@kind_field("claim.expansion_allowed", "PersistentVolumeClaim")
def _expansion_allowed(facts: ObjectFacts) -> Values:
    sc = _state(facts).storage_class
    return [(sc.get("allowVolumeExpansion") is True, None)] if sc else []


@kind_field("claim.consumers", "PersistentVolumeClaim")
def _consumers(facts: ObjectFacts) -> Values:
    return [(len(_state(facts).consumers), None)]


@kind_field("claim.stuck_consumers", "PersistentVolumeClaim")
def _stuck(facts: ObjectFacts) -> Values:
    return [(len(_state(facts).stuck), None)]


@kind_field("claim.resize_requested", "PersistentVolumeClaim")
def _resize(facts: ObjectFacts) -> Values:
    raw = facts.raw
    want = requested(raw)
    have = parse_quantity(dig(raw, "status", "capacity", "storage"))
    if want is None or have is None or want <= have or dig(raw, "status", "phase") != "Bound":
        return []
    shown = f"{as_str(dig(raw, 'status', 'capacity', 'storage'))} → {as_str(dig(raw, 'spec', 'resources', 'requests', 'storage'))}"
    return [(shown, "spec.resources.requests.storage")]
