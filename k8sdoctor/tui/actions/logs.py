"""The logs screen (`l` current, `p` previous): the failing container's log, followed live, searchable,
with the lines the diagnosis quoted marked. When the container has no logs, the pod's events show
instead, with the reason. `a` shows every container at once, each line prefixed as `kubectl logs
--all-containers --prefix` prefixes it; `S` reads only the last minutes or hours; ctrl+s saves the lines
shown, as they were read.

A reader thread puts lines into a bounded `LogBuffer`; a 10 Hz timer redraws only when it changed. A
container logging megabytes per second therefore costs one redraw per tick and at most the buffer's
10,000 lines of memory, and the UI stays responsive.
"""

from __future__ import annotations

import contextlib
import re
import threading
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from k8sdoctor.actions import containers as pick
from k8sdoctor.actions.citations import LogCitation, log_citations
from k8sdoctor.actions.context import ActionContext
from k8sdoctor.actions.describe import describe_pod
from k8sdoctor.actions.logs import (
    DEFAULT_MAX_LINES,
    LogBuffer,
    LogRequest,
    LogsUnavailable,
    check_readable,
    cited_log_lines,
    cited_prefixed_lines,
    kubectl_prefix,
    parse_since,
    save_name,
    snapshot_logs,
    snapshot_raw_lines,
    stream_logs,
)
from k8sdoctor.actions.search import Search
from k8sdoctor.errors import UserError
from k8sdoctor.tui.actions.lines_view import LinesView
from k8sdoctor.tui.actions.menu import MenuItem, MenuScreen
from k8sdoctor.tui.actions.save import SavePathScreen
from k8sdoctor.tui.actions.search_bar import SEARCH_BINDINGS, SearchBar
from k8sdoctor.tui.text import one_line, printable

_TIMESTAMP = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d) "
_TEXT_TIMESTAMP, _RAW_TIMESTAMP = re.compile(_TIMESTAMP), re.compile(_TIMESTAMP.encode())
REFRESH_SECONDS = 0.1
#: The since choices (`S`): label, key, kubectl's --since.
SINCE_CHOICES = (("all", "0", ""), ("5m", "1", "5m"), ("15m", "2", "15m"), ("1h", "3", "1h"), ("6h", "4", "6h"), ("24h", "5", "24h"))


def without_timestamp(line: str, prefix: str = "") -> str:
    """The line without the timestamp the kubelet put after `prefix` (if it starts with it)."""
    if not line.startswith(prefix):
        return line
    match = _TEXT_TIMESTAMP.match(line, len(prefix))
    return prefix + line[match.end() :] if match else line


def raw_without_timestamp(line: bytes, prefix: bytes = b"") -> bytes:
    if not line.startswith(prefix):
        return line
    match = _RAW_TIMESTAMP.match(line, len(prefix))
    return prefix + line[match.end() :] if match else line


