"""Help, quit, copy, and the action keys handing the right pod to the action screens."""

from __future__ import annotations

import pytest
from textual.screen import Screen

from k8sdoctor.tui import actions
from tests.tui.helpers import SNAPSHOT_INFO, demo_inventory, detail_shown, make_app, settle


async def test_help_opens_and_closes(engine):
    app = make_app(engine, all_namespaces=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: detail_shown(app))
        await pilot.press("question_mark")
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        assert app.screen is app.main_screen


async def test_q_quits_cleanly(engine):
    app = make_app(engine, all_namespaces=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: detail_shown(app))
        await pilot.press("q")
        await pilot.pause(0.1)
    assert app.return_code == 0
    assert app.startup_error is None


async def test_c_c_copies_the_top_remediation_command(engine):
    app = make_app(engine, namespace="mem-example")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: detail_shown(app))
        await pilot.press("c", "c")
        await pilot.pause()
        assert app.screen is app.main_screen  # the menu chose and closed
        row = app.main_screen.table.selected
        expected = next(s.command for s in row.diagnosis.findings[0].remediation if s.command)
        assert app.clipboard == expected
        assert expected.startswith("kubectl ")


class Recorder(Screen):
    calls: list = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__()
        Recorder.calls.append((args, kwargs))


@pytest.mark.parametrize(
    ("key", "factory", "kwargs"),
    [
        ("d", "describe_screen", {}),
        ("l", "logs_screen", {"previous": False}),
        ("p", "logs_screen", {"previous": True}),
        ("x", "debug_screen", {}),
    ],
)
async def test_action_keys_hand_the_selected_pod_to_the_action_screens(engine, monkeypatch, key, factory, kwargs):
    monkeypatch.setattr(actions, factory, Recorder, raising=False)
    Recorder.calls = []
    app = make_app(engine, all_namespaces=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: detail_shown(app))
        await pilot.press(key)
        await pilot.pause(0.1)
        assert isinstance(app.screen, Recorder)
        (ctx, namespace, name), got = Recorder.calls[0]
        row = app.main_screen.table.selected
        assert (namespace, name) == row.key and got == kwargs
        # the action sees this pod with its events, and the current diagnosis
        assert ctx.inventory.pods[row.key] is not None
        assert ctx.diagnosis(namespace, name) is row.diagnosis
        assert ctx.read_only is False


async def test_snapshot_mode_disables_debug(engine, monkeypatch):
    from k8sdoctor.model.snapshot_source import InventorySource

    monkeypatch.setattr(actions, "debug_screen", Recorder, raising=False)
    Recorder.calls = []
    app = make_app(engine, InventorySource(demo_inventory(), SNAPSHOT_INFO), all_namespaces=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: detail_shown(app))
        assert app.main_screen.check_action("describe", ()) is True
        await pilot.press("x")
        await pilot.pause(0.1)
        assert app.screen is app.main_screen and Recorder.calls == []
        assert [n.message for n in app._notifications][-1] == "Debug needs a live cluster: a snapshot is read-only."


async def test_read_only_disables_debug_and_says_so(engine):
    app = make_app(engine, all_namespaces=True, read_only=True)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, lambda: detail_shown(app))
        assert "[read-only]" in str(app.main_screen.query_one("#header-state").render())
        await pilot.press("x")
        await pilot.pause(0.1)
        assert app.screen is app.main_screen
        (note,) = app._notifications
        assert note.message.startswith("Debug is off: k8sdoctor runs with --read-only")


async def test_keys_that_cannot_act_say_why(engine):
    app = make_app(engine, all_namespaces=True)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, lambda: detail_shown(app))
        await pilot.press("s")
        await pilot.pause(0.1)
        messages = [n.message for n in app._notifications]
        assert messages == ["Shell needs a live cluster: a snapshot has no containers to open a shell in."]
