"""Search in a list of lines, as `/`, `n` and `N` do in less: plain text, smart case (a query with a
capital letter is case-sensitive), matches in reading order, next and previous wrapping around."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Match:
    line: int  # index into the searched lines
    start: int
    end: int


def find_matches(lines: Sequence[str], query: str) -> list[Match]:
    if not query:
        return []
    fold = query == query.lower()
    needle = query.lower() if fold else query
    out = []
    for i, line in enumerate(lines):
        hay = line.lower() if fold else line
        at = hay.find(needle)
        while at >= 0:
            out.append(Match(i, at, at + len(needle)))
            at = hay.find(needle, at + max(len(needle), 1))
    return out


@dataclass
class Search:
    """A query, its matches, and which one is current."""

    query: str = ""
    matches: list[Match] = field(default_factory=list)
    current: int = -1

    def run(self, lines: Sequence[str], query: str, from_line: int = 0) -> Match | None:
        """Search anew; the current match is the first at or after `from_line`."""
        self.query = query
        self.matches = find_matches(lines, query)
        if not self.matches:
            self.current = -1
            return None
        self.current = next((i for i, m in enumerate(self.matches) if m.line >= from_line), 0)
        return self.matches[self.current]

    def refresh(self, lines: Sequence[str], shift: int = 0) -> None:
        """Recompute the matches after the lines changed; `shift` lines were dropped from the top."""
        if not self.query:
            return
        old = self.matches[self.current] if 0 <= self.current < len(self.matches) else None
        self.matches = find_matches(lines, self.query)
        if old is None or not self.matches:
            self.current = 0 if self.matches else -1
            return
        target = (old.line - shift, old.start)
        self.current = next((i for i, m in enumerate(self.matches) if (m.line, m.start) >= target), len(self.matches) - 1)

    def step(self, forward: bool = True) -> Match | None:
        if not self.matches:
            return None
        self.current = (self.current + (1 if forward else -1)) % len(self.matches)
        return self.matches[self.current]

    @property
    def status(self) -> str:
        if not self.query:
            return ""
        if not self.matches:
            return f"/{self.query}: no match"
        return f"/{self.query}: {self.current + 1} of {len(self.matches)}"
