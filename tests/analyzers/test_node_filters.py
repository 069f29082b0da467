"""Tolerations against taints, node selector requirements, and a pod's effective request."""

from __future__ import annotations

import pytest

from k8sdoctor.core.analyzers.capacity import pod_requests
from k8sdoctor.core.analyzers.flow_yaml import flow_yaml
from k8sdoctor.core.analyzers.node_filters import admits, blocking_taints, expression_holds, tolerates

MASTER = {"key": "node-role.kubernetes.io/master", "effect": "NoSchedule"}
GPU = {"key": "nvidia.com/gpu", "value": "present", "effect": "NoSchedule"}


@pytest.mark.parametrize(
    "toleration, taint, expected",
    [
        ({"key": "node-role.kubernetes.io/master", "operator": "Exists"}, MASTER, True),
        ({"key": "node-role.kubernetes.io/master", "operator": "Exists", "effect": "NoExecute"}, MASTER, False),
        ({"operator": "Exists"}, GPU, True),  # empty key with Exists tolerates everything
        ({"operator": "Exists", "effect": "NoExecute"}, GPU, False),
        ({"key": "nvidia.com/gpu", "operator": "Equal", "value": "present", "effect": "NoSchedule"}, GPU, True),
        ({"key": "nvidia.com/gpu", "value": "present"}, GPU, True),  # the operator defaults to Equal
        ({"key": "nvidia.com/gpu", "operator": "Equal", "value": "absent"}, GPU, False),
        ({"key": "nvidia.com/gpu", "operator": "Equal"}, MASTER, False),
        ({"key": "nvidia.com/gpu", "operator": "Gt", "value": "1"}, GPU, False),
    ],
)
def test_tolerates(toleration, taint, expected):
    assert tolerates(toleration, taint) is expected


def test_only_no_schedule_and_no_execute_block():
    node = {"spec": {"taints": [MASTER, {"key": "soft", "effect": "PreferNoSchedule"}, "garbage", {"key": "x", "effect": "NoExecute"}]}}
    assert blocking_taints(node, [{"key": "x", "operator": "Exists"}]) == [MASTER]


@pytest.mark.parametrize(
    "expr, expected",
    [
        ({"key": "zone", "operator": "In", "values": ["a", "b"]}, True),
        ({"key": "zone", "operator": "NotIn", "values": ["a"]}, False),
        ({"key": "disk", "operator": "NotIn", "values": ["ssd"]}, True),
        ({"key": "zone", "operator": "Exists"}, True),
        ({"key": "disk", "operator": "DoesNotExist"}, True),
        ({"key": "cores", "operator": "Gt", "values": ["8"]}, True),
        ({"key": "cores", "operator": "Lt", "values": ["8"]}, False),
        ({"key": "zone", "operator": "Gt", "values": ["8"]}, False),
        ({"key": "zone", "operator": "Sideways"}, False),
    ],
)
def test_expression(expr, expected):
    assert expression_holds(expr, {"zone": "a", "cores": "16"}) is expected


def test_admits_combines_cordon_taints_and_selector():
    node = {
        "metadata": {"name": "n1", "labels": {"disk": "ssd"}},
        "spec": {"unschedulable": True, "taints": [{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}]},
    }
    daemon = {
        "tolerations": [{"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"}],
        "nodeSelector": {"disk": "ssd"},
    }
    assert admits(node, daemon, daemon["tolerations"])
    assert not admits(node, {"nodeSelector": {"disk": "ssd"}}, [])
    terms = {
        "affinity": {
            "nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {
                    "nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["n2"]}]}, {}]
                }
            }
        }
    }
    assert not admits(node, {**daemon, **terms}, daemon["tolerations"])


def test_effective_request_with_sidecars_init_containers_and_overhead():
    spec = {
        "initContainers": [
            {"name": "setup", "resources": {"requests": {"cpu": "2", "memory": "1Gi"}}},
            {"name": "proxy", "restartPolicy": "Always", "resources": {"requests": {"cpu": "500m"}}},
            {"name": "migrate", "resources": {"requests": {"cpu": "1"}, "limits": {"memory": "3Gi"}}},
        ],
        "containers": [
            {"name": "app", "resources": {"requests": {"cpu": "1", "memory": "2Gi"}, "limits": {"nvidia.com/gpu": 1}}},
            {"name": "odd", "resources": "nonsense"},
        ],
        "overhead": {"cpu": "100m", "memory": "64Mi"},
    }
    # cpu: max(setup 2, proxy+migrate 1.5, app+proxy 1.5) + 0.1; memory: max(setup 1Gi, migrate's limit 3Gi, app 2Gi) + 64Mi
    assert pod_requests(spec) == {"cpu": pytest.approx(2.1), "memory": 3 * 2**30 + 64 * 2**20, "nvidia.com/gpu": 1.0}


def test_flow_yaml_quotes_what_yaml_would_misread():
    assert flow_yaml(
        {"key": "unschedulable", "operator": "Equal", "value": "true", "port": 8443, "path": "/healthz", "list": ["a b", "1636478510", ""]}
    ) == ('{key: unschedulable, operator: Equal, value: "true", port: 8443, path: /healthz, list: ["a b", "1636478510", ""]}')
