"""`kubectl cluster-info dump` stdout: JSON lists back to back, with container log blocks between them."""

from __future__ import annotations

import pytest

from k8sdoctor.cluster.snapshot import load_snapshot
from k8sdoctor.errors import SnapshotError

from . import cases
from .dump_fixture import LOOKALIKE_LOG_LINES, SEDNA_NS, SEDNA_POD, write_dump
from .kubectl_output import NamespaceDump, cluster_info_dump


def test_fixture_writes_kubectl_format_byte_for_byte():
    """Pins the helper to what clusterinfo_dump.go and printers/json.go write (see kubectl_output.py)."""
    pod = {"metadata": {"name": "p", "namespace": "ns"}, "spec": {"containers": [{"name": "c"}]}}
    out = cluster_info_dump([], {"ns": NamespaceDump(pods=[pod])}, {("ns", "p", "c"): b"one\ntwo"})

    assert out.startswith(
        b'{\n    "kind": "NodeList",\n    "apiVersion": "v1",\n    "metadata": {\n        "resourceVersion": "770"\n'
        b'    },\n    "items": []\n}\n{\n    "kind": "EventList",\n'
    )
    assert out.endswith(
        b'    "items": [\n        {\n            "metadata": {\n                "name": "p",\n'
        b'                "namespace": "ns"\n            },\n            "spec": {\n                "containers": [\n'
        b'                    {\n                        "name": "c"\n                    }\n                ]\n'
        b"            }\n        }\n    ]\n}\n"
        b"==== START logs for container c of pod ns/p ====\n"
        b"one\ntwo==== END logs for container c of pod ns/p ====\n"
    )


def test_dump_stdout_loads_every_list(write):
    inventory, info = load_snapshot(write("dump.txt", write_dump()))

    assert info.format == "dump"
    assert info.counts == {"Node": 1, "Event": 6, "Service": 1, "Deployment": 1, "ReplicaSet": 1, "Pod": 4}
    assert set(inventory.pods) == {
        (cases.KAFDROP_NS, cases.KAFDROP_POD),
        (SEDNA_NS, SEDNA_POD),
        (cases.TRACEE_NS, cases.TRACEE_POD),
        (cases.WEKAN_NS, cases.WEKAN_POD),
    }
    assert inventory.get("Deployment", cases.KAFDROP_NS, "kafdrop") is not None
    assert inventory.get("ReplicaSet", cases.KAFDROP_NS, "kafdrop-1") is not None
    kafdrop = inventory.get("Pod", cases.KAFDROP_NS, cases.KAFDROP_POD)
    assert kafdrop["status"]["containerStatuses"][0]["state"]["waiting"]["message"] == cases.KAFDROP_WAITING_MESSAGE
    assert len(inventory.events_for_pod(kafdrop)) == len(cases.KAFDROP_EVENTS)


def test_logs_are_current_logs_of_each_container(write):
    inventory, info = load_snapshot(write("dump.txt", write_dump()))

    assert inventory.logs_for(cases.WEKAN_NS, cases.WEKAN_POD, "wekan") == (cases.WEKAN_LOG_LINES, False)
    assert inventory.logs_for(SEDNA_NS, SEDNA_POD, "init-db") == (cases.SEDNA_LOG_LINES, False)
    assert inventory.logs_for(SEDNA_NS, SEDNA_POD, "kb") == ([], False)
    assert all(not key.previous for key in inventory.logs)
    assert info.logs == 5


def test_log_lines_that_look_like_json_or_markers_stay_log_lines(write):
    inventory, info = load_snapshot(write("dump.txt", write_dump()))

    assert inventory.logs_for(cases.WEKAN_NS, cases.WEKAN_POD, "printer") == (LOOKALIKE_LOG_LINES, False)
    assert (cases.WEKAN_NS, "ghost") not in inventory.pods
    assert info.counts["Pod"] == 4


def test_log_without_final_newline_ends_at_the_end_marker(write):
    inventory, _ = load_snapshot(write("dump.txt", write_dump()))

    assert inventory.logs_for(cases.TRACEE_NS, cases.TRACEE_POD, "tracee") == ([cases.TRACEE_LOG_LINE], False)


def test_a_container_that_never_ran_has_no_log_to_miss(write):
    """kafdrop waits in ImagePullBackOff: kubectl's dump holds an error instead of its log, but no log
    exists to read, so nothing is noted as unreadable (no "rejected our request" on its pod)."""
    inventory, _ = load_snapshot(write("dump.txt", write_dump()))

    assert inventory.logs_for(cases.KAFDROP_NS, cases.KAFDROP_POD, "kafdrop") is None
    assert inventory.unreadable_for(cases.KAFDROP_NS) == []


