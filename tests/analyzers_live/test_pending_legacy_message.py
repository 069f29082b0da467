"""Pending with a legacy scheduler message (predicate names, as schedulers before 1.12 wrote them),
live: still counted per reason, and the GPU request set against what the nodes have free."""

from __future__ import annotations

import pytest

from tests.analyzers_live.objects import container, corpus_message, evidence, finding, node, pending, pod

GPU = {"nvidia.com/gpu": "1"}


@pytest.fixture(scope="module", autouse=True)
def cluster(server):
    """Two GPU nodes whose one GPU each is taken, and a tainted control-plane node without any."""
    master = node("master-0", taints=[{"key": "node-role.kubernetes.io/master", "effect": "NoSchedule"}])
    gpus = [node(f"gpu-{i}", labels={"accelerator": "nvidia-tesla-k80"}, extra=GPU) for i in range(2)]
    training = [
        pod(
            f"train-{i}",
            "ml",
            node_name=f"gpu-{i}",
            owner=("Job", f"train-{i}"),
            containers=[container("train", "registry.example/train:1", limits=GPU)],
        )
        for i in range(2)
    ]
    # https://github.com/NVIDIA/k8s-device-plugin/issues/22
    message = corpus_message("nvidia-22-podtoleratesnodetaints-gpu-legacy", "https://github.com/NVIDIA/k8s-device-plugin/issues/22")
    cuda = pending(
        "cuda-vector-add",
        "ml",
        message,
        owner=None,
        containers=[container("cuda-vector-add", "registry.example/cuda-vector-add:v0.1", limits=GPU)],
    )
    server.apply_all([master] + gpus + training + cuda)


def test_legacy_predicates_are_counted_per_reason(diagnose):
    f = finding(diagnose("ml", "cuda-vector-add"), "insufficient-resources")
    # https://github.com/NVIDIA/k8s-device-plugin/issues/22
    assert evidence(f, "status.conditions[PodScheduled].message") == [
        "0/3 nodes are available: 1 PodToleratesNodeTaints, 3 Insufficient nvidia.com/gpu."
    ]
    assert evidence(f, "status.conditions[PodScheduled].message, counted per reason") == [
        "3 nodes: 1 has a taint the pod does not tolerate, 3 lack nvidia.com/gpu"
    ]


def test_gpu_request_against_the_nodes_it_may_use(diagnose):
    f = finding(diagnose("ml", "cuda-vector-add"), "insufficient-resources")
    assert evidence(f, "spec.containers[*].resources (with init containers, sidecars and overhead)") == [
        "the pod requests 1 nvidia.com/gpu"
    ]
    assert evidence(f, "nodes' status.allocatable minus the requests of the pods on them") == [
        "asks 1 nvidia.com/gpu; the most free on the 2 of 3 nodes it may use (the others are cordoned, tainted or outside its node selector) is 0 nvidia.com/gpu (gpu-0)"
    ]
    assert f["remediation"][0] == {
        "text": "Free 1 nvidia.com/gpu on gpu-0 (the closest fit), add a node, or let the cluster autoscaler add one. See what runs there:",
        "command": "kubectl describe node gpu-0",
    }


def test_no_toleration_for_a_node_without_the_resource(diagnose):
    f = finding(diagnose("ml", "cuda-vector-add"), "untolerated-taint")
    assert not any(s["text"].startswith("If the pod belongs on node master-0") for s in f["remediation"])
