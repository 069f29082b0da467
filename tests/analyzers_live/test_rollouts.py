"""RolloutStuck and PodsFailing, live and from a snapshot: a rollout says why it does not finish from its
new revision's pods (each diagnosed by the pod playbooks and quoted), with the rollback to the revision
before; a workload whose pods fail outside a rollout says so; controls (a finished rollout with a stale
deadline condition, a rollout in progress, a healthy workload) raise nothing alarming."""

from __future__ import annotations

import pytest

from tests.analyzers.builders import corpus_message
from tests.analyzers_live.objects import corpus_logs, evidence, finding, waiting_status
from tests.analyzers_live.workloads import (
    Verdicts,
    beyond_case,
    deployment,
    load,
    namespace,
    object_event,
    pod,
    replicaset,
    run_both,
    running,
    template,
)

pytestmark = pytest.mark.kubectl
KINDS = ("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet")
RUNNER = "lachlanevenson/k8s-kubectl"
KESTRA = "kestra/kestra:v0.4.0"


def node(name: str) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name}},
        "status": {
            "allocatable": {"cpu": "4", "memory": "16Gi", "pods": "110"},
            "capacity": {"cpu": "4", "memory": "16Gi", "pods": "110"},
            "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady"}],
        },
    }


def waiting(c: dict, reason: str, *, restarts: int = 0, last: dict | None = None) -> dict:
    if last:  # the kubelet serves the previous run's log only for a terminated container it knows the id of
        last = {**last, "containerID": f"containerd://{c['name']}-{restarts}"}
    return waiting_status(c["name"], c["image"], reason, restarts=restarts, last=last)


def deadline_with_failing_pods() -> list[dict]:
    """Revision 4 cannot pull its image; the controller gave up waiting (ProgressDeadlineExceeded)."""
    # https://github.com/google/ondc-opencommerce/issues/4 (the condition)
    row = beyond_case("ondc-terraform-progress-deadline-istio-gateway")
    assert row["source_url"] == "https://github.com/google/ondc-opencommerce/issues/4"
    progressing = {**row["conditions"][0], "lastUpdateTime": "-5m"}
    # https://github.com/lachie83/k8s-kubectl/issues/157 (the new pods' pull error)
    pull = corpus_message("k8s-kubectl-image-tag-manifest-unknown", "https://github.com/lachie83/k8s-kubectl/issues/157")
    ns, app = "istio-system", "istio-ingressgateway"
    old_c, new_c = [{"name": "kubectl", "image": f"{RUNNER}:v1.18.19"}], [{"name": "kubectl", "image": f"{RUNNER}:v1.18.20"}]
    status = {"replicas": 2, "updatedReplicas": 1, "readyReplicas": 1, "availableReplicas": 1, "conditions": [progressing]}
    new_pod = pod(
        ns,
        f"{app}-f655c454-x2x7q",
        ("ReplicaSet", f"{app}-f655c454"),
        new_c,
        {"phase": "Pending", "containerStatuses": [waiting(new_c[0], "ImagePullBackOff")]},
        created="-25m",
        labels={"app": app},
        nodeName="worker-1",
    )
    return [
        namespace(ns),
        deployment(ns, app, template(app, new_c), replicas=1, status=status, generation=4),
        replicaset(
            ns,
            f"{app}-7c9d8e6f5",
            template(app, old_c),
            replicas=1,
            status={"replicas": 1, "readyReplicas": 1},
            owner=app,
            revision=3,
            created="-2d",
        ),
        replicaset(
            ns, f"{app}-f655c454", template(app, new_c), replicas=1, status={"replicas": 1, "readyReplicas": 0}, owner=app, revision=4
        ),
        pod(
            ns,
            f"{app}-7c9d8e6f5-a1b2c",
            ("ReplicaSet", f"{app}-7c9d8e6f5"),
            old_c,
            running(old_c),
            labels={"app": app},
            nodeName="worker-2",
        ),
        new_pod,
        object_event(
            "Pod",
            ns,
            new_pod["metadata"]["name"],
            pull,
            reason="Failed",
            component="kubelet",
            count=9,
            field_path="spec.containers{kubectl}",
        ),
    ]


