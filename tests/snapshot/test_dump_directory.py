"""`kubectl cluster-info dump --output-directory DIR`: nodes.json, <ns>/<list>.json, <ns>/<pod>/logs.txt."""

from __future__ import annotations

import pytest

from k8sdoctor.cluster.snapshot import load_snapshot
from k8sdoctor.errors import SnapshotError

from . import cases
from .dump_fixture import LOOKALIKE_LOG_LINES, SEDNA_NS, SEDNA_POD, write_dump
from .kubectl_output import go_json, typed_list


def test_fixture_writes_the_files_kubectl_writes(tmp_path):
    stdout = write_dump(tmp_path)

    assert stdout == f"Cluster info dumped to {tmp_path}\n".encode()
    assert (tmp_path / "nodes.json").is_file()
    assert sorted(p.name for p in (tmp_path / cases.KAFDROP_NS).iterdir()) == [
        "daemonsets.json",
        "deployments.json",
        "events.json",
        cases.KAFDROP_POD,
        "pods.json",
        "replicasets.json",
        "replication-controllers.json",
        "services.json",
    ]
    assert (
        (tmp_path / cases.WEKAN_NS / cases.WEKAN_POD / "logs.txt")
        .read_bytes()
        .startswith(f"==== START logs for container wekan of pod {cases.WEKAN_NS}/{cases.WEKAN_POD} ====\n".encode())
    )


def test_dump_directory_loads_lists_and_logs(tmp_path):
    write_dump(tmp_path)

    inventory, info = load_snapshot(tmp_path)

    assert info.format == "dump-dir"
    assert info.counts == {"Node": 1, "Event": 6, "Service": 1, "Deployment": 1, "ReplicaSet": 1, "Pod": 4}
    assert info.logs == 5
    kafdrop = inventory.get("Pod", cases.KAFDROP_NS, cases.KAFDROP_POD)
    assert len(inventory.events_for_pod(kafdrop)) == len(cases.KAFDROP_EVENTS)
    assert inventory.logs_for(cases.WEKAN_NS, cases.WEKAN_POD, "wekan") == (cases.WEKAN_LOG_LINES, False)
    assert inventory.logs_for(cases.WEKAN_NS, cases.WEKAN_POD, "printer") == (LOOKALIKE_LOG_LINES, False)
    assert inventory.logs_for(SEDNA_NS, SEDNA_POD, "init-db") == (cases.SEDNA_LOG_LINES, False)
    assert inventory.logs_for(cases.TRACEE_NS, cases.TRACEE_POD, "tracee") == ([cases.TRACEE_LOG_LINE], False)
    assert inventory.unreadable == []  # kafdrop never ran: kubectl could not get a log that does not exist


def test_yaml_output_directory(tmp_path):
    write_dump(tmp_path, output="yaml")
    assert (tmp_path / cases.KAFDROP_NS / "pods.yaml").read_bytes().startswith(b"---\n")

    inventory, info = load_snapshot(tmp_path)

    assert info.counts == {"Node": 1, "Event": 6, "Service": 1, "Deployment": 1, "ReplicaSet": 1, "Pod": 4}
    assert inventory.logs_for(cases.WEKAN_NS, cases.WEKAN_POD, "wekan") == (cases.WEKAN_LOG_LINES, False)


def test_missing_optional_files_are_fine(tmp_path):
    write_dump(tmp_path)
    (tmp_path / "nodes.json").unlink()
    for name in ("events", "services", "deployments", "replicasets", "daemonsets", "replication-controllers"):
        (tmp_path / cases.KAFDROP_NS / f"{name}.json").unlink()
    (tmp_path / cases.WEKAN_NS / cases.WEKAN_POD / "logs.txt").unlink()

    inventory, info = load_snapshot(tmp_path)

    assert info.counts == {"Pod": 4}
    assert inventory.logs_for(cases.WEKAN_NS, cases.WEKAN_POD, "wekan") is None
    assert inventory.logs_for(SEDNA_NS, SEDNA_POD, "init-db") == (cases.SEDNA_LOG_LINES, False)


def test_a_lone_pods_file_is_enough(tmp_path):
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "pods.json").write_bytes(go_json(typed_list("PodList", [cases.es_pod()])))
    (tmp_path / "notes.md").write_text("not a dump file")

    inventory, info = load_snapshot(tmp_path)

    assert list(inventory.pods) == [(cases.ES_NS, cases.ES_POD)]
    assert info.format == "dump-dir"


def test_directory_without_dump_files_is_an_error(tmp_path):
    (tmp_path / "shop").mkdir()
    (tmp_path / "readme.txt").write_text("hello")

    with pytest.raises(SnapshotError) as err:
        load_snapshot(tmp_path)

    assert str(err.value) == f"snapshot {tmp_path}: no nodes.json, */pods.json or other cluster-info dump files found"


def test_error_names_the_file_inside_the_directory(tmp_path):
    write_dump(tmp_path)
    pods = tmp_path / cases.WEKAN_NS / "pods.json"
    pods.write_bytes(pods.read_bytes()[:-30])

    with pytest.raises(SnapshotError) as err:
        load_snapshot(tmp_path)

    assert str(err.value).startswith(f"snapshot {tmp_path}: {cases.WEKAN_NS}/pods.json: line ")
    assert str(err.value).endswith(": unexpected end of JSON (truncated file?)")


def test_skipped_objects_name_the_file(tmp_path):
    nameless = cases.es_pod()
    del nameless["metadata"]["name"]
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "pods.json").write_bytes(go_json(typed_list("PodList", [cases.kafdrop_pod(), nameless])))

    inventory, info = load_snapshot(tmp_path)

    assert info.skipped == 1
    assert inventory.unreadable[0].reason == ("1 object(s) left out, first shop/pods.json: items[1] (Pod): no metadata.name")
