"""`kubectl get ... -o json|yaml` output: Lists, typed lists, single objects, YAML documents."""

from __future__ import annotations

import codecs

import orjson
import yaml

from k8sdoctor.cluster.snapshot import SnapshotInfo, load_snapshot

from . import cases
from .kubectl_output import go_json, kubectl_get_json, kubectl_get_yaml, typed_list


def _mixed_items() -> list[dict]:
    """What `kubectl get pods,events,nodes,pvc -A -o json` lists."""
    return [
        cases.kafdrop_pod(),
        cases.es_pod(),
        *cases.kafdrop_events(),
        *cases.es_events(),
        cases.node(cases.KAFDROP_NODE),
        cases.pvc(cases.KAFDROP_NS, "data-kafka-0"),
    ]


def test_json_list_of_mixed_kinds_fills_every_index(write):
    path = write("cluster.json", kubectl_get_json(*_mixed_items()))

    inventory, info = load_snapshot(path)

    assert set(inventory.pods) == {(cases.KAFDROP_NS, cases.KAFDROP_POD), (cases.ES_NS, cases.ES_POD)}
    assert len(inventory.events) == len(cases.KAFDROP_EVENTS) + len(cases.ES_EVENTS)
    assert inventory.get("Node", "", cases.KAFDROP_NODE)["metadata"]["uid"] == f"uid-{cases.KAFDROP_NODE}"
    assert inventory.get("PersistentVolumeClaim", cases.KAFDROP_NS, "data-kafka-0")["status"]["phase"] == "Pending"
    assert info == SnapshotInfo(
        path=str(path),
        format="list",
        counts={"Pod": 2, "Event": 7, "Node": 1, "PersistentVolumeClaim": 1},
        skipped=0,
        logs=0,
    )
    assert inventory.unreadable == []


def test_events_are_indexed_to_their_pod(write):
    inventory, _ = load_snapshot(write("cluster.json", kubectl_get_json(*_mixed_items())))

    kafdrop = inventory.get("Pod", cases.KAFDROP_NS, cases.KAFDROP_POD)
    es = inventory.get("Pod", cases.ES_NS, cases.ES_POD)
    messages = sorted(event["message"] for event in inventory.events_for_pod(kafdrop))
    assert messages == sorted(message for _, _, message in cases.KAFDROP_EVENTS)
    assert [e["reason"] for e in inventory.events_for_pod(es)] == ["FailedScheduling"]


def test_objects_are_stored_as_parsed(write):
    inventory, _ = load_snapshot(write("cluster.json", kubectl_get_json(*_mixed_items())))

    assert inventory.get("Pod", cases.KAFDROP_NS, cases.KAFDROP_POD) == cases.kafdrop_pod()


def test_typed_list_items_take_the_list_kind(write):
    pod_list = typed_list("PodList", [cases.kafdrop_pod(), cases.es_pod()])
    assert all("kind" not in item for item in pod_list["items"])

    inventory, info = load_snapshot(write("pods.json", go_json(pod_list)))

    assert set(inventory.pods) == {(cases.KAFDROP_NS, cases.KAFDROP_POD), (cases.ES_NS, cases.ES_POD)}
    assert info.counts == {"Pod": 2}


def test_typed_event_list_is_indexed_to_pods(write):
    pods = write("pods.json", go_json(typed_list("PodList", [cases.kafdrop_pod()])))
    events = write("events.json", go_json(typed_list("EventList", cases.kafdrop_events())))

    inventory, _ = load_snapshot(events)
    pod_inventory, _ = load_snapshot(pods)

    pod = pod_inventory.get("Pod", cases.KAFDROP_NS, cases.KAFDROP_POD)
    assert len(inventory.events_for_pod(pod)) == len(cases.KAFDROP_EVENTS)


def test_events_k8s_io_events_are_indexed_by_regarding(write):
    event = {
        "apiVersion": "events.k8s.io/v1",
        "kind": "Event",
        "metadata": {"name": "es.1", "namespace": cases.ES_NS, "uid": "ev-1"},
        "regarding": {"kind": "Pod", "namespace": cases.ES_NS, "name": cases.ES_POD, "uid": cases.ES_UID},
        "reason": "FailedScheduling",
        "note": cases.ES_EVENTS[0][2],  # source: https://github.com/pires/kubernetes-elasticsearch-cluster/issues/178
        "type": "Warning",
    }
    inventory, _ = load_snapshot(write("cluster.json", kubectl_get_json(cases.es_pod(), event)))

    assert inventory.events_for_pod(inventory.get("Pod", cases.ES_NS, cases.ES_POD)) == [event]


def test_yaml_list(write):
    inventory, info = load_snapshot(write("cluster.yaml", kubectl_get_yaml(*_mixed_items())))

    assert info.format == "list"
    assert info.counts == {"Pod": 2, "Event": 7, "Node": 1, "PersistentVolumeClaim": 1}
    kafdrop = inventory.get("Pod", cases.KAFDROP_NS, cases.KAFDROP_POD)
    assert kafdrop == cases.kafdrop_pod()
    assert len(inventory.events_for_pod(kafdrop)) == len(cases.KAFDROP_EVENTS)


def test_yaml_multi_document(write):
    documents = [cases.kafdrop_pod(), *cases.kafdrop_events(), cases.node(cases.KAFDROP_NODE)]
    text = "---\n" + "---\n".join(yaml.safe_dump(doc) for doc in documents) + "---\n"  # empty last document

    inventory, info = load_snapshot(write("cluster.yaml", text.encode()))

    assert info.counts == {"Pod": 1, "Event": 6, "Node": 1}
    assert len(inventory.events_for_pod(inventory.get("Pod", cases.KAFDROP_NS, cases.KAFDROP_POD))) == 6


