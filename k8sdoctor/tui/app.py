"""`DoctorApp`: the k8sdoctor TUI.

The first paint happens before anything slow: the kubernetes client, the playbooks and the first list are
loaded by a worker thread afterwards. Data then flows one way:

    informer threads ──deltas──▶ ViewFeed thread ──Batch (≤10/s, acked)──▶ app ──▶ screens

The app owns the source (live cluster or snapshot), the feed, the scope (namespace) and the views'
rows (`ViewRows`). State flows down: the reactives of `DoctorState` (health, source info, namespace,
counts), which the headers watch, and the rows each screen reads. Requests flow up as messages: another
namespace, context or view (`:` command mode, Enter's drill-down, esc's way back); workers post messages
too, and never write the app's state from their thread.

Views, as in k9s: the pods view is the main screen, always at the bottom; every other kind's view (and
`:problems`) is a screen of its own, installed once and kept, pushed over it. Enter on a workload (or a
Service, node, claim, autoscaler) shows the pods view scoped to its pods; esc walks back the way came.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import get_current_worker

from k8sdoctor.actions.context import SessionChoices
from k8sdoctor.errors import UserError
from k8sdoctor.model.batch import Health
from k8sdoctor.model.commands import PROBLEMS, CommandError, parse_command
from k8sdoctor.model.view_rows import Summary, ViewRows
from k8sdoctor.tui.messages import ChangeNamespace, FeedBatch, GoBack, Navigate, OpenSource, Reconnect, SourceOpened, SwitchContext
from k8sdoctor.tui.options import TuiOptions
from k8sdoctor.tui.screens.events_screen import EventsScreen
from k8sdoctor.tui.screens.main_screen import MainScreen
from k8sdoctor.tui.screens.resource_screen import ResourceScreen
from k8sdoctor.tui.state import DoctorState, Place
from k8sdoctor.tui.text import one_line, printable

if TYPE_CHECKING:
    from k8sdoctor.core.engine import Engine
    from k8sdoctor.model.batch import Batch
    from k8sdoctor.model.source import Source

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


class DoctorApp(DoctorState):
    CSS_PATH = "app.tcss"
    TITLE = "k8sdoctor"
    main_screen: MainScreen
    BINDINGS = [
        # q quits from the main screen only (its own binding); every other screen goes back with q
        Binding("question_mark", "help", "Help", key_display="?", tooltip="Keys of this screen"),
        Binding("colon", "command_line", "Command", key_display=":", tooltip="Views by name: pods, deploy, svc, problems..."),
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
        self.source = None
        self.feed = None
        self.set_reactive(DoctorState.namespace, None if self.options.all_namespaces else self.options.namespace)
        self.events = []
        self.rows = ViewRows()
        self.startup_error: UserError | None = None
        self.choices = SessionChoices()  # what the actions remember for this session
        self.main_screen = MainScreen()
        self.history = []
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

    @on(OpenSource)
    def source_requested(self) -> None:
        self._load_source()

    @work(thread=True, group="source")
    def _load_source(self) -> None:
        """Load the playbooks and open the source (slow: a worker), then hand it to the UI thread. The
        main screen asks for this once it has painted."""
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
        namespace = self.namespace
        if source.info.live and namespace is None and not self.options.all_namespaces:
            namespace = source.info.default_namespace
        self.post_message(SourceOpened(source, namespace))

    @on(SourceOpened)
    def source_opened(self, message: SourceOpened) -> None:
        """Adopt a source a worker opened (at start, or another context): feed it into the view."""
        from k8sdoctor.model.feed import ViewFeed

        source: Source = message.source  # type: ignore[assignment]
        first = self.feed is None
        if self.feed is None:
            assert self._engine is not None
            self.feed = ViewFeed(self._engine, self._post_batch, clock=self.clock)
            self.feed.start()
        with self._source_lock:
            if self.source is not None and self.source is not source:
                self.source.stop()
            self.source, self.info, self.namespace = source, source.info, message.kube_namespace
            self._scope_changed()
            source.start(self.feed, message.kube_namespace)
        if first and not source.info.live:
            self.notify("Snapshot mode is read-only: debug (x) and following logs need a live cluster.", title="Snapshot")

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
            self.source.start(self.feed, namespace)

    @on(SwitchContext)
    def context_requested(self, message: SwitchContext) -> None:
        self._connect_context(message.context)

    @work(thread=True, group="context", exclusive=True)
    def _connect_context(self, context: str) -> None:
        """Connect to another context. The latest request wins: connecting can be slow (an exec
        credential plugin), and a context asked for before another must not replace it on arriving late."""
        from k8sdoctor.model.live_source import LiveSource

        kubeconfig = getattr(self.source, "kubeconfig", self.options.kubeconfig)
        try:
            source = LiveSource.connect(kubeconfig, context, self.options.selector, request_timeout=self.options.request_timeout)
        except UserError as exc:
            if not get_current_worker().is_cancelled:
                self._on_ui(self.notify, str(exc), title="Cannot switch context", severity="error", markup=False)
            return
        if get_current_worker().is_cancelled:  # another context was asked for meanwhile
            return
        self.post_message(SourceOpened(source, None if self.options.all_namespaces else source.info.default_namespace))

    @on(ChangeNamespace)
    def namespace_requested(self, message: ChangeNamespace) -> None:
        if self.feed is None:
            return
        self.namespace = message.kube_namespace
        self._scope_changed()
        self.rescope(message.kube_namespace)

    @on(Reconnect)
    def reconnect_requested(self) -> None:
        """Restart the watches now instead of waiting for the next retry."""
        self.namespace_requested(ChangeNamespace(self.namespace))

    def _scope_changed(self) -> None:
        self.health = Health(state="syncing")
        self.rows.clear()
        self.summary = Summary()
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
            if fresh:
                self.rows.clear()
            self.rows.apply(batch)
            self.summary = self.rows.summary()
            self.health = batch.health
            if batch.events is not None:
                self.events = batch.events
            self.main_screen.apply_batch(batch, fresh)
            screen = self.screen
            if isinstance(screen, ResourceScreen):
                screen.rows_changed()
            if batch.events is not None and isinstance(screen, EventsScreen):
                screen.show_events(batch.events)
        finally:
            feed.ack()

    # ---- views (k9s's command mode, drill-down and the way back) ----------------------------------
    def action_command_line(self) -> None:
        from k8sdoctor.tui.screens.command_screen import CommandScreen

        if isinstance(self.screen, (MainScreen, ResourceScreen, EventsScreen)):
            self.push_screen(CommandScreen(), self._run_command)

    def _run_command(self, text: str | None) -> None:
        if not text:
            return
        try:
            command = parse_command(text)
        except CommandError as exc:
            self.notify(str(exc), severity="warning", timeout=5)
            return
        if command.action == "quit":
            self.exit()
        elif command.action == "namespace":
            self.post_message(ChangeNamespace(command.argument))
        elif command.action == "context":
            if self.info is not None and not self.info.live:
                self.notify("A snapshot has no contexts: ctx needs a live cluster.", severity="warning", timeout=5)
            elif command.argument and (self.info is None or command.argument != self.info.context):
                self.post_message(SwitchContext(command.argument))
        else:
            self.post_message(Navigate(command.kind, fresh=True, filter=command.argument))

    def _here(self) -> Place:
        screen = self.screen
        if isinstance(screen, ResourceScreen):
            return Place(screen.kind, screen.cursor_ref)
        main = self.main_screen
        return Place("Pod", main.table.cursor_key, main.scope)

    @on(Navigate)
    def navigate_requested(self, message: Navigate) -> None:
        if message.fresh:
            self.history.clear()
        else:
            self.history.append(self._here())
        self._show(Place(message.kind, message.select, message.scope), message.filter)

    @on(GoBack)
    def back_requested(self) -> None:
        self._show(self.history.pop() if self.history else Place("Pod"))

    def _show(self, place: Place, filter_text: str | None = None) -> None:
        """Show a place, with its view's filter set to `filter_text` when given."""
        main = self.main_screen
        if place.kind == "Pod":
            while self.screen is not main and len(self.screen_stack) > 1:
                self.pop_screen()
            main.show_pods(place.scope, place.select)
            if filter_text is not None:
                main.set_filter(filter_text)
            return
        name = f"view-{place.kind}"
        if not self.is_screen_installed(name):
            from k8sdoctor.tui.screens.problems_screen import ProblemsScreen

            self.install_screen(ProblemsScreen() if place.kind == PROBLEMS else ResourceScreen(place.kind), name)
        screen = self.get_screen(name)
        if isinstance(self.screen, ResourceScreen):
            if self.screen is not screen:
                self.switch_screen(name)
        else:  # the main screen, or one over it (the events view): the view goes over the main screen
            while self.screen is not main and len(self.screen_stack) > 1:
                self.pop_screen()
            self.push_screen(name)
        if filter_text is not None:
            screen.filter_later(filter_text)  # type: ignore[attr-defined]
        if place.select is not None:
            screen.select_later(place.select)  # type: ignore[attr-defined]

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
