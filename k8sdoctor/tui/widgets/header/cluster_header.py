"""`ClusterHeader`: where you are (context, cluster, namespace, or the snapshot, and the view) and how the
connection is (live, syncing, forbidden, disconnected with the retry countdown), with the pod and problem
counts; under it, while a workload in scope cannot create its pods, which one and why. It watches the
app's reactive state; its screen sets the view's name and flags."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from k8sdoctor.core.findings import SEVERITY_MARK
from k8sdoctor.core.kube.timeutil import human_duration
from k8sdoctor.model.batch import Health
from k8sdoctor.model.source import SourceInfo
from k8sdoctor.model.view_rows import Summary
from k8sdoctor.tui.text import one_line

if TYPE_CHECKING:
    from k8sdoctor.tui.state import DoctorState

STATE_LABEL = {
    "connecting": ("◌ connecting", "$text-muted"),
    "syncing": ("◌ syncing", "$text-warning"),
    "ready": ("● live", "$text-success"),
    "empty": ("● live", "$text-success"),
    "forbidden": ("✖ forbidden", "$text-error"),
    "disconnected": ("✖ disconnected", "$text-error"),
}


def retry_text(health: Health, monotonic: Callable[[], float]) -> str:
    if health.retry_at is None:
        return ""
    return f"retry in {max(0, round(health.retry_at - monotonic()))}s"


def scope_content(info: SourceInfo | None, namespace: str | None, selector: str | None, view: str = "") -> Content:
    parts: list[str | tuple[str, str]] = [("k8sdoctor", "bold $text-accent")]
    if view:  # first: it says what the table below is, and is never cut
        parts += [("  › ", "$text-muted"), (one_line(view), "bold $text-accent")]
    if info is not None and not info.live:
        parts += ["  ", ("snapshot ", "$text-muted"), one_line(info.snapshot), ("  read-only", "$text-warning")]
    elif info is not None:
        parts += ["  ", ("ctx ", "$text-muted"), (one_line(info.context) or "?", "bold")]
        if info.cluster and info.cluster != info.context:
            parts += ["  ", ("cluster ", "$text-muted"), one_line(info.cluster)]
    parts += ["  ", ("ns ", "$text-muted"), (one_line(namespace) if namespace else "all", "bold")]
    if selector:
        parts += ["  ", ("-l ", "$text-muted"), one_line(selector)]
    return Content.assemble(*parts)


def state_content(
    info: SourceInfo | None,
    health: Health,
    summary: Summary,
    monotonic: Callable[[], float],
    flags: tuple[str, ...] = (),
    waiting_for: float = 0.0,
) -> Content:
    """The connection state and counts; `waiting_for`: seconds spent connecting or syncing so far
    (shown from 2 s on, so a slow or hung server is seen to be slow). "no problems" only when no object
    of any kind in scope has one."""
    if info is not None and not info.live and health.state in ("ready", "empty"):
        label, style = "■ snapshot", "$text-accent"
    else:
        label, style = STATE_LABEL.get(health.state, (health.state, ""))
    parts: list[str | tuple[str, str]] = [(label, f"bold {style}")]
    if health.state in ("connecting", "syncing") and waiting_for >= 2:
        parts.append((f" {human_duration(waiting_for)}", style))
    retry = retry_text(health, monotonic)
    if retry and health.state in ("disconnected", "forbidden"):
        parts += [(f" · {retry}", style)]
    if summary.pods or health.state in ("ready", "empty"):
        pods, problems, others = summary.pods, summary.pod_problems, summary.object_problems
        parts += ["  ", f"{pods} pod" if pods == 1 else f"{pods} pods"]
        if problems:
            parts += [" · ", (f"{problems} problem" if problems == 1 else f"{problems} problems", "bold $text-error")]
        elif pods and not others:  # nothing to look at is not "all clear"
            parts += [" · ", ("no problems", "$text-success")]
        if others:  # workloads, Services, claims, nodes...: the :problems view lists them
            more = f"+{others} other" if problems else f"{others} other {'problem' if others == 1 else 'problems'}"
            parts += [" " if problems else " · ", (more, "bold $text-error")]
    for flag in flags:
        parts += ["  ", (f"[{flag}]", "$text-accent")]
    return Content.assemble(*parts)


def not_created_content(summary: Summary) -> Content | None:
    """The header's second line while a workload in scope cannot create its pods: which, and why."""
    if not summary.not_created:
        return None
    row = summary.not_created[0]
    finding = next(f for f in row.diagnosis.findings if f.category == "PodsNotCreated")
    where = f"{row.namespace}/" if row.namespace else ""
    parts: list[str | tuple[str, str]] = [
        (f"{SEVERITY_MARK.get(finding.severity, '✖')} {row.kind.lower()} {one_line(where + row.name)}", "bold $text-error"),
        f" has no pods: {one_line(finding.cause)} — {one_line(finding.summary)}",
    ]
    if len(summary.not_created) > 1:
        parts.append((f"  (+{len(summary.not_created) - 1} more: :problems)", "$text-muted"))
    return Content.assemble(*parts)


