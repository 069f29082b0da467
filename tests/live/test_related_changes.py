"""The TUI's live path (LiveSource → ViewFeed over the local API server): when an object a diagnosis
reads is created or changed, the subjects that read it are diagnosed again and say what is true now."""

from __future__ import annotations

import queue
import time

import pytest

from k8sdoctor.core.kube.timeutil import utcnow
from k8sdoctor.fakeapi import FakeApiServer
from k8sdoctor.model.feed import ViewFeed
from k8sdoctor.model.live_source import LiveSource
from tests.analyzers.builders import ago, corpus_message
from tests.analyzers_live.objects import event, node, pending, waiting_pod
from tests.analyzers_live.workloads import deployment, namespace, object_event, replicaset, template
from tests.beyondcases import case_message

NS = "shop"


class LiveFeed:
    """A LiveSource feeding a ViewFeed, with the object rows as the UI would hold them."""

    def __init__(self, kubeconfig, engine, namespace: str = NS) -> None:
        self.batches: queue.Queue = queue.Queue()
        self.feed = ViewFeed(engine, self.batches.put, clock=utcnow)
        self.source = LiveSource.connect(str(kubeconfig), None)
        self.rows: dict = {}  # object rows by ref
        self.pods: dict = {}  # pod rows by key
        self.feed.start()
        self.source.start(self.feed, namespace)

    def causes(self, kind: str, name: str, namespace: str = NS) -> list[tuple[str, str]]:
        row = self.rows.get((kind, namespace, name))
        return [(f.category, f.cause) for f in row.diagnosis.findings] if row is not None else []

    def evidence(self, ref: tuple[str, str, str], cause: str, source: str) -> list[str]:
        row = self.rows.get(ref)
        found = [f for f in row.diagnosis.findings if f.cause == cause] if row is not None else []
        return [e.text for f in found[:1] for e in f.evidence if e.source == source]

    def pod_evidence(self, name: str, cause: str, source: str) -> list[str]:
        row = self.pods.get((NS, name))
        found = [f for f in row.diagnosis.findings if f.cause == cause] if row is not None else []
        return [e.text for f in found[:1] for e in f.evidence if e.source == source]

    def wait_for(self, condition, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                batch = self.batches.get(timeout=0.2)
            except queue.Empty:
                continue
            for ref in batch.objects_removed:
                self.rows.pop(ref, None)
            self.rows.update({row.ref: row for row in batch.objects})
            for key in batch.removed:
                self.pods.pop(key, None)
            self.pods.update({row.key: row for row in batch.changed})
            self.feed.ack()
            if condition(self):
                return
        objects = {ref: [f.cause for f in row.diagnosis.findings] for ref, row in self.rows.items()}
        pods = {key: [(f.cause, [e.text for e in f.evidence]) for f in row.diagnosis.findings] for key, row in self.pods.items()}
        raise AssertionError(f"condition not met in {timeout}s; objects: {objects}; pods: {pods}")

    def close(self) -> None:
        self.source.stop()
        self.feed.stop()


@pytest.fixture
def server():
    with FakeApiServer() as srv:
        yield srv


@pytest.fixture
def live(server, tmp_path, engine):
    feed = LiveFeed(server.write_kubeconfig(tmp_path / "kubeconfig", namespace=NS), engine)
    yield feed
    feed.close()


def claim(name: str, storage_class: str, *, phase: str = "Pending", volume: str = "") -> dict:
    spec = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "10Gi"}}, "storageClassName": storage_class}
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": name, "namespace": NS, "uid": f"uid-{name}", "creationTimestamp": ago(71 * 60, utcnow())},
        "spec": {**spec, **({"volumeName": volume} if volume else {})},
        "status": {"phase": phase, **({"capacity": {"storage": "10Gi"}} if phase == "Bound" else {})},
    }


