""" "Did you mean": the closest existing names to a wrong one (rapidfuzz, imported only when needed)."""

from __future__ import annotations

from collections.abc import Iterable


def close_matches(word: str, choices: Iterable[str], *, limit: int = 3, cutoff: float = 70.0) -> list[str]:
    """Existing names most like `word` (ignoring case), best first; `word` itself is never suggested."""
    candidates = sorted({c for c in choices if isinstance(c, str) and c and c != word})
    if not word or not candidates:
        return []
    from rapidfuzz import fuzz, process

    scored = process.extract(word, candidates, scorer=fuzz.ratio, processor=str.lower, limit=limit, score_cutoff=cutoff)
    return [choice for choice, _score, _index in sorted(scored, key=lambda m: (-m[1], m[0]))]


def close_names(word: str, choices: Iterable[str], *, limit: int = 3, cutoff: float = 60.0) -> list[str]:
    """Names a user probably meant when they typed `word` (a pod, a container, a playbook id): like
    `close_matches`, but a typed prefix or fragment counts ("kestra" finds "kestra-7sx7k2s4th-bvjlm")."""
    candidates = sorted({c for c in choices if isinstance(c, str) and c and c != word})
    if not word or not candidates:
        return []
    from rapidfuzz import process

    return [choice for choice, _score, _index in process.extract(word, candidates, limit=limit, score_cutoff=cutoff)]
