"""Rollout correlation: a failing pod of a Deployment's newest revision, while the previous revision
runs healthy, points at what changed between them; offer `kubectl rollout undo` with the diff."""

from __future__ import annotations

from typing import NamedTuple

from k8sdoctor.core.analyzers import register
from k8sdoctor.core.analyzers.finding_edits import add_evidence, lead_with
from k8sdoctor.core.analyzers.kubectl import quote
from k8sdoctor.core.facts import PodFacts
from k8sdoctor.core.findings import Finding, Step
from k8sdoctor.core.inventory import Inventory, controller_ref
from k8sdoctor.core.kube.raw import as_dict, as_int, as_str, dicts, dig, name_of

REVISION = "deployment.kubernetes.io/revision"
#: Families a bad rollout shows up as.
CATEGORIES = ("ImagePullBackOff", "CrashLoopBackOff", "RunContainerError", "ContainerCreating", "Pending", "NotReady")


def _revision(rs: dict) -> int | None:
    return as_int(dig(rs, "metadata", "annotations", REVISION))


def _healthy(pod: dict) -> bool:
    statuses = dicts(dig(pod, "status", "containerStatuses"))
    return dig(pod, "status", "phase") == "Running" and bool(statuses) and all(s.get("ready") is True for s in statuses)


def _ready_state(inventory: Inventory, namespace: str, rs: dict) -> tuple[int, int]:
    """(ready, desired) of a ReplicaSet: from its status, else from its pods in the inventory."""
    ready = as_int(dig(rs, "status", "readyReplicas"))
    desired = as_int(dig(rs, "spec", "replicas")) or as_int(dig(rs, "status", "replicas")) or 0
    if ready is not None:
        return ready, desired
    pods = [p for _k, p in inventory.children("ReplicaSet", namespace, name_of(rs), "Pod")]
    return sum(_healthy(p) for p in pods), desired or len(pods)


def template_changes(old: dict, new: dict) -> list[str]:
    """What differs between two ReplicaSets' pod templates: images first, then other fields."""
    old_spec, new_spec = as_dict(dig(old, "spec", "template", "spec")), as_dict(dig(new, "spec", "template", "spec"))
    images: list[str] = []
    others: list[str] = []
    for list_key in ("initContainers", "containers"):
        before = {as_str(c.get("name")): c for c in dicts(old_spec.get(list_key))}
        after = {as_str(c.get("name")): c for c in dicts(new_spec.get(list_key))}
        for name, c in after.items():
            if name not in before:
                others.append(f"container {name} added ({as_str(c.get('image'))})")
                continue
            was = before[name]
            if was.get("image") != c.get("image"):
                images.append(f"{name}: {as_str(was.get('image')) or '(none)'} → {as_str(c.get('image')) or '(none)'}")
            fields = sorted(k for k in set(was) | set(c) if k != "image" and was.get(k) != c.get(k))
            if fields:
                others.append(f"{name}: {', '.join(fields)} changed")
        others += [f"container {name} removed" for name in before if name not in after]
    pod_fields = sorted(
        k for k in set(old_spec) | set(new_spec) if k not in ("containers", "initContainers") and old_spec.get(k) != new_spec.get(k)
    )
    if pod_fields:
        others.append(f"pod spec: {', '.join(pod_fields)} changed")
    return [f"image {line}" for line in images] + others


def _replicasets_by_deployment(inventory: Inventory) -> dict[tuple[str, str], list[dict]]:
    """(namespace, Deployment) → its ReplicaSets, in name order: one pass over the ReplicaSets (the
    inventory's relation index would index every pod too)."""
    owned: dict[tuple[str, str], list[dict]] = {}
    for (namespace, _name), rs in sorted(inventory.objects["ReplicaSet"].items()):
        owner = controller_ref(rs)
        if owner.get("kind") == "Deployment" and as_str(owner.get("name")):
            owned.setdefault((namespace, as_str(owner.get("name"))), []).append(rs)
    return owned


def _previous(inventory: Inventory, namespace: str, owner: str) -> tuple[dict, dict, dict] | None:
    """(deployment ref, this ReplicaSet, the previous revision's ReplicaSet) when this is the newest."""
    rs = inventory.get("ReplicaSet", namespace, owner)
    if rs is None:
        return None
    deployment = controller_ref(rs)
    current = _revision(rs)
    if deployment.get("kind") != "Deployment" or current is None:
        return None
    owned = inventory.derived("analyzers.replicasets", _replicasets_by_deployment).get((namespace, as_str(deployment.get("name"))), [])
    siblings = [r for r in owned if _revision(r) is not None]
    if any((_revision(r) or 0) > current for r in siblings):
        return None
    older = [r for r in siblings if (_revision(r) or 0) < current]
    if not older:
        return None
    return deployment, rs, max(older, key=lambda r: _revision(r) or 0)


class Rollback(NamedTuple):
    """What a failing pod of a ReplicaSet says about its Deployment's rollout: evidence and the undo step."""

    evidence: tuple[tuple[str, str], ...]
    step: Step


def _rollback(inventory: Inventory, namespace: str, owner: str) -> Rollback | None:
    found = _previous(inventory, namespace, owner)
    if found is None:
        return None
    deployment, rs, previous = found
    ready, desired = _ready_state(inventory, namespace, previous)
    if ready <= 0:
        return None
    name, current, before = as_str(deployment.get("name")), _revision(rs), _revision(previous)
    changes = template_changes(previous, rs)
    images = [c.removeprefix("image ") for c in changes if c.startswith("image ")]
    undone = f" ({'; '.join(images)} is undone)" if images else ""
    undo = f"Roll deployment/{name} back to revision {before}, which runs healthy{undone}, while you fix the new revision."
    return Rollback(
        (
            (
                f"replicasets {namespace}/{name_of(previous)} and {name_of(rs)} metadata.annotations[{REVISION}]",
                f"this pod runs revision {current} of deployment/{name}, the newest; revision {before} (replicaset {name_of(previous)}) has {ready}/{desired} ready replicas",
            ),
            (
                f"replicasets {name_of(previous)} → {name_of(rs)} spec.template.spec",
                "; ".join(changes) if changes else "the pod templates differ only in labels or annotations",
            ),
        ),
        Step(undo, f"kubectl rollout undo {quote('deployment/' + name)} -n {quote(namespace)} --to-revision={before}"),
    )


class _Rollbacks(dict):
    """Each ReplicaSet's answer, once per inventory state (every failing replica asks the same)."""

    def __init__(self, inventory: Inventory) -> None:
        super().__init__()
        self.inventory = inventory

    def __missing__(self, key: tuple[str, str]) -> Rollback | None:
        found = self[key] = _rollback(self.inventory, *key)
        return found


def analyze_rollout(finding: Finding, facts: PodFacts, inventory: Inventory) -> None:
    if not finding.is_problem or facts.owner_kind != "ReplicaSet":
        return
    found = inventory.derived("analyzers.rollbacks", _Rollbacks)[(facts.namespace, facts.owner_name)]
    if found is None:
        return
    for source, text in found.evidence:
        add_evidence(finding, source, text)
    lead_with(finding, [found.step])


for _category in CATEGORIES:
    register(_category)(analyze_rollout)  # every cause of every family a bad rollout shows up as
