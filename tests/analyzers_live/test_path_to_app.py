"""The path to an app, live and from a snapshot: Services, Ingresses, nodes, autoscalers, a static volume
and pod networking (tests/pathcases.py; each scenario cites its real case), diagnosed by the real CLI
against the local API server, and from what kubectl saves of the same cluster. Same verdicts both ways;
the controls raise nothing alarming. Single objects are diagnosed the way kubectl names them, and a pod's
diagnosis asks for (and gets) what it needs beyond the pod: the Services of its namespace, the CoreDNS
pods, the pods on its node."""

from __future__ import annotations

import pytest

from tests.analyzers_live.objects import evidence, finding
from tests.analyzers_live.pathrun import apply, check, item, snapshot, verdicts
from tests.pathcases import PODS, SERVICES, cluster_wide

SCENARIOS = [make() for make in SERVICES] + cluster_wide() + [make() for make in PODS]


@pytest.fixture(scope="module", autouse=True)
def cluster(server):
    apply(server, SCENARIOS)


@pytest.fixture(scope="module")
def live(k8sdoctor) -> dict:
    result = k8sdoctor("diagnose", "all", "-A", "-o", "json")
    assert result.code == 1, result.err
    return result.json()


@pytest.fixture(scope="module")
def offline(k8sdoctor, kubeconfig, tmp_path_factory) -> dict:
    home = tmp_path_factory.mktemp("kubectl")
    path = snapshot(kubeconfig, home, home / "snapshot.json")
    result = k8sdoctor("diagnose", "all", "-A", "-o", "json", "--snapshot", str(path))
    assert result.code == 1, result.err
    return result.json()


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_live_verdict(live, scenario):
    check(scenario, item(live, scenario))


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_snapshot_gives_the_same_verdict(live, offline, scenario):
    check(scenario, item(offline, scenario))
    assert verdicts(item(offline, scenario)) == verdicts(item(live, scenario))


def test_a_service_by_its_short_name_says_which_label_the_pods_carry(k8sdoctor):
    # https://github.com/helm/charts/issues/21515
    result = k8sdoctor("diagnose", "svc/nginx-ingress-default-backend", "-n", "svc-selector", "-o", "json")
    assert result.code == 1, result.err
    f = finding(result.json(), "selector-mismatch")
    assert evidence(f, "pods in namespace svc-selector, by label")[-1].endswith("Did you mean component=default-backend?")
    assert f["remediation"][0]["command"] == (
        "kubectl -n svc-selector patch service nginx-ingress-default-backend -p "
        """'{"spec":{"selector":{"component":"default-backend","app.kubernetes.io/component":null}}}'"""
    )


def test_an_ingress_carries_its_backend_services_cause(k8sdoctor):
    # https://github.com/kubernetes/ingress-nginx/issues/6543
    result = k8sdoctor("diagnose", "ing", "ingress-demo", "-n", "ing-no-endpoints", "-o", "json")
    assert result.code == 1, result.err
    f = finding(result.json(), "backend-no-endpoints")
    assert f["underlying"] == [
        {
            "kind": "Service",
            "namespace": "ing-no-endpoints",
            "name": "ingress-demo",
            "category": "NoEndpoints",
            "cause": "selector-mismatch",
            "severity": "critical",
        }
    ]
    assert evidence(f, "service ing-no-endpoints/ingress-demo: NoEndpoints › selector-mismatch") == [
        "No pod in the namespace matches the selector app=ingress-demo"
    ]


def test_an_autoscaler_names_the_injected_sidecar_without_a_request(k8sdoctor):
    # https://github.com/kubernetes/kubernetes/issues/79365
    result = k8sdoctor("diagnose", "hpa/web", "-n", "hpa-missing-request", "-o", "json")
    assert result.code == 1, result.err
    f = finding(result.json(), "missing-resource-request")
    assert any("container linkerd-proxy (injected, not in the pod template)" in e["text"] for e in f["evidence"])
    assert "config.linkerd.io/proxy-cpu-request" in f["remediation"][0]["command"]


def test_a_node_whose_cni_never_came_up(k8sdoctor):
    # https://github.com/kubernetes/kubeadm/issues/1031
    result = k8sdoctor("diagnose", "node", "node-cni-dockershim", "-o", "json")
    assert result.code == 1, result.err
    f = finding(result.json(), "network-not-ready")
    assert evidence(f, "status.conditions[Ready].message") == [
        "runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:docker: network plugin is not ready: cni config uninitialized"
    ]


def test_one_pod_that_cannot_resolve_a_service_gets_the_services_and_coredns_it_needs(k8sdoctor):
    # https://github.com/bitnami/charts/issues/9885
    result = k8sdoctor("diagnose", "pod", "keycloak-0", "-n", "pod-dns", "-o", "json")
    assert result.code == 1, result.err
    f = finding(result.json(), "dns-failure", "keycloak")
    assert f["summary"] == "Container keycloak cannot resolve keycloak-postgresql"
    assert evidence(f, "services in namespace pod-dns") == [
        "no Service keycloak-postgresql in namespace pod-dns. Did you mean keycloak-postgresql-read or keycloak-postgresql-primary?"
    ]
    assert evidence(f, "CoreDNS pods (kube-system, k8s-app=kube-dns)") == ["1 of 1 ready"]


def test_one_pod_without_network_names_the_cni_and_carries_its_agents_cause(k8sdoctor):
    # https://github.com/projectcalico/calico/issues/9215
    result = k8sdoctor("diagnose", "pod", "web-7d9f8b6c5d-x2x7q", "-n", "pod-cni", "-o", "json")
    assert result.code == 1, result.err
    f = finding(result.json(), "network-setup-failure")
    assert evidence(f, "the sandbox error") == ["the network plugin is calico"]
    assert evidence(f, "calico agent on node pod-net-node") == ["kube-system/calico-node-x2x7q Running 0/1 ready"]
    assert [u["cause"] for u in f["underlying"]] == ["not-ready"]