def surge_unschedulable() -> list[dict]:
    """Three replicas with required anti-affinity on three nodes: the surge pod has nowhere to go."""
    # https://github.com/kubernetes/kubernetes/issues/116891
    row = beyond_case("k8s-116891-rollout-stuck-required-anti-affinity")
    assert row["source_url"] == "https://github.com/kubernetes/kubernetes/issues/116891"
    message = row["events"][0]["message"]
    ns, app = "web", "web"
    affinity = {
        "podAntiAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": [
                {"labelSelector": {"matchLabels": {"app": app}}, "topologyKey": "kubernetes.io/hostname"}
            ]
        }
    }
    old_c, new_c = [{"name": "web", "image": "nginx:1.25"}], [{"name": "web", "image": "nginx:1.27"}]
    status = {
        "replicas": 4,
        "updatedReplicas": 1,
        "readyReplicas": 3,
        "availableReplicas": 3,
        "conditions": [{"type": "Progressing", "status": "True", "reason": "ReplicaSetUpdated"}],
    }
    objects = [
        namespace(ns),
        deployment(ns, app, template(app, new_c, affinity=affinity), replicas=3, status=status, generation=2),
        replicaset(
            ns,
            "web-5d8f7b6c9",
            template(app, old_c, affinity=affinity),
            replicas=3,
            status={"replicas": 3, "readyReplicas": 3},
            owner=app,
            created="-2d",
        ),
        replicaset(ns, "web-6c9f8d7b4", template(app, new_c, affinity=affinity), replicas=1, status={"replicas": 1}, owner=app, revision=2),
    ]
    for i in range(3):
        objects.append(
            pod(
                ns,
                f"web-5d8f7b6c9-{i}",
                ("ReplicaSet", "web-5d8f7b6c9"),
                old_c,
                running(old_c),
                labels={"app": app},
                nodeName=f"worker-{i + 1}",
            )
        )
    conditions = [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": message, "lastTransitionTime": "-20m"}]
    surge = pod(
        ns,
        "web-6c9f8d7b4-q7w8e",
        ("ReplicaSet", "web-6c9f8d7b4"),
        new_c,
        {"phase": "Pending", "conditions": conditions},
        created="-20m",
        labels={"app": app},
        affinity=affinity,
    )
    objects += [
        surge,
        object_event("Pod", ns, surge["metadata"]["name"], message, reason="FailedScheduling", component="default-scheduler", count=12),
    ]
    return objects


def not_ready_and_paused() -> list[dict]:
    # https://github.com/caronc/apprise-api/issues/262 (the new pod's readiness probe)
    probe = corpus_message("apprise-api-readiness-http-refused-quoted", "https://github.com/caronc/apprise-api/issues/262")
    ns = "notify"
    old_c = [{"name": "apprise", "image": "caronc/apprise:1.1", "readinessProbe": {"httpGet": {"path": "/status", "port": 8000}}}]
    new_c = [{"name": "apprise", "image": "caronc/apprise:1.2", "readinessProbe": {"httpGet": {"path": "/status", "port": 8000}}}]
    status = {
        "replicas": 3,
        "updatedReplicas": 1,
        "readyReplicas": 2,
        "availableReplicas": 2,
        "conditions": [{"type": "Progressing", "status": "True", "reason": "ReplicaSetUpdated"}],
    }
    unready = {
        "phase": "Running",
        "containerStatuses": [
            {"name": "apprise", "image": new_c[0]["image"], "ready": False, "restartCount": 0, "state": {"running": {"startedAt": "-10m"}}}
        ],
    }
    new_pod = pod(
        ns,
        "apprise-7b9c8d6f5-z9x8c",
        ("ReplicaSet", "apprise-7b9c8d6f5"),
        new_c,
        unready,
        created="-11m",
        labels={"app": "apprise"},
        nodeName="worker-1",
    )
    paused_status = {
        "replicas": 2,
        "updatedReplicas": 0,
        "readyReplicas": 2,
        "availableReplicas": 2,
        "conditions": [{"type": "Progressing", "status": "Unknown", "reason": "DeploymentPaused"}],
    }
    cache_old = [{"name": "cache", "image": "redis:7.0"}]
    objects = [
        namespace(ns),
        deployment(ns, "apprise", template("apprise", new_c), replicas=2, status=status, generation=2),
        replicaset(
            ns,
            "apprise-5c6d7e8f9",
            template("apprise", old_c),
            replicas=2,
            status={"replicas": 2, "readyReplicas": 2},
            owner="apprise",
            created="-5d",
        ),
        replicaset(ns, "apprise-7b9c8d6f5", template("apprise", new_c), replicas=1, status={"replicas": 1}, owner="apprise", revision=2),
        new_pod,
        object_event(
            "Pod",
            ns,
            new_pod["metadata"]["name"],
            probe,
            reason="Unhealthy",
            component="kubelet",
            count=40,
            field_path="spec.containers{apprise}",
        ),
        deployment(
            ns,
            "cache",
            template("cache", [{"name": "cache", "image": "redis:7.2"}]),
            replicas=2,
            status=paused_status,
            generation=3,
            paused=True,
        ),
        replicaset(
            ns,
            "cache-6f7d8c9b5",
            template("cache", cache_old),
            replicas=2,
            status={"replicas": 2, "readyReplicas": 2},
            owner="cache",
            created="-9d",
        ),
    ]
    for i in range(2):
        objects.append(
            pod(ns, f"apprise-5c6d7e8f9-{i}", ("ReplicaSet", "apprise-5c6d7e8f9"), old_c, running(old_c), labels={"app": "apprise"})
        )
        objects.append(
            pod(ns, f"cache-6f7d8c9b5-{i}", ("ReplicaSet", "cache-6f7d8c9b5"), cache_old, running(cache_old), labels={"app": "cache"})
        )
    return objects


def statefulset_rollout() -> list[dict]:
    """The StatefulSet's new revision crashes on start (its log says why); the older pods still run it."""
    ns, app = "kestra", "kestra-db-migrate"
    c = [{"name": "kestra", "image": KESTRA}]
    last = {"reason": "Error", "exitCode": 1, "startedAt": "-4m", "finishedAt": "-3m"}
    crashing = {"phase": "Running", "containerStatuses": [waiting(c[0], "CrashLoopBackOff", restarts=6, last=last)]}
    sts = {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": app, "namespace": ns, "generation": 2},
        "spec": {"replicas": 2, "serviceName": app, "selector": {"matchLabels": {"app": app}}, "template": template(app, c)},
        "status": {
            "observedGeneration": 2,
            "replicas": 2,
            "readyReplicas": 1,
            "updatedReplicas": 1,
            "currentRevision": f"{app}-5d8c7b6f4",
            "updateRevision": f"{app}-7f9b8c6d5",
        },
    }
    return [
        namespace(ns),
        sts,
        pod(
            ns,
            f"{app}-1",
            ("StatefulSet", app),
            c,
            crashing,
            created="-15m",
            labels={"app": app, "controller-revision-hash": f"{app}-7f9b8c6d5"},
            nodeName="worker-3",
        ),
        pod(
            ns,
            f"{app}-0",
            ("StatefulSet", app),
            c,
            running(c),
            created="-3d",
            labels={"app": app, "controller-revision-hash": f"{app}-5d8c7b6f4"},
        ),
    ]


def pods_failing() -> list[dict]:
    """No rollout: kestra's three pods crash (their dependency is down); one of three DaemonSet pods is
    OOM-killed."""
    ns = "shop"
    c = [{"name": "kestra", "image": KESTRA}]
    last = {"reason": "Error", "exitCode": 1, "startedAt": "-6m", "finishedAt": "-5m"}
    done = {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable"}
    objects = [
        namespace(ns),
        deployment(
            ns,
            "kestra",
            template("kestra", c),
            replicas=3,
            status={"replicas": 3, "updatedReplicas": 3, "readyReplicas": 0, "availableReplicas": 0, "conditions": [done]},
        ),
        replicaset(
            ns,
            "kestra-6d5c4b3a2",
            template("kestra", c),
            replicas=3,
            status={"replicas": 3, "readyReplicas": 0},
            owner="kestra",
            created="-2d",
        ),
    ]
    for suffix in ("k2j4h", "m5n6b", "q8w9e"):
        crashing = {"phase": "Running", "containerStatuses": [waiting(c[0], "CrashLoopBackOff", restarts=7, last=last)]}
        objects.append(
            pod(
                ns,
                f"kestra-6d5c4b3a2-{suffix}",
                ("ReplicaSet", "kestra-6d5c4b3a2"),
                c,
                crashing,
                created="-2d",
                labels={"app": "kestra"},
                nodeName="worker-2",
            )
        )
    # https://github.com/gimlet-io/gimlet/issues/649 (OOMKilled, exit code 137)
    oom = {"reason": "OOMKilled", "exitCode": 137, "startedAt": "-9m", "finishedAt": "-8m"}
    agent = [{"name": "agent", "image": "registry.example/log-agent:3.1", "resources": {"limits": {"memory": "128Mi"}}}]
    ds = {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"name": "log-agent", "namespace": ns, "generation": 1},
        "spec": {"selector": {"matchLabels": {"app": "log-agent"}}, "template": template("log-agent", agent)},
        "status": {
            "observedGeneration": 1,
            "desiredNumberScheduled": 3,
            "currentNumberScheduled": 3,
            "numberReady": 2,
            "updatedNumberScheduled": 3,
            "numberAvailable": 2,
        },
    }
    objects.append(ds)
    for i in range(3):
        status = (
            running(agent)
            if i
            else {"phase": "Running", "containerStatuses": [waiting(agent[0], "CrashLoopBackOff", restarts=4, last=oom)]}
        )
        objects.append(
            pod(
                ns,
                f"log-agent-{i}",
                ("DaemonSet", "log-agent"),
                agent,
                status,
                labels={"app": "log-agent", "pod-template-generation": "1"},
                nodeName=f"worker-{i + 1}",
            )
        )
    return objects


def controls() -> list[dict]:
    # https://github.com/google/ondc-opencommerce/issues/4: the deadline condition, left behind by a rollout that finished
    row = beyond_case("ondc-terraform-progress-deadline-istio-gateway")
    assert row["source_url"] == "https://github.com/google/ondc-opencommerce/issues/4"
    ns = "steady"
    c = [{"name": "app", "image": "nginx:1.27"}]
    finished = {"replicas": 1, "updatedReplicas": 1, "readyReplicas": 1, "availableReplicas": 1, "conditions": [row["conditions"][0]]}
    starting = {
        "replicas": 2,
        "updatedReplicas": 1,
        "readyReplicas": 1,
        "availableReplicas": 1,
        "conditions": [{"type": "Progressing", "status": "True", "reason": "ReplicaSetUpdated"}],
    }
    creating = {"phase": "Pending", "containerStatuses": [waiting(c[0], "ContainerCreating")]}
    return [
        namespace(ns),
        deployment(ns, "finished", template("finished", c), replicas=1, status=finished, generation=2),
        replicaset(
            ns,
            "finished-5f6d7c8b9",
            template("finished", c),
            replicas=1,
            status={"replicas": 1, "readyReplicas": 1},
            owner="finished",
            revision=2,
        ),
        pod(ns, "finished-5f6d7c8b9-a", ("ReplicaSet", "finished-5f6d7c8b9"), c, running(c), labels={"app": "finished"}),
        deployment(ns, "rolling", template("rolling", c), replicas=1, status=starting, generation=2),
        replicaset(
            ns,
            "rolling-4d5c6b7a8",
            template("rolling", [{"name": "app", "image": "nginx:1.25"}]),
            replicas=1,
            status={"replicas": 1, "readyReplicas": 1},
            owner="rolling",
            created="-3d",
        ),
        replicaset(
            ns, "rolling-9a8b7c6d5", template("rolling", c), replicas=1, status={"replicas": 1}, owner="rolling", revision=2, created="-30s"
        ),
        pod(
            ns,
            "rolling-4d5c6b7a8-a",
            ("ReplicaSet", "rolling-4d5c6b7a8"),
            [{"name": "app", "image": "nginx:1.25"}],
            running([{"name": "app", "image": "nginx:1.25"}]),
            labels={"app": "rolling"},
        ),
        pod(
            ns,
            "rolling-9a8b7c6d5-b",
            ("ReplicaSet", "rolling-9a8b7c6d5"),
            c,
            creating,
            created="-20s",
            labels={"app": "rolling"},
            nodeName="worker-1",
        ),
    ]


@pytest.fixture(scope="module")
def verdicts(server, kubeconfig, k8sdoctor, tmp_path_factory) -> Verdicts:
    nodes = [node(f"worker-{i}") for i in (1, 2, 3)]
    # https://github.com/kestra-io/helm-charts/issues/8
    log = corpus_logs("kestra-hikari-postgres-connection-refused", "https://github.com/kestra-io/helm-charts/issues/8")
    logs = [
        {"namespace": "shop", "pod": f"kestra-6d5c4b3a2-{s}", "container": "kestra", "previous": True, "lines": log}
        for s in ("k2j4h", "m5n6b", "q8w9e")
    ]
    logs.append({"namespace": "kestra", "pod": "kestra-db-migrate-1", "container": "kestra", "previous": True, "lines": log})
    load(
        server,
        nodes
        + deadline_with_failing_pods()
        + surge_unschedulable()
        + not_ready_and_paused()
        + statefulset_rollout()
        + pods_failing()
        + controls(),
        logs,
    )
    return run_both(server, kubeconfig, k8sdoctor, tmp_path_factory.mktemp("snapshot"))


EXPECTED = {
    ("Deployment", "istio-system", "istio-ingressgateway", "RolloutStuck", "new-pods-failing"),
    ("Deployment", "web", "web", "RolloutStuck", "surge-unschedulable"),
    ("Deployment", "notify", "apprise", "RolloutStuck", "new-pods-not-ready"),
    ("Deployment", "notify", "cache", "RolloutStuck", "rollout-paused"),
    ("StatefulSet", "kestra", "kestra-db-migrate", "RolloutStuck", "new-pods-failing"),
    ("Deployment", "shop", "kestra", "PodsFailing", "pods-failing"),
    ("DaemonSet", "shop", "log-agent", "PodsFailing", "some-pods-failing"),
}


def test_every_stalled_rollout_and_failing_workload_live_and_from_a_snapshot(verdicts):
    assert verdicts.causes(KINDS) == EXPECTED
    assert verdicts.causes(KINDS, snapshot=True) == EXPECTED


def test_the_deadline_is_answered_from_the_new_pods_with_the_rollback(verdicts):
    f = finding(verdicts.item("Deployment", "istio-system", "istio-ingressgateway"), "new-pods-failing")
    assert f["severity"] == "warning"  # the previous revision's pod still serves
    assert f["summary"].startswith("The new revision's pods fail: ImagePullBackOff › image-not-found")
    assert f["object"] == {"kind": "Pod", "namespace": "istio-system", "name": "istio-ingressgateway-f655c454-x2x7q"}
    assert evidence(f, "status.conditions[Progressing].message") == [
        'ReplicaSet "istio-ingressgateway-f655c454" has timed out progressing.'
    ]
    assert any("manifest for lachlanevenson/k8s-kubectl:v1.18.20 not found" in e["text"] for e in f["evidence"])
    assert evidence(f, "replicasets istio-ingressgateway-7c9d8e6f5 → istio-ingressgateway-f655c454 spec.template.spec") == [
        f"image kubectl: {RUNNER}:v1.18.19 → {RUNNER}:v1.18.20"
    ]
    assert f["remediation"][0]["command"] == "kubectl rollout undo deployment/istio-ingressgateway -n istio-system --to-revision=3"


def test_a_surge_pod_with_no_room_gets_the_strategy_arithmetic(verdicts):
    f = finding(verdicts.item("Deployment", "web", "web"), "surge-unschedulable")
    assert evidence(f, "spec.strategy.rollingUpdate (as the controller resolves it)") == [
        "maxSurge 25% → 1, maxUnavailable 25% → 0 of 3 replicas; 3 old pods still running: no old pod is removed until a new one is ready, and no new one can be placed"
    ]
    assert f["summary"].endswith("Pending › pod-affinity (Pod affinity/anti-affinity rules rule out every node)")


def test_not_ready_paused_and_statefulset_rollouts(verdicts):
    nr = finding(verdicts.item("Deployment", "notify", "apprise"), "new-pods-not-ready")
    assert "NotReady › readiness-probe-failure" in nr["summary"]
    paused = finding(verdicts.item("Deployment", "notify", "cache"), "rollout-paused")
    assert paused["severity"] == "warning"
    assert evidence(paused, "replicaset cache-6f7d8c9b5 → deployment spec.template.spec (pending)") == [
        "image cache: redis:7.0 → redis:7.2"
    ]
    sts = finding(verdicts.item("StatefulSet", "kestra", "kestra-db-migrate"), "new-pods-failing")
    assert sts["severity"] == "warning"  # kestra-db-migrate-0 still runs the current revision
    assert "CrashLoopBackOff › dependency-unreachable" in sts["summary"]
    assert sts["remediation"][0]["command"] == "kubectl rollout undo statefulset/kestra-db-migrate -n kestra"
    assert "Then delete the failing pod" in sts["remediation"][0]["text"]


def test_a_workload_whose_pods_fail_never_reads_healthy(verdicts, k8sdoctor):
    f = finding(verdicts.item("Deployment", "shop", "kestra"), "pods-failing")
    assert f["summary"].startswith("None of the pods of deployment/kestra is ready; they fail: CrashLoopBackOff › dependency-unreachable")
    assert evidence(f, "pods") == ["3 of 3 pods fail the same way"]
    some = finding(verdicts.item("DaemonSet", "shop", "log-agent"), "some-pods-failing")
    assert some["severity"] == "warning" and "CrashLoopBackOff › oom-killed" in some["summary"]
    text = k8sdoctor("diagnose", "deploy/kestra", "-n", "shop")
    assert text.code == 1 and "PodsFailing › pods-failing" in text.out and "no problems" not in text.out


def test_controls_raise_nothing(verdicts):
    for name in ("finished", "rolling"):
        for snapshot in (False, True):
            item = verdicts.item("Deployment", "steady", name, snapshot=snapshot)
            assert item["findings"] == [] and item["healthy"], item
