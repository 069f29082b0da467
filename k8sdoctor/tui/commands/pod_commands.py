"""Palette: jump to a pod by (fuzzy) name. Without a query it offers the worst problems first."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from k8sdoctor.model.sorting import sort_key
from k8sdoctor.tui.format import diagnosis_cell
from k8sdoctor.tui.text import one_line

if TYPE_CHECKING:
    from k8sdoctor.tui.screens.main_screen import MainScreen

LIMIT = 20


class PodCommands(Provider):
    @property
    def main(self) -> MainScreen:
        return cast("MainScreen", self.screen)

    def _rows(self):
        table = getattr(self.screen, "table", None)
        return table.all_rows if table is not None else {}

    async def search(self, query: str) -> Hits:
        from rapidfuzz import fuzz, process

        rows = self._rows()
        choices = {key: f"{key[0]}/{key[1]}" for key in rows}
        for text, score, key in process.extract(query, choices, scorer=fuzz.WRatio, limit=LIMIT, score_cutoff=60):
            row = rows[key]
            yield Hit(
                score / 100,
                Content(f"pod {one_line(text)}"),
                partial(self.main.select_pod, key),
                text=f"pod {one_line(text)}",
                help=diagnosis_cell(row)[0] or one_line(row.status),
            )

    async def discover(self) -> Hits:
        rows = sorted((r for r in self._rows().values() if r.problem), key=lambda r: sort_key("problems", r))
        for row in rows[:10]:
            text = f"pod {one_line(row.namespace)}/{one_line(row.name)}"
            yield DiscoveryHit(Content(text), partial(self.main.select_pod, row.key), text=text, help=diagnosis_cell(row)[0])
