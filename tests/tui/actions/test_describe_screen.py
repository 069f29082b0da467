"""The describe screen: sections, search, the cited fields, and back to the main screen."""

from __future__ import annotations

from textual.widgets import Static

from k8sdoctor.tui.actions import describe_screen
from k8sdoctor.tui.actions.lines_view import LinesView
from tests.actions.helpers import PLANTED
from tests.tui.actions.helpers import ActionApp, context


def app_for(engine, namespace: str, name: str, **kw) -> ActionApp:
    return ActionApp(lambda: describe_screen(context(engine, **kw), namespace, name))


def status(app) -> str:
    return str(app.screen.query_one("#status", Static).render())


def test_snapshot_cited_field(snap_compare, engine):
    """80×24: `c` jumps to the first field the diagnosis cites, marked and explained in the status line."""
    assert snap_compare(app_for(engine, "shop", "memory-demo-2"), terminal_size=(80, 24), press=["c"])


def test_snapshot_wide(snap_compare, engine):
    assert snap_compare(app_for(engine, "lab", "kitchen-sink-0"), terminal_size=(140, 48))


def test_snapshot_search(snap_compare, engine):
    assert snap_compare(app_for(engine, "myproject", "kafdrop-1-j4969"), terminal_size=(120, 32), press=["slash", *"pull", "enter"])


async def test_search_steps_through_matches_and_keeps_them_in_view(engine):
    app = app_for(engine, "myproject", "kafdrop-1-j4969")
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.press("slash", *"kafdrop", "enter")
        view = app.screen.query_one(LinesView)
        search = app.screen.search
        assert status(app) == f"/kafdrop: 1 of {len(search.matches)}" and len(search.matches) == 10
        await pilot.press("N")
        last = search.matches[-1]
        assert status(app) == "/kafdrop: 10 of 10"
        assert view.top_line <= last.line < view.top_line + view.scrollable_content_region.height
        await pilot.press("n")
        assert status(app) == "/kafdrop: 1 of 10"


async def test_cited_fields_and_sections(engine):
    app = app_for(engine, "shop", "memory-demo-2")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert status(app) == "10 lines cited by the diagnosis (c: next)"
        await pilot.press("right_square_bracket")
        assert screen.query_one(LinesView).top_line == next(s.start for s in screen.doc.sections if s.title == "Containers")
        await pilot.press("c", "c")
        assert status(app).startswith("✖ ")


async def test_the_secret_value_is_nowhere_on_screen(engine):
    app = app_for(engine, "lab", "kitchen-sink-0")
    async with app.run_test(size=(200, 120)) as pilot:
        await pilot.pause()
        lines = app.screen.query_one(LinesView).lines
        assert any("<set to the key 'token' in secret 'planted-secret'>" in line for line in lines)
        assert not any(PLANTED in line for line in lines)
        assert PLANTED not in app.export_screenshot()


async def test_a_pod_gone_and_back_to_the_main_screen(engine):
    app = app_for(engine, "shop", "deleted-0")
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.screen.query_one(LinesView).lines == ["pod shop/deleted-0 is no longer in the cluster"]
        await pilot.press("escape")
        assert app.screen.query_one("#main")
