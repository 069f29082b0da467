"""Orders of the pods table. The default puts problems first, worst first; `o` cycles through the
orders of `SORTS`; a column order ("column:KEY" or "column:KEY:desc", `O`) sorts by one column, ties by
namespace and name."""

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
#: The columns a column order can use, each with the direction it starts in (most restarts and worst
#: diagnosis first; the rest ascending, AGE from the newest).
COLUMN_SORTS = {"namespace": False, "name": False, "ready": False, "status": False, "restarts": True, "age": False, "diagnosis": True}
_HEALTHY = len(SEVERITY_RANK)
_PENDING = SEVERITY_RANK["warning"] + 0.5  # not diagnosed yet, but not plainly healthy either


class _Descending:
    """A value that sorts the other way round (for a descending column of any type)."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __lt__(self, other: _Descending) -> bool:
        return other.value < self.value  # type: ignore[operator]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Descending) and self.value == other.value

    __hash__ = None  # type: ignore[assignment]


def _ready(text: str) -> tuple[float, int]:
    """ "1/2" as (the ready share, the total): 0/1 before 1/2 before 2/2."""
    ready, _, total = text.partition("/")
    try:
        return (int(ready) / int(total) if int(total) else 0.0, int(total))
    except ValueError:
        return (0.0, 0)


def _column_value(column: str, row: PodRow, pending: bool) -> tuple[object, str]:
    """The value the column sorts by, and a tie-break that stays ascending either way."""
    if column == "ready":
        return _ready(row.ready), ""
    if column == "restarts":
        return row.restart_count, ""
    if column == "age":
        return (-(row.created.timestamp()) if row.created else 0.0), ""
    if column == "diagnosis":  # the severity, then the cause in alphabetical order
        rank = _PENDING if pending else SEVERITY_RANK[row.severity] if row.problem and row.severity else _HEALTHY
        return -rank, row.diagnosis_text
    return getattr(row, column), ""


def column_sort(mode: str) -> tuple[str, bool] | None:
    """(column, descending) of a column order; None for the other orders."""
    parts = mode.split(":")
    if len(parts) in (2, 3) and parts[0] == "column" and parts[1] in COLUMN_SORTS:
        return parts[1], parts[2:] == ["desc"]
    return None


def sort_by_column(mode: str, column: str) -> str:
    """The order after choosing `column`: the same column again reverses it; another starts in its own
    direction."""
    current = column_sort(mode)
    descending = not current[1] if current is not None and current[0] == column else COLUMN_SORTS[column]
    return f"column:{column}:desc" if descending else f"column:{column}"


def sort_label(mode: str, labels: dict[str, str]) -> str:
    """What the header says about the order ("" for the default); `labels` names the columns."""
    column = column_sort(mode)
    if column is not None:
        return f"by {labels.get(column[0], column[0])} {'▼' if column[1] else '▲'}"
    return SORTS.get(mode, "") if mode != "problems" else ""


def sort_key(mode: str, row: PodRow, pending: bool = False) -> tuple:
    column = column_sort(mode)
    if column is not None:
        value, tie = _column_value(column[0], row, pending)
        return (_Descending(value) if column[1] else value, tie, row.namespace, row.name)
    if mode == "problems":
        rank = _PENDING if pending else SEVERITY_RANK[row.severity] if row.problem and row.severity else _HEALTHY
        return (rank, row.namespace, row.name)
    if mode == "age":
        return (-(row.created.timestamp()) if row.created else 0.0, row.namespace, row.name)
    if mode == "restarts":
        return (-row.restart_count, row.namespace, row.name)
    return (row.namespace, row.name)


def next_sort(mode: str) -> str:
    """The next order of `SORTS` (from a column order: the default)."""
    modes = list(SORTS)
    return modes[(modes.index(mode) + 1) % len(modes)] if mode in SORTS else modes[0]
