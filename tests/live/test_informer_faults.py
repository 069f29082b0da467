"""List+watch under faults, through the real client against the local API server: the view always
converges to the server's pod set, with no ghost pods and no missing ones, and never crashes."""

from __future__ import annotations

import socket

import pytest

from k8sdoctor.cluster.live.client import KubeClient
from k8sdoctor.errors import ClusterError
from k8sdoctor.fakeapi.kubeconfig import write_kubeconfig
from tests.live.conftest import pod


def test_watch_events_update_the_view_in_place(live, server):
    server.apply(pod("web-2", waiting="CrashLoopBackOff", restarts=4))
    live.wait_for(lambda v: v.rows[("shop", "web-2")].status == "CrashLoopBackOff")
    assert live.view.rows[("shop", "web-2")].diagnosis.findings[0].category == "CrashLoopBackOff"
    server.apply(pod("web-2", restarts=4))
    live.wait_for(lambda v: v.rows[("shop", "web-2")].status == "Running")


def test_twenty_restarts_with_changes_while_down(live, server):
    """Kill the API server 20 times; while it is down, delete one pod and create another."""
    recoveries = []
    for i in range(20):
        server.stop()
        # Noticing the loss can take a read timeout (2 s here) plus connect retries when stop() lands
        # while a new watch request waits in the listen backlog; the 5 s bound is for the recovery.
        live.wait_for(lambda v: v.state == "disconnected", timeout=15)
        assert live.view.rows, "stale data stays on show while disconnected"
        gone = sorted(live.server_names())[0]
        server.delete("Pod", "shop", gone)
        server.apply(pod(f"new-{i}"))
        server.start()
        recoveries.append(live.wait_for(lambda v: v.state == "ready" and live.names() == live.server_names(), timeout=5))
    assert live.names() == live.server_names()
    print(
        f"\nrestarts survived: {len(recoveries)}, recovery after restart: median {sorted(recoveries)[10]:.2f}s, max {max(recoveries):.2f}s"
    )
    assert max(recoveries) < 5


def test_restart_that_forgets_history_relists(live, server):
    """An apiserver restart that compacts history answers the old resourceVersion with 410 Gone."""
    server.stop()
    server.delete("Pod", "shop", "web-1")
    server.store.compact()
    server.start()
    live.wait_for(lambda v: v.state == "ready" and live.names() == live.server_names())
    assert "web-1" not in live.names()


def test_410_during_a_watch_relists_without_ghosts(live, server):
    relists = sum(r.relists for r in live.informer.reflectors)
    server.delete("Pod", "shop", "web-3")
    server.apply(pod("web-4"))
    server.compact()
    server.break_watches()
    live.wait_for(lambda v: live.names() == live.server_names())
    assert sum(r.relists for r in live.informer.reflectors) > relists or live.names() == {"web-1", "web-2", "web-4"}


def test_malformed_watch_line_resumes_without_losing_events(live, server):
    server.send_watch_line(b'{"type": "MODIFIED", "object": {not json\n', "pods")
    server.apply(pod("web-1", waiting="ImagePullBackOff"))
    live.wait_for(lambda v: v.rows[("shop", "web-1")].status == "ImagePullBackOff")


def test_a_watch_that_ends_is_resumed(live, server):
    server.close_watches()
    server.apply(pod("web-5"))
    live.wait_for(lambda v: "web-5" in live.names())


def test_forbidden_list_is_a_state_not_a_crash(server, tmp_path, engine):
    from k8sdoctor.fakeapi import FakeApiServer, Rule  # noqa: F401
    from tests.live.conftest import LiveView

    server.fail("pods", 403)
    view = LiveView(server, server.write_kubeconfig(tmp_path / "kc", namespace="shop"), engine)
    try:
        view.wait_for(lambda v: v.state == "forbidden")
        assert "forbidden" in view.view.status.message
        server.clear_faults()
        view.wait_for(lambda v: v.state == "ready" and len(v.rows) == 3, timeout=10)
    finally:
        view.close()


def test_a_watch_on_a_server_that_is_gone_is_unreachable_not_slow(tmp_path):
    """A watch request carries timeoutSeconds in its URL; a refused connection must still read as
    "cannot reach" (the reflector then shows disconnected), not as a quiet watch to simply re-open."""
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = KubeClient(str(write_kubeconfig(tmp_path / "kubeconfig", f"http://127.0.0.1:{port}")), timeout=(1.0, 2.0))
    with pytest.raises(ClusterError) as raised:
        client.stream("/api/v1/namespaces/shop/pods", watch=True, resourceVersion="7", timeoutSeconds=290)
    assert str(raised.value).startswith(f"cannot reach the API server at http://127.0.0.1:{port}: ")
    assert "did not answer in time" not in str(raised.value)
