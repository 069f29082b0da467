"""A one-pod diagnosis asks a live source for what it did not read (`Finding.wants`), and only then: a
claim's events, the pods on a node, the Services of a namespace, the CoreDNS pods. Clusters from
tests/pathcases.py, each built around a cited real case."""

from __future__ import annotations

from k8sdoctor.core.evidence_plan import events_about, listing
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.core.kube.timeutil import utcnow
from tests.network.test_scenarios import inventory_of
from tests.pathcases import pod_cni, pod_dns, pvc_unbound_pod


def one_pod(scenario, name: str) -> Inventory:
    """What `diagnose pod NAME` reads before it asks: the pod, its events, the namespace's claims."""
    inv = Inventory()
    for obj in scenario.objects:
        if obj["kind"] == "Pod" and obj["metadata"]["name"] != name:
            continue
        if obj["kind"] == "Event" and obj["involvedObject"]["name"] != name:
            continue
        if obj["kind"] in ("Pod", "Event", "PersistentVolumeClaim"):
            inv.put(obj["kind"], obj)
    for pod, container, lines in scenario.logs:
        inv.put_logs(scenario.id, pod, container, True, list(lines))
    return inv


def wants(engine, inv: Inventory, scenario, name: str) -> set:
    result = engine.diagnose_pod(inv, inv.get("Pod", scenario.id, name), utcnow())
    return {w for f in result.findings for w in f.wants}


def test_a_pending_pod_asks_for_its_claims_events(engine):
    # https://github.com/kubernetes/website/issues/26943
    scenario = pvc_unbound_pod()
    assert wants(engine, one_pod(scenario, "hub-5b8d96f64b-qk86l"), scenario, "hub-5b8d96f64b-qk86l") == {
        events_about("PersistentVolumeClaim", "pvc-unbound-pod", "hub-db-dir"),
        listing("PersistentVolume", ""),
    }
    # read whole (diagnose all), it asks for nothing
    assert wants(engine, inventory_of([scenario]), scenario, "hub-5b8d96f64b-qk86l") == set()


def test_a_pod_without_network_asks_for_the_pods_on_its_node(engine):
    # https://github.com/projectcalico/calico/issues/9215
    scenario = pod_cni()
    name = "web-7d9f8b6c5d-x2x7q"
    assert wants(engine, one_pod(scenario, name), scenario, name) == {listing("Pod", "*", field="spec.nodeName=pod-net-node")}


def test_a_pod_that_cannot_resolve_a_name_asks_for_the_services_and_coredns(engine):
    # https://github.com/bitnami/charts/issues/9885
    scenario = pod_dns()
    assert wants(engine, one_pod(scenario, "keycloak-0"), scenario, "keycloak-0") == {
        listing("Service", "pod-dns"),
        listing("Pod", "kube-system", label="k8s-app=kube-dns"),
    }
