"""The `/` filter: words over a pod's namespace/name, node, status and diagnosis causes, ranked, and
terms on its node and labels.

Every word must match. A word matches exactly (a whole pod name, namespace or node), as a prefix of
one of them, as a substring anywhere, or, for a plain word of five letters or more, as one typo away
from a whole word of the pod's ("kestar" still finds kestra). Weaker matches are not kept: "node" does not find pods whose
text merely resembles it. The rank (0 exact … 3 typo, the worst of the words) orders the rows: exact
and prefix matches come first.

Two kinds of term ask something precise instead, ANDed with the words: `node:NAME` keeps the pods on
that node (exactly, or whose node name starts with NAME), and `LABEL=VALUE` keeps the pods carrying that
label with that value. A plain word also keeps the pods carrying a label of that name (`app` as
`kubectl get pods -l app` reads it), whatever else it matches. Labels compare case-insensitively.
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


NODE_PREFIX = "node:"


def is_term(word: str) -> bool:
    """Whether a word of the query is a node or label term rather than text to find."""
    return (word.startswith(NODE_PREFIX) and len(word) > len(NODE_PREFIX)) or "=" in word[1:]


class PodFilter:
    def __init__(self, query: str = "") -> None:
        self.query = query.strip()
        self.words = self.query.lower().split()
        self._terms = [(word, is_term(word)) for word in self.words]

    def __bool__(self) -> bool:
        return bool(self.words)

    def rank(self, row: PodRow) -> int | None:
        """How well the row matches (lower is better), or None when it does not."""
        text, whole = haystack(row), names(row)
        worst = EXACT
        for word, term in self._terms:
            if term:
                found = self._term_rank(word, row)
            elif any(key.lower() == word for key in row.labels):  # a label the pod carries
                found = EXACT
            else:
                found = self._word_rank(word, text, whole)
            if found is None:
                return None
            worst = max(worst, found)
        return worst

    def matches(self, text: str) -> bool:
        """Whether every word is in `text` (or one typo from a word of it)."""
        return all(self._word_rank(word, text, ()) is not None for word in self.words)

    @staticmethod
    def _term_rank(term: str, row: PodRow) -> int | None:
        """How a `node:NAME` or `LABEL=VALUE` term matches (None: it does not)."""
        if term.startswith(NODE_PREFIX):
            node, wanted = row.node.lower(), term[len(NODE_PREFIX) :]
            return EXACT if node == wanted else PREFIX if node and node.startswith(wanted) else None
        key, _, value = term.partition("=")
        return EXACT if any(k.lower() == key and str(v).lower() == value for k, v in row.labels.items()) else None

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
