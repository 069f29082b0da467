"""Snapshots of the views of other kinds (issues 13-15): the Deployments view (`:deploy`) at 80×24 and
160×45, a Deployment's pods (Enter), `:problems`, and a namespace whose only workload is refused at
creation (the pods view must not say "no problems"). The demo scenario, a fixed clock, no animations."""

from __future__ import annotations

import pytest

from k8sdoctor.tui.screens.resource_screen import ResourceScreen
from tests.tui.helpers import detail_shown, make_app, settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 45), id="160x45")]


def object_shown(app) -> bool:
    """A view of another kind is on top, with the detail of the object under the cursor."""
    screen = app.screen
    if not isinstance(screen, ResourceScreen):
        return False
    row = screen.detail.row
    return row is not None and row.ref == screen.table.cursor_key


def in_view(app, command: str, *keys: str, until=object_shown):
    async def run_before(pilot) -> None:
        await settle(pilot, lambda: detail_shown(app))
        await pilot.press("colon", *command, "enter")
        await settle(pilot, lambda: object_shown(app))
        if keys:
            await pilot.press(*keys)
            await settle(pilot, lambda: until(app))

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_deployments_view(snap_compare, engine, size):
    app = make_app(engine, all_namespaces=True)
    assert snap_compare(app, terminal_size=size, run_before=in_view(app, "deploy"))


def test_a_deployments_pods(snap_compare, engine):
    app = make_app(engine, all_namespaces=True)

    def kestras_pods(app) -> bool:
        table = app.main_screen.table
        return app.screen is app.main_screen and table.row_count == 3 and detail_shown(app)

    run = in_view(app, "deploy", "slash", *"kestra", "enter", "enter", until=kestras_pods)
    assert snap_compare(app, terminal_size=(160, 45), run_before=run)


def test_problems_view(snap_compare, engine):
    app = make_app(engine, all_namespaces=True)
    assert snap_compare(app, terminal_size=(160, 45), run_before=in_view(app, "problems"))


def test_a_namespace_whose_only_deployment_is_refused(snap_compare, engine):
    app = make_app(engine, namespace="rq-demo")

    async def run_before(pilot) -> None:
        await settle(pilot, lambda: app.rows.rows("Deployment") and not app.main_screen.table.row_count)

    assert snap_compare(app, terminal_size=(120, 30), run_before=run_before)


@pytest.mark.parametrize("command", ["svc", "ing", "pvc", "nodes", "hpa"])
def test_the_path_to_the_app_views(snap_compare, engine, command):
    """Issue 14's views: kubectl's columns plus DIAGNOSIS, problems first, the detail of the object under
    the cursor (its findings and what they carry in from its pods, claims or backends)."""
    app = make_app(engine, all_namespaces=True)
    assert snap_compare(app, terminal_size=(160, 45), run_before=in_view(app, command))


def test_a_pods_detail_links_its_workload_and_claim(snap_compare, engine):
    """The detail of a pod that waits for its claim: the Related links (its Deployment and its claim, with
    their own diagnoses), each a number key away."""
    app = make_app(engine, all_namespaces=True)

    async def run_before(pilot) -> None:
        await settle(pilot, lambda: detail_shown(app))
        await pilot.press("slash", *"web-uploads", "enter")
        await settle(pilot, lambda: detail_shown(app) and app.main_screen.table.selected.name.startswith("web-uploads"))

    assert snap_compare(app, terminal_size=(160, 90), run_before=run_before)  # tall: the whole detail, Related last