class ClusterHeader(Vertical):
    """Watches the app's state (source, namespace, health, counts); its screen sets `flags` and `view`."""

    DEFAULT_CSS = """
    ClusterHeader {
        height: auto;
    }
    ClusterHeader > #header-line {
        height: 1;
        background: $panel;
        padding: 0 1;
    }
    ClusterHeader > #header-not-created {
        display: none;
        height: 1;
        padding: 0 1;
        background: $error-muted;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    flags: reactive[tuple[str, ...]] = reactive((), init=False)
    view: reactive[str] = reactive("", init=False)  # "deployments", "pods of deployment/web"

    def __init__(self, monotonic: Callable[[], float] = time.monotonic, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.monotonic = monotonic
        self._shown: tuple | None = None
        self._waiting_since: float | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="header-line"):
            yield Static(id="header-scope")
            yield Static(id="header-state")
        yield Static(id="header-not-created")

    def on_mount(self) -> None:
        app = cast("DoctorState", self.app)
        for name in ("health", "info", "namespace", "summary"):
            self.watch(app, name, self._app_changed, init=False)
        self.set_interval(1.0, self._tick)
        self.refresh_header()

    def _app_changed(self) -> None:
        self.refresh_header()

    def watch_flags(self) -> None:
        self.refresh_header()

    def watch_view(self) -> None:
        self.refresh_header()

    def _tick(self) -> None:
        """Once a second while connecting, syncing or retrying: the elapsed time and countdowns move."""
        health = cast("DoctorState", self.app).health
        if health.retry_at is not None or health.state in ("connecting", "syncing"):
            self.refresh_header()

    def waiting_for(self) -> float:
        """Seconds the app has been connecting or syncing (0 once live)."""
        if cast("DoctorState", self.app).health.state not in ("connecting", "syncing"):
            self._waiting_since = None
            return 0.0
        now = self.monotonic()
        if self._waiting_since is None:
            self._waiting_since = now
        return now - self._waiting_since

    def refresh_header(self) -> None:
        app = cast("DoctorState", self.app)
        scope = scope_content(app.info, app.namespace, app.options.selector, self.view)
        state = state_content(app.info, app.health, app.summary, self.monotonic, self.flags, self.waiting_for())
        blocked = not_created_content(app.summary)
        shown = tuple((c.plain, tuple(c.spans)) if c is not None else None for c in (scope, state, blocked))
        if shown == self._shown:  # an update re-lays the screen out: only when something changed
            return
        self._shown = shown
        self.query_one("#header-scope", Static).update(scope)
        self.query_one("#header-state", Static).update(state)
        line = self.query_one("#header-not-created", Static)
        line.display = blocked is not None
        if blocked is not None:
            line.update(blocked)
