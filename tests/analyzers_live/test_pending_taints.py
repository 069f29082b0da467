"""Pending on tainted nodes, live: the scheduler message with its `preemption:` suffix counted per
reason, the taints that block the pod on each node, and the toleration that would admit it."""

from __future__ import annotations

import pytest

from tests.analyzers_live.objects import container, corpus_message, evidence, finding, node, pending, pod, step

WEB = "registry.example/web:3.1"


@pytest.fixture(scope="module", autouse=True)
def cluster(server):
    """Three tainted control-plane nodes, a tainted storage node, and two workers that already run a web
    replica each (the spread constraint allows no third there)."""
    masters = [
        node(
            f"master-{i}",
            labels={"node-role.kubernetes.io/master": ""},
            taints=[{"key": "node-role.kubernetes.io/master", "effect": "NoSchedule"}],
        )
        for i in range(3)
    ]
    storage = node(
        "storage-0",
        labels={"node-role.kubernetes.io/storage": ""},
        taints=[{"key": "unschedulable", "value": "true", "effect": "NoSchedule"}],
    )
    workers = [
        node("worker-0"),
        node("worker-1", taints=[{"key": "example.com/maintenance", "value": "soon", "effect": "PreferNoSchedule"}]),
    ]
    spread = {
        "topologySpreadConstraints": [
            {
                "maxSkew": 1,
                "topologyKey": "kubernetes.io/hostname",
                "whenUnsatisfiable": "DoNotSchedule",
                "labelSelector": {"matchLabels": {"app": "web"}},
            }
        ]
    }
    running = [
        pod(
            f"web-6d8f7c9b5-{suffix}",
            "shop",
            node_name=f"worker-{i}",
            owner=("ReplicaSet", "web-6d8f7c9b5"),
            labels={"app": "web"},
            containers=[container("web", WEB, cpu="500m")],
            spec=spread,
        )
        for i, suffix in enumerate(("h2k9d", "p8w3c"))
    ]
    # https://github.com/red-hat-storage/ocs-operator/pull/4163
    message = corpus_message("ocs-operator-topology-spread-taints", "https://github.com/red-hat-storage/ocs-operator/pull/4163")
    web = pending(
        "web-6d8f7c9b5-7xk2p",
        "shop",
        message,
        owner=("ReplicaSet", "web-6d8f7c9b5"),
        labels={"app": "web"},
        containers=[container("web", WEB, cpu="500m")],
        spec=spread,
    )
    server.apply_all(masters + [storage] + workers + running + web)


def test_counts_per_reason_include_the_preemption_suffix(diagnose):
    f = finding(diagnose("shop", "web-6d8f7c9b5-7xk2p"), "untolerated-taint")
    assert evidence(f, "status.conditions[PodScheduled].message, counted per reason") == [
        "6 nodes: 1 has taint unschedulable=true, 2 would break topology spread constraints, 3 have taint node-role.kubernetes.io/master; "
        "preemption: 6 nodes: 2 would break topology spread constraints, 4 would not be helped by preemption"
    ]


def test_blocking_taints_are_listed_per_node(diagnose):
    f = finding(diagnose("shop", "web-6d8f7c9b5-7xk2p"), "untolerated-taint")
    assert evidence(f, "spec.taints of 3 nodes (master-0, master-1, master-2)") == [
        "node-role.kubernetes.io/master:NoSchedule — not tolerated by the pod"
    ]
    assert evidence(f, "spec.taints of node storage-0") == ["unschedulable=true:NoSchedule — not tolerated by the pod"]
    assert evidence(f, "nodes' spec.taints") == ["2 of 6 nodes have no taint the pod does not tolerate"]


def test_the_toleration_that_admits_the_pod(diagnose):
    f = finding(diagnose("shop", "web-6d8f7c9b5-7xk2p"), "untolerated-taint")
    masters = step(f, "If the pod belongs on 3 nodes (master-0, master-1, master-2)")
    assert masters["text"].endswith(
        "add this toleration to its spec.tolerations: {key: node-role.kubernetes.io/master, operator: Exists, effect: NoSchedule}"
    )
    assert masters["command"] == (
        "kubectl -n shop patch deployment/web -p "
        "'{\"spec\":{\"template\":{\"spec\":{\"tolerations\":[{\"key\":\"node-role.kubernetes.io/master\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]}}}}'"
    )
    storage = step(f, "If the pod belongs on node storage-0")
    assert storage["text"].endswith('{key: unschedulable, operator: Equal, value: "true", effect: NoSchedule}')
