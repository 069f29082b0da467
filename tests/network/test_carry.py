"""Findings that carry the findings of the objects that explain them (`Finding.carries` →
`underlying`): how deep, never in a circle, and what reaches the JSON. The clusters are
tests/pathcases.py's, each built around a cited real case."""

from __future__ import annotations

from k8sdoctor.core.engine import CARRY_DEPTH, Engine
from k8sdoctor.core.kube.timeutil import utcnow
from tests.network.test_scenarios import inventory_of
from tests.pathcases import ing_no_endpoints, pvc_first_consumer, pvc_unbound_pod, svc_unready


def test_an_ingress_carries_its_service_which_carries_nothing_further(engine):
    # https://github.com/kubernetes/ingress-nginx/issues/6543
    inv = inventory_of([ing_no_endpoints()])
    ingress = inv.get("Ingress", "ing-no-endpoints", "ingress-demo")
    result = engine.diagnose_object(inv, "Ingress", ingress, utcnow())
    [backend] = [f for f in result.findings if f.cause == "backend-no-endpoints"]
    assert backend.underlying == [
        {
            "kind": "Service",
            "namespace": "ing-no-endpoints",
            "name": "ingress-demo",
            "category": "NoEndpoints",
            "cause": "selector-mismatch",
            "severity": "critical",
        }
    ]
    assert backend.remediation[0].text == "Compare the selector with the labels the pods carry."  # the Service's own first step leads
    assert backend.to_dict()["underlying"] == backend.underlying


def test_a_service_carries_its_unready_pods_finding(engine):
    # https://github.com/istio/istio/issues/42940
    inv = inventory_of([svc_unready()])
    svc = inv.get("Service", "svc-unready", "istio-ingressgateway")
    [f] = engine.diagnose_object(inv, "Service", svc, utcnow()).findings
    assert [(u["kind"], u["category"], u["cause"]) for u in f.underlying] == [("Pod", "NotReady", "readiness-probe-failure")]
    assert any(e.text == "Readiness probe failed: HTTP probe failed with statuscode: 503" for e in f.evidence)


def test_a_claim_and_its_pod_do_not_carry_each_other_in_a_circle(engine):
    # https://github.com/Oteemo/charts/issues/122: the claim waits for its pod, the pod for its claim.
    scenario = pvc_first_consumer()
    inv = inventory_of([scenario])
    now = utcnow()
    pvc = inv.get("PersistentVolumeClaim", scenario.id, "nexus-data")
    [f] = engine.diagnose_object(inv, "PersistentVolumeClaim", pvc, now).findings
    assert [(u["kind"], u["cause"]) for u in f.underlying] == [("Pod", "unbound-pvc")]
    pod = inv.get("Pod", scenario.id, "nexus1-sonatype-nexus-5b7f8c6d4-q2w3e")
    [pending] = engine.diagnose_object(inv, "Pod", pod, now).findings
    assert [(u["kind"], u["cause"]) for u in pending.underlying] == [("PersistentVolumeClaim", "waiting-for-first-consumer")]


class RecordingEngine(Engine):
    """The engine, noting every object it diagnoses to carry a finding in."""

    def __init__(self, playbooks) -> None:
        super().__init__(playbooks)
        self.carried: list[tuple[str, str, str]] = []

    def _diagnose_ref(self, inventory, ref, obj, now, trail):
        self.carried.append(ref)
        return super()._diagnose_ref(inventory, ref, obj, now, trail)


def test_carrying_stops_at_its_depth(playbooks):
    """Ingress → Service → Pod is as deep as it goes: the Pending pod's claim is not diagnosed for it."""
    assert CARRY_DEPTH == 2
    # https://github.com/kubernetes/ingress-nginx/issues/6543 (the Ingress and its Service) and
    # https://github.com/kubernetes/website/issues/26943 (the pod Pending on its claim)
    scenario = ing_no_endpoints()
    hub = pvc_unbound_pod()
    objects = [o for o in hub.objects]
    for o in objects:
        if o["kind"] != "Event":
            o["metadata"]["namespace"] = scenario.id
            if o["kind"] == "Pod":
                o["metadata"]["labels"] = {"app": "ingress-demo"}
        else:
            o["metadata"]["namespace"] = o["involvedObject"]["namespace"] = scenario.id
    scenario.objects += objects
    inv = inventory_of([scenario])
    engine = RecordingEngine(playbooks)
    engine.diagnose_object(inv, "Ingress", inv.get("Ingress", scenario.id, "ingress-demo"), utcnow())
    assert engine.carried == [("Service", scenario.id, "ingress-demo"), ("Pod", scenario.id, "hub-5b8d96f64b-qk86l")]
    engine.carried.clear()
    engine.diagnose_object(inv, "Service", inv.get("Service", scenario.id, "ingress-demo"), utcnow())
    assert engine.carried == [("Pod", scenario.id, "hub-5b8d96f64b-qk86l"), ("PersistentVolumeClaim", scenario.id, "hub-db-dir")]
