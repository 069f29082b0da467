"""Watches against a server (or a proxy in front of it) that misbehaves, through the real client and the
local API server: an empty 200, an HTML login line, an endless body, a quiet stream longer than the read
timeout. Each is either an error (backed off, shown in the state, logged once) or a normal end (resumed
from the last resourceVersion without a relist) — never a tight loop, never a traceback."""

from __future__ import annotations

import logging
import time

import pytest

from k8sdoctor.fakeapi import FakeApiServer, Fault
from tests.live.conftest import NS, LiveView, pod

LOGIN = b"<html><body>Your session has expired. <a href='/login'>Log in</a></body></html>\n"


def watches(server: FakeApiServer, resource: str = "pods") -> int:
    return sum(1 for r in server.requests("GET", f"/api/v1/namespaces/{NS}/{resource}") if r.query.get("watch") == "true")


def lists(server: FakeApiServer, path: str) -> int:
    return sum(1 for r in server.requests("GET", path) if r.query.get("watch") != "true")


@pytest.mark.parametrize("answer", [b"", LOGIN], ids=["empty 200", "html login line"])
def test_a_watch_that_ends_at_once_is_an_error_backed_off_and_logged_once(live, server, caplog, answer):
    """Issue 17: 9,458 watch requests in 5 s (empty), 5,308 and as many log warnings (HTML)."""
    caplog.set_level(logging.DEBUG, logger="k8sdoctor")
    server.inject(Fault(body=answer, resource="pods", verb="watch"))  # the open watch ends within 1 s; the next meet it
    before = watches(server)
    live.wait_for(lambda v: v.state == "disconnected", timeout=5)
    time.sleep(3)
    made = watches(server) - before
    # the test reflectors back off from 0.05 s up to 0.3 s: a few dozen tries in 3 s, not thousands
    assert 3 <= made <= 40, made
    live.drain()
    message = live.view.status.message
    assert "watch" in message and ("at once" in message or "not a watch event" in message), message
    warnings = [r for r in caplog.records if r.name == "k8sdoctor.informer" and r.levelno >= logging.WARNING]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    assert not any(r.exc_info for r in caplog.records), "no traceback"
    assert live.view.rows, "the last good pods stay on show"
    server.clear_faults()
    server.apply(pod("web-9"))
    live.wait_for(lambda v: v.state == "ready" and "web-9" in live.names(), timeout=5)


def test_a_list_answered_with_an_html_page_is_an_error_not_an_empty_cluster(live, server):
    server.inject(Fault(body=LOGIN, resource="pods"))
    server.break_watches("pods")  # the reflector relists after a broken connection
    live.wait_for(lambda v: v.state == "disconnected" and "not JSON" in v.status.message, timeout=5)
    assert live.names() == {"web-1", "web-2", "web-3"}, "no pod vanished"
    server.clear_faults()
    live.wait_for(lambda v: v.state == "ready", timeout=5)


def test_an_endless_list_body_is_cut_off(server, tmp_path, engine):
    """Issue 17: an endless list body reached 2 GiB in 3 s."""
    server.inject(Fault(endless=b'{"metadata":{},"items":[', resource="pods", verb="list"))
    view = LiveView(server, server.write_kubeconfig(tmp_path / "kc", namespace=NS), engine)
    try:
        view.wait_for(lambda v: v.state == "disconnected" and "larger than 64 MiB" in v.status.message, timeout=20)
        server.clear_faults()
        view.wait_for(lambda v: v.state == "ready" and len(v.rows) == 3, timeout=10)
    finally:
        view.close()


def test_an_endless_watch_line_is_cut_off(live, server):
    server.inject(Fault(endless=b"x" * 65536, resource="pods", verb="watch"))
    live.wait_for(lambda v: v.state == "disconnected" and "watch line was longer" in v.status.message, timeout=20)
    server.clear_faults()
    live.wait_for(lambda v: v.state == "ready", timeout=10)


def test_a_quiet_watch_longer_than_the_read_timeout_is_resumed_without_a_relist(tmp_path, engine, caplog):
    """Issue 17: the read timeout fired before the API server's bookmark; the error escaped the
    re-watch branch: a traceback, a "disconnected" flash and a full relist every 30 s. Here the read
    timeout is 2 s and the server sends bookmarks every minute, as kube-apiserver does."""
    caplog.set_level(logging.DEBUG, logger="k8sdoctor")
    with FakeApiServer(bookmark_interval=60) as server:
        for name in ("web-1", "web-2"):
            server.apply(pod(name))
        view = LiveView(server, server.write_kubeconfig(tmp_path / "kc", namespace=NS), engine)
        try:
            view.wait_for(lambda v: v.state == "ready" and len(v.rows) == 2)
            states = set()
            deadline = time.monotonic() + 7
            while time.monotonic() < deadline:
                view.drain()
                states.add(view.view.state)
                time.sleep(0.05)
            assert states == {"ready"}
            assert [r.relists for r in view.informer.reflectors] == [1, 1]
            assert all(r.watches >= 3 for r in view.informer.reflectors), [r.watches for r in view.informer.reflectors]
            assert lists(server, f"/api/v1/namespaces/{NS}/pods") == 1
            assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
        finally:
            view.close()
