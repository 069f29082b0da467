"""The command palette (ctrl+p): pods, namespaces and actions by name."""

from __future__ import annotations

from tests.tui.helpers import detail_shown, make_app, settle, table_keys


async def palette(pilot, query: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.press(*query)
    await pilot.pause(0.5)
    await pilot.press("enter")


async def test_jump_to_a_pod_by_fuzzy_name(engine):
    app = make_app(engine, all_namespaces=True)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, lambda: detail_shown(app))
        await palette(pilot, "memory-demo")
        await settle(pilot, lambda: detail_shown(app))
        assert app.main_screen.table.cursor_key == ("mem-example", "memory-demo-2")


async def test_jumping_to_a_hidden_pod_clears_what_hides_it(engine):
    app = make_app(engine, all_namespaces=True)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, lambda: detail_shown(app))
        await pilot.press("ctrl+z")  # healthy pods hidden
        await palette(pilot, "shop/frontend")  # the demo has web/web-frontend pods too
        await settle(pilot, lambda: detail_shown(app))
        assert app.main_screen.table.cursor_key[1].startswith("frontend-")
        assert not app.main_screen.table.problems_only


async def test_switch_namespace(engine):
    app = make_app(engine, all_namespaces=True)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, lambda: detail_shown(app))
        await palette(pilot, "namespace: storage")
        await settle(pilot, lambda: app.namespace == "storage" and table_keys(app) == [("storage", "nginx-example")])


async def test_run_an_action_by_name(engine):
    app = make_app(engine, all_namespaces=True)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, lambda: detail_shown(app))
        await palette(pilot, "problems only")
        await pilot.pause(0.2)
        assert app.main_screen.table.problems_only
