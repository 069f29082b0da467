"""The demo's path to the app (k8sdoctor/demo/network.py), through the real CLI on the demo cluster: a
Service whose selector has a typo, an Ingress to a Service that does not exist, a claim naming a missing
StorageClass (its pod Pending on it), an autoscaler whose injected sidecar has no CPU request, a node
whose CNI never came up."""

from __future__ import annotations

import pytest


@pytest.fixture
def everything(run_cli, demo_kubeconfig) -> dict:
    result = run_cli("diagnose", "all", "-A", "-o", "json", kubeconfig=demo_kubeconfig)
    assert result.code == 1, result.err
    return {(i["kind"], i["namespace"], i["name"]): i for i in result.json()["items"]}


def causes(item: dict) -> list[tuple[str, str]]:
    return [(f["category"], f["cause"]) for f in item["findings"]]


def test_the_demo_shows_each_failure_on_the_path_to_the_app(everything):
    assert causes(everything[("Service", "web", "web-frontend")]) == [("NoEndpoints", "selector-mismatch")]
    assert causes(everything[("Ingress", "web", "storefront")]) == [
        ("IngressBackend", "service-missing"),
        ("IngressBackend", "backend-no-endpoints"),
    ]
    assert causes(everything[("PersistentVolumeClaim", "web", "uploads")]) == [("PVCPending", "storageclass-not-found")]
    assert causes(everything[("HorizontalPodAutoscaler", "web", "web-frontend")]) == [("AutoscalerFailing", "missing-resource-request")]
    assert causes(everything[("Node", "", "worker-5")]) == [("NodeNotReady", "network-not-ready")]


def test_the_demo_joins_them(everything):
    service = everything[("Service", "web", "web-frontend")]["findings"][0]
    assert service["evidence"][-1]["text"] == "pods carry app=web-frontend (2 pod(s)). Did you mean app=web-frontend?"
    backend = everything[("Ingress", "web", "storefront")]["findings"][1]
    assert [u["cause"] for u in backend["underlying"]] == ["selector-mismatch"]
    [pending] = [i for k, i in everything.items() if k[0] == "Pod" and k[2].startswith("web-uploads-")]
    assert [(u["name"], u["cause"]) for u in pending["findings"][0]["underlying"]] == [("uploads", "storageclass-not-found")]
    scaler = everything[("HorizontalPodAutoscaler", "web", "web-frontend")]["findings"][0]
    assert any("container linkerd-proxy (injected, not in the pod template)" in e["text"] for e in scaler["evidence"])


def test_the_other_nodes_and_the_rest_of_the_demo_stay_as_they_were(everything):
    assert all(everything[("Node", "", n)]["healthy"] for n in ("worker-1", "worker-2", "worker-3"))
    assert all(i["healthy"] for k, i in everything.items() if k[0] == "Pod" and k[1] == "web" and k[2].startswith("web-frontend-"))
