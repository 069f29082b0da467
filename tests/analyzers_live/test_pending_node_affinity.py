"""Pending on node affinity, live: the zone values and the label key no node has, each with "did you
mean", and a JSON patch that replaces exactly the wrong value."""

from __future__ import annotations

import pytest

from tests.analyzers_live.objects import container, corpus_message, evidence, finding, node, pending, step

TERMS = "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]"


@pytest.fixture(scope="module", autouse=True)
def cluster(server):
    zones = {"worker-a1": "eu-west-1a", "worker-a2": "eu-west-1a", "worker-b1": "eu-west-1b", "worker-b2": "eu-west-1b"}
    nodes = [node(n, labels={"topology.kubernetes.io/zone": z, "node.kubernetes.io/instance-type": "m5.large"}) for n, z in zones.items()]
    affinity = {
        "nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [
                    {
                        "matchExpressions": [
                            {"key": "topology.kubernetes.io/zone", "operator": "In", "values": ["eu-west-1c"]},
                            {"key": "node.kubernetes.io/instance-typ", "operator": "Exists"},
                        ]
                    }
                ]
            }
        }
    }
    # https://github.com/klothoplatform/klotho/issues/553
    message = corpus_message("klotho-eks-nodegroup-selector-mismatch", "https://github.com/klothoplatform/klotho/issues/553")
    queue = pending(
        "queue-7b6c5d4f3-k9m8n",
        "shop",
        message,
        owner=("ReplicaSet", "queue-7b6c5d4f3"),
        containers=[container("queue", "registry.example/queue:5")],
        spec={"affinity": affinity},
    )
    server.apply_all(nodes + queue)


def test_affinity_value_and_key_no_node_has(diagnose):
    f = finding(diagnose("shop", "queue-7b6c5d4f3-k9m8n"), "node-selector-mismatch")
    assert evidence(f, "status.conditions[PodScheduled].message, counted per reason") == [
        "4 nodes: 4 do not match the node selector/affinity; preemption: 4 nodes: 4 would not be helped by preemption"
    ]
    assert evidence(f, f"{TERMS}.matchExpressions[0]") == [
        "topology.kubernetes.io/zone In [eu-west-1c]: no node has one of these values; "
        "nodes have topology.kubernetes.io/zone=eu-west-1a (2 nodes), topology.kubernetes.io/zone=eu-west-1b (2 nodes). Did you mean eu-west-1a for eu-west-1c?"
    ]
    assert evidence(f, f"{TERMS}.matchExpressions[1]") == [
        "node.kubernetes.io/instance-typ Exists: no node has a label node.kubernetes.io/instance-typ. Did you mean node.kubernetes.io/instance-type?"
    ]


def test_fix_replaces_the_value_it_tested(diagnose):
    f = finding(diagnose("shop", "queue-7b6c5d4f3-k9m8n"), "node-selector-mismatch")
    path = "/spec/template/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms/0/matchExpressions/0/values/0"
    assert step(f, "Fix the node affinity value eu-west-1c → eu-west-1a")["command"] == (
        "kubectl -n shop patch deployment/queue --type=json -p "
        f"'[{{\"op\":\"test\",\"path\":\"{path}\",\"value\":\"eu-west-1c\"}},{{\"op\":\"replace\",\"path\":\"{path}\",\"value\":\"eu-west-1a\"}}]'"
    )
