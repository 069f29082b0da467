"""The `/` filter: fuzzy words over namespace/name, status and cause; esc clears it."""

from __future__ import annotations

import pytest

from tests.tui.helpers import demo_pod_count, detail_shown, make_app, settle, table_keys


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kestra", {"kestra-7sx7k2s4th-bvjlm", "kestra-7sx7k2s4th-kdgbp", "kestra-7sx7k2s4th-m2dvg"}),
        ("kestar", {"kestra-7sx7k2s4th-bvjlm", "kestra-7sx7k2s4th-kdgbp", "kestra-7sx7k2s4th-m2dvg"}),  # a typo still finds it
        ("oom", {"memory-demo-2"}),  # the cause, not the name
        ("reportportal missing-secret", {"api-d258swfhkj-p6kzw", "api-d258swfhkj-trpzq"}),  # every word must match
        ("evicted", {"harbor-chartmuseum-gftv7xz5mg-qrn87"}),
    ],
)
async def test_filter_matches_name_namespace_status_and_cause(engine, query, expected):
    app = make_app(engine, all_namespaces=True)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, lambda: detail_shown(app))
        await pilot.press("slash", *query.replace(" ", "\0").split("\0")[0])
        for word in query.split()[1:]:
            await pilot.press("space", *word)
        await settle(pilot)
        assert {name for _, name in table_keys(app)} == expected


async def test_filter_enter_keeps_it_and_escape_clears_it(engine):
    app = make_app(engine, all_namespaces=True)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, lambda: detail_shown(app))
        await pilot.press("slash", *"loki", "enter")
        screen = app.main_screen
        assert screen.table.has_focus and screen.filter_bar.display
        assert [k[1][:4] for k in table_keys(app)] == ["loki"]
        await pilot.press("escape")
        assert not screen.filter_bar.display
        assert len(table_keys(app)) == demo_pod_count()


async def test_filter_without_matches_says_so(engine):
    app = make_app(engine, all_namespaces=True)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, lambda: detail_shown(app))
        await pilot.press("slash", *"zzzz")
        await settle(pilot)
        state = app.main_screen.query_one("#state")
        assert state.display and not app.main_screen.table.display
        assert 'No pods match "zzzz"' in str(state.render())


async def test_s_and_O_typed_in_the_filter_are_text_not_the_shell_or_the_sort_menu(engine):
    """s and O are priority keys on the main screen (their menus take the next key of a burst); in the
    filter they are letters."""
    app = make_app(engine, all_namespaces=True)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, lambda: detail_shown(app))
        await pilot.press("slash", "O", "s", "s")
        assert app.screen is app.main_screen
        assert app.main_screen.filter_bar.value == "Oss"
