"""Palette: switch to another namespace (or to all namespaces)."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from k8sdoctor.tui.text import one_line

if TYPE_CHECKING:
    from k8sdoctor.tui.state import DoctorState

ALL_LABEL = "all namespaces"


class NamespaceCommands(Provider):
    async def startup(self) -> None:
        app = self.app
        source = getattr(app, "source", None)
        listed = await asyncio.to_thread(source.namespaces) if source is not None else []
        table = getattr(self.screen, "table", None)
        seen = {key[0] for key in table.all_rows} if table is not None else set()
        self.names = sorted(set(listed) | seen)

    def _choices(self) -> list[tuple[str, str | None]]:
        return [(f"namespace: {ALL_LABEL}", None)] + [(f"namespace: {one_line(n)}", n) for n in self.names]

    @property
    def doctor(self) -> DoctorState:
        return cast("DoctorState", self.app)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, namespace in self._choices():
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score,
                    Content(text),
                    partial(self.doctor.change_namespace, namespace),
                    text=text,
                    help="watch the pods of this namespace",
                )

    async def discover(self) -> Hits:
        for text, namespace in self._choices():
            yield DiscoveryHit(Content(text), partial(self.doctor.change_namespace, namespace), text=text)
