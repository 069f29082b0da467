"""A minimal app that shows one action screen over a stand-in main screen, and the contexts it needs."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from k8sdoctor.actions.context import ActionContext
from k8sdoctor.cluster.live.client import KubeClient
from k8sdoctor.core.inventory import Inventory
from tests.actions.helpers import FIXED_NOW, scenario_inventory


class ActionApp(App[None]):
    """The screen under test is pushed over a plain main screen, as the TUI pushes it."""

    def __init__(self, make_screen: Callable[[], Screen]) -> None:
        super().__init__()
        self.make_screen = make_screen
        self.animation_level = "none"

    def compose(self) -> ComposeResult:
        yield Static("main screen", id="main")

    def on_mount(self) -> None:
        self.push_screen(self.make_screen())


def context(
    engine, inventory: Inventory | None = None, client: KubeClient | None = None, *, read_only: bool = False, rediagnose=None
) -> ActionContext:
    """A context over `inventory` (default: both scenarios at FIXED_NOW), diagnosed by the real engine."""
    inventory = inventory if inventory is not None else scenario_inventory()

    def diagnosis(namespace: str, name: str):
        pod = inventory.pods.get((namespace, name))
        return None if pod is None else engine.diagnose_pod(inventory, pod, FIXED_NOW)

    return ActionContext(inventory, client, read_only, diagnosis, clock=lambda: FIXED_NOW, rediagnose=rediagnose)
