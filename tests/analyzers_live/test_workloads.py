"""Workload context, live: pods grouped by the workload that owns them ("3 of 3 pods ... fail the same
way"), `owner` and `revision` on each pod result, and a failing newest revision rolled back to the
healthy one before it, with the image diff."""

from __future__ import annotations

import pytest

from tests.analyzers_live.objects import (
    container,
    corpus_logs,
    corpus_message,
    event,
    evidence,
    finding,
    node,
    pod,
    terminated,
    waiting_status,
)

RUNNER = "lachlanevenson/k8s-kubectl"
KESTRA = "kestra/kestra:v0.4.0"
KESTRA_SOURCE = "https://github.com/kestra-io/helm-charts/issues/8"
REPORT = "registry.example/report:3.2"


def deployment(name, cname, image, replicas):
    template = {"metadata": {"labels": {"app": name}}, "spec": {"containers": [{"name": cname, "image": image}]}}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": "shop", "uid": f"{name}-uid"},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}}, "template": template},
    }


def replicaset(name, deploy, revision, cname, image, *, replicas, ready, env=None):
    template = {"name": cname, "image": image, **({"env": env} if env else {})}
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": name,
            "namespace": "shop",
            "uid": f"{name}-uid",
            "annotations": {"deployment.kubernetes.io/revision": str(revision)},
            "ownerReferences": [
                {"apiVersion": "apps/v1", "kind": "Deployment", "name": deploy, "uid": f"{deploy}-uid", "controller": True}
            ],
        },
        "spec": {"replicas": replicas, "template": {"metadata": {"labels": {"app": deploy}}, "spec": {"containers": [template]}}},
        "status": {"replicas": replicas, "readyReplicas": ready},
    }


def runner():
    """kubectl-runner: revision 4 (a tag that does not exist, and a new env var) fails while revision 3
    still runs its 2 pods."""
    old, new = f"{RUNNER}:v1.18.19", f"{RUNNER}:v1.18.20"
    env = [{"name": "KUBECONFIG", "value": "/etc/kube/config"}]
    objects = [
        deployment("kubectl-runner", "kubectl", new, 2),
        replicaset("kubectl-runner-5d8c7f6b4", "kubectl-runner", 2, "kubectl", f"{RUNNER}:v1.17.9", replicas=0, ready=0),
        replicaset("kubectl-runner-7c9d8e6f5", "kubectl-runner", 3, "kubectl", old, replicas=2, ready=2),
        replicaset("kubectl-runner-6b5d8c7f9", "kubectl-runner", 4, "kubectl", new, replicas=1, ready=0, env=env),
    ]
    for suffix in ("a1b2c", "d3e4f"):
        objects.append(
            pod(
                f"kubectl-runner-7c9d8e6f5-{suffix}",
                "shop",
                node_name="worker-2",
                owner=("ReplicaSet", "kubectl-runner-7c9d8e6f5"),
                containers=[container("kubectl", old)],
            )
        )
    failing = pod(
        "kubectl-runner-6b5d8c7f9-p4q5r",
        "shop",
        phase="Pending",
        node_name="worker-1",
        owner=("ReplicaSet", "kubectl-runner-6b5d8c7f9"),
        containers=[container("kubectl", new, env=env)],
        statuses=[waiting_status("kubectl", new, "ImagePullBackOff")],
    )
    # https://github.com/lachie83/k8s-kubectl/issues/157
    message = corpus_message("k8s-kubectl-image-tag-manifest-unknown", "https://github.com/lachie83/k8s-kubectl/issues/157")
    return objects + [failing, event(failing, message, reason="Failed", count=5, field_path="spec.containers{kubectl}")]


def kestra():
    """kestra: all three replicas crash on the same log line (its log is set below): the database is not
    up yet."""
    objects = [
        deployment("kestra", "kestra", KESTRA, 3),
        replicaset("kestra-6d5c4b3a2", "kestra", 1, "kestra", KESTRA, replicas=3, ready=0),
    ]
    for i, suffix in enumerate(("k2j4h", "m5n6b", "q8w9e")):
        status = waiting_status("kestra", KESTRA, "CrashLoopBackOff", restarts=7, last=terminated("Error", 1, ran=30))
        owner = ("ReplicaSet", "kestra-6d5c4b3a2")
        objects.append(
            pod(
                f"kestra-6d5c4b3a2-{suffix}",
                "shop",
                node_name=f"worker-{i % 2 + 1}",
                owner=owner,
                containers=[container("kestra", KESTRA)],
                statuses=[status],
            )
        )
    return objects


def nightly_report():
    """CronJob nightly-report: the pods of its last two Jobs were OOM-killed the same way."""
    pod_spec = {
        "restartPolicy": "OnFailure",
        "containers": [{"name": "report", "image": REPORT, "resources": {"limits": {"memory": "256Mi"}, "requests": {"memory": "256Mi"}}}],
    }
    cronjob = {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": "nightly-report", "namespace": "shop", "uid": "nightly-report-uid"},
        "spec": {"schedule": "0 2 * * *", "jobTemplate": {"spec": {"template": {"spec": pod_spec}}}},
    }
    objects = [cronjob]
    for run, suffix in (("29012340", "x7k2p"), ("29013780", "b4n8m")):
        job = f"nightly-report-{run}"
        owner = {"apiVersion": "batch/v1", "kind": "CronJob", "name": "nightly-report", "uid": "nightly-report-uid", "controller": True}
        objects.append(
            {
                "apiVersion": "batch/v1",
                "kind": "Job",
                "metadata": {"name": job, "namespace": "shop", "uid": f"{job}-uid", "ownerReferences": [owner]},
                "spec": {"template": {"spec": pod_spec}},
                "status": {"active": 1},
            }
        )
        # https://github.com/gimlet-io/gimlet/issues/649 (OOMKilled, exit code 137)
        status = waiting_status("report", REPORT, "CrashLoopBackOff", restarts=3, last=terminated("OOMKilled", 137))
        report = container("report", REPORT, memory="256Mi", limits={"memory": "256Mi"})
        objects.append(pod(f"{job}-{suffix}", "shop", node_name="worker-1", owner=("Job", job), containers=[report], statuses=[status]))
    return objects


