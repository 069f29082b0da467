"""Pending for lack of resources: the pod's effective request against what each node has free, and
how far it is from fitting ("asks 4 CPU; the most free on any node is 1.2 CPU (node-3)")."""

from __future__ import annotations

from k8sdoctor.core.analyzers.capacity import NodeRoom, capacity, container_requests, pod_requests
from k8sdoctor.core.analyzers.finding_edits import Edits, command_has, shared, spec_key
from k8sdoctor.core.analyzers.kubectl import Target, target_of
from k8sdoctor.core.analyzers.node_filters import admits
from k8sdoctor.core.analyzers.node_shapes import node_shapes, selector_keys
from k8sdoctor.core.analyzers.work import WORK
from k8sdoctor.core.facts import PodFacts
from k8sdoctor.core.findings import Finding, Step
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.core.kube.quantity import format_quantity, to_quantity
from k8sdoctor.core.kube.raw import as_dict, as_str, dicts

_ORDER = {"cpu": 0, "memory": 1, "ephemeral-storage": 2}
#: Requests `kubectl set resources` may lower for a user; GPUs and other devices are not a matter of tuning.
_TUNABLE = ("cpu", "memory", "ephemeral-storage")
FREE_SOURCE = "nodes' status.allocatable minus the requests of the pods on them"


def _sorted(resources) -> list[str]:
    return sorted(resources, key=lambda r: (_ORDER.get(r, 9), r))


def _describe(amounts: dict[str, float]) -> str:
    return ", ".join(format_quantity(r, amounts[r]) for r in _sorted(amounts))


def _lacks(room: NodeRoom, want: dict[str, float]) -> dict[str, float]:
    return {r: amount - room.free(r) for r, amount in want.items() if room.free(r) < amount}


def _closeness(room: NodeRoom, want: dict[str, float]) -> tuple[int, float]:
    lacks = _lacks(room, want)
    return len(lacks), sum(lack / want[r] for r, lack in lacks.items())


#: The pod spec fields a fit answer reads: requests (with init containers, sidecars and overhead) and
#: the node filters (tolerations, node selector, affinity).
_FIT_FIELDS = ("containers", "initContainers", "overhead", "tolerations", "nodeSelector", "affinity")


def explain_fit(finding: Finding, facts: PodFacts, inventory: Inventory) -> None:
    spec = as_dict(facts.raw.get("spec"))
    target = target_of(facts)
    question = ("fit", spec_key(spec, _FIT_FIELDS), target)
    shared(inventory, question, lambda: _fit(spec, target, inventory)).apply(finding)


def _fit(spec: dict, target: Target, inventory: Inventory) -> Edits:
    want = pod_requests(spec)
    shapes = node_shapes(inventory)
    if not shapes.nodes or not want:
        return Edits(lead=False)
    cluster = capacity(inventory)
    rooms = cluster.rooms
    tolerations = dicts(spec.get("tolerations"))
    groups = shapes.groups(selector_keys(spec))
    admitted = [g for g in groups if admits(g.node, spec, tolerations)]
    usable = sum(len(g.members) for g in admitted)
    # Every node the pod may use (or, when it may use none, every node), as each shape's undominated
    # rooms, in the inventory's order: the same answers as every room of the pool, ties included.
    pool = [room for _i, room in sorted(r for g in (admitted or groups) for r in shapes.frontier(g, cluster))]
    WORK["shapes examined"] += len(groups)
    WORK["nodes examined"] += len(pool)
    if not pool:
        return Edits(lead=False)
    where = "on any node"
    if usable and usable < len(rooms):
        where = f"on the {usable} of {len(rooms)} nodes it may use (the others are cordoned, tainted or outside its node selector)"
    evidence = [("spec.containers[*].resources (with init containers, sidecars and overhead)", f"the pod requests {_describe(want)}")]
    steps: list[Step] = []
    short = False
    too_big = False
    for r in _sorted(want):
        best = max(pool, key=lambda room: room.free(r))
        if best.free(r) >= want[r]:
            continue
        short = True
        text = f"asks {format_quantity(r, want[r])}; the most free {where} is {format_quantity(r, max(best.free(r), 0.0))} ({best.name})"
        biggest = max(pool, key=lambda room: room.allocatable.get(r, 0.0))
        if biggest.allocatable.get(r, 0.0) < want[r]:
            too_big = True
            text += f"; no node has that much allocatable at all (the largest: {format_quantity(r, biggest.allocatable.get(r, 0.0))} on {biggest.name})"
            steps.append(
                Step(f"No node is big enough for {format_quantity(r, want[r])}: add nodes with more allocatable {r}, or lower the request.")
            )
        evidence.append((FREE_SOURCE, text))
    closest = min(pool, key=lambda room: _closeness(room, want))
    lacks = _lacks(closest, want)
    if not short and lacks:
        gap = ", ".join(format_quantity(r, lacks[r]) for r in _sorted(lacks))
        evidence.append(
            (
                FREE_SOURCE,
                f"each resource is free on some node, but no node has all of it at once; the closest, {closest.name}, lacks {gap}",
            )
        )
    elif not lacks:
        evidence.append(
            (
                FREE_SOURCE,
                f"by the requests k8sdoctor can see, {closest.name} has room for it now: the room was freed after the scheduler's verdict, or pods k8sdoctor did not read use it",
            )
        )
    if not cluster.pods_complete:
        evidence.append(
            (
                "pods read by k8sdoctor",
                "not every pod on the nodes was read (a namespace-scoped or single-pod read): the requests counted per node are a lower bound, so the free capacity shown is an upper bound",
            )
        )
    if lacks and not too_big:
        gap = ", ".join(format_quantity(r, lacks[r]) for r in _sorted(lacks))
        steps.append(
            Step(
                f"Free {gap} on {closest.name} (the closest fit), add a node, or let the cluster autoscaler add one. See what runs there:",
                f"kubectl describe node {closest.name}",
            )
        )
    if lacks:
        steps += _lower_requests(target, spec, closest, lacks)
    # The playbook's example `set resources` values mean nothing next to the numbers above.
    return Edits(tuple(evidence), tuple(steps), command_has("set resources"))


def _lower_requests(target: Target, spec: dict, room: NodeRoom, lacks: dict[str, float]) -> list[Step]:
    """Steps that lower the largest container request of each lacking resource just enough to fit
    `room`, checked by recomputing the pod's effective request; none when that cannot work."""
    if any(r not in _TUNABLE for r in lacks):
        return []
    containers = dicts(spec.get("containers"))
    changed = [dict(c) for c in containers]
    per_container: dict[str, list[str]] = {}
    for r, lack in lacks.items():
        owner = max(changed, key=lambda c: container_requests(c).get(r, 0.0), default=None)
        current = container_requests(owner).get(r, 0.0) if owner else 0.0
        lowered = current - lack
        if owner is None or lowered <= 0:
            return []
        value = to_quantity(r, lowered, round_up=False)
        resources = as_dict(owner.get("resources"))
        owner["resources"] = {**resources, "requests": {**as_dict(resources.get("requests")), r: value}}
        per_container.setdefault(as_str(owner.get("name")), []).append(f"{r}={value}")
    trial = pod_requests({**spec, "containers": changed})
    if any(trial.get(r, 0.0) > room.free(r) + 1e-9 for r in lacks):
        return []
    steps = []
    for name, values in per_container.items():
        command = target.set_resources(name, requests=",".join(values))
        if command:
            steps.append(
                Step(
                    f"Or, if container {name} really needs less, lower its request to {', '.join(values)} so the pod fits {room.name}.",
                    command,
                )
            )
    return steps
