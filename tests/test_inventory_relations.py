"""The inventory's relation indexes (owners, labels, nodes, claims, namespaces, EndpointSlices by Service)
stay equal to a scan of what it holds, whatever order of puts, changes and deletes reached it, and
whether they were built before the changes or after (they are built on first use)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from k8sdoctor.core.inventory import Inventory

NAMESPACES = ("shop", "web")
NAMES = ("a", "b", "c", "d")
LABELS = st.dictionaries(st.sampled_from(("app", "tier")), st.sampled_from(("x", "y")), max_size=2)


@st.composite
def pods(draw) -> dict:
    spec: dict = {}
    node = draw(st.sampled_from(("", "worker-1", "worker-2")))
    if node:
        spec["nodeName"] = node
    claim = draw(st.sampled_from(("", "data", "logs")))
    if claim:
        spec["volumes"] = [{"name": "v", "persistentVolumeClaim": {"claimName": claim}}]
    meta: dict = {"namespace": draw(st.sampled_from(NAMESPACES)), "name": draw(st.sampled_from(NAMES)), "labels": draw(LABELS)}
    owner = draw(st.sampled_from(("", "rs-1", "rs-2")))
    if owner:
        meta["ownerReferences"] = [{"kind": "ReplicaSet", "name": owner, "controller": True}]
    return {"kind": "Pod", "metadata": meta, "spec": spec}


@st.composite
def slices(draw) -> dict:
    labels = {"kubernetes.io/service-name": draw(st.sampled_from(("api", "db")))}
    meta = {"namespace": draw(st.sampled_from(NAMESPACES)), "name": draw(st.sampled_from(NAMES)), "labels": labels}
    return {"kind": "EndpointSlice", "metadata": meta, "endpoints": []}


OPS = st.lists(st.tuples(st.sampled_from(("put", "delete")), st.one_of(pods(), slices())), max_size=30)


def apply(inventory: Inventory, op: str, obj: dict) -> None:
    if obj["kind"] == "Pod":
        (inventory.put_pod if op == "put" else inventory.delete_pod)(obj)
    else:
        (inventory.put if op == "put" else inventory.delete)(obj["kind"], obj)


def names(objs) -> list[tuple[str, str]]:
    return sorted((o["metadata"]["namespace"], o["metadata"]["name"]) for o in objs)


def check(inventory: Inventory) -> None:
    pods_held = list(inventory.pods.values())
    for ns in NAMESPACES:
        assert names(inventory.pods_in(ns)) == names(p for p in pods_held if p["metadata"]["namespace"] == ns)
        for labels in ({"app": "x"}, {"app": "y", "tier": "x"}, {"tier": "y"}):
            expected = [
                p
                for p in pods_held
                if p["metadata"]["namespace"] == ns and all(p["metadata"]["labels"].get(k) == v for k, v in labels.items())
            ]
            assert names(inventory.pods_matching(ns, labels)) == names(expected)
        for claim in ("data", "logs"):
            expected = [
                p
                for p in pods_held
                if p["metadata"]["namespace"] == ns
                and any(v["persistentVolumeClaim"]["claimName"] == claim for v in p["spec"].get("volumes", ()))
            ]
            assert names(inventory.pods_using_claim(ns, claim)) == names(expected)
        for rs in ("rs-1", "rs-2"):
            expected = [
                p
                for p in pods_held
                if p["metadata"]["namespace"] == ns and [r["name"] for r in p["metadata"].get("ownerReferences", ())] == [rs]
            ]
            assert names(o for _kind, o in inventory.children("ReplicaSet", ns, rs)) == names(expected)
        held = list(inventory.all("EndpointSlice"))
        for service in ("api", "db"):
            expected = [
                s for s in held if s["metadata"]["namespace"] == ns and s["metadata"]["labels"]["kubernetes.io/service-name"] == service
            ]
            assert names(inventory.endpoint_slices(ns, service)) == names(expected)
        assert names(inventory.in_namespace("EndpointSlice", ns)) == names(s for s in held if s["metadata"]["namespace"] == ns)
    for node in ("worker-1", "worker-2"):
        assert names(inventory.pods_on_node(node)) == names(p for p in pods_held if p["spec"].get("nodeName") == node)


@settings(max_examples=150, deadline=None)
@given(before=OPS, after=OPS)
def test_the_indexes_equal_a_scan_after_any_changes(before, after):
    inventory = Inventory()
    for op, obj in before:
        apply(inventory, op, obj)
    check(inventory)  # built now, from what is held
    for op, obj in after:
        apply(inventory, op, obj)
    check(inventory)  # kept by every put and delete since
