"""Each connection state has its own screen text: syncing, empty, forbidden (with the exact missing
permission), disconnected (stale data kept, a banner with the retry countdown, never exiting), and
recovery. Driven by the same deltas the informer sends."""

from __future__ import annotations

import pytest

from k8sdoctor.cluster.live.informer import Replace, SourceState
from tests.tui.helpers import MONOTONIC, Clock, ScriptedSource, demo_inventory, detail_shown, make_app, settle
from tests.tui.states.fixtures import FORBIDDEN_NODES, FORBIDDEN_PODS, REFUSED


def shop_pods():
    return [p for (ns, _), p in demo_inventory().pods.items() if ns == "shop"]


def shop_listed():
    """What the informer delivers after listing pods and events of namespace shop."""
    events = [e for e in demo_inventory().events.values() if e["metadata"]["namespace"] == "shop"]
    return [Replace("Pod", shop_pods()), SourceState("Pod", "ready"), Replace("Event", events), SourceState("Event", "ready")]


def state_text(app) -> str:
    return str(app.main_screen.query_one("#state").render())


def snap(app, until):
    async def run_before(pilot) -> None:
        await settle(pilot, lambda: until(app))

    return run_before


# ---- snapshots --------------------------------------------------------------------------------------
def test_syncing(snap_compare, engine):
    source = ScriptedSource(initial=[SourceState("Pod", "syncing")])
    app = make_app(engine, source, namespace="shop")
    assert snap_compare(app, terminal_size=(80, 24), run_before=snap(app, lambda a: a.health.state == "syncing" and a.feed.idle))


def test_empty_namespace(snap_compare, engine):
    source = ScriptedSource(initial=[Replace("Pod", []), SourceState("Pod", "ready")])
    app = make_app(engine, source, namespace="payments")
    assert snap_compare(app, terminal_size=(80, 24), run_before=snap(app, lambda a: a.health.state == "empty"))


def test_forbidden_names_the_missing_permission(snap_compare, engine):
    source = ScriptedSource(initial=[SourceState("Pod", "forbidden", FORBIDDEN_PODS, retry_at=MONOTONIC + 12)])
    app = make_app(engine, source, namespace="default")
    assert snap_compare(app, terminal_size=(80, 24), run_before=snap(app, lambda a: a.health.state == "forbidden"))


def test_disconnected_before_any_data(snap_compare, engine):
    source = ScriptedSource(initial=[SourceState("Pod", "disconnected", REFUSED, retry_at=MONOTONIC + 4)])
    app = make_app(engine, source, namespace="shop")
    assert snap_compare(app, terminal_size=(80, 24), run_before=snap(app, lambda a: a.health.state == "disconnected"))


@pytest.mark.parametrize("size", [pytest.param((80, 24), id="80x24"), pytest.param((160, 45), id="160x45")])
def test_disconnected_keeps_stale_data_with_a_banner(snap_compare, engine, size):
    clock = Clock()
    source = ScriptedSource(initial=shop_listed())
    app = make_app(engine, source, namespace="shop", clock=clock)

    async def run_before(pilot) -> None:
        await settle(pilot, lambda: detail_shown(app))
        clock.advance(60)
        source.push(SourceState("Pod", "disconnected", REFUSED, retry_at=MONOTONIC + 7))
        await settle(pilot, lambda: app.health.state == "disconnected")
        clock.advance(45)  # the data is now 45 s old
        app.main_screen.refresh_view()
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_forbidden_nodes_is_a_note_not_a_failure(snap_compare, engine):
    source = ScriptedSource(initial=[*shop_listed(), SourceState("Node", "forbidden", FORBIDDEN_NODES, retry_at=MONOTONIC + 30)])
    app = make_app(engine, source, namespace="shop")
    assert snap_compare(app, terminal_size=(80, 24), run_before=snap(app, lambda a: detail_shown(a) and a.health.notes))


# ---- behaviour --------------------------------------------------------------------------------------
async def test_disconnect_keeps_rows_then_recovers_without_ghosts(engine):
    clock = Clock()
    pods = shop_pods()
    source = ScriptedSource(initial=[Replace("Pod", pods), SourceState("Pod", "ready")])
    app = make_app(engine, source, namespace="shop", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: detail_shown(app))
        banner = app.main_screen.query_one("#banner")
        assert not banner.display
        clock.advance(30)
        source.push(SourceState("Pod", "disconnected", REFUSED, retry_at=MONOTONIC + 7))
        await settle(pilot, lambda: app.health.state == "disconnected")
        assert banner.display and banner.has_class("-stale")
        assert "retry in 7s" in str(banner.render()) and "stale" in str(banner.render())
        assert app.main_screen.table.row_count == len(pods)  # the last data stays on screen
        assert app.is_running
        # reconnect: one pod went away and another came while we were not watching
        gone, *kept = pods
        new = dict(kept[0], metadata=dict(kept[0]["metadata"], name="frontend-new-pod", uid="new-uid"))
        source.push(
            SourceState("Pod", "syncing", f"reconnecting after: {REFUSED}"), Replace("Pod", [*kept, new]), SourceState("Pod", "ready")
        )
        await settle(pilot, lambda: app.health.state == "ready")
        names = {k[1] for k in app.main_screen.table.all_rows}
        assert gone["metadata"]["name"] not in names and "frontend-new-pod" in names
        assert len(names) == len(pods)
        assert not banner.display


async def test_forbidden_state_text_has_the_exact_permission(engine):
    source = ScriptedSource(initial=[SourceState("Pod", "forbidden", FORBIDDEN_PODS, retry_at=MONOTONIC + 12)])
    app = make_app(engine, source, namespace="default")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, lambda: app.health.state == "forbidden")
        text = state_text(app)
        assert FORBIDDEN_PODS in text
        assert 'list and watch on pods in namespace "default"' in text
        assert "kubectl auth can-i list pods -n default" in text
        assert "retry in 12s" in text
