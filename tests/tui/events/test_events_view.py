"""The events view: the scope's event stream, newest first, Warnings only with `w`, esc back."""

from __future__ import annotations

from k8sdoctor.tui.screens.events_screen import EventsScreen
from k8sdoctor.tui.widgets.events.event_table import EventTable
from tests.tui.helpers import demo_inventory, detail_shown, make_app, settle


async def test_events_view_lists_newest_first_and_filters_warnings(engine):
    app = make_app(engine, namespace="shop")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, lambda: detail_shown(app))
        await pilot.press("e")
        await settle(pilot, lambda: isinstance(app.screen, EventsScreen) and app.screen.query_one(EventTable).row_count > 0)
        table = app.screen.query_one(EventTable)
        expected = [e for e in demo_inventory().events.values() if e["metadata"]["namespace"] == "shop"]
        assert table.row_count == len(expected)
        lasts = [r.fact.last for r in table.rows]
        assert lasts == sorted(lasts, reverse=True)
        await pilot.press("w")
        assert table.rows and all(r.fact.type == "Warning" for r in table.rows)
        assert table.row_count == sum(1 for e in expected if e["type"] == "Warning")
        await pilot.press("escape")
        assert app.screen is app.main_screen


def test_events_view_snapshot(snap_compare, engine):
    app = make_app(engine, all_namespaces=True)

    async def run_before(pilot) -> None:
        await settle(pilot, lambda: detail_shown(app))
        await pilot.press("e")
        await settle(pilot, lambda: isinstance(app.screen, EventsScreen) and app.screen.query_one(EventTable).row_count > 0)

    assert snap_compare(app, terminal_size=(160, 45), run_before=run_before)


def test_events_view_warnings_only_snapshot(snap_compare, engine):
    app = make_app(engine, namespace="shop")

    async def run_before(pilot) -> None:
        await settle(pilot, lambda: detail_shown(app))
        await pilot.press("e")
        await settle(pilot, lambda: isinstance(app.screen, EventsScreen) and app.screen.query_one(EventTable).row_count > 0)
        await pilot.press("w")

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


async def test_slash_filters_the_events_and_enter_selects_the_pod_on_the_main_screen(engine):
    app = make_app(engine, all_namespaces=True)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, lambda: detail_shown(app))
        await pilot.press("e")
        await settle(pilot, lambda: isinstance(app.screen, EventsScreen) and app.screen.query_one(EventTable).row_count > 0)
        table = app.screen.query_one(EventTable)
        everything = table.row_count
        await pilot.press("slash", *"memory-demo-2", "enter")  # every word must be in the event
        await settle(pilot)
        assert 0 < table.row_count < everything
        assert all("memory-demo-2" in r.object for r in table.rows)
        assert table.has_focus  # enter kept the filter and gave the keys back to the table
        await pilot.press("enter")  # the event under the cursor is about pod memory-demo-2
        await settle(pilot, lambda: app.screen is app.main_screen and detail_shown(app))
        assert app.main_screen.table.selected.key == ("mem-example", "memory-demo-2")


async def test_enter_on_an_event_about_another_kind_opens_its_view_once(engine):
    """Enter on an event about a Deployment, a Node...: that kind's view, the cursor on the object (once:
    the screen's binding and the table's row activation used to both act)."""
    from k8sdoctor.tui.screens.resource_screen import ResourceScreen

    app = make_app(engine, all_namespaces=True)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, lambda: detail_shown(app))
        await pilot.press("e")
        await settle(pilot, lambda: isinstance(app.screen, EventsScreen) and app.screen.query_one(EventTable).row_count > 0)
        table = app.screen.query_one(EventTable)
        other = next(r for r in table.rows if not r.object.startswith("pod/"))
        table.select_key(other.id)
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, ResourceScreen))
        assert app.screen.kind.lower() == other.object.partition("/")[0]
        assert app._notifications == [] or all("not about" not in n.message for n in app._notifications)
        assert sum(isinstance(s, ResourceScreen) for s in app.screen_stack) == 1


async def test_a_command_typed_on_the_events_view_opens_that_view(engine):
    from k8sdoctor.tui.screens.resource_screen import ResourceScreen

    app = make_app(engine, all_namespaces=True)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, lambda: detail_shown(app))
        await pilot.press("e")
        await settle(pilot, lambda: isinstance(app.screen, EventsScreen))
        await pilot.press("colon", *"deploy", "enter")
        await settle(pilot, lambda: isinstance(app.screen, ResourceScreen))
        assert app.screen.kind == "Deployment" and not any(isinstance(s, EventsScreen) for s in app.screen_stack)
