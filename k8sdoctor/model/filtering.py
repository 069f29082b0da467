"""The `/` filter: words over a pod's namespace/name, node, status and diagnosis causes, ranked.

Every word must match. A word matches exactly (a whole pod name, namespace or node), as a prefix of
one of them, as a substring anywhere, or, for a plain word of five letters or more, as one typo away
from a whole word of the pod's ("kestar" still finds kestra). Weaker matches are not kept: "node" does not find pods whose
text merely resembles it. The rank (0 exact … 3 typo, the worst of the words) orders the rows: exact
and prefix matches come first.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from k8sdoctor.cluster.view import PodRow

EXACT, PREFIX, SUBSTRING, TYPO = 0, 1, 2, 3
_WORD = re.compile(r"[a-z0-9]+")
TYPO_MIN_LENGTH = 5
TYPO_CUTOFF = 80.0  # rapidfuzz ratio: one edit in a five-to-ten-letter word


def haystack(row: PodRow) -> str:
    causes = " ".join(f"{f.category} {f.cause}" for f in row.diagnosis.findings)
    return f"{row.namespace}/{row.name} {row.node} {row.status} {causes}".lower()


def names(row: PodRow) -> tuple[str, ...]:
    """What an exact or prefix match is against: the pod's name, namespace/name, namespace, node."""
    return tuple(n.lower() for n in (row.name, f"{row.namespace}/{row.name}", row.namespace, row.node) if n)


class PodFilter:
    def __init__(self, query: str = "") -> None:
        self.query = query.strip()
        self.words = self.query.lower().split()

    def __bool__(self) -> bool:
        return bool(self.words)

    def rank(self, row: PodRow) -> int | None:
        """How well the row matches (lower is better), or None when it does not."""
        text, whole = haystack(row), names(row)
        worst = EXACT
        for word in self.words:
            found = self._word_rank(word, text, whole)
            if found is None:
                return None
            worst = max(worst, found)
        return worst

    def matches(self, text: str) -> bool:
        """Whether every word is in `text` (or one typo from a word of it)."""
        return all(self._word_rank(word, text, ()) is not None for word in self.words)

    @staticmethod
    def _word_rank(word: str, text: str, whole: tuple[str, ...]) -> int | None:
        if word in whole:
            return EXACT
        if any(n.startswith(word) for n in whole):
            return PREFIX
        if word in text:
            return SUBSTRING
        if len(word) < TYPO_MIN_LENGTH or not _WORD.fullmatch(word):  # "worker-2" must match as written
            return None
        from rapidfuzz.fuzz import ratio

        if any(ratio(word, token, score_cutoff=TYPO_CUTOFF) for token in _WORD.findall(text) if abs(len(token) - len(word)) <= 1):
            return TYPO
        return None
