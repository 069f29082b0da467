"""Pending on claims, live: each claim's phase and StorageClass — one that does not exist (with "did you
mean" and the default class), one that waits for the pod by design (WaitForFirstConsumer)."""

from __future__ import annotations

import pytest

from tests.analyzers_live.objects import ago, container, corpus_message, evidence, finding, node, pending


def claim(name, storage_class):
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": name, "namespace": "shop", "creationTimestamp": ago(3600)},
        "spec": {
            "accessModes": ["ReadWriteOnce"],
            "resources": {"requests": {"storage": "20Gi"}},
            "storageClassName": storage_class,
            "volumeMode": "Filesystem",
        },
        "status": {"phase": "Pending"},
    }


def storage_class(name, *, default=False, mode="Immediate"):
    annotations = {"storageclass.kubernetes.io/is-default-class": "true"} if default else {}
    return {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": {"name": name, "annotations": annotations},
        "provisioner": "ebs.csi.aws.com",
        "reclaimPolicy": "Delete",
        "volumeBindingMode": mode,
    }


@pytest.fixture(scope="module", autouse=True)
def cluster(server):
    classes = [storage_class("fast-ssd"), storage_class("standard", default=True, mode="WaitForFirstConsumer")]
    claims = [claim("data-db-0", "fast-sdd"), claim("wal-db-0", "standard")]
    volumes = [{"name": c, "persistentVolumeClaim": {"claimName": c}} for c in ("data-db-0", "wal-db-0")]
    # https://github.com/bitnami/charts/issues/1169
    message = corpus_message("bitnami-postgresql-unbound-pvc-legacy", "https://github.com/bitnami/charts/issues/1169")
    db = pending(
        "db-0",
        "shop",
        message,
        owner=("StatefulSet", "db"),
        containers=[container("postgres", "registry.example/postgres:16", cpu="500m", memory="1Gi")],
        spec={"volumes": volumes},
    )
    server.apply_all([node("worker-1"), node("worker-2")] + classes + claims + db)


def test_claim_with_a_class_that_does_not_exist(diagnose):
    f = finding(diagnose("shop", "db-0"), "unbound-pvc")
    # https://github.com/bitnami/charts/issues/1169
    assert evidence(f, "status.conditions[PodScheduled].message, counted per reason") == [
        "pod has unbound immediate PersistentVolumeClaims"
    ]
    assert evidence(f, "persistentvolumeclaim shop/data-db-0") == [
        "phase Pending; StorageClass fast-sdd does not exist (classes: fast-ssd, standard; default: standard). Did you mean fast-ssd?"
    ]


def test_claim_that_waits_for_its_first_consumer(diagnose):
    f = finding(diagnose("shop", "db-0"), "unbound-pvc")
    assert evidence(f, "persistentvolumeclaim shop/wal-db-0") == [
        "phase Pending; StorageClass standard exists (provisioner ebs.csi.aws.com, volumeBindingMode WaitForFirstConsumer); "
        "it binds only after the pod is scheduled, so this claim waits for the pod rather than blocking it"
    ]


def test_fix_recreates_the_claim_with_the_right_class(diagnose):
    f = finding(diagnose("shop", "db-0"), "unbound-pvc")
    assert f["remediation"][0]["text"].startswith(
        "A claim's storageClassName cannot change: set storageClassName: fast-ssd in its manifest"
    )
    assert f["remediation"][0]["command"] == "kubectl -n shop delete pvc data-db-0"
