"""Soak: the TUI on a quiet namespace for ten minutes of watch time, through the real client and the
local API server, relists nothing after the first list (issue 17: every quiet watch failed every 30 s,
each failure a "disconnected" flash and a full relist of pods, events and nodes).

Ten minutes are compressed: with `--request-timeout 30`, a watch lasts 18-24 s (its `timeoutSeconds`)
and the server bookmarks about every minute; here the request timeout is 2 s, so each watch lasts 1 s,
and the server bookmarks every 0.2 s. 30 s of wall time hold about as many watch cycles as ten
minutes do at the default timeout (600 s / 21 s ≈ 29).
"""

from __future__ import annotations

import asyncio
import time

from k8sdoctor.fakeapi import FakeApiServer
from k8sdoctor.tui.app import DoctorApp
from k8sdoctor.tui.options import TuiOptions
from tests.live.conftest import NS, pod
from tests.tui.helpers import Clock, settle

WALL_SECONDS = 30
LISTED = {"pods": f"/api/v1/namespaces/{NS}/pods", "events": f"/api/v1/namespaces/{NS}/events", "nodes": "/api/v1/nodes"}


def counts(server: FakeApiServer) -> dict[str, tuple[int, int]]:
    """resource → (lists, watches) the server received."""
    out = {}
    for resource, path in LISTED.items():
        requests = server.requests("GET", path)
        watches = sum(1 for r in requests if r.query.get("watch") == "true")
        out[resource] = (len(requests) - watches, watches)
    return out


async def test_a_quiet_namespace_is_listed_once_in_ten_minutes_of_watching(tmp_path, engine):
    with FakeApiServer(bookmark_interval=0.2) as server:
        server.apply({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "worker-1"}})
        for name in ("web-1", "web-2", "web-3"):
            server.apply(pod(name))
        kubeconfig = server.write_kubeconfig(tmp_path / "kc", namespace=NS)
        app = DoctorApp(TuiOptions(kubeconfig=str(kubeconfig), request_timeout=2.0), engine=engine, clock=Clock())
        app.animation_level = "none"
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(pilot, lambda: app.health.state == "ready" and app.main_screen.table.row_count == 3, 20)
            states = set()
            started = time.monotonic()
            while time.monotonic() - started < WALL_SECONDS:
                await asyncio.sleep(0.1)
                states.add(app.health.state)
            seen = counts(server)
            assert states == {"ready"}, states
            assert {resource: lists for resource, (lists, _w) in seen.items()} == {"pods": 1, "events": 1, "nodes": 1}, seen
            assert all(watches >= 20 for _l, watches in seen.values()), seen
            await pilot.press("q")
