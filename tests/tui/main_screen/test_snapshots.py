"""Snapshots of the main screen: mixed pods at 80×24 and 160×45, a filter, problems only, sorted by a
column, themes, NO_COLOR, snapshot mode and the help screen. The demo scenario, a fixed clock, no animations."""

from __future__ import annotations

import pytest

from k8sdoctor.model.snapshot_source import InventorySource
from tests.tui.helpers import SNAPSHOT_INFO, demo_inventory, detail_shown, make_app, settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 45), id="160x45")]


def settled(app, *keys: str):
    async def run_before(pilot) -> None:
        await settle(pilot, lambda: detail_shown(app))
        if keys:
            await pilot.press(*keys)
            await settle(pilot, lambda: detail_shown(app) or not app.main_screen.table.row_count)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_mixed_pods_all_namespaces(snap_compare, engine, size):
    app = make_app(engine, all_namespaces=True)
    assert snap_compare(app, terminal_size=size, run_before=settled(app))


@pytest.mark.parametrize("size", SIZES)
def test_one_namespace_has_no_namespace_column(snap_compare, engine, size):
    app = make_app(engine, namespace="shop")
    assert snap_compare(app, terminal_size=size, run_before=settled(app))


def test_filter_applied(snap_compare, engine):
    app = make_app(engine, all_namespaces=True)
    assert snap_compare(app, terminal_size=(160, 45), run_before=settled(app, "slash", *"crash"))


def test_problems_only(snap_compare, engine):
    app = make_app(engine, namespace="shop")
    assert snap_compare(app, terminal_size=(80, 24), run_before=settled(app, "ctrl+z"))


@pytest.mark.parametrize("size", SIZES)
def test_sorted_by_restarts(snap_compare, engine, size):
    """O then 5: the order named in the header's state; RESTARTS ▼ in the table's header where the
    column fits (at 80 columns -A it gives way, as before, so that names stay whole)."""
    app = make_app(engine, all_namespaces=True)
    assert snap_compare(app, terminal_size=size, run_before=settled(app, "O", "5"))


def test_light_theme(snap_compare, engine):
    app = make_app(engine, all_namespaces=True)
    assert snap_compare(app, terminal_size=(160, 45), run_before=settled(app, "ctrl+t"))


def test_no_color(snap_compare, engine, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(engine, all_namespaces=True)
    assert app.no_color
    assert snap_compare(app, terminal_size=(80, 24), run_before=settled(app))


def test_snapshot_mode_is_read_only(snap_compare, engine):
    app = make_app(engine, InventorySource(demo_inventory(), SNAPSHOT_INFO), all_namespaces=True)
    assert snap_compare(app, terminal_size=(80, 24), run_before=settled(app))


@pytest.mark.parametrize("size", SIZES)
def test_help_screen(snap_compare, engine, size):
    app = make_app(engine, all_namespaces=True)
    assert snap_compare(app, terminal_size=size, run_before=settled(app, "question_mark"))


@pytest.mark.parametrize("size", SIZES)
def test_copy_menu(snap_compare, engine, size, tmp_path, monkeypatch):
    """c on kafdrop: its four commands (c, 2, 3, 4; long ones wrap, whole), its name (n), namespace/name (N),
    the top finding as Markdown (m)."""
    monkeypatch.setenv("PATH", str(tmp_path))  # no clipboard tool: nothing is copied anyway
    app = make_app(engine, namespace="shop")
    assert snap_compare(app, terminal_size=size, run_before=settled(app, "slash", *"kafdrop", "enter", "c"))
