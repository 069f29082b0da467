"""J and 1-9 on a pod whose owner is a kind with no view (an operator's custom resource: a CNPG Cluster
owns its database pods) say so; they never build a view for an unknown kind."""

from __future__ import annotations

from k8sdoctor.model.snapshot_source import InventorySource
from tests.tui.helpers import DEMO_INFO, demo_inventory, detail_shown, make_app, settle

KEY = ("shop", "cloudnative-pg-tj9qq866hh-48x6t")


async def test_an_owner_without_a_view_is_named_not_opened(engine):
    inventory = demo_inventory()
    pod = inventory.pods[KEY]
    # CloudNativePG's operator owns the instance pods through its Cluster resource (postgresql.cnpg.io/v1)
    pod["metadata"]["ownerReferences"] = [{"apiVersion": "postgresql.cnpg.io/v1", "kind": "Cluster", "name": "pg", "controller": True}]
    app = make_app(engine, InventorySource(inventory, DEMO_INFO), all_namespaces=True)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, lambda: detail_shown(app))
        app.main_screen.select_pod(KEY)
        await settle(pilot, lambda: detail_shown(app) and app.main_screen.detail.detail.row.key == KEY)
        await pilot.press("J")
        await settle(pilot)
        assert app.screen is app.main_screen
        assert [n.message for n in app._notifications][-1] == "It is a Cluster, which has no view here."
        await pilot.press("1")  # the same link, by its number
        await settle(pilot)
        assert app.screen is app.main_screen
