"""The `/` filter: fuzzy (rapidfuzz) over a pod's namespace/name, status and diagnosis causes.

Every word of the query must match. A word matches when it is a substring, or, from four letters on,
when rapidfuzz's partial ratio allows about one typo ("kestar" still finds kestra).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from k8sdoctor.cluster.view import PodRow


def haystack(row: PodRow) -> str:
    causes = " ".join(f"{f.category} {f.cause}" for f in row.diagnosis.findings)
    return f"{row.namespace}/{row.name} {row.status} {causes}".lower()


def _cutoff(word: str) -> float | None:
    if len(word) < 4:
        return None
    return 75.0 if len(word) == 4 else 80.0


class PodFilter:
    def __init__(self, query: str = "") -> None:
        self.query = query.strip()
        self.words = [(w, _cutoff(w)) for w in self.query.lower().split()]

    def __bool__(self) -> bool:
        return bool(self.words)

    def matches(self, text: str) -> bool:
        from rapidfuzz.fuzz import partial_ratio

        for word, cutoff in self.words:
            if word in text:
                continue
            if cutoff is None or not partial_ratio(word, text, score_cutoff=cutoff):
                return False
        return True
