"""From the main TUI: `d`, `l`, `p` and `x` on a failing pod open the action screens, and esc returns to
the main screen with the same pod selected."""

from __future__ import annotations

import pytest

from k8sdoctor.tui.actions.debug import DebugScreen
from k8sdoctor.tui.actions.describe import DescribeScreen
from k8sdoctor.tui.actions.lines_view import LinesView
from k8sdoctor.tui.actions.logs import LogsScreen
from tests.tui.helpers import detail_shown, make_app, settle


@pytest.mark.parametrize(
    ("key", "screen", "shows"),
    [
        ("d", DescribeScreen, "Name:"),
        ("l", LogsScreen, None),
        ("p", LogsScreen, None),
        ("x", DebugScreen, None),
    ],
)
async def test_each_action_opens_and_returns_cleanly(engine, key, screen, shows):
    app = make_app(engine, all_namespaces=True)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, lambda: detail_shown(app))
        main = app.main_screen
        selected = main.table.selected
        assert selected is not None and selected.problem
        await pilot.press(key)
        await settle(pilot, lambda: isinstance(app.screen, screen))
        opened = app.screen
        assert (opened.namespace, opened.pod_name) == (selected.namespace, selected.name)
        if shows:
            assert opened.query_one(LinesView).lines[0].startswith(shows)
        if isinstance(opened, LogsScreen):
            assert opened.previous is (key == "p")
        await pilot.press("escape")
        await settle(pilot, lambda: app.screen is main)
        assert main.table.selected.key == selected.key
