"""Problems only (ctrl+z), sort orders (o), the light/dark theme (ctrl+t)."""

from __future__ import annotations

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


async def test_ctrl_t_switches_between_dark_and_light(engine):
    app = make_app(engine, all_namespaces=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: detail_shown(app))
        assert app.theme == "textual-dark"
        await pilot.press("ctrl+t")
        assert app.theme == "textual-light"
        await pilot.press("ctrl+t")
        assert app.theme == "textual-dark"