def claim_event(about: dict, reason: str, type_: str, message: str, *, seconds_ago: float) -> dict:
    """An event the persistentvolume-controller wrote about a claim."""
    meta = about["metadata"]
    return {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": f"{meta['name']}.{reason.lower()}", "namespace": NS},
        "involvedObject": {"kind": "PersistentVolumeClaim", "namespace": NS, "name": meta["name"], "uid": meta["uid"]},
        "reason": reason,
        "type": type_,
        "message": message,
        "count": 1,
        "source": {"component": "persistentvolume-controller"},
        "firstTimestamp": ago(seconds_ago, utcnow()),
        "lastTimestamp": ago(seconds_ago, utcnow()),
    }


def storage_class(name: str, provisioner: str) -> dict:
    return {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": {"name": name, "creationTimestamp": ago(0, utcnow())},
        "provisioner": provisioner,
        "reclaimPolicy": "Delete",
        "volumeBindingMode": "Immediate",
    }


# https://github.com/ZP-AlwaysWin/K8S-FastDFS/issues/6
NOT_FOUND = case_message(
    "fastdfs-6-storageclass-fast-not-found", "https://github.com/ZP-AlwaysWin/K8S-FastDFS/issues/6", "ProvisioningFailed"
)


def test_a_claim_is_diagnosed_again_when_its_storage_class_is_created(server, live):
    data = claim("data", "fast")
    server.apply_all([data, claim_event(data, "ProvisioningFailed", "Warning", NOT_FOUND, seconds_ago=60)])
    live.wait_for(lambda f: f.causes("PersistentVolumeClaim", "data") == [("PVCPending", "storageclass-not-found")])

    server.apply(storage_class("fast", "ebs.csi.aws.com"))
    live.wait_for(lambda f: ("PVCPending", "storageclass-not-found") not in f.causes("PersistentVolumeClaim", "data"))


# https://github.com/kubernetes-retired/external-storage/issues/754
WAITING = case_message(
    "external-storage-754-no-provisioner-answers",
    "https://github.com/kubernetes-retired/external-storage/issues/754",
    "ExternalProvisioning",
)


def test_the_claim_then_says_what_is_true_until_it_binds(server, live):
    data = claim("data", "fast")
    server.apply_all([data, claim_event(data, "ProvisioningFailed", "Warning", NOT_FOUND, seconds_ago=60)])
    live.wait_for(lambda f: f.causes("PersistentVolumeClaim", "data") == [("PVCPending", "storageclass-not-found")])
    # the class the message names as the provisioner: the controller's next word is about it
    server.apply(storage_class("fast", "fuserim.pri/ifs"))
    # only the old event says anything, and it is older than the class: nothing says why yet
    live.wait_for(lambda f: f.causes("PersistentVolumeClaim", "data") == [("PVCPending", "unbound")])
    server.apply(claim_event(data, "ExternalProvisioning", "Normal", WAITING, seconds_ago=5))
    live.wait_for(lambda f: f.causes("PersistentVolumeClaim", "data") == [("PVCPending", "provisioning-failed")])
    server.apply(claim("data", "fast", phase="Bound", volume="pvc-0d7c"))
    live.wait_for(lambda f: f.causes("PersistentVolumeClaim", "data") == [])


