"""The detail pane for a pod of each failure category, from the demo scenario (whose messages are
real and cited in k8sdoctor/demo/cluster.py), plus a healthy pod and a zoomed detail at 80×24."""

from __future__ import annotations

import pytest

from tests.tui.helpers import detail_shown, make_app, settle

PODS = {
    "ImagePullBackOff": ("shop", "cloudnative-pg-tj9qq866hh-48x6t"),
    "Pending": ("search", "odfe-client-pfg745vzt6-qff65"),
    "CrashLoopBackOff": ("shop", "kestra-7sx7k2s4th-bvjlm"),
    "RunContainerError": ("reportportal", "api-d258swfhkj-p6kzw"),
    "Evicted": ("harbor", "harbor-chartmuseum-gftv7xz5mg-qrn87"),
    "ContainerCreating": ("storage", "nginx-example"),
    "NotReady": ("observability", "grafana-gateway-x8s6wv8cl7-svg2p"),
}


def select(app, key, *keys: str, seen: dict | None = None):
    async def run_before(pilot) -> None:
        await settle(pilot, lambda: detail_shown(app))
        app.main_screen.select_pod(key)
        await settle(pilot, lambda: detail_shown(app) and app.main_screen.table.cursor_key == key)
        if seen is not None:
            seen["detail"] = app.main_screen.detail.detail
        if keys:
            await pilot.press(*keys)
            await settle(pilot)

    return run_before


@pytest.mark.parametrize("category", list(PODS))
def test_detail_of_each_category(snap_compare, engine, category):
    app = make_app(engine, all_namespaces=True)
    key, seen = PODS[category], {}
    assert snap_compare(app, terminal_size=(160, 45), run_before=select(app, key, "enter", seen=seen))
    assert seen["detail"].row.diagnosis.findings[0].category == category


def test_detail_of_a_healthy_pod(snap_compare, engine):
    app = make_app(engine, namespace="shop")
    key = next(k for k in demo_keys(app) if k[1].startswith("frontend-"))
    assert snap_compare(app, terminal_size=(80, 24), run_before=select(app, key))


def test_zoomed_detail_at_80_columns(snap_compare, engine):
    app = make_app(engine, all_namespaces=True)
    assert snap_compare(app, terminal_size=(80, 24), run_before=select(app, PODS["CrashLoopBackOff"], "enter"))


def demo_keys(app):
    from tests.tui.helpers import demo_inventory

    return list(demo_inventory().pods)
