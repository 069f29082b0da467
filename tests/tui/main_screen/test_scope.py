"""Switching namespace from inside the app (picker and palette), and what the header says."""

from __future__ import annotations

from tests.tui.helpers import demo_pod_count, detail_shown, make_app, settle, table_keys


async def test_namespace_picker_switches_scope(engine):
    app = make_app(engine, all_namespaces=True)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, lambda: detail_shown(app))
        assert app.main_screen.table.show_namespace
        await pilot.press("n")
        await pilot.pause(0.2)
        assert type(app.screen).__name__ == "PickerScreen"
        await pilot.press(*"shop", "enter")
        await settle(pilot, lambda: app.namespace == "shop" and detail_shown(app) and {k[0] for k in table_keys(app)} == {"shop"})
        assert len(table_keys(app)) == 11  # frontend 3, payments 2, cloudnative-pg 2, kafdrop 1, kestra 3
        assert not app.main_screen.table.show_namespace  # one namespace: no NAMESPACE column
        assert "ns shop" in str(app.main_screen.query_one("#header-scope").render())
        # and back to all namespaces
        await pilot.press("n")
        await pilot.pause(0.2)
        await pilot.press(*"all", "enter")
        await settle(pilot, lambda: app.namespace is None and len(table_keys(app)) == demo_pod_count())


async def test_namespace_picker_escape_keeps_scope(engine):
    app = make_app(engine, namespace="shop")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: detail_shown(app))
        await pilot.press("n")
        await pilot.pause(0.2)
        await pilot.press("escape")
        assert app.screen is app.main_screen and app.namespace == "shop"