def test_create_log_request_error_is_noted_too(write):
    dump = (
        b'{"kind": "PodList", "apiVersion": "v1", "metadata": {}, "items": []}\n'
        b"==== START logs for container c of pod ns/p ====\n"
        b"Create log request error: " + cases.LOG_REQUEST_ERROR.encode() + b"\n"
        b"==== END logs for container c of pod ns/p ====\n"
    )
    inventory, _ = load_snapshot(write("dump.txt", dump))

    assert inventory.logs == {}
    assert [u.reason for u in inventory.unreadable] == [f"logs of container c of pod ns/p: {cases.LOG_REQUEST_ERROR}"]


def test_yaml_dump_stdout(write):
    inventory, info = load_snapshot(write("dump.txt", write_dump(output="yaml")))

    assert info.format == "dump"
    assert info.counts == {"Node": 1, "Event": 6, "Service": 1, "Deployment": 1, "ReplicaSet": 1, "Pod": 4}
    assert inventory.logs_for(cases.WEKAN_NS, cases.WEKAN_POD, "printer") == (LOOKALIKE_LOG_LINES, False)
    assert inventory.logs_for(cases.TRACEE_NS, cases.TRACEE_POD, "tracee") == ([cases.TRACEE_LOG_LINE], False)


def test_log_block_cut_short_keeps_its_lines_and_is_noted(write):
    dump = write_dump()
    cut = dump.index(b"  throw err;") + len(b"  throw err;\n")

    inventory, _ = load_snapshot(write("dump.txt", dump[:cut]))

    assert inventory.logs_for(cases.WEKAN_NS, cases.WEKAN_POD, "wekan") == (cases.WEKAN_LOG_LINES[:2], False)
    assert [u.reason for u in inventory.unreadable_for(cases.WEKAN_NS) if u.namespace] == [
        f"logs of container wekan of pod {cases.WEKAN_NS}/{cases.WEKAN_POD} end early (truncated snapshot?)"
    ]


def test_dump_cut_inside_a_list_names_the_document_and_place(write):
    dump = write_dump()
    cut = dump.index(f'"name": "{cases.WEKAN_POD}"'.encode()) + 5
    truncated = dump[:cut]
    last_line = truncated.rsplit(b"\n", 1)[1]
    expected_line, expected_col = truncated.count(b"\n") + 1, len(last_line) + 1
    # NodeList, then 7 lists per namespace: wekan's PodList is the 4th namespace's 7th.
    path = write("dump.txt", truncated)

    with pytest.raises(SnapshotError) as err:
        load_snapshot(path)

    assert str(err.value) == (
        f"snapshot {path}: document 29 (line {expected_line}, col {expected_col}): unexpected end of JSON (truncated file?)"
    )


def test_malformed_start_line_is_an_error(write):
    dump = b'{"kind": "NodeList", "apiVersion": "v1", "items": []}\n==== START logs for container broken\n'
    path = write("dump.txt", dump)

    with pytest.raises(SnapshotError) as err:
        load_snapshot(path)

    assert str(err.value) == f"snapshot {path}: line 2, col 1: malformed '==== START logs for container' line"


def test_dump_of_namespaces_without_pods(write):
    _, info = load_snapshot(write("dump.txt", cluster_info_dump([cases.node("n1")], {"empty": NamespaceDump()}, {})))

    assert (info.format, info.counts) == ("dump", {"Node": 1})


def test_log_bytes_that_are_not_utf8_are_replaced(write):
    # Not a failure message: the bytes of a Latin-1 "é" and of binary output, which logs may hold.
    noise = b"caf\xe9 \xff\xfe"
    pod = cases.pod(cases.TRACEE_NS, cases.TRACEE_POD, cases.TRACEE_UID, containers=["tracee"])
    logs = {(cases.TRACEE_NS, cases.TRACEE_POD, "tracee"): noise + b"\n" + cases.TRACEE_LOG_LINE.encode() + b"\n"}
    dump = cluster_info_dump([], {cases.TRACEE_NS: NamespaceDump(pods=[pod]), "later": NamespaceDump()}, logs)

    inventory, info = load_snapshot(write("dump.txt", dump))

    assert inventory.logs_for(cases.TRACEE_NS, cases.TRACEE_POD, "tracee") == (["caf\ufffd \ufffd\ufffd", cases.TRACEE_LOG_LINE], False)
    assert info.counts == {"Pod": 1}
