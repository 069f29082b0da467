"""Pending without any scheduler verdict, live: the pod names a scheduler that never answers, or waits
behind scheduling gates."""

from __future__ import annotations

import pytest

from tests.analyzers_live.objects import container, corpus_message, evidence, finding, node, pending, pod


@pytest.fixture(scope="module", autouse=True)
def cluster(server):
    etl = pending(
        "etl-28374650-abcde",
        "batch",
        owner=("Job", "etl-28374650"),
        containers=[container("etl", "registry.example/etl:4")],
        spec={"schedulerName": "volcano"},
    )
    volcano = pod(
        "volcano-scheduler-6f7d8c9b5-2xq9z",
        "volcano-system",
        phase="Pending",
        owner=("ReplicaSet", "volcano-scheduler-6f7d8c9b5"),
        statuses=[],
        containers=[container("volcano-scheduler", "docker.io/volcanosh/vc-scheduler:v1.9.0")],
    )
    gates = [{"name": "kueue.x-k8s.io/admission"}, {"name": "example.com/quota-check"}]
    [train] = pending(
        "train-28374650-zx9cv",
        "batch",
        owner=("Job", "train-28374650"),
        containers=[container("train", "registry.example/train:2")],
        spec={"schedulingGates": gates},
    )
    # https://github.com/kubernetes/kubernetes/blob/master/pkg/registry/core/pod/strategy.go
    gated = corpus_message(
        "k8s-source-scheduling-gated-condition", "https://github.com/kubernetes/kubernetes/blob/master/pkg/registry/core/pod/strategy.go"
    )
    train["status"]["conditions"] = [{"type": "PodScheduled", "status": "False", "reason": "SchedulingGated", "message": gated}]
    server.apply_all([node("node-1"), node("node-2"), volcano, train] + etl)


def test_pod_for_another_scheduler_names_it(diagnose):
    f = finding(diagnose("batch", "etl-28374650-abcde"), "unschedulable")
    assert evidence(f, "spec.schedulerName") == [
        "volcano: only that scheduler places this pod, and it has written no event about it (it is not running, or does not know this pod)"
    ]
    assert f["remediation"][0]["command"] == "kubectl get pods -A -o wide | grep -F -- volcano"
    assert not any("patch" in (s["command"] or "") for s in f["remediation"])  # a Job's pod template cannot change


def test_scheduling_gates_are_listed(diagnose):
    f = finding(diagnose("batch", "train-28374650-zx9cv"), "scheduling-gated")
    assert evidence(f, "spec.schedulingGates") == [
        "kueue.x-k8s.io/admission",
        "2 gate(s): kueue.x-k8s.io/admission, example.com/quota-check; no scheduler looks at the pod until every gate is removed",
    ]


def test_cluster_scan_finds_the_schedulers_pod(k8sdoctor):
    """Only a scan of every namespace reads the pods a scheduler could be running in."""
    items = {i["name"]: i for i in k8sdoctor("diagnose", "pods", "-A", "-o", "json").json()["items"]}
    f = finding(items["etl-28374650-abcde"], "unschedulable")
    assert evidence(f, "pods named like the scheduler") == ["volcano-system/volcano-scheduler-6f7d8c9b5-2xq9z (Pending)"]
