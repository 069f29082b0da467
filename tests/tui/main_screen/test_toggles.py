"""Problems only (ctrl+z), sort orders (o), sort by column (O), the light/dark theme (ctrl+t)."""

from __future__ import annotations

from k8sdoctor.tui.actions.menu import MenuScreen
from tests.tui.helpers import demo_pod_count, detail_shown, make_app, settle


async def test_ctrl_z_shows_problems_only_and_back(engine):
    app = make_app(engine, all_namespaces=True)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, lambda: detail_shown(app))
        table = app.main_screen.table
        assert any(not r.problem for r in table.rows)
        await pilot.press("ctrl+z")
        assert table.rows and all(r.problem for r in table.rows)
        assert len(table.rows) == table.problem_count == 18
        assert "problems only" in str(app.main_screen.query_one("#header-state").render())
        await pilot.press("ctrl+z")
        assert len(table.rows) == demo_pod_count()


async def test_sort_cycles_through_orders(engine):
    app = make_app(engine, all_namespaces=True)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, lambda: detail_shown(app))
        table = app.main_screen.table
        await pilot.press("o")
        assert table.sort_mode == "name"
        assert [r.key for r in table.rows] == sorted(r.key for r in table.rows)
        await pilot.press("o")
        assert table.sort_mode == "age"
        created = [r.created for r in table.rows]
        assert created == sorted(created, reverse=True)
        await pilot.press("o")
        assert table.sort_mode == "restarts"
        assert table.rows[0].name.startswith("loki")  # 17 restarts, the most
        await pilot.press("o")
        assert table.sort_mode == "problems"


def header(app) -> str:
    return app.main_screen.table.render_line(0).text


async def test_O_sorts_by_the_chosen_column_and_again_reverses(engine):
    app = make_app(engine, all_namespaces=True)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, lambda: detail_shown(app))
        table = app.main_screen.table
        assert "▲" not in header(app) and "▼" not in header(app)  # the default order has no mark
        await pilot.press("O")
        menu = app.screen
        assert isinstance(menu, MenuScreen)
        assert [(i.key, i.label) for i in menu.items] == [
            ("1", "NAMESPACE"),
            ("2", "NAME"),
            ("3", "READY"),
            ("4", "STATUS"),
            ("5", "RESTARTS"),
            ("6", "AGE"),
            ("7", "DIAGNOSIS"),
        ]
        await pilot.press("4")  # STATUS, ascending
        await pilot.pause()
        assert table.sort_mode == "column:status"
        statuses = [r.status for r in table.rows]
        assert statuses == sorted(statuses) and len(set(statuses)) > 3
        assert "STATUS ▲" in header(app)
        assert "by STATUS ▲" in str(app.main_screen.query_one("#header-state").render())
        await pilot.press("O", "4")  # the same column again: descending
        await pilot.pause()
        assert [r.status for r in table.rows] == sorted(statuses, reverse=True)
        assert "STATUS ▼" in header(app)
        await pilot.press("O", "5")  # RESTARTS starts with the most
        await pilot.pause()
        restarts = [r.restart_count for r in table.rows]
        assert restarts == sorted(restarts, reverse=True) and "RESTARTS ▼" in header(app) and "STATUS ▼" not in header(app)
        await pilot.press("O", "escape")  # cancelled: the order stays
        assert table.sort_mode == "column:restarts:desc"
        await pilot.press("o")  # back to the usual orders
        assert table.sort_mode == "problems" and "▼" not in header(app)


async def test_ctrl_t_switches_between_dark_and_light(engine):
    app = make_app(engine, all_namespaces=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: detail_shown(app))
        assert app.theme == "textual-dark"
        await pilot.press("ctrl+t")
        assert app.theme == "textual-light"
        await pilot.press("ctrl+t")
        assert app.theme == "textual-dark"
