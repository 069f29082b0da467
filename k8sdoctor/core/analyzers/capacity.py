"""Requests and free capacity as the scheduler counts them: a pod's effective request (containers,
init containers, sidecars, overhead) and each node's allocatable minus the requests of its pods."""

from __future__ import annotations

from dataclasses import dataclass, field

from k8sdoctor.core.analyzers.memo import IdentityMemo
from k8sdoctor.core.analyzers.work import WORK
from k8sdoctor.core.inventory import ALL_NAMESPACES, Inventory
from k8sdoctor.core.kube.quantity import parse_quantity
from k8sdoctor.core.kube.raw import as_dict, as_str, dicts, dig

TERMINAL_PHASES = ("Succeeded", "Failed")


def _add(into: dict[str, float], more: dict[str, float]) -> None:
    for name, value in more.items():
        into[name] = into.get(name, 0.0) + value


def _peak(into: dict[str, float], other: dict[str, float]) -> None:
    for name, value in other.items():
        if value > into.get(name, 0.0):
            into[name] = value


def container_requests(container: dict) -> dict[str, float]:
    """What one container requests; a resource with only a limit requests its limit (API defaulting)."""
    resources = as_dict(container.get("resources"))
    requests, limits = as_dict(resources.get("requests")), as_dict(resources.get("limits"))
    out = {}
    for name in set(requests) | set(limits):
        value = parse_quantity(requests[name] if name in requests else limits[name])
        if value and value > 0:
            out[str(name)] = value
    return out


def pod_requests(spec: dict) -> dict[str, float]:
    """The pod's effective request per resource: the larger of (app containers + sidecars) and the
    peak of each init container (plus the sidecars started before it), plus spec.overhead."""
    sidecars: dict[str, float] = {}
    init_peak: dict[str, float] = {}
    for init in dicts(spec.get("initContainers")):
        own = container_requests(init)
        if init.get("restartPolicy") == "Always":
            _add(sidecars, own)
            _peak(init_peak, sidecars)
        else:
            during = dict(sidecars)
            _add(during, own)
            _peak(init_peak, during)
    total = dict(sidecars)
    for container in dicts(spec.get("containers")):
        _add(total, container_requests(container))
    _peak(total, init_peak)
    for name, raw in as_dict(spec.get("overhead")).items():
        value = parse_quantity(raw)
        if value and value > 0:
            total[str(name)] = total.get(str(name), 0.0) + value
    return total


#: A cluster's pods are summed again for every finding that needs free capacity.
cached_pod_requests = IdentityMemo(pod_requests)


def allocatable(node: dict) -> dict[str, float]:
    status = as_dict(node.get("status"))
    raw = as_dict(status.get("allocatable")) or as_dict(status.get("capacity"))
    out = {}
    for name, value in raw.items():
        number = parse_quantity(value)
        if number is not None:
            out[str(name)] = number
    return out


@dataclass(slots=True)
class NodeRoom:
    """One node's allocatable, and what the (non-terminated) pods on it request."""

    name: str
    allocatable: dict[str, float]
    requested: dict[str, float] = field(default_factory=dict)

    def free(self, resource: str) -> float:
        return self.allocatable.get(resource, 0.0) - self.requested.get(resource, 0.0)


@dataclass(frozen=True, slots=True)
class Capacity:
    """Every node's room, and whether the pods read cover the nodes (else usage is a lower bound)."""

    rooms: dict[str, NodeRoom]
    pods_complete: bool


cached_allocatable = IdentityMemo(allocatable)


def _build_capacity(inventory: Inventory) -> Capacity:
    rooms = {}
    for node in inventory.all("Node"):
        name = as_str(dig(node, "metadata", "name"))
        if name:
            rooms[name] = NodeRoom(name, cached_allocatable(node))
    for pod in inventory.pods.values():  # the hot loop of a large cluster
        spec = pod.get("spec")
        if not isinstance(spec, dict):
            continue
        node_name = spec.get("nodeName")
        room = rooms.get(node_name) if isinstance(node_name, str) else None
        if room is None:
            continue
        status = pod.get("status")
        if isinstance(status, dict) and status.get("phase") in TERMINAL_PHASES:
            continue
        _add(room.requested, cached_pod_requests(spec))
    WORK["pods indexed"] += len(inventory.pods)
    cached_pod_requests.keep_only(p["spec"] for p in inventory.pods.values() if isinstance(p.get("spec"), dict))
    cached_allocatable.keep_only(n for n in inventory.all("Node") if isinstance(n, dict))
    return Capacity(rooms, _pods_cover_nodes(inventory))


def capacity(inventory: Inventory) -> Capacity:
    """Rooms of all nodes from one pass over the pods, shared by findings until the inventory changes.
    Read-only for callers."""
    return inventory.derived("analyzers.capacity", _build_capacity)


def _pods_cover_nodes(inventory: Inventory) -> bool:
    """Whether the inventory seems to hold every pod on the nodes: pods were readable, and they span
    several namespaces including kube-system (a namespace-scoped or single-pod read does not)."""
    if any(u.resource == "pods" for u in inventory.unreadable):
        return False
    if ("Pod", ALL_NAMESPACES) in inventory.listed_names:
        return True
    namespaces = {ns for ns, _name in inventory.pods}
    return "kube-system" in namespaces and len(namespaces) > 1
