"""No Secret value ever reaches a TUI screen or k8sdoctor's own log (issue 7): the demo cluster's Secrets
hold recognisable values in the local API server; the app reads the cluster through the live path, the
test visits every pod's detail and the describe screen of the pods that use Secrets, and scans each
rendered screen."""

from __future__ import annotations

import logging

import pytest

from k8sdoctor.demo.cluster import scenario
from k8sdoctor.fakeapi import FakeApiServer
from k8sdoctor.logfile import configure_logging
from k8sdoctor.tui.app import DoctorApp
from k8sdoctor.tui.options import TuiOptions
from tests.tui.helpers import demo_pod_count, settle

#: base64 and decoded forms of every Secret value in k8sdoctor/demo/cluster.py
PLANTED = ("ZGVtby1ub3QtYS1yZWFsLXBhc3N3b3Jk", "demo-not-a-real-password", "ZGVtby12YWx1ZQ==", "demo-value", "ZGVtby1pZA==", "demo-id")


@pytest.fixture
def server(tmp_path):
    with FakeApiServer() as srv:
        srv.load_scenario(scenario())
        srv.kubeconfig = srv.write_kubeconfig(tmp_path / "kubeconfig", namespace="shop")
        yield srv


def screen_text(app) -> str:
    return app.export_screenshot()


async def test_no_secret_value_on_any_screen_or_in_the_log(server, engine, tmp_path, monkeypatch):
    monkeypatch.setenv("K8SDOCTOR_STATE_DIR", str(tmp_path / "state"))
    logging.getLogger("k8sdoctor").handlers.clear()
    configure_logging(debug=True)
    assert server.get("Secret", "reportportal", "secret-postgresql")["data"]["postgresql-password"] in PLANTED
    app = DoctorApp(TuiOptions(kubeconfig=str(server.kubeconfig), all_namespaces=True), engine=engine)
    app.animation_level = "none"
    seen = []
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot, lambda: app.main_screen.table.row_count == demo_pod_count() and app.health.state == "ready", 30)
        for key in [row.key for row in app.main_screen.table.rows]:
            app.main_screen.select_pod(key)
            await settle(
                pilot, lambda key=key: app.main_screen.detail.detail is not None and app.main_screen.detail.detail.row.key == key, 20
            )
            seen.append(screen_text(app))
            if key[1] in ("aegis-workload-demo",) or key[0] == "reportportal":
                await pilot.press("d")
                await pilot.pause(1.0)
                seen.append(screen_text(app))
                await pilot.press("escape")
                await pilot.pause(0.2)
    assert len(seen) >= demo_pod_count()
    everything = "".join(seen).replace("&#160;", " ")
    assert "describe pod" in everything  # the describe screens did open
    for name in ("secretpostgresql", "aegis-secret-aegis-workload-demo"):  # the Secrets are referenced on screen
        assert name in everything
    leaked = [value for value in PLANTED for text in seen if value in text]
    assert leaked == []
    own_log = "".join(p.read_text() for p in (tmp_path / "state").glob("*.log"))
    assert not any(value in own_log for value in PLANTED)
    logging.getLogger("k8sdoctor").handlers.clear()
