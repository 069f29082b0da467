"""Orders of the pods table. The default puts problems first, worst first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8sdoctor.core.findings import SEVERITY_RANK

if TYPE_CHECKING:
    from k8sdoctor.cluster.view import PodRow

SORTS = {
    "problems": "problems first",
    "name": "by name",
    "age": "newest first",
    "restarts": "most restarts",
}
_HEALTHY = len(SEVERITY_RANK)
_PENDING = SEVERITY_RANK["warning"] + 0.5  # not diagnosed yet, but not plainly healthy either


def sort_key(mode: str, row: PodRow, pending: bool = False) -> tuple:
    if mode == "problems":
        rank = _PENDING if pending else SEVERITY_RANK[row.severity] if row.problem and row.severity else _HEALTHY
        return (rank, row.namespace, row.name)
    if mode == "age":
        return (-(row.created.timestamp()) if row.created else 0.0, row.namespace, row.name)
    if mode == "restarts":
        return (-row.restart_count, row.namespace, row.name)
    return (row.namespace, row.name)


def next_sort(mode: str) -> str:
    modes = list(SORTS)
    return modes[(modes.index(mode) + 1) % len(modes)]
