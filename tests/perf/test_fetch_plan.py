"""A one-shot `diagnose pod` reads only the kinds the pod's findings can use (fewer requests), decided from
the pod alone: pods of the benchmarks' bad day, one per way of failing."""

from __future__ import annotations

from bench.clusterdata import cluster
from k8sdoctor.core.evidence_plan import kinds_to_fetch


def _first(pods: list[dict], test) -> dict:
    return next(p for p in pods if test(p))


def _app(pod: dict) -> dict:
    return (pod["status"].get("containerStatuses") or [{}])[0]


def test_each_failure_reads_what_its_findings_need():
    pods = cluster(2000, failing=1.0).pods
    crashing = _first(pods, lambda p: _app(p).get("state", {}).get("waiting", {}).get("reason") == "CrashLoopBackOff")
    pulling = _first(pods, lambda p: _app(p).get("state", {}).get("waiting", {}).get("reason") == "ImagePullBackOff")
    pending = _first(pods, lambda p: p["status"]["phase"] == "Pending" and not p["spec"].get("nodeName"))
    claiming = _first(pods, lambda p: p["status"]["phase"] == "Pending" and any("persistentVolumeClaim" in v for v in p["spec"]["volumes"]))
    job = _first(pods, lambda p: p["metadata"]["ownerReferences"][0]["kind"] == "Job")

    assert kinds_to_fetch(crashing) == {"ReplicaSet"}  # the containers ran: no nodes, claims or StorageClasses
    assert kinds_to_fetch(pulling) == {"ReplicaSet", "Node", "ServiceAccount"}  # images on nodes, pull secrets
    assert kinds_to_fetch(pending) >= {"ReplicaSet", "Node"} and "ServiceAccount" not in kinds_to_fetch(pending)
    assert {"PersistentVolumeClaim", "StorageClass"} <= kinds_to_fetch(claiming)
    assert "Job" in kinds_to_fetch(job) and "ReplicaSet" not in kinds_to_fetch(job)
