"""A fake API server with a small cluster, and an informer-fed ClusterView that tests can poll."""

from __future__ import annotations

import queue
import time
from datetime import datetime, timezone

import pytest

from k8sdoctor.cluster.live.client import KubeClient
from k8sdoctor.cluster.live.informer import Backoff, Informer
from k8sdoctor.cluster.view import ClusterView
from k8sdoctor.fakeapi import FakeApiServer

NS = "shop"


def pod(name: str, *, waiting: str | None = None, restarts: int = 0) -> dict:
    state = {"waiting": {"reason": waiting}} if waiting else {"running": {"startedAt": "-10m"}}
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": NS, "creationTimestamp": "-1h"},
        "spec": {"nodeName": "worker-1", "containers": [{"name": "app", "image": "nginx:1.27.2"}]},
        "status": {
            "phase": "Running",
            "containerStatuses": [
                {"name": "app", "image": "nginx:1.27.2", "ready": waiting is None, "restartCount": restarts, "state": state}
            ],
        },
    }


class LiveView:
    """An Informer feeding a ClusterView through a queue, drained by `settle()` like the TUI does."""

    def __init__(self, server: FakeApiServer, kubeconfig, engine) -> None:
        self.server = server
        self.deltas: queue.Queue = queue.Queue()
        self.view = ClusterView(engine)
        client = KubeClient(str(kubeconfig), timeout=(1.0, 2.0))
        self.informer = Informer(client, NS, self.deltas.put)
        self.informer.start()
        for r in self.informer.reflectors:  # reconnect fast in tests
            r.backoff = Backoff(initial=0.05, maximum=0.3)

    def drain(self) -> None:
        while True:
            try:
                self.view.apply(self.deltas.get_nowait())
            except queue.Empty:
                break
        self.view.flush(datetime.now(timezone.utc))

    def wait_for(self, condition, timeout: float = 5.0) -> float:
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            self.drain()
            if condition(self.view):
                return time.monotonic() - start
            time.sleep(0.02)
        self.drain()
        raise AssertionError(f"condition not met in {timeout}s; state={self.view.state} pods={sorted(k[1] for k in self.view.rows)}")

    def names(self) -> set[str]:
        return {k[1] for k in self.view.rows}

    def server_names(self) -> set[str]:
        return {p["metadata"]["name"] for p in self.server.list("Pod", NS)}

    def close(self) -> None:
        self.informer.stop()


@pytest.fixture
def server():
    with FakeApiServer(bookmark_interval=0.2) as srv:
        for name in ("web-1", "web-2", "web-3"):
            srv.apply(pod(name))
        yield srv


@pytest.fixture
def live(server, tmp_path, engine):
    view = LiveView(server, server.write_kubeconfig(tmp_path / "kc", namespace=NS), engine)
    view.wait_for(lambda v: v.state == "ready" and len(v.rows) == 3)
    yield view
    view.close()
