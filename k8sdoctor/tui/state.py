"""`DoctorState`: what every screen may read of the app, and the requests screens make of it.

State flows down: the connection's health, the source, the namespace and the counts are reactives on the
app, which widgets (the header) watch. Requests flow up: a screen that wants another namespace, context or
view posts a message (`messages.py`), which the app carries out. Screens import this module, never
`tui.app` (which imports the screens).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from textual.app import App
from textual.reactive import reactive

from k8sdoctor.model.batch import Health
from k8sdoctor.model.view_rows import Summary, ViewRows
from k8sdoctor.tui.messages import ChangeNamespace, GoBack, Navigate, OpenSource, Reconnect, SwitchContext
from k8sdoctor.tui.options import TuiOptions

if TYPE_CHECKING:
    from textual.screen import Screen

    from k8sdoctor.actions.context import SessionChoices
    from k8sdoctor.core.inventory import Key, Ref
    from k8sdoctor.model.batch import EventRow
    from k8sdoctor.model.feed import ViewFeed
    from k8sdoctor.model.source import Source, SourceInfo


@dataclass(frozen=True)
class Place:
    """Where the user was: a view (a kind, or "problems"), the row under the cursor, the drill-down."""

    kind: str
    select: Key | Ref | None = None
    scope: Ref | None = None


class DoctorState(App[None]):
    """The app as screens see it (the app itself is `tui.app.DoctorApp`)."""

    health: reactive[Health] = reactive(Health, init=False)
    info: reactive[SourceInfo | None] = reactive(None, init=False)
    namespace: reactive[str | None] = reactive(None, init=False)
    summary: reactive[Summary] = reactive(Summary, init=False)

    options: TuiOptions
    clock: Callable[[], datetime]
    monotonic: Callable[[], float]
    source: Source | None
    feed: ViewFeed | None
    events: list[EventRow]
    rows: ViewRows
    main_screen: Screen
    history: list[Place]  # the way back (esc), latest last
    choices: SessionChoices  # what the actions remember for this session (debug image and target, shell)

    # ---- requests (messages flow up) --------------------------------------------------------------
    def open_source(self) -> None:
        """Open the source (the main screen asks once it has painted)."""
        self.post_message(OpenSource())

    def change_namespace(self, namespace: str | None) -> None:
        self.post_message(ChangeNamespace(namespace))

    def switch_context(self, context: str) -> None:
        self.post_message(SwitchContext(context))

    def reconnect(self) -> None:
        self.post_message(Reconnect())

    def navigate(self, kind: str, *, select: Key | Ref | None = None, scope: Ref | None = None, fresh: bool = False) -> None:
        """Show a view: a kind's ("Pod": the pods, of `scope` when given), or "problems"; with the cursor
        on `select`. `fresh` (a `:` command) forgets the way back."""
        self.post_message(Navigate(kind, select, scope, fresh))

    def go_back(self) -> None:
        self.post_message(GoBack())