def test_yaml_timestamps_stay_strings_as_in_json(write):
    text = b"kind: Pod\nmetadata:\n  name: p\n  namespace: n\n  creationTimestamp: 2024-05-01T10:00:00Z\n"

    inventory, _ = load_snapshot(write("pod.yaml", text))

    assert inventory.get("Pod", "n", "p")["metadata"]["creationTimestamp"] == "2024-05-01T10:00:00Z"


def test_single_object(write):
    inventory, info = load_snapshot(write("pod.json", go_json(cases.kafdrop_pod())))

    assert list(inventory.pods) == [(cases.KAFDROP_NS, cases.KAFDROP_POD)]
    assert info.counts == {"Pod": 1}


def test_list_with_zero_pods_is_valid(write):
    inventory, info = load_snapshot(write("empty-list.json", kubectl_get_json()))

    assert list(inventory.pods) == []
    assert info.counts == {}
    assert info.format == "list"


def test_typed_list_with_null_items_is_empty(write):
    _, info = load_snapshot(write("pods.json", b'{"kind": "PodList", "apiVersion": "v1", "items": null}'))

    assert info.counts == {}


def test_wrong_kinds_load_and_are_counted(write):
    inventory, _ = load_snapshot(write("deploy.json", go_json(cases.deployment("shop", "web"))))
    assert inventory.get("Deployment", "shop", "web") == cases.deployment("shop", "web")
    assert list(inventory.pods) == []

    _, info = load_snapshot(write("svc.json", kubectl_get_json(cases.service("shop", "web"))))
    assert info.counts == {"Service": 1}  # read, though the Inventory keeps no Services


def test_objects_without_a_name_are_skipped_and_noted(write):
    nameless = cases.es_pod()
    del nameless["metadata"]["name"]
    no_metadata = {"apiVersion": "v1", "kind": "Pod"}

    inventory, info = load_snapshot(write("cluster.json", kubectl_get_json(cases.kafdrop_pod(), nameless, no_metadata)))

    assert list(inventory.pods) == [(cases.KAFDROP_NS, cases.KAFDROP_POD)]
    assert info.skipped == 2
    assert info.counts == {"Pod": 1}
    [note] = inventory.unreadable
    assert (note.resource, note.namespace) == ("snapshot", None)
    assert note.reason == "2 object(s) left out, first items[1] (Pod): no metadata.name"


def test_fields_the_inventory_cannot_index_are_skipped(write):
    bad_uid = cases.es_pod()
    bad_uid["metadata"]["uid"] = ["not", "a", "string"]
    [bad_subject] = cases.es_events()
    bad_subject["involvedObject"] = "pod/es-client"
    bad_secret = {"kind": "Secret", "metadata": {"name": "s", "namespace": "n"}, "data": ["not-a-mapping"]}
    bad_namespace = cases.kafdrop_pod()
    bad_namespace["metadata"]["namespace"] = {"nested": True}

    data = kubectl_get_json(bad_uid, bad_subject, bad_secret, bad_namespace)
    inventory, info = load_snapshot(write("cluster.json", data))

    assert info.skipped == 4
    assert (list(inventory.pods), inventory.events, inventory.objects["Secret"]) == ([], {}, {})
    assert inventory.unreadable[0].reason == (
        "4 object(s) left out, first items[0] (Pod): metadata.namespace or metadata.uid is not a string"
    )


def test_format_is_told_by_content_not_by_extension(write):
    json_named_yaml = write("a.yaml", kubectl_get_json(cases.kafdrop_pod()))
    yaml_named_json = write("b.json", kubectl_get_yaml(cases.kafdrop_pod()))

    for path in (json_named_yaml, yaml_named_json):
        inventory, info = load_snapshot(path)
        assert (list(inventory.pods), info.format) == ([(cases.KAFDROP_NS, cases.KAFDROP_POD)], "list")


def test_byte_order_marks(write):
    """PowerShell 5's `>` saves kubectl's output as UTF-16 with a BOM; Notepad may add a UTF-8 BOM."""
    text = kubectl_get_json(cases.kafdrop_pod()).decode()
    utf16 = write("utf16.json", codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    utf8_bom = write("bom.json", codecs.BOM_UTF8 + text.encode())

    for path in (utf16, utf8_bom):
        inventory, _ = load_snapshot(path)
        assert list(inventory.pods) == [(cases.KAFDROP_NS, cases.KAFDROP_POD)]


def test_path_may_be_a_str(write):
    path = write("cluster.json", kubectl_get_json(cases.kafdrop_pod()))

    inventory, info = load_snapshot(str(path))

    assert info.path == str(path)
    assert len(inventory.pods) == 1


def test_objects_one_per_line(write):
    """`kubectl get pods,events -A -o json | jq -c '.items[]'`."""
    items = [cases.kafdrop_pod(), *cases.kafdrop_events()]
    inventory, info = load_snapshot(write("items.jsonl", b"".join(orjson.dumps(item) + b"\n" for item in items)))

    assert (info.format, info.counts) == ("list", {"Pod": 1, "Event": 6})
    assert len(inventory.events_for_pod(inventory.get("Pod", cases.KAFDROP_NS, cases.KAFDROP_POD))) == 6


def test_indented_documents_back_to_back(write):
    """`kubectl get pod X -o json; kubectl get events -o json` appended to one file."""
    data = go_json(cases.kafdrop_pod()) + kubectl_get_json(*cases.kafdrop_events()) + go_json(cases.es_pod())

    _inventory, info = load_snapshot(write("appended.json", data))

    assert (info.format, info.counts) == ("list", {"Pod": 2, "Event": 6})
