"""Pending for CPU, live: the scheduler's counts per reason, the pod's effective request, and how far it
is from fitting the most free node, with every pod in the cluster counted."""

from __future__ import annotations

import pytest

from tests.analyzers_live.objects import container, corpus_message, evidence, finding, node, pending, pod

REQUESTS = "spec.containers[*].resources (with init containers, sidecars and overhead)"
FREE = "nodes' status.allocatable minus the requests of the pods on them"


@pytest.fixture(scope="module", autouse=True)
def cluster(server):
    """Five 4-CPU nodes; with kube-proxy (100m each) they have 0.5, 1.0, 1.2, 0.1 and 0.2 CPU free. The
    search pod needs 1.5 CPU: app 1 + a 250m sidecar (more than the 500m init container next to it)
    + 250m overhead."""
    nodes = [node(f"node-{i}") for i in range(1, 6)]
    used = {"node-1": "3400m", "node-2": "2900m", "node-3": "2700m", "node-4": "3800m", "node-5": "3700m"}
    batch = [
        pod(
            f"batch-{n}",
            "batch",
            node_name=n,
            owner=("Job", f"batch-{n}"),
            containers=[container("worker", "registry.example/batch:5", cpu=cpu, memory="2Gi")],
        )
        for n, cpu in used.items()
    ]
    proxies = [
        pod(
            f"kube-proxy-{n}",
            "kube-system",
            node_name=n,
            owner=("DaemonSet", "kube-proxy"),
            containers=[container("kube-proxy", "registry.k8s.io/kube-proxy:v1.30.2", cpu="100m", memory="128Mi")],
        )
        for n in used
    ]
    # https://github.com/pires/kubernetes-elasticsearch-cluster/issues/178
    message = corpus_message("es-client-insufficient-cpu", "https://github.com/pires/kubernetes-elasticsearch-cluster/issues/178")
    search = pending(
        "search-7c9d6f5b8-x2k4q",
        "shop",
        message,
        owner=("ReplicaSet", "search-7c9d6f5b8"),
        containers=[container("app", "registry.example/search:2.3.0", cpu="1", memory="768Mi")],
        init_containers=[
            container("log-shipper", "registry.example/shipper:1.1", cpu="250m", memory="256Mi", restartPolicy="Always"),
            container("migrate", "registry.example/search:2.3.0", cpu="500m", memory="512Mi"),
        ],
        spec={"overhead": {"cpu": "250m"}},
    )
    server.apply_all(nodes + batch + proxies + search)


def test_scheduler_message_is_counted_per_reason(diagnose):
    f = finding(diagnose("shop", "search-7c9d6f5b8-x2k4q"), "insufficient-resources")
    # https://github.com/pires/kubernetes-elasticsearch-cluster/issues/178
    assert evidence(f, "status.conditions[PodScheduled].message") == ["0/5 nodes are available: 5 Insufficient cpu"]
    assert evidence(f, "status.conditions[PodScheduled].message, counted per reason") == ["5 nodes: 5 lack cpu"]


def test_effective_request_against_the_most_free_node(diagnose):
    f = finding(diagnose("shop", "search-7c9d6f5b8-x2k4q"), "insufficient-resources")
    assert evidence(f, REQUESTS) == ["the pod requests 1.5 CPU, 1Gi memory"]
    assert evidence(f, FREE) == ["asks 1.5 CPU; the most free on any node is 1.2 CPU (node-3)"]
    assert evidence(f, "pods read by k8sdoctor") == []  # every pod on the nodes was read, kube-system too


def test_remediation_frees_the_gap_or_lowers_the_request(diagnose):
    f = finding(diagnose("shop", "search-7c9d6f5b8-x2k4q"), "insufficient-resources")
    assert f["remediation"][0] == {
        "text": "Free 300m CPU on node-3 (the closest fit), add a node, or let the cluster autoscaler add one. See what runs there:",
        "command": "kubectl describe node node-3",
    }
    assert f["remediation"][1] == {
        "text": "Or, if container app really needs less, lower its request to cpu=700m so the pod fits node-3.",
        "command": "kubectl -n shop set resources deployment/search -c app --requests=cpu=700m",
    }
