"""`diagnose` for any kind, as kubectl names them: KIND NAME, KIND/NAME, short names, a kind's every
object, and `all`; every JSON item carries `kind`; the same verdicts live and from a snapshot."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from tests.cli.conftest import CliResult


def verdicts(payload: dict) -> set[tuple]:
    items = payload["items"] if "items" in payload else [payload, *payload.get("pods", [])]
    return {(i["kind"], i["namespace"], i["name"], f["cause"]) for i in items for f in i["findings"]}


def kafdrop_pod(server) -> str:
    return next(p["metadata"]["name"] for p in server.list("Pod", "shop") if p["metadata"]["name"].startswith("kafdrop-"))


@pytest.mark.parametrize("form", ["pod {}", "po {}", "pod/{}", "pods/{}"])
def test_kubectl_forms_name_one_pod(run_cli, demo_server, demo_kubeconfig, form):
    name = kafdrop_pod(demo_server)
    result = run_cli("diagnose", *form.format(name).split(), "-o", "json", kubeconfig=demo_kubeconfig)
    assert result.code == 1, result.err
    out = result.json()
    assert (out["kind"], out["namespace"], out["name"]) == ("Pod", "shop", name)


@pytest.mark.parametrize("argv", [["deployment", "kafdrop"], ["deploy/kafdrop"], ["deployments.apps/kafdrop"]])
def test_a_workload_comes_with_its_pods_that_have_problems(run_cli, demo_kubeconfig, argv):
    result = run_cli("diagnose", *argv, "-o", "json", kubeconfig=demo_kubeconfig)
    out = result.json()
    assert (out["kind"], out["name"], out["status"]) == ("Deployment", "kafdrop", "0/1")
    assert [(p["kind"], p["owner"]) for p in out["pods"]] == [("Pod", {"kind": "Deployment", "name": "kafdrop"})]
    assert result.code == 1  # its pod has a problem


def test_a_cluster_scoped_object(run_cli, demo_kubeconfig):
    result = run_cli("diagnose", "no", "worker-1", "-o", "json", kubeconfig=demo_kubeconfig)
    assert result.code == 0, result.err
    assert (result.json()["kind"], result.json()["namespace"], result.json()["status"]) == ("Node", "", "Ready")
    assert run_cli("diagnose", "node/worker-1", kubeconfig=demo_kubeconfig).out.startswith("node/worker-1  Ready")


def test_an_unknown_object_gets_the_names_that_exist(run_cli, demo_kubeconfig):
    result = run_cli("diagnose", "deploy/kafdrp", kubeconfig=demo_kubeconfig)
    assert result.code == 2
    assert result.err_lines == ['k8sdoctor: error: deployment "kafdrp" not found in namespace "shop"', "did you mean: kafdrop?"]


def test_all_diagnoses_every_kind_and_every_item_carries_its_kind(run_cli, demo_kubeconfig):
    result = run_cli("diagnose", "all", "-A", "-o", "json", kubeconfig=demo_kubeconfig)
    assert result.code == 1, result.err
    payload = result.json()
    kinds = {i["kind"] for i in payload["items"]}
    assert {"Pod", "Deployment", "ReplicaSet", "Node"} <= kinds
    assert payload["summary"]["objects"] == len(payload["items"]) and payload["summary"]["pods"] == sum(
        i["kind"] == "Pod" for i in payload["items"]
    )
    pods_only = run_cli("diagnose", "pods", "-A", "-o", "json", kubeconfig=demo_kubeconfig).json()
    assert {v for v in verdicts(payload) if v[0] == "Pod"} == verdicts(pods_only)


def test_the_same_verdicts_from_a_cluster_info_dump(run_cli, demo_kubeconfig, tmp_path):
    env_kube = {**os.environ, "KUBECONFIG": str(demo_kubeconfig), "HOME": str(tmp_path)}  # kubectl caches discovery under HOME
    snapshot = tmp_path / "dump"
    cmd = ["kubectl", "cluster-info", "dump", "--all-namespaces", "--output-directory", str(snapshot)]
    dump = subprocess.run(cmd, capture_output=True, text=True, env=env_kube, timeout=120)
    assert dump.returncode == 0, dump.stderr
    live = run_cli("diagnose", "all", "-A", "-o", "json", kubeconfig=demo_kubeconfig)
    offline = run_cli("diagnose", "all", "-A", "-o", "json", "--snapshot", str(snapshot))
    assert offline.code == live.code == 1, offline.err
    dumped = {"Pod", "Deployment", "ReplicaSet", "Node"}  # the kinds cluster-info dump writes that k8sdoctor diagnoses

    def kept(payload: dict) -> dict:
        return {"items": [i for i in payload["items"] if i["kind"] in dumped]}

    assert verdicts(kept(offline.json())) == verdicts(kept(live.json()))
    assert {(i["kind"], i["name"]) for i in kept(offline.json())["items"]} == {(i["kind"], i["name"]) for i in kept(live.json())["items"]}
    one = run_cli("diagnose", "deploy/kafdrop", "-n", "shop", "-o", "json", "--snapshot", str(snapshot))
    assert one.code == 1, one.err
    same = run_cli("diagnose", "deploy/kafdrop", "-o", "json", kubeconfig=demo_kubeconfig).json()

    def quoted(payload: dict) -> list:  # what was found and quoted; ages in the sources move with the clock
        return [(f["cause"], [e["text"] for e in f["evidence"]]) for p in payload["pods"] for f in p["findings"]]

    assert quoted(json.loads(one.out)) == quoted(same) != []


def test_text_names_objects_as_kubectl_does(run_cli, demo_kubeconfig):
    result: CliResult = run_cli("diagnose", "deploy", "-n", "shop", "--show-healthy", kubeconfig=demo_kubeconfig)
    assert "✔ shop/deployment/frontend  3/3" in result.out
    assert result.out.rstrip().splitlines()[-1].startswith("5 deployments: ")


@pytest.mark.parametrize(("argv", "line"), [(["sts"], "0 statefulsets: 0 healthy"), (["cj", "-o", "markdown"], "0 cronjobs: 0 healthy")])
def test_a_kind_with_no_object_in_scope_is_counted_as_that_kind(run_cli, demo_kubeconfig, argv, line):
    result = run_cli("diagnose", *argv, "-n", "shop", kubeconfig=demo_kubeconfig)
    assert result.code == 0, result.err
    assert line in result.out  # not "0 pods"
