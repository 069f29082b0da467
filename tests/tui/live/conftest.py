"""A fake API server with a small Deployment, reached by the TUI through a kubeconfig (the real
kubernetes client), so these tests cover the same path as a real cluster."""

from __future__ import annotations

import copy
from datetime import datetime, timezone

import pytest

from k8sdoctor.core.kube.timeutil import format_time
from k8sdoctor.demo.objects import container_status, node, pod_status, replica_pods, running, terminated, waiting, workload
from k8sdoctor.fakeapi import FakeApiServer
from k8sdoctor.tui.app import DoctorApp
from k8sdoctor.tui.options import TuiOptions
from tests.tui.helpers import Clock

NS = "shop"
IMAGE = "nginx:1.27.2"

#: https://github.com/aquasecurity/tracee/issues/2757 (the container's last log line, verbatim)
EXEC_FORMAT_LOG = "exec /tracee/entrypoint.sh: exec format error"
#: The pre-1.26 kubelet BackOff wording, as quoted in
#: https://kubernetes.io/docs/tasks/configure-pod-container/assign-memory-resource/
BACKOFF = "Back-off restarting failed container"


def web_pods(replicas: int = 3) -> list[dict]:
    c = [{"name": "web", "image": IMAGE, "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}}}]
    dep, rs, h = workload(NS, "web", replicas=replicas, containers=c)
    pods = replica_pods(
        dep,
        rs,
        h,
        replicas,
        nodes=["worker-1"],
        created="-1h",
        status_for=lambda _n: pod_status("Running", [container_status("web", IMAGE, running("-1h"))], started="-1h"),
    )
    return [dep, rs, *pods]


def now() -> str:
    return format_time(datetime.now(timezone.utc))


def crash_looping(pod: dict, restarts: int) -> dict:
    """The pod as the kubelet reports it once its container exits with an error and backs off."""
    out = copy.deepcopy(pod)
    cs = out["status"]["containerStatuses"][0]
    out["status"]["containerStatuses"] = [
        container_status(
            cs["name"], cs["image"], waiting("CrashLoopBackOff"), ready=False, restarts=restarts, last=terminated("Error", 1, now(), now())
        )
    ]
    out["status"]["conditions"] = [
        c if c["type"] not in ("Ready", "ContainersReady") else {**c, "status": "False"} for c in out["status"]["conditions"]
    ]
    return out


def recovered(pod: dict) -> dict:
    out = copy.deepcopy(pod)
    cs = out["status"]["containerStatuses"][0]
    out["status"]["containerStatuses"] = [
        container_status(cs["name"], cs["image"], running(now()), restarts=cs["restartCount"], last=cs.get("lastState"))
    ]
    out["status"]["conditions"] = [{**c, "status": "True"} for c in out["status"]["conditions"]]
    return out


@pytest.fixture
def server(tmp_path):
    srv = FakeApiServer(bookmark_interval=0.5)
    srv.start()
    srv.load_scenario({"objects": [node("worker-1"), *web_pods()]})
    srv.kubeconfig = srv.write_kubeconfig(tmp_path / "kubeconfig", namespace=NS)
    yield srv
    srv.stop()


@pytest.fixture
def clock():
    """The app's clock: real time, which a test may move forward ("ten minutes later")."""
    return Clock(datetime.now(timezone.utc))


@pytest.fixture
def live_app(server, engine, clock):
    app = DoctorApp(TuiOptions(kubeconfig=str(server.kubeconfig)), engine=engine, clock=clock)
    app.animation_level = "none"
    return app
