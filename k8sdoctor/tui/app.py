"""`DoctorApp`: the k8sdoctor TUI.

The first paint happens before anything slow: the kubernetes client, the playbooks and the first list are
loaded by a worker thread afterwards. Data then flows one way:

    informer threads ──deltas──▶ ViewFeed thread ──Batch (≤10/s, acked)──▶ app ──▶ screens

The app owns the source (live cluster or snapshot), the feed, and the scope (namespace); screens render
what the batches carry and call back into the app to change scope.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen

from k8sdoctor.actions.context import SessionChoices
from k8sdoctor.errors import UserError
from k8sdoctor.model.batch import Health
from k8sdoctor.tui.messages import FeedBatch
from k8sdoctor.tui.options import TuiOptions
from k8sdoctor.tui.screens.events_screen import EventsScreen
from k8sdoctor.tui.screens.main_screen import MainScreen
from k8sdoctor.tui.text import one_line, printable

if TYPE_CHECKING:
    from k8sdoctor.core.engine import Engine
    from k8sdoctor.model.batch import Batch, EventRow
    from k8sdoctor.model.feed import ViewFeed
    from k8sdoctor.model.source import Source, SourceInfo

THEMES = ("textual-dark", "textual-light")  # dark, light
ANSI_THEMES = ("ansi-dark", "ansi-light")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def open_default_source(options: TuiOptions) -> Source:
    """The source the command line asks for: the snapshot, else the live cluster."""
    if options.snapshot:
        from k8sdoctor.model.snapshot_source import load_snapshot_source

        return load_snapshot_source(options.snapshot, options.selector)
    from k8sdoctor.model.live_source import LiveSource

    return LiveSource.connect(options.kubeconfig, options.context, options.selector, request_timeout=options.request_timeout)


class DoctorApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "k8sdoctor"
    BINDINGS = [
        # q quits from the main screen only (its own binding); every other screen goes back with q
        Binding("question_mark", "help", "Help", key_display="?", tooltip="Keys of this screen"),
        Binding("ctrl+t", "toggle_theme", "Light/dark", show=False),
        # in a troubleshooting tool Ctrl+C quits (Textual's default only says how to quit); before any
        # widget's own ctrl+c (an input's copy)
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(
        self,
        options: TuiOptions | None = None,
        *,
        open_source: Callable[[], Source] | None = None,
        engine: Engine | None = None,
        clock: Callable[[], datetime] = utcnow,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.themes = THEMES
        self.options = options or TuiOptions()
        self.clock = clock
        self.monotonic = monotonic
        self._open_source = open_source or (lambda: open_default_source(self.options))
        self._engine = engine
        self.source: Source | None = None
        self.feed: ViewFeed | None = None
        self.info: SourceInfo | None = None
        self.namespace: str | None = None if self.options.all_namespaces else self.options.namespace
        self.health = Health()
        self.events: list[EventRow] = []
        self.startup_error: UserError | None = None
        self.choices = SessionChoices()  # what the actions remember for this session
        self.main_screen = MainScreen()
        self._shown_generation = 0
        self._source_lock = threading.Lock()

    # ---- the boundary: everything that reaches the terminal outside a widget ----------------------
    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A toast. Its text is made printable (it often quotes cluster text: a copied command, an API
        error) and never read as markup, whatever the caller asked: markup in cluster text could style,
        link or run actions."""
        super().notify(printable(message), title=one_line(title), severity=severity, timeout=timeout, markup=False)

    def copy_to_clipboard(self, text: str) -> None:
        """Copy (OSC 52) only printable text: what is copied ends up pasted into a shell."""
        super().copy_to_clipboard(printable(text))

    def validate_title(self, title: str) -> str:
        return one_line(title)

    def validate_sub_title(self, sub_title: str) -> str:
        return one_line(sub_title)

    def get_default_screen(self) -> Screen:
        return self.main_screen

    def on_mount(self) -> None:
        # 16 colours (TERM=xterm, linux): the terminal's own red, yellow and green; the default themes'
        # shades would be turned into greys. (NO_COLOR keeps the default themes, which Textual turns
        # into shades of grey, and the marks ✖ ▲ ● carry severity.)
        sixteen = self.console.color_system in ("standard", "windows") and not self.is_headless
        self.themes = ANSI_THEMES if sixteen and not self.no_color else THEMES
        self.theme = self.themes[0]

    # ---- source lifecycle (worker threads) -------------------------------------------------------
    def _on_ui(self, callback: Callable, *args, **kwargs) -> None:
        """Run `callback` on the UI thread from a worker; nothing if the app is already gone (quit
        while connecting)."""
        try:
            self.call_from_thread(callback, *args, **kwargs)
        except RuntimeError:
            if self.is_running:
                raise

    @work(thread=True, group="source")
    def open_source(self) -> None:
        """Load the playbooks and open the source, then start feeding. The main screen starts this
        once it has painted."""
        try:
            if self._engine is None:
                from k8sdoctor.model.engine import build_engine

                self._engine, errors = build_engine(self.options.playbooks)
                for error in errors:
                    self._on_ui(self.notify, error, title="Playbook skipped", severity="warning", markup=False, timeout=15)
            source = self._open_source()
        except UserError as exc:
            self._on_ui(self._fail, exc)
            return
        from k8sdoctor.model.feed import ViewFeed

        feed = ViewFeed(self._engine, self._post_batch, clock=self.clock)
        if source.info.live and self.namespace is None and not self.options.all_namespaces:
            self.namespace = source.info.default_namespace
        with self._source_lock:
            self.source, self.feed, self.info = source, feed, source.info
            feed.start()
            self._on_ui(self._scope_changed)
            source.start(feed, self.namespace)
        if not source.info.live:
            self._on_ui(
                self.notify,
                "Snapshot mode is read-only: debug (x) and following logs need a live cluster.",
                title="Snapshot",
                markup=False,
            )

    def _post_batch(self, batch: Batch) -> None:
        """From the feed thread: Textual queues the message for the UI thread."""
        self.post_message(FeedBatch(batch))

    def _fail(self, exc: UserError) -> None:
        self.startup_error = exc
        self.exit(return_code=exc.exit_code)

    @work(thread=True, group="source")
    def rescope(self, namespace: str | None) -> None:
        """Watch another namespace (None: all) with the same source."""
        with self._source_lock:
            if self.source is None or self.feed is None:
                return
            self.source.stop()
            self.namespace = namespace
            self.source.start(self.feed, namespace)

    @work(thread=True, group="source")
    def switch_context(self, context: str) -> None:
        from k8sdoctor.model.live_source import LiveSource

        kubeconfig = getattr(self.source, "kubeconfig", self.options.kubeconfig)
        try:
            source = LiveSource.connect(kubeconfig, context, self.options.selector, request_timeout=self.options.request_timeout)
        except UserError as exc:
            self._on_ui(self.notify, str(exc), title="Cannot switch context", severity="error", markup=False)
            return
        with self._source_lock:
            if self.source is not None:
                self.source.stop()
            namespace = None if self.options.all_namespaces else source.info.default_namespace
            self.source, self.info, self.namespace = source, source.info, namespace
            self._on_ui(self._scope_changed)
            if self.feed is not None:
                source.start(self.feed, namespace)

    def change_namespace(self, namespace: str | None) -> None:
        if self.feed is None:
            return
        self.namespace = namespace
        self._scope_changed()
        self.rescope(namespace)

    def reconnect(self) -> None:
        """Restart the watches now instead of waiting for the next retry."""
        self.change_namespace(self.namespace)

    def _scope_changed(self) -> None:
        self.health = Health(state="syncing")
        self.main_screen.scope_changed()

    def on_unmount(self) -> None:
        if self.source is not None:
            self.source.stop()
        if self.feed is not None:
            self.feed.stop()

    async def on_event(self, event: events.Event) -> None:
        if self.feed is not None and isinstance(event, (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)):
            self.feed.user_input()
        await super().on_event(event)

    # ---- batches ---------------------------------------------------------------------------------
    @on(FeedBatch)
    def apply_batch(self, message: FeedBatch) -> None:
        batch: Batch = message.batch
        feed = self.feed
        if feed is None:
            return
        try:
            if batch.generation < feed.generation:
                return
            fresh = batch.generation != self._shown_generation
            self._shown_generation = batch.generation
            self.health = batch.health
            if batch.events is not None:
                self.events = batch.events
            self.main_screen.apply_batch(batch, fresh)
            if batch.events is not None and isinstance(self.screen, EventsScreen):
                self.screen.show_events(batch.events)
        finally:
            feed.ack()

    # ---- actions ---------------------------------------------------------------------------------
    def action_help(self) -> None:
        """The keys of the screen on top (its `KEYS_HELP`); the main screen's keys and marks otherwise."""
        from k8sdoctor.tui.screens.help_screen import HelpScreen

        screen = self.screen
        if isinstance(screen, HelpScreen):
            return
        sections = getattr(screen, "KEYS_HELP", None)
        self.push_screen(HelpScreen(sections, legend=False) if sections and screen is not self.main_screen else HelpScreen())

    def action_toggle_theme(self) -> None:
        dark, light = self.themes
        self.theme = light if self.theme == dark else dark
