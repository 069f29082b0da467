"""Selecting pods: problems first, the cursor drives the detail pane, the cursor follows its pod."""

from __future__ import annotations

from k8sdoctor.cluster.live.informer import Change, Replace, SourceState
from tests.tui.helpers import ScriptedSource, crash_looping, demo_inventory, demo_pod_count, detail_shown, make_app, settle, table_keys


async def test_problems_sort_first_worst_first(engine):
    app = make_app(engine, all_namespaces=True)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, lambda: detail_shown(app))
        rows = app.main_screen.table.rows
        severities = [r.severity if r.problem else "healthy" for r in rows]
        order = {"critical": 0, "warning": 1, "info": 2, "healthy": 3}
        assert [order[s] for s in severities] == sorted(order[s] for s in severities)
        assert severities[0] == "critical" and severities[-1] == "healthy"
        assert len(rows) == demo_pod_count()


async def test_cursor_selects_pod_and_detail_follows(engine):
    app = make_app(engine, all_namespaces=True)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, lambda: detail_shown(app))
        first = app.main_screen.detail.detail
        await pilot.press("down", "down")
        await settle(pilot, lambda: detail_shown(app))
        shown = app.main_screen.detail.detail
        assert shown.row.key == table_keys(app)[2] != first.row.key
        text = " ".join(" ".join(line.text for line in app.main_screen.detail.lines).split())
        assert shown.row.name in text and " ".join(shown.row.diagnosis.findings[0].summary.split()) in text
        # the detail carries the pod's containers and events for the screen to show
        assert shown.facts.containers and shown.facts.name == shown.row.name


async def test_click_selects_and_double_click_zooms_detail(engine):
    app = make_app(engine, all_namespaces=True)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, lambda: detail_shown(app))
        await pilot.click("#pods", offset=(10, 4))  # header line 0, rows from 1: the fourth row
        await settle(pilot, lambda: detail_shown(app))
        assert app.main_screen.table.cursor_row == 3
        await pilot.double_click("#pods", offset=(10, 4))
        assert app.main_screen.query_one("#body").has_class("-zoom")
        assert app.main_screen.detail.has_focus
        await pilot.press("escape")
        assert not app.main_screen.query_one("#body").has_class("-zoom")
        assert app.main_screen.table.has_focus


async def test_cursor_stays_on_its_pod_when_rows_reorder(engine):
    inventory = demo_inventory()
    source = ScriptedSource(initial=[Replace("Pod", list(inventory.pods.values())), SourceState("Pod", "ready")])
    app = make_app(engine, source, all_namespaces=True)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, lambda: detail_shown(app))
        table = app.main_screen.table
        healthy = [r for r in table.rows if not r.problem]
        selected, other = healthy[-1], healthy[0]
        table.select_key(selected.key)
        await settle(pilot, lambda: detail_shown(app))
        before = table.cursor_row
        # another healthy pod starts crash-looping: it moves up among the problems
        source.push(Change("Pod", "MODIFIED", crash_looping(inventory.pods[other.key])))
        await settle(pilot, lambda: table.all_rows[other.key].problem)
        assert table.cursor_key == selected.key  # the cursor stayed on its pod...
        assert table.cursor_row == before  # ...which did not move: the other one moved from above it to above it
        assert table_keys(app).index(other.key) < table.cursor_row
        assert table.all_rows[other.key].diagnosis.findings[0].category == "CrashLoopBackOff"
