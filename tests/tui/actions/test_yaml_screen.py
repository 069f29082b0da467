"""The YAML screen (`y`): kubectl's YAML of the pod, highlighted, the cited fields marked, `/` search,
managedFields hidden until `m`, read live from the local API server, and back to the main screen."""

from __future__ import annotations

import copy

import pytest
from textual.widgets import Static

from k8sdoctor.cluster.live.client import KubeClient
from k8sdoctor.cluster.live.fetch import LiveFetcher
from k8sdoctor.fakeapi import FakeApiServer
from k8sdoctor.tui.actions import yaml_screen
from k8sdoctor.tui.actions.lines_view import LinesView
from k8sdoctor.tui.actions.yaml import YamlScreen
from tests.actions.helpers import CLUSTER
from tests.actions.yaml_cases import MANAGED_FIELDS
from tests.tui.actions.helpers import ActionApp, context
from tests.tui.helpers import detail_shown, make_app, settle

OOM = ("shop", "memory-demo-2")


def app_for(engine, namespace: str, name: str, **kw) -> ActionApp:
    return ActionApp(lambda: yaml_screen(context(engine, **kw), namespace, name))


def status(app) -> str:
    return str(app.screen.query_one("#status", Static).render())


def test_snapshot_cited_field_80x24(snap_compare, engine):
    """`c`: the first field the diagnosis cites (the memory limit), marked, the finding in the status line."""
    assert snap_compare(app_for(engine, *OOM), terminal_size=(80, 24), press=["c"])


def test_snapshot_search_120x35(snap_compare, engine):
    assert snap_compare(app_for(engine, *OOM), terminal_size=(120, 35), press=["slash", *"memory", "enter", "n"])


async def test_the_text_is_the_pods_yaml_and_the_cited_lines_are_marked(engine):
    app = app_for(engine, *OOM)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, YamlScreen)
        lines = screen.query_one(LinesView).lines
        assert lines[:2] == ["apiVersion: v1", "kind: Pod"]
        cited = {lines[i] for i in screen.citations}
        assert {"        memory: 100Mi", "        reason: OOMKilled", "        exitCode: 137"} <= cited
        assert status(app).startswith("from the snapshot · ") and "cited by the diagnosis (c: next)" in status(app)
        await pilot.press("slash", *"OOMKilled", "enter")
        assert status(app).endswith("/OOMKilled: 1 of 1")
        await pilot.press("m")  # a snapshot keeps no managedFields: says so
        await pilot.pause()
        assert any("No managedFields to show: a snapshot does not keep them." in str(n.message) for n in app._notifications)


@pytest.fixture
def served():
    with FakeApiServer() as srv:
        srv.load_scenario(CLUSTER)
        yield srv


async def test_live_it_reads_the_pod_again_and_m_shows_the_managed_fields(engine, served, tmp_path):
    pod = copy.deepcopy(served.get("Pod", *OOM))
    pod["metadata"]["managedFields"] = MANAGED_FIELDS
    served.apply(pod)
    client = KubeClient(str(served.write_kubeconfig(tmp_path / "kc")))
    inventory = LiveFetcher(client).pod(*OOM)
    app = ActionApp(lambda: yaml_screen(context(engine, inventory, client), *OOM))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await settle_yaml(pilot, screen)
        assert "managedFields hidden (2 entries; m: show)" in status(app)
        assert not any("managedFields" in line for line in screen.view.lines)
        await pilot.press("m")
        assert "managedFields shown (2; m: hide)" in status(app)
        assert "  managedFields:" in screen.view.lines
        await pilot.press("m")
        assert "managedFields hidden" in status(app)
    assert served.requests("GET", "/api/v1/namespaces/shop/pods/memory-demo-2")


async def settle_yaml(pilot, screen) -> None:
    for _ in range(200):
        await pilot.pause(0.05)
        if screen.doc is not None:
            return
    raise AssertionError("the YAML was not read")


async def test_y_from_the_main_screen_and_back(engine):
    app = make_app(engine, all_namespaces=True)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, lambda: detail_shown(app))
        main = app.main_screen
        selected = main.table.selected
        await pilot.press("y")
        await settle(pilot, lambda: isinstance(app.screen, YamlScreen))
        opened = app.screen
        assert (opened.kind, opened.namespace, opened.object_name) == ("Pod", selected.namespace, selected.name)
        await settle_yaml(pilot, opened)
        assert f"  name: {selected.name}" in opened.view.lines
        await pilot.press("escape")
        await settle(pilot, lambda: app.screen is main)
        assert main.table.selected.key == selected.key
