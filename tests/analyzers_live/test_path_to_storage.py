"""Claims, live and from a snapshot (tests/pathcases.py STORAGE; each scenario cites its real case): the
same verdicts both ways. A pod Pending on a claim carries the claim's cause into its finding; diagnosed
alone, it asks for the claim's events (which the one-pod fetch does not read) and gets them."""

from __future__ import annotations

import pytest

from tests.analyzers_live.objects import evidence, finding
from tests.analyzers_live.pathrun import apply, check, item, snapshot, verdicts
from tests.pathcases import STORAGE

SCENARIOS = [make() for make in STORAGE]


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
    result = k8sdoctor("diagnose", "all", "-A", "-o", "json", "--snapshot", str(snapshot(kubeconfig, home, home / "snapshot.json")))
    assert result.code == 1, result.err
    return result.json()


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_live_verdict(live, scenario):
    check(scenario, item(live, scenario))


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_snapshot_gives_the_same_verdict(live, offline, scenario):
    check(scenario, item(offline, scenario))
    assert verdicts(item(offline, scenario)) == verdicts(item(live, scenario))


def test_a_claim_by_its_short_name_suggests_the_class_there_is(k8sdoctor):
    # https://github.com/ZP-AlwaysWin/K8S-FastDFS/issues/6
    result = k8sdoctor("diagnose", "pvc/storage0-data-fastdfs-group0-storage0-0", "-n", "pvc-class-missing", "-o", "json")
    assert result.code == 1, result.err
    f = finding(result.json(), "storageclass-not-found")
    assert f["summary"] == "StorageClass fast does not exist"
    assert f["evidence"][0]["text"] == 'storageclass.storage.k8s.io "fast" not found'
    [classes] = evidence(f, "storageclasses")
    assert classes.startswith("StorageClasses: ") and "pvc-class-missing-fast-ssd" in classes and "(default)" not in classes


def test_one_pending_pod_carries_its_claims_cause(k8sdoctor):
    # https://github.com/kubernetes/website/issues/26943: the pod's FailedScheduling and the claim's
    # FailedBinding are on two objects.
    result = k8sdoctor("diagnose", "pod", "hub-5b8d96f64b-qk86l", "-n", "pvc-unbound-pod", "-o", "json")
    assert result.code == 1, result.err
    f = finding(result.json(), "unbound-pvc")
    assert [(u["kind"], u["name"], u["cause"]) for u in f["underlying"]] == [
        ("PersistentVolumeClaim", "hub-db-dir", "no-default-storageclass")
    ]
    quoted = [
        e for e in f["evidence"] if e["source"].startswith("persistentvolumeclaim pvc-unbound-pod/hub-db-dir event Normal/FailedBinding")
    ]
    assert [e["text"] for e in quoted] == ["no persistent volumes available for this claim and no storage class is set"]


def test_a_claim_waiting_for_its_first_consumer_points_at_the_stuck_pod(live):
    # https://github.com/Oteemo/charts/issues/122
    [scenario] = [s for s in SCENARIOS if s.id == "pvc-first-consumer"]
    f = finding(item(live, scenario), "waiting-for-first-consumer")
    assert [(u["kind"], u["name"], u["category"]) for u in f["underlying"]] == [("Pod", "nexus1-sonatype-nexus-5b7f8c6d4-q2w3e", "Pending")]
