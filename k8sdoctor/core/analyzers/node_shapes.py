"""Nodes grouped by shape, so a Pending pod is checked against a few shapes instead of every node.

A shape is what the scheduler's load-independent filters and the capacity analyzers read from a node:
its cordon, its taints, its allocatable, and the values of the labels one pod's selector asks about
(`groups(keys)`: most pods ask about none, so a cluster of 2,000 nodes in three instance types has a
handful of shapes). Every member of a group answers those questions as its first member does, so
`admits`, `blocking_taints` and `selector_holds` run once per group.

Free capacity differs per node, so within a group only the nodes that an earlier member does not
dominate are kept for fit questions (`frontier`): a node with at least as much free of every resource,
earlier in the inventory's order, wins every "most free" and "closest fit" comparison the analyzers make,
ties included, so the answers are the ones a scan of every node gives.

Built once per inventory state (`Inventory.derived`); groups and frontiers are filled on first use.
"""

from __future__ import annotations

import heapq
import itertools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from k8sdoctor.core.analyzers.capacity import Capacity, NodeRoom, cached_allocatable
from k8sdoctor.core.analyzers.node_filters import required_terms
from k8sdoctor.core.analyzers.work import WORK
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.core.kube.raw import as_dict, as_str, dicts, dig, name_of

#: A pseudo label key: group by node name (for pods whose affinity has matchFields on metadata.name).
BY_NAME = "metadata.name"


@dataclass(slots=True)
class NodeGroup:
    """Nodes of one shape: `node` (the first member) stands for all of them."""

    node: dict
    members: list[int]  # positions in NodeShapes.nodes, ascending
    allocatable: dict[str, float]
    frontier: list[tuple[int, NodeRoom]] = field(default_factory=list)
    frontier_of: object = None  # the Capacity the frontier was computed from


def selector_keys(spec: dict) -> frozenset[str]:
    """The node label keys a pod's nodeSelector and required node affinity read (BY_NAME for matchFields)."""
    keys = {str(k) for k in as_dict(spec.get("nodeSelector"))}
    for term in required_terms(spec) or ():
        keys.update(as_str(e.get("key")) for e in dicts(term.get("matchExpressions")))
        if dicts(term.get("matchFields")):
            keys.add(BY_NAME)
    return frozenset(keys)


class NodeShapes:
    def __init__(self, inventory: Inventory) -> None:
        self.nodes = [n for n in inventory.all("Node") if isinstance(n, dict)]
        self.names = [name_of(n) for n in self.nodes]
        self._groups: dict[frozenset[str], list[NodeGroup]] = {}
        self._labels: dict[str, Counter[str]] | None = None
        self._platforms: Counter[str] | None = None
        WORK["nodes indexed"] += len(self.nodes)

    def groups(self, keys: frozenset[str] = frozenset()) -> list[NodeGroup]:
        """The nodes grouped by cordon, taints, allocatable and the values of the label `keys`."""
        found = self._groups.get(keys)
        if found is None:
            by_shape: dict[tuple, NodeGroup] = {}
            wanted = sorted(k for k in keys if k != BY_NAME)
            for i, node in enumerate(self.nodes):
                labels = as_dict(dig(node, "metadata", "labels"))
                taints = tuple(
                    (as_str(t.get("key")), as_str(t.get("value")), as_str(t.get("effect"))) for t in dicts(dig(node, "spec", "taints"))
                )
                allocatable = cached_allocatable(node)
                shape = (
                    dig(node, "spec", "unschedulable") is True,
                    taints,
                    tuple(sorted(allocatable.items())),
                    tuple((k, k in labels, as_str(labels.get(k))) for k in wanted),
                    self.names[i] if BY_NAME in keys else "",
                )
                group = by_shape.get(shape)
                if group is None:
                    by_shape[shape] = NodeGroup(node, [i], allocatable)
                else:
                    group.members.append(i)
            found = self._groups[keys] = list(by_shape.values())
            WORK["nodes indexed"] += len(self.nodes)
        return found

    def first_names(self, groups: Iterable[NodeGroup], limit: int) -> list[str]:
        """The first `limit` names of the groups' members, in the inventory's order."""
        positions = heapq.merge(*(g.members for g in groups))
        return [self.names[i] for i in itertools.islice(positions, limit)]

    def frontier(self, group: NodeGroup, cluster: Capacity) -> list[tuple[int, NodeRoom]]:
        """The group's (position, room) for named nodes that no earlier member dominates in free capacity."""
        if group.frontier_of is not cluster:
            rooms = [(i, cluster.rooms[self.names[i]]) for i in group.members if self.names[i] in cluster.rooms]
            resources = sorted({r for _i, room in rooms for r in (*room.allocatable, *room.requested)})
            kept: list[tuple[int, NodeRoom, tuple[float, ...]]] = []
            for i, room in rooms:
                free = tuple(room.free(r) for r in resources)
                if not any(all(a >= b for a, b in zip(other, free, strict=True)) for _j, _r, other in kept):
                    kept.append((i, room, free))
            group.frontier = [(i, room) for i, room, _free in kept]
            group.frontier_of = cluster
            WORK["nodes indexed"] += len(rooms)
        return group.frontier

    def label_index(self) -> dict[str, Counter[str]]:
        """label key → how many nodes carry each value."""
        if self._labels is None:
            index: dict[str, Counter[str]] = {}
            for node in self.nodes:
                for key, value in as_dict(dig(node, "metadata", "labels")).items():
                    index.setdefault(str(key), Counter())[as_str(value)] += 1
            self._labels = index
            WORK["nodes indexed"] += len(self.nodes)
        return self._labels

    def platforms(self) -> Counter[str]:
        """ "linux/amd64" → how many nodes report it (status.nodeInfo)."""
        if self._platforms is None:
            counts: Counter[str] = Counter()
            for node in self.nodes:
                info = as_dict(dig(node, "status", "nodeInfo"))
                os_name, arch = as_str(info.get("operatingSystem")), as_str(info.get("architecture"))
                if os_name and arch:
                    counts[f"{os_name}/{arch}"] += 1
            self._platforms = counts
            WORK["nodes indexed"] += len(self.nodes)
        return self._platforms


def node_shapes(inventory: Inventory) -> NodeShapes:
    """The inventory's nodes by shape, shared by every finding until the inventory changes."""
    return inventory.derived("analyzers.node_shapes", NodeShapes)