@pytest.fixture(scope="module", autouse=True)
def cluster(server):
    server.apply_all([node("worker-1"), node("worker-2")] + runner() + kestra() + nightly_report())
    # https://github.com/kestra-io/helm-charts/issues/8
    log = corpus_logs("kestra-hikari-postgres-connection-refused", KESTRA_SOURCE)
    for suffix in ("k2j4h", "m5n6b", "q8w9e"):
        server.set_logs("shop", f"kestra-6d5c4b3a2-{suffix}", "kestra", log, previous=True)


@pytest.fixture(scope="module")
def scan(k8sdoctor) -> dict:
    result = k8sdoctor("diagnose", "pods", "-n", "shop", "-o", "json")
    assert result.code == 1, result.err
    return {item["name"]: item for item in result.json()["items"]}


@pytest.fixture(scope="module")
def text(k8sdoctor) -> str:
    result = k8sdoctor("diagnose", "pods", "-n", "shop", "-o", "text")
    assert result.code == 1, result.err
    return result.out


def test_failing_pods_name_their_workload_and_revision(scan):
    failing = {name: (item["owner"], item["revision"]) for name, item in scan.items() if name.startswith(("kestra-", "kubectl-runner-6b5"))}
    assert failing == {
        "kubectl-runner-6b5d8c7f9-p4q5r": ({"kind": "Deployment", "name": "kubectl-runner"}, "4"),
        "kestra-6d5c4b3a2-k2j4h": ({"kind": "Deployment", "name": "kestra"}, "1"),
        "kestra-6d5c4b3a2-m5n6b": ({"kind": "Deployment", "name": "kestra"}, "1"),
        "kestra-6d5c4b3a2-q8w9e": ({"kind": "Deployment", "name": "kestra"}, "1"),
    }


def test_healthy_pods_name_their_workload_and_revision(scan):
    healthy = scan["kubectl-runner-7c9d8e6f5-a1b2c"]
    assert (healthy["owner"], healthy["revision"]) == ({"kind": "Deployment", "name": "kubectl-runner"}, "3")


def test_cronjob_runs_are_one_workload(scan, text):
    assert scan["nightly-report-29012340-x7k2p"]["owner"] == {"kind": "CronJob", "name": "nightly-report"}
    assert "shop/cronjob/nightly-report  2 of 2 pods fail the same way  CrashLoopBackOff" in text.splitlines()


def test_newest_revision_failing_offers_rollout_undo_with_the_image_diff(scan):
    f = finding(scan["kubectl-runner-6b5d8c7f9-p4q5r"], "image-not-found", "kubectl")
    assert evidence(
        f, "replicasets shop/kubectl-runner-7c9d8e6f5 and kubectl-runner-6b5d8c7f9 metadata.annotations[deployment.kubernetes.io/revision]"
    ) == [
        "this pod runs revision 4 of deployment/kubectl-runner, the newest; revision 3 (replicaset kubectl-runner-7c9d8e6f5) has 2/2 ready replicas"
    ]
    assert evidence(f, "replicasets kubectl-runner-7c9d8e6f5 → kubectl-runner-6b5d8c7f9 spec.template.spec") == [
        f"image kubectl: {RUNNER}:v1.18.19 → {RUNNER}:v1.18.20; kubectl: env changed"
    ]
    assert f["remediation"][0] == {
        "text": f"Roll deployment/kubectl-runner back to revision 3, which runs healthy (kubectl: {RUNNER}:v1.18.19 → {RUNNER}:v1.18.20 is undone), while you fix the new revision.",
        "command": "kubectl rollout undo deployment/kubectl-runner -n shop --to-revision=3",
    }


def test_one_pod_diagnosis_offers_the_same_rollback(diagnose):
    f = finding(diagnose("shop", "kubectl-runner-6b5d8c7f9-p4q5r"), "image-not-found", "kubectl")
    assert f["remediation"][0]["command"] == "kubectl rollout undo deployment/kubectl-runner -n shop --to-revision=3"


def test_no_rollback_offered_when_there_is_no_healthy_previous_revision(scan):
    f = finding(scan["kestra-6d5c4b3a2-k2j4h"], "dependency-unreachable", "kestra")
    assert not any("rollout undo" in (s["command"] or "") for s in f["remediation"])


def test_text_shows_one_block_per_workload(text):
    lines = text.splitlines()
    assert "shop/deployment/kestra  3 of 3 pods fail the same way  CrashLoopBackOff  revision 1" in lines
    assert "  pods: kestra-6d5c4b3a2-k2j4h, kestra-6d5c4b3a2-m5n6b, kestra-6d5c4b3a2-q8w9e" in lines
    assert "  showing kestra-6d5c4b3a2-k2j4h:" in lines
    assert "shop/kubectl-runner-6b5d8c7f9-p4q5r  deployment/kubectl-runner  ImagePullBackOff  revision 4" in lines
    assert text.count("CrashLoopBackOff › dependency-unreachable") == 1
    assert lines[-1] == "8 pods: 2 healthy, 6 critical"
