"""`diagnose all --context a,b` and `--all-contexts`: several clusters (local API servers) at once."""

from __future__ import annotations

import os

import pytest

from k8sdoctor.demo.cluster import scenario
from k8sdoctor.fakeapi import FakeApiServer
from tests.integrations.conftest import verdicts


@pytest.fixture
def two_clusters(tmp_path):
    """Context `east`: the demo cluster; `west`: the demo's shop namespace alone; `gone`: a server that stopped."""
    with FakeApiServer() as east, FakeApiServer() as west:
        demo = scenario()
        east.load_scenario(demo)
        west.load_scenario(
            {"objects": [o for o in demo["objects"] if o["metadata"].get("namespace") in ("shop", None)], "logs": demo["logs"]}
        )
        gone = FakeApiServer()
        gone.start()
        paths = [
            east.write_kubeconfig(tmp_path / "east", namespace="shop", context="east"),
            west.write_kubeconfig(tmp_path / "west", namespace="shop", context="west"),
            gone.write_kubeconfig(tmp_path / "gone", namespace="shop", context="gone"),
        ]
        gone.stop()
        yield os.pathsep.join(str(p) for p in paths)


def test_several_contexts_are_diagnosed_with_a_context_field(run_cli, two_clusters):
    both = run_cli("diagnose", "all", "-A", "--context", "east,west", "-o", "json", env={"KUBECONFIG": two_clusters})
    assert both.code == 1, both.err
    doc = both.json()
    assert {i["context"] for i in doc["items"]} == {"east", "west"}
    assert doc["contexts"] == [{"name": "east", "error": None}, {"name": "west", "error": None}]
    east = run_cli("diagnose", "all", "-A", "--context", "east", "-o", "json", env={"KUBECONFIG": two_clusters})
    assert verdicts({"items": [i for i in doc["items"] if i["context"] == "east"]}) == verdicts(east.json())
    west_only = {i["name"] for i in doc["items"] if i["context"] == "west"}
    assert "memory-demo-2" not in west_only and "kestra" in {
        i["owner"]["name"] for i in doc["items"] if i["context"] == "west" and i.get("owner")
    }


def test_all_contexts_in_text_with_a_context_column_and_a_cluster_that_is_down(run_cli, two_clusters):
    r = run_cli("diagnose", "pods", "-A", "--all-contexts", env={"KUBECONFIG": two_clusters, "COLUMNS": "200"})
    assert r.code == 2  # one context could not be read: its error is reported, the others still are
    lines = r.out.splitlines()
    assert lines[0].split()[:4] == ["CONTEXT", "OBJECT", "STATUS", "FINDINGS"]
    assert any(line.startswith("east ") and "CrashLoopBackOff › dependency-unreachable" in line for line in lines)
    assert any(line.startswith("west ") and "shop/cloudnative-pg-" in line for line in lines)
    assert any(line.startswith("gone: error: cannot reach the API server") for line in lines)
