"""`ClusterView(objects=True)`: every diagnosed kind besides pods kept and diagnosed again incrementally,
on the demo cluster's objects (`k8sdoctor.demo.cluster`, whose messages cite their sources). A change marks
the object and the subjects that read it, nothing else; a namespace's view diagnoses only its objects."""

from __future__ import annotations

import copy

import pytest

from k8sdoctor.cluster.live.informer import Change, Replace
from k8sdoctor.cluster.view import ClusterView
from k8sdoctor.core.kube.timeutil import utcnow
from k8sdoctor.demo.cluster import scenario
from k8sdoctor.fakeapi.scenario import load


@pytest.fixture(scope="module")
def objects() -> dict[str, list[dict]]:
    by_kind: dict[str, list[dict]] = {}
    for obj in load(scenario(), utcnow()).objects:
        by_kind.setdefault(obj["kind"], []).append(obj)
    return by_kind


def listed(engine, objects, namespace: str | None = None) -> ClusterView:
    """A view after every kind's list, pods and objects diagnosed."""
    view = ClusterView(engine, objects=True, namespace=namespace)
    for kind, items in objects.items():
        view.apply(Replace(kind, copy.deepcopy(items)))
    now = utcnow()
    view.flush(now)
    view.flush_objects(now)
    return view


def verdicts(view: ClusterView) -> dict[tuple[str, str, str], tuple[str, str]]:
    return {
        ref: (row.diagnosis.findings[0].category, row.diagnosis.findings[0].cause) for ref, row in view.object_rows.items() if row.problem
    }


def test_every_kind_gets_its_verdict(engine, objects):
    view = listed(engine, objects)
    found = verdicts(view)
    assert found[("Deployment", "rq-demo", "busybox")] == ("PodsNotCreated", "quota-exceeded")
    assert found[("Deployment", "tekton-pipelines", "tekton-triggers-controller")] == ("PodsNotCreated", "pod-security-violation")
    assert found[("Deployment", "shop", "kestra")] == ("RolloutStuck", "new-pods-failing")
    assert found[("Job", "batch", "hello")] == ("JobFailed", "deadline-exceeded")
    assert found[("Node", "", "worker-5")] == ("NodeNotReady", "network-not-ready")
    assert found[("PersistentVolumeClaim", "web", "uploads")] == ("PVCPending", "storageclass-not-found")
    assert found[("Service", "web", "web-frontend")] == ("NoEndpoints", "selector-mismatch")
    assert found[("Ingress", "web", "storefront")] == ("IngressBackend", "service-missing")
    assert found[("HorizontalPodAutoscaler", "web", "web-frontend")] == ("AutoscalerFailing", "missing-resource-request")
    frontend = view.object_rows[("Deployment", "shop", "frontend")]
    assert not frontend.problem
    assert [c for c in frontend.cells if isinstance(c, str)] == ["3/3", "3", "3"]  # READY UP-TO-DATE AVAILABLE
    assert not view.dirty_objects and not view.dirty
    assert view.object_rows[("Deployment", "rq-demo", "busybox")].not_created  # the header names it


def test_a_pod_change_marks_its_owners_and_node_only(engine, objects):
    view = listed(engine, objects)
    pod = copy.deepcopy(next(p for p in objects["Pod"] if p["metadata"]["name"].startswith("kestra-")))
    pod["metadata"]["labels"]["touched"] = "yes"
    view.apply(Change("Pod", "MODIFIED", pod))
    rs = next(o["name"] for o in pod["metadata"]["ownerReferences"])
    expected = {("Deployment", "shop", "kestra"), ("ReplicaSet", "shop", rs), ("Node", "", pod["spec"]["nodeName"])}
    assert view.dirty_objects == expected
    now = utcnow()
    view.flush(now)
    flushed = view.flush_objects(now)
    assert {row.ref for row in flushed.changed} == expected  # nothing else diagnosed again
    assert verdicts(view)[("Deployment", "shop", "kestra")] == ("RolloutStuck", "new-pods-failing")


def test_a_deleted_object_leaves_and_a_relist_without_it_removes_it(engine, objects):
    view = listed(engine, objects)
    kestra = next(d for d in objects["Deployment"] if d["metadata"]["name"] == "kestra")
    view.apply(Change("Deployment", "DELETED", copy.deepcopy(kestra)))
    flushed = view.flush_objects(utcnow())
    assert flushed.removed == [("Deployment", "shop", "kestra")]
    assert ("Deployment", "shop", "kestra") not in view.object_rows
    jobs = objects["Job"]
    view.apply(Replace("Job", []))  # a relist after an outage: the Job is gone
    flushed = view.flush_objects(utcnow())
    assert {ref for ref in flushed.removed} == {("Job", o["metadata"]["namespace"], o["metadata"]["name"]) for o in jobs}


def test_a_namespace_view_diagnoses_its_objects_and_cluster_scoped_ones(engine, objects):
    view = listed(engine, objects, namespace="shop")
    namespaces = {ref[1] for ref in view.object_rows}
    assert namespaces == {"shop", ""}  # a quota's change in rq-demo does not reach into the shop's view
    assert ("Node", "", "worker-5") in view.object_rows
    quota = copy.deepcopy(objects["ResourceQuota"][0])
    quota["spec"]["hard"]["pods"] = "3"
    view.apply(Change("ResourceQuota", "MODIFIED", quota))
    assert all(ref[1] in ("shop", "") for ref in view.dirty_objects)


def test_a_subject_that_carries_anothers_finding_is_diagnosed_again_when_that_finding_changes(engine, objects):
    # Ingress storefront carries Service web-frontend's finding (a selector no pod matches, k8sdoctor.demo.network).
    # A pod relabelled to match changes the Service's diagnosis: the Ingress quotes a stale one until it is
    # diagnosed again, though neither the Ingress nor the Service object changed.
    view = listed(engine, objects)
    ingress, service = ("Ingress", "web", "storefront"), ("Service", "web", "web-frontend")

    def carried(row):
        return [(u["name"], u["cause"]) for f in row.diagnosis.findings for u in f.underlying if u["kind"] == "Service"]

    assert view.carried_by[service] == {ingress}
    assert ("web-frontend", "selector-mismatch") in carried(view.object_rows[ingress])
    pod = copy.deepcopy(next(p for p in objects["Pod"] if p["metadata"]["name"].startswith("web-frontend-")))
    pod["metadata"]["labels"]["app"] = "web-frontnd"
    view.apply(Change("Pod", "MODIFIED", pod))
    assert ingress not in view.dirty_objects  # no relation of the Ingress's own changed
    now = utcnow()
    view.flush(now)
    flushed = view.flush_objects(now)  # the Service's finding changes, so the Ingress is marked and diagnosed too
    assert not view.object_rows[service].problem
    assert ingress in {row.ref for row in flushed.changed}
    assert not any(name == "web-frontend" for name, _cause in carried(view.object_rows[ingress]))
    assert service not in view.carried_by  # the Ingress no longer carries it