def test_a_pod_on_the_claim_is_diagnosed_again_when_the_claims_class_is_created(server, live):
    # https://github.com/bitnami/charts/issues/1169
    unbound = corpus_message("bitnami-postgresql-unbound-pvc-legacy", "https://github.com/bitnami/charts/issues/1169")
    volumes = [{"name": "data", "persistentVolumeClaim": {"claimName": "data"}}]
    db = pending("db-0", NS, unbound, owner=("StatefulSet", "db"), spec={"volumes": volumes})
    server.apply_all([node("worker-1"), storage_class("standard", "ebs.csi.aws.com"), claim("data", "fast"), *db])
    source = f"persistentvolumeclaim {NS}/data"
    live.wait_for(
        lambda f: f.pod_evidence("db-0", "unbound-pvc", source) == ["phase Pending; StorageClass fast does not exist (classes: standard)"]
    )
    assert live.causes("PersistentVolumeClaim", "data") == [("PVCPending", "storageclass-not-found")]
    server.apply(storage_class("fast", "ebs.csi.aws.com"))
    # the pod reads the class itself, and carries the claim's finding, which is no longer storageclass-not-found
    live.wait_for(
        lambda f: (
            f.pod_evidence("db-0", "unbound-pvc", source)
            == ["phase Pending; StorageClass fast exists (provisioner ebs.csi.aws.com, volumeBindingMode Immediate)"]
            and f.pod_evidence("db-0", "unbound-pvc", f"{source}: PVCPending › storageclass-not-found") == []
        )
    )


def test_a_pod_is_diagnosed_again_when_the_secret_it_mounts_is_created(server, live):
    # https://github.com/matt-deboer/kuill/issues/83
    message = corpus_message("kuill-secrets-plural-volume-not-found", "https://github.com/matt-deboer/kuill/issues/83")
    volumes = [{"name": "auth-proxy-certs", "secret": {"secretName": "auth-proxy-certs"}}]
    app = {"name": "proxy", "image": "registry.example/auth-proxy:1.0"}
    stuck = waiting_pod("kuill-7d9f-x2x4q", NS, [app], "ContainerCreating", spec={"volumes": volumes})
    server.apply_all([node("worker-1"), stuck, event(stuck, message, reason="FailedMount")])
    source = f"Secret names in namespace {NS}"
    live.wait_for(lambda f: any("does not exist" in t for t in f.pod_evidence("kuill-7d9f-x2x4q", "missing-secret", source)))
    server.apply(
        {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "auth-proxy-certs", "namespace": NS}, "type": "kubernetes.io/tls"}
    )
    live.wait_for(lambda f: any("exists now" in t for t in f.pod_evidence("kuill-7d9f-x2x4q", "missing-secret", source)))


def test_a_workload_refused_for_a_missing_serviceaccount_says_so_once_it_exists(server, tmp_path, engine):
    # https://github.com/giantswarm/kube-stresscheck/issues/7
    message = case_message(
        "kube-stresscheck-7-rs-serviceaccount-other-namespace", "https://github.com/giantswarm/kube-stresscheck/issues/7"
    )
    app = "kube-stresscheck"
    tmpl = template(app, [{"name": app, "image": "quay.io/giantswarm/kube-stresscheck:latest"}], serviceAccountName=app)
    server.apply_all(
        [
            namespace("kube-system"),
            deployment("kube-system", app, tmpl, replicas=1, status={"replicas": 0}),
            replicaset("kube-system", f"{app}-7f75dbbcb7", tmpl, replicas=1, status={"replicas": 0}, owner=app),
            object_event(
                "ReplicaSet", "kube-system", f"{app}-7f75dbbcb7", message, reason="FailedCreate", component="replicaset-controller"
            ),
        ]
    )
    live = LiveFeed(server.write_kubeconfig(tmp_path / "kubeconfig"), engine, namespace="kube-system")
    try:
        ref, source = ("Deployment", "kube-system", app), "serviceaccounts in namespace kube-system"
        live.wait_for(lambda f: f.causes("Deployment", app, "kube-system") == [("PodsNotCreated", "serviceaccount-missing")])
        assert live.evidence(ref, "serviceaccount-missing", source) == []
        server.apply({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": app, "namespace": "kube-system"}})
        # the pods are still not created (the controller retries after a back-off), but not for want of the account
        live.wait_for(
            lambda f: (
                f.evidence(ref, "serviceaccount-missing", source)
                == [
                    f"ServiceAccount {app} exists now: it was created after the refusal, and the controller creates the pods when it retries"
                ]
            )
        )
    finally:
        live.close()
