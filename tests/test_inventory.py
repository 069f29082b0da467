"""Inventory: what it keeps, merges and indexes."""

from __future__ import annotations

from k8sdoctor.core.inventory import MIRROR_ANNOTATION, Inventory, mirror_uid


def pod(name: str, uid: str) -> dict:
    return {
        "metadata": {"name": name, "namespace": "shop", "uid": uid, "managedFields": [{"manager": "kubectl", "fieldsV1": {"f:spec": {}}}]},
        "spec": {},
        "status": {},
    }


def test_managed_fields_are_dropped_on_the_way_in():
    inv = Inventory()
    inv.put_pod(pod("a", "u1"))
    inv.put("Node", {"metadata": {"name": "n", "managedFields": [{}]}})
    assert "managedFields" not in inv.pods[("shop", "a")]["metadata"]
    assert "managedFields" not in inv.get("Node", "", "n")["metadata"]


def test_events_of_an_earlier_pod_with_the_same_name_are_not_joined():
    inv = Inventory()
    current = pod("db-0", "new-uid")
    inv.put_pod(current)
    for uid, name in (("old-uid", "e1"), ("new-uid", "e2"), (None, "e3")):
        subject = {"kind": "Pod", "namespace": "shop", "name": "db-0", **({"uid": uid} if uid else {})}
        inv.put_event({"metadata": {"name": name, "namespace": "shop", "uid": name}, "involvedObject": subject})
    assert sorted(e["metadata"]["name"] for e in inv.events_for_pod(current)) == ["e2", "e3"]


def test_a_static_pods_events_are_joined_by_its_mirror_hash_too():
    """The kubelet records a static pod's events under its config hash (kubernetes.io/config.mirror);
    controllers record under the mirror's own uid. Both are the pod's; another uid is not."""
    inv = Inventory()
    mirror = {
        "metadata": {"name": "etcd-cp-0", "namespace": "kube-system", "uid": "mirror-uid", "annotations": {MIRROR_ANNOTATION: "hash-1"}}
    }
    inv.put_pod(mirror)
    for uid, name in (("hash-1", "kubelet"), ("mirror-uid", "controller"), ("hash-0", "earlier")):
        subject = {"kind": "Pod", "namespace": "kube-system", "name": "etcd-cp-0", "uid": uid}
        inv.put_event({"metadata": {"name": name, "namespace": "kube-system", "uid": name}, "involvedObject": subject})
    assert sorted(e["metadata"]["name"] for e in inv.events_for_pod(mirror)) == ["controller", "kubelet"]
    assert mirror_uid(mirror) == "hash-1" and mirror_uid({"metadata": {"uid": "u"}}) == ""


def test_merge_never_replaces_read_keys_with_a_name_only_listing():
    live, fetched = Inventory(), Inventory()
    live.put_secret({"metadata": {"name": "db", "namespace": "shop"}, "type": "Opaque", "data": {"password": "c2VjcmV0"}})
    fetched.put("Secret", {"kind": "Secret", "metadata": {"name": "db", "namespace": "shop"}})
    fetched.put("ConfigMap", {"kind": "ConfigMap", "metadata": {"name": "app", "namespace": "shop"}})
    before = live.version
    live.merge(fetched)
    assert live.get("Secret", "shop", "db")["keyNames"] == ["password"]
    assert "c2VjcmV0" not in repr(live.get("Secret", "shop", "db"))
    assert live.get("ConfigMap", "shop", "app") is not None and live.version > before


def test_derived_indexes_are_rebuilt_only_after_a_change():
    inv = Inventory()
    builds = []
    index = lambda i: builds.append(1) or len(i.pods)  # noqa: E731
    assert inv.derived("n", index) == 0 and inv.derived("n", index) == 0 and len(builds) == 1
    inv.put_pod(pod("a", "u1"))
    assert inv.derived("n", index) == 1 and len(builds) == 2
