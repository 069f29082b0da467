"""`ConnectionBanner`: shown when what is on screen is not live (disconnected or reconnecting: the last
data stays, marked stale, with the retry countdown) or when some evidence cannot be read."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual.content import Content
from textual.widgets import Static

from k8sdoctor.core.kube.timeutil import human_duration
from k8sdoctor.model.batch import Health
from k8sdoctor.tui.text import one_line
from k8sdoctor.tui.widgets.header.cluster_header import retry_text


def banner_content(health: Health, now: datetime, monotonic: Callable[[], float]) -> Content | None:
    if health.stale_since is not None:
        age = human_duration((now - health.stale_since).total_seconds())
        what = "Disconnected" if health.state == "disconnected" else "Reconnecting"
        parts: list[str | tuple[str, str]] = [
            (f"⚠ {what}", "bold"),
            f" — showing the last data received, {age} ago (stale)",
        ]
        retry = retry_text(health, monotonic)
        if retry:
            parts.append(f"; {retry}")
        if health.message:
            parts.append(("\n" + one_line(health.message), ""))
        return Content.assemble(*parts)
    if health.notes:
        return Content.assemble(("Limited evidence: ", "bold"), "; ".join(one_line(n) for n in health.notes))
    return None


class ConnectionBanner(Static):
    def __init__(self, monotonic: Callable[[], float], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.monotonic = monotonic
        self._shown: tuple | None = None

    def show(self, health: Health, now: datetime) -> None:
        content = banner_content(health, now, self.monotonic)
        shown = (content.plain, tuple(content.spans), health.stale_since is not None) if content is not None else None
        if shown == self._shown:  # an update re-lays the screen out: only when something changed
            return
        self._shown = shown
        self.display = content is not None
        self.set_class(health.stale_since is not None, "-stale")
        if content is not None:
            self.update(content)
