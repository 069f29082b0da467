"""Counted phrases for evidence text: "1 node", "3 pods", "3 nodes (a, b, c, …)"."""

from __future__ import annotations

SHOWN = 3


def count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def listing(n: int, word: str, names: list[str]) -> str:
    """ "node a" for one; "3 nodes (a, b, c)", "12 nodes (a, b, c, …)" for more (first SHOWN names)."""
    shown = names[:SHOWN]
    if not shown:
        return count(n, word)
    if n == 1:
        return f"{word} {shown[0]}"
    more = ", …" if n > len(shown) else ""
    return f"{count(n, word)} ({', '.join(shown)}{more})"