class LogsScreen(Screen[None]):
    CSS_PATH = "actions.tcss"
    BINDINGS = [
        *SEARCH_BINDINGS,
        Binding("f", "follow", "Follow"),
        Binding("s", "autoscroll", "Scroll", tooltip="Autoscroll to new lines"),
        Binding("w", "wrap", "Wrap"),
        Binding("t", "timestamps", "Time", tooltip="Timestamps"),
        Binding("p", "previous", "Prev run", tooltip="Current or previous run"),
        Binding("a", "all_containers", "All", tooltip="Every container at once, each line prefixed"),
        Binding("S", "since", "Since", show=False, tooltip="Only the last minutes or hours"),
        Binding("ctrl+s", "save", "Save", show=False, tooltip="Save the lines shown to a file"),
        Binding("c", "container", "Container", show=False),
        Binding("e", "evidence", "Evidence", show=False, tooltip="Next line the diagnosis quoted"),
        Binding("G,end", "bottom", "Bottom", show=False),
        Binding("g,home", "top", "Top", show=False),
    ]
    KEYS_HELP = (
        (
            "Logs",
            (
                ("↑ ↓  j k", "scroll (pgup/pgdn; g/home: top, G/end: bottom and autoscroll)"),
                ("f", "follow new lines (live cluster; a running container is followed from the start)"),
                ("s", "autoscroll to new lines on / off (scrolling up turns it off)"),
                ("w", "wrap long lines"),
                ("t", "timestamps (live cluster)"),
                ("p", "the current or the previous (crashed) run"),
                ("c", "the next container of the pod"),
                ("a", "every container at once, each line prefixed [pod/POD/CONTAINER] as kubectl --prefix"),
                ("S", "since: all, or the last 5m, 15m, 1h, 6h, 24h (live cluster)"),
                ("ctrl+s", "save the lines shown to a file, as read (asks before replacing a file)"),
                ("e", "next line the diagnosis quoted (marked ▶)"),
                ("/", "search (plain text; a capital letter makes it case-sensitive)"),
                ("n / N", "next / previous match"),
                ("esc / q", "back to the pods"),
            ),
        ),
    )

    def __init__(
        self,
        ctx: ActionContext,
        namespace: str,
        name: str,
        previous: bool = False,
        *,
        container: str | None = None,
        max_lines: int = DEFAULT_MAX_LINES,
    ) -> None:
        super().__init__()
        self.ctx, self.namespace, self.pod_name = ctx, namespace, name
        self.previous = previous
        self.container = container
        self.max_lines = max_lines
        self.buffer = LogBuffer(max_lines)
        self.following = False
        self.follow_choice: bool | None = None  # None: follow a running container's current log
        self.autoscroll = True
        self.timestamps = False
        self.all_containers = False
        self.since = ""  # kubectl's --since ("" everything)
        self.skipped: dict[str, str] = {}  # with all containers: container → why it has no logs
        self._reading = 0  # reads of the current start still running
        self.unavailable: str | None = None
        self.stream_state = ""
        self.search = Search()
        self.marks: dict[int, LogCitation] = {}  # line number → the citation that quoted it
        self._citations: list[LogCitation] = []
        self.view_first = 0  # number of the first line on screen (older lines were dropped)
        self._shown = (-1, -1)  # (buffer version, first line) on screen
        self._stop = threading.Event()
        self._responses: list = []
        self._responses_lock = threading.Lock()
        self._first_paint = True

    def compose(self) -> ComposeResult:
        yield Static("", id="title", classes="action-title", markup=False)
        yield LinesView(id="logs")
        yield SearchBar()
        yield Static("", id="status", classes="action-status", markup=False)
        yield Footer(show_command_palette=False)  # ctrl+p still opens it; see MainScreen

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # hidden in a snapshot: it cannot follow, and its logs carry no timestamps
        return self.ctx.live or action not in ("follow", "timestamps")

    @property
    def view(self) -> LinesView:
        return self.query_one(LinesView)

    def on_mount(self) -> None:
        self.set_interval(REFRESH_SECONDS, self.redraw)
        self.start()
        self.view.focus()

    def on_unmount(self) -> None:
        self.stop_reading()

    # ---- reading ------------------------------------------------------------------------------------
    @property
    def pod(self) -> dict | None:
        return self.ctx.inventory.pods.get((self.namespace, self.pod_name))

    def start(self) -> None:
        """(Re)read the chosen container's log from the start of the tail."""
        self.stop_reading()
        self.buffer = LogBuffer(self.max_lines)
        self._shown, self._first_paint, self.unavailable, self.stream_state = (-1, -1), True, None, ""
        self.skipped = {}
        self._citations = log_citations(self.ctx.diagnosis(self.namespace, self.pod_name))
        pod = self.pod
        if pod is None:
            self._unavailable(f"pod {self.namespace}/{self.pod_name} is no longer in the cluster")
            return
        try:
            if self.container is None:
                self.container = pick.default_container(pod, self.ctx.diagnosis(self.namespace, self.pod_name))
            ref = pick.find(pod, self.container)
            readable = self._readable(self.requests)
            if not self.ctx.live:
                for req in readable:
                    prefix = self.prefix_of(req)
                    self.buffer.extend(
                        [prefix + line for line in snapshot_logs(self.ctx.inventory, req)],
                        [self.raw_prefix_of(req) + raw for raw in snapshot_raw_lines(self.ctx.inventory, req)],
                    )
                self.stream_state = "from the snapshot"
                self._update_status()
                return
        except LogsUnavailable as exc:
            self._unavailable(str(exc))
            return
        except UserError as exc:
            self._unavailable(str(exc), events=False)
            return
        shown = pick.containers(pod) if self.all_containers else [ref]
        running = any("running" in (c.status.get("state") or {}) for c in shown)
        choice = self.follow_choice if self.follow_choice is not None else running
        self.following = choice and not self.previous  # a previous run's log is complete
        self._read(readable)
        self._update_status()

    def _readable(self, requests: list[LogRequest]) -> list[LogRequest]:
        """The requests whose container has logs to read. One container without logs raises
        LogsUnavailable; with all containers, those without are noted in `skipped` (all of them: raise)."""
        if not self.all_containers:
            check_readable(self.ctx.inventory, requests[0])
            return requests
        readable = []
        for req in requests:
            try:
                check_readable(self.ctx.inventory, req)
                if not self.ctx.live:
                    snapshot_logs(self.ctx.inventory, req)  # the snapshot may hold no logs for it
                readable.append(req)
            except LogsUnavailable as exc:
                self.skipped[req.container] = str(exc)
        if not readable:
            raise LogsUnavailable("; ".join(f"{name}: {why}" for name, why in self.skipped.items()))
        return readable

    @property
    def requests(self) -> list[LogRequest]:
        """What is read: the chosen container, or every container of the pod (`a`)."""
        pod = self.pod
        names = [c.name for c in pick.containers(pod)] if self.all_containers and pod is not None else [self.container or ""]
        since = parse_since(self.since) if self.since and self.ctx.live else None
        return [
            LogRequest(self.namespace, self.pod_name, name, self.previous, self.max_lines, timestamps=self.ctx.live, since_seconds=since)
            for name in names
        ]

    @property
    def request(self) -> LogRequest:
        return self.requests[0]

    def prefix_of(self, req: LogRequest) -> str:
        """What goes before each of its lines: kubectl's `[pod/POD/CONTAINER] ` with all containers."""
        return printable(kubectl_prefix(req.pod, req.container)) if self.all_containers else ""

    def raw_prefix_of(self, req: LogRequest) -> bytes:
        """The same prefix as kubectl writes it (for a save)."""
        return kubectl_prefix(req.pod, req.container).encode() if self.all_containers else b""

    def _read(self, requests: list[LogRequest]) -> None:
        """Read in worker threads: one after the other, or each followed in its own (as kubectl)."""
        stop = threading.Event()
        self._stop = stop
        follow, buffer = self.following, self.buffer
        self.stream_state = "following" if follow else "reading"

        def opened(resp) -> None:
            with self._responses_lock:  # against stop_reading on the UI thread: every response is closed once
                if not stop.is_set():
                    self._responses.append(resp)
                    return
            getattr(resp, "shutdown", resp.close)()  # replaced by another read while connecting

        client = self.ctx.client
        assert client is not None  # only read live (a snapshot's logs are in its inventory)

        prefixes = {req.container: (self.prefix_of(req), self.raw_prefix_of(req)) for req in requests}
        every = self.all_containers

        def read(group: list[LogRequest]) -> None:
            state, unavailable, skipped = "stream ended" if follow else "", None, {}
            for req in group:
                prefix, raw_prefix = prefixes[req.container]

                def sink(lines: list[str], raw: list[bytes], prefix: str = prefix, raw_prefix: bytes = raw_prefix) -> None:
                    buffer.extend([prefix + line for line in lines], [raw_prefix + data for data in raw])

                try:
                    stream_logs(client, req, buffer.extend, follow=follow, stop=stop, on_open=opened, raw_sink=sink)
                except LogsUnavailable as exc:
                    if not every:
                        unavailable = str(exc)
                    skipped[req.container] = str(exc)
                except UserError as exc:
                    state = f"error: {exc}"
            self.app.call_from_thread(self._ended, stop, state, unavailable, skipped)  # state changes on the UI thread

        groups = [[req] for req in requests] if follow else [requests]
        self._reading = len(groups)
        for i, group in enumerate(groups):
            self.run_worker(lambda group=group: read(group), thread=True, group=f"logs-{i}", exit_on_error=False)

    def _ended(self, stop: threading.Event, state: str, unavailable: str | None = None, skipped: dict[str, str] | None = None) -> None:
        """A read finished (if it is still the current one): say how, or why there were no logs."""
        if stop is not self._stop or stop.is_set():
            return
        self.skipped.update(skipped or {})
        if unavailable is not None:
            self._unavailable(unavailable)
            return
        self._reading -= 1
        if self._reading > 0 and not state.startswith("error"):
            return
        self.stream_state = state
        self.following = False if state else self.following
        self._update_status()

    def stop_reading(self) -> None:
        self._stop.set()
        with self._responses_lock:
            responses, self._responses = self._responses, []
        for resp in responses:
            with contextlib.suppress(Exception):
                getattr(resp, "shutdown", resp.close)()

    def _unavailable(self, reason: str, *, events: bool = True) -> None:
        """Show why there are no logs, and the pod's events in their place."""
        self.stop_reading()
        self.unavailable = reason
        lines = [f"No logs: {reason}."]
        if events and self.pod is not None:
            lines += ["", "The pod's events instead:"]
            doc = describe_pod(self.ctx.inventory, self.namespace, self.pod_name, self.ctx.clock())
            lines += [line.text for line in doc.lines if line.section == "Events"]
        self.view.show(lines, kinds={0: "heading"})
        self._update_status()

    # ---- drawing ------------------------------------------------------------------------------------
    def redraw(self) -> None:
        """Redraw if the buffer changed since the last tick (called 10 times a second). With autoscroll,
        also come back to the end if a layout change (a scrollbar appearing) moved it."""
        if self.unavailable is not None:
            return
        if (self.buffer.version, self.timestamps) == self._shown:
            if self.autoscroll and not self._first_paint and not self.view.at_end:
                self.view.scroll_end(animate=False)
            return
        old_first = self.view_first
        first, lines = self.buffer.snapshot()
        self._shown = (self.buffer.version, self.timestamps)
        self.view_first = first
        prefixes = {self.prefix_of(req): req for req in self.requests}
        plain = [self._plain(line, prefixes) for line in lines] if self.ctx.live else lines
        shown = lines if self.timestamps else plain
        if self.all_containers:
            self.marks = cited_prefixed_lines(first, plain, self._citations, prefixes)
        else:
            self.marks = cited_log_lines(first, plain, self._citations, self.request)
        kinds = {n - first: "marked" for n in self.marks}
        self.view.show(shown, kinds=kinds, marks={n - first: "▶" for n in self.marks})
        if self.search.query:
            self.search.refresh(shown, shift=first - old_first)
            self._show_matches()
        if self._first_paint and self.marks:
            self.view.scroll_to_line(max(self.marks) - first)
        elif self.autoscroll:
            self.view.scroll_end(animate=False)  # after the refresh: a new horizontal scrollbar moves the end
        self._first_paint = False
        self._update_status()

    @staticmethod
    def _plain(line: str, prefixes: dict[str, LogRequest]) -> str:
        prefix = next((p for p in prefixes if line.startswith(p)), "")
        return without_timestamp(line, prefix)

    def _update_status(self) -> None:
        which = "previous run" if self.previous else "current run"
        what = "all containers" if self.all_containers else f"container {self.container or '?'}"
        self.query_one("#title", Static).update(one_line(f"logs {self.namespace}/{self.pod_name} · {what} ({which})"))
        if self.unavailable is not None:
            self.query_one("#status", Static).update("no logs: showing the pod's events")
            return
        kept = len(self.buffer)
        dropped = f" (last {kept:,} kept of {self.buffer.total:,})" if self.buffer.first else ""
        flags = [
            f"{kept:,} line{'' if kept == 1 else 's'}{dropped}",
            self.stream_state,
            "autoscroll" if self.autoscroll else "autoscroll off",
            "wrap" if self.view.wrap else "",
            "timestamps" if self.timestamps else "",
            f"since {self.since}" if self.since and self.ctx.live else "",
            f"no logs from {', '.join(self.skipped)}" if self.skipped else "",
            f"{len(self.marks)} quoted by the diagnosis (e)" if self.marks else "",
            self._hints(),
            self.search.status,
        ]
        self.query_one("#status", Static).update(" · ".join(f for f in flags if f))

    def _hints(self) -> str:
        """What else there is to read: the previous run, the other containers."""
        pod = self.pod
        refs = pick.containers(pod) if pod is not None else []
        ref = next((c for c in refs if c.name == self.container), None)
        hints = ["p: previous run"] if ref is not None and not self.previous and pick.offers_previous(ref) else []
        if len(refs) > 1 and not self.all_containers:
            hints.append(f"c: {len(refs) - 1} other container{'s' if len(refs) > 2 else ''}, a: all")
        return ", ".join(hints)

    # ---- search ---------------------------------------------------------------------------------------
    def action_search(self) -> None:
        self.query_one(SearchBar).open()

    @on(SearchBar.Search)
    def run_search(self, message: SearchBar.Search) -> None:
        match = self.search.run(self.view.lines, message.query, self.view.top_line)
        if match is not None:
            self.autoscroll = False  # keep the match in view while lines arrive
            self.view.scroll_to_line(match.line)
        self._show_matches()
        self._update_status()

    def _show_matches(self) -> None:
        current = self.search.matches[self.search.current] if self.search.matches else None
        self.view.set_matches(self.search.matches, current)

    def action_match(self, forward: bool) -> None:
        match = self.search.step(forward)
        if match is not None:
            self.autoscroll = False
            self._show_matches()
            self.view.scroll_to_line(match.line)
            self._update_status()

    # ---- toggles ------------------------------------------------------------------------------------
    def action_follow(self) -> None:
        self.follow_choice = not self.following
        self.autoscroll = self.autoscroll or self.follow_choice
        self.start()

    @on(LinesView.ScrolledBack)
    def stop_autoscroll(self) -> None:
        if self.autoscroll:
            self.autoscroll = False
            self._update_status()

    def action_autoscroll(self) -> None:
        self.autoscroll = not self.autoscroll
        if self.autoscroll:
            self.view.scroll_end(animate=False)
        self._update_status()

    def action_wrap(self) -> None:
        self.view.wrap = not self.view.wrap
        self._update_status()

    def action_timestamps(self) -> None:
        self.timestamps = not self.timestamps
        self.redraw()

    def action_previous(self) -> None:
        self.previous = not self.previous
        self.start()

    def action_container(self) -> None:
        pod = self.pod
        if pod is None:
            return
        names = [c.name for c in pick.containers(pod)]
        if len(names) <= 1:
            self.notify(f"The pod has one container ({names[0] if names else 'none'}): no other to show.", timeout=4)
            return
        if self.all_containers:  # back to one container: the one shown before
            self.all_containers = False
        elif self.container in names:
            self.container = names[(names.index(self.container) + 1) % len(names)]
        self.start()

    def action_all_containers(self) -> None:
        self.all_containers = not self.all_containers
        self.start()

    def action_since(self) -> None:
        if not self.ctx.live:
            self.notify("A snapshot holds no times: since needs a live cluster.", timeout=4)
            return
        items = [
            MenuItem(since or "all", f"the last {label}" if since else "all the kubelet kept", key) for label, key, since in SINCE_CHOICES
        ]
        self.app.push_screen(MenuScreen("Read the log since", items, highlighted=self.since or "all"), self._since_chosen)

    def _since_chosen(self, choice: str | None) -> None:
        if choice is None:
            return
        self.since = "" if choice == "all" else choice
        self.start()

    # ---- saving -------------------------------------------------------------------------------------
    def shown_bytes(self) -> bytes:
        """The lines shown, as they were read: kubectl's bytes for the same choices (with all
        containers, its --prefix; timestamps only when shown)."""
        _first, raw = self.buffer.raw_snapshot()
        if self.ctx.live and not self.timestamps:
            prefixes = [self.raw_prefix_of(req) for req in self.requests]
            raw = [raw_without_timestamp(line, next((p for p in prefixes if line.startswith(p)), b"")) for line in raw]
        return b"".join(line + b"\n" for line in raw)

    def action_save(self) -> None:
        if self.unavailable is not None or not len(self.buffer):
            self.notify("No log lines to save.", timeout=4)
            return
        data, count = self.shown_bytes(), len(self.buffer)
        name = save_name(self.namespace, self.pod_name, "all-containers" if self.all_containers else self.container or "")

        def save(answer: tuple[Path, bool] | None) -> None:
            if answer is not None:
                self._write(answer[0], data, count, replace=answer[1])

        self.app.push_screen(SavePathScreen(f"Save {count:,} lines of {self.namespace}/{self.pod_name} to", f"./{name}"), save)

    def _write(self, path: Path, data: bytes, count: int, *, replace: bool) -> None:
        try:
            with path.open("wb" if replace else "xb") as out:
                out.write(data)
        except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
            self.notify(one_line(f"Not saved: {getattr(exc, 'strerror', None) or exc} ({path})"), severity="error", timeout=6)
            return
        self.notify(one_line(f"Saved {count:,} lines ({len(data):,} bytes) to {path.resolve()}"), timeout=6)

    def action_evidence(self) -> None:
        if not self.marks:
            return
        middle = self.view.top_line + max(self.view.scrollable_content_region.height // 2 - 1, 0) + self.view_first
        later = sorted(n for n in self.marks if n > middle)
        self.autoscroll = False
        self.view.scroll_to_line((later[0] if later else min(self.marks)) - self.view_first)
        self._update_status()

    def action_bottom(self) -> None:
        self.autoscroll = True
        self.view.scroll_end(animate=False)
        self._update_status()

    def action_top(self) -> None:
        self.autoscroll = False
        self.view.scroll_home(animate=False)
        self._update_status()

    def action_back(self) -> None:
        self.stop_reading()
        self.dismiss(None)
