"""`ClusterHeader`: where you are (context, cluster, namespace, or the snapshot) and how the connection
is (live, syncing, forbidden, disconnected with the retry countdown), with the pod and problem counts."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from k8sdoctor.core.kube.timeutil import human_duration
from k8sdoctor.model.batch import Health
from k8sdoctor.model.source import SourceInfo
from k8sdoctor.tui.text import one_line

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


def scope_content(info: SourceInfo | None, namespace: str | None, selector: str | None) -> Content:
    parts: list[str | tuple[str, str]] = [("k8sdoctor", "bold $text-accent")]
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
    pods: int,
    problems: int,
    monotonic: Callable[[], float],
    flags: tuple[str, ...] = (),
    waiting_for: float = 0.0,
) -> Content:
    """The connection state and counts; `waiting_for`: seconds spent connecting or syncing so far
    (shown from 2 s on, so a slow or hung server is seen to be slow)."""
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
    if pods or health.state in ("ready", "empty"):
        parts += ["  ", f"{pods} pod" if pods == 1 else f"{pods} pods"]
        if problems:
            parts += [" · ", (f"{problems} problem" if problems == 1 else f"{problems} problems", "bold $text-error")]
        elif pods:  # nothing to look at is not "all clear"
            parts += [" · ", ("no problems", "$text-success")]
    for flag in flags:
        parts += ["  ", (f"[{flag}]", "$text-accent")]
    return Content.assemble(*parts)


class ClusterHeader(Horizontal):
    def __init__(self, monotonic: Callable[[], float] = time.monotonic, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.monotonic = monotonic
        self._shown: tuple | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="header-scope")
        yield Static(id="header-state")

    def show(
        self,
        info: SourceInfo | None,
        namespace: str | None,
        selector: str | None,
        health: Health,
        pods: int,
        problems: int,
        flags: tuple[str, ...] = (),
        waiting_for: float = 0.0,
    ) -> None:
        scope = scope_content(info, namespace, selector)
        state = state_content(info, health, pods, problems, self.monotonic, flags, waiting_for)
        shown = tuple((c.plain, tuple(c.spans)) for c in (scope, state))
        if shown == self._shown:  # an update re-lays the screen out: only when something changed
            return
        self._shown = shown
        self.query_one("#header-scope", Static).update(scope)
        self.query_one("#header-state", Static).update(state)
