"""`k8sdoctor wait` end to end on the kinds and causes test_wait.py does not run: a StatefulSet, a
DaemonSet and a pod that become ready while wait watches; a quota that can never fit fails at once (exit
1, the cause on the first line), while a quota that freeing usage would satisfy is waited for until the
timeout (exit 3)."""

from __future__ import annotations

import subprocess
import time

import pytest

from k8sdoctor.demo.objects import container_status, pod_status, running, waiting
from tests.analyzers_live.test_pods_not_created import quota_rollout
from tests.integrations.conftest import NS
from tests.integrations.test_wait import _wait_process, flat

IMAGE = "nginx:1.27.2"
TEMPLATE = {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "web", "image": IMAGE}]}}


def statefulset(ready: int) -> dict:
    revision = "web-5d8f7b6c9"
    return {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "web", "namespace": NS, "generation": 1},
        "spec": {"replicas": 2, "serviceName": "web", "selector": {"matchLabels": {"app": "web"}}, "template": TEMPLATE},
        "status": {
            "observedGeneration": 1,
            "replicas": 2,
            "readyReplicas": ready,
            "availableReplicas": ready,
            "updatedReplicas": 2,
            "currentReplicas": 2,
            "currentRevision": revision,
            "updateRevision": revision,
        },
    }


def daemonset(ready: int) -> dict:
    return {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"name": "agent", "namespace": NS, "generation": 1},
        "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": TEMPLATE},
        "status": {
            "observedGeneration": 1,
            "desiredNumberScheduled": 3,
            "currentNumberScheduled": 3,
            "updatedNumberScheduled": 3,
            "numberReady": ready,
            "numberAvailable": ready,
        },
    }


def single_pod(ready: int) -> dict:
    state = running() if ready else waiting("ContainerCreating")
    phase = "Running" if ready else "Pending"
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "web-0", "namespace": NS, "labels": {"app": "web"}},
        "spec": {"containers": [{"name": "web", "image": IMAGE}], "nodeName": "worker-1"},
        "status": pod_status(phase, [container_status("web", IMAGE, state)]),
    }


@pytest.mark.parametrize(
    ("make", "target", "waiting_line", "done_line"),
    [
        (
            statefulset,
            "sts/web",
            "Waiting for 2 pods to be ready...",
            "statefulset rolling update complete 2 pods at revision web-5d8f7b6c9...",
        ),
        (
            daemonset,
            "ds/agent",
            'Waiting for daemon set "agent" rollout to finish: 0 of 3 updated pods are available...',
            'daemon set "agent" successfully rolled out',
        ),
        (single_pod, "pod/web-0", 'Waiting for pod "web-0" to be ready (phase Pending)...', 'pod "web-0" is ready'),
    ],
    ids=["statefulset", "daemonset", "pod"],
)
def test_each_kind_is_watched_until_ready(cluster, cluster_kubeconfig, make, target, waiting_line, done_line):
    cluster.apply(make(ready=0))
    proc = _wait_process(cluster_kubeconfig, target, "--timeout", "60s")
    try:
        assert proc.stderr is not None
        first = proc.stderr.readline()
        assert waiting_line in first, first
        cluster.apply(make(ready=3 if target.startswith("ds") else (2 if target.startswith("sts") else 1)))
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    kind = {"sts": "statefulset", "ds": "daemonset", "pod": "pod"}[target.split("/")[0]]
    assert out.startswith(f"{kind}/{target.split('/')[1]} is healthy after "), out
    assert out.strip().endswith(done_line), out


def test_a_quota_that_can_never_fit_fails_at_once(run_cli, demo_kubeconfig):
    """The demo's rq-demo/busybox asks 1G of memory; its quota allows 500m in all."""
    started = time.monotonic()
    r = run_cli("wait", "deploy/busybox", "-n", "rq-demo", "--timeout", "10m", kubeconfig=demo_kubeconfig)
    assert r.code == 1, r.err
    assert time.monotonic() - started < 60  # the subprocess allows 60 s: it did not run into its 10 min
    first = r.out.splitlines()[0]
    assert first.startswith("deployment/busybox failed after ")
    assert "PodsNotCreated › quota-exceeded" in first
    assert "one pod asks for requests.memory more than the quota allows in total" in first
    assert "exceeded quota: app, requested: requests.memory=1G" in flat(r.out)


def test_a_quota_that_freeing_usage_would_satisfy_is_waited_for(run_cli, cluster, cluster_kubeconfig):
    """allocation-manager's surge pod is refused while the old pods use the quota up: the rollout can
    go on once usage goes down, so wait runs into its timeout (https://github.com/ministryofjustice/cloud-platform/issues/590)."""
    cluster.load_scenario({"objects": quota_rollout()})
    kubeconfig = cluster.write_kubeconfig(cluster_kubeconfig.parent / "kc-oms", namespace="offender-management")
    r = run_cli("wait", "deploy/allocation-manager", "--timeout", "2s", kubeconfig=kubeconfig)
    assert r.code == 3, r.out + r.err
    assert r.out.startswith("deployment/allocation-manager timed out after ")
    assert "quota-exceeded" in flat(r.out)


def test_wait_never_polls_for_a_pod(cluster, cluster_kubeconfig):
    """Watching one pod lists it once, then watches."""
    cluster.apply(single_pod(ready=0))
    proc = _wait_process(cluster_kubeconfig, "pod/web-0", "--timeout", "3s")
    try:
        proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    assert proc.returncode == 3
    pods = cluster.requests("GET", f"/api/v1/namespaces/{NS}/pods")
    assert [r for r in pods if r.query.get("watch") == "true"]
    assert len([r for r in pods if r.query.get("watch") != "true"]) <= 2
