"""`PodTable`: every pod in scope, as `kubectl get pods` shows it plus a DIAGNOSIS column.

Rows arrive in batches from the feed (`apply`). The table keeps every row by key and the shown rows
(the `/` filter, problems-only, the sort) as a sorted list that a batch updates in place: a changed row
is taken out and put back where its sort key says, so ten batches a second over ten thousand pods cost
a few bisections each, not a sort. Only a large batch, or a change of filter or order, rebuilds it.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual.reactive import reactive

from k8sdoctor.model.filtering import PodFilter
from k8sdoctor.model.sorting import column_sort, sort_key
from k8sdoctor.tui.format import diagnosis_cell
from k8sdoctor.tui.text import one_line
from k8sdoctor.tui.widgets.table.virtual_table import Cell, Column, VirtualTable

if TYPE_CHECKING:
    from k8sdoctor.cluster.view import PodRow
    from k8sdoctor.core.inventory import Key

#: NAME and NAMESPACE stay whole as long as anything else can give way. In order: DIAGNOSIS gives up
#: its category (the cause stays), RESTARTS its "(3m ago)", STATUS is cut (DIAGNOSIS says the same and
#: more); then RESTARTS, AGE and READY are hidden, one by one; then DIAGNOSIS and STATUS are cut
#: further; only then are names cut, in the middle, so the suffix that tells pods of one workload apart
#: stays.
COLUMNS = (
    Column("namespace", "NAMESPACE", min_width=6, max_width=63, shrink=8, cut="middle"),
    Column("name", "NAME", min_width=12, max_width=253, shrink=8, cut="middle"),
    Column("ready", "READY", min_width=5, max_width=7, shrink=6, drop=6),
    Column("status", "STATUS", min_width=7, max_width=32, shrink=3, squeeze=7),
    Column("restarts", "RESTARTS", min_width=8, max_width=16, shrink=2, drop=4),
    Column("age", "AGE", min_width=5, max_width=5, shrink=5, drop=5),
    Column("diagnosis", "DIAGNOSIS", min_width=12, max_width=80, flex=True, shrink=1, squeeze=7),
)
SEVERITY_CLASS = {
    "critical": "pod-table--critical",
    "warning": "pod-table--warning",
    "info": "pod-table--info",
}
REBUILD_FRACTION = 0.1  # a batch changing more rows than this share re-sorts everything instead


def row_widths(row: PodRow) -> dict[str, int]:
    long, short = diagnosis_cell(row)
    return {
        "namespace": cell_len(one_line(row.namespace)),
        "name": cell_len(one_line(row.name)),
        "ready": len(row.ready),
        "status": cell_len(one_line(row.status)),
        "status.short": min(cell_len(one_line(row.status)), 10),
        "restarts": len(row.restarts),
        "restarts.short": len(str(row.restart_count)),
        "diagnosis": cell_len(long),
        "diagnosis.short": cell_len(short),
    }


class PodTable(VirtualTable["Key", "PodRow"]):
    COMPONENT_CLASSES = VirtualTable.COMPONENT_CLASSES | set(SEVERITY_CLASS.values()) | {"pod-table--healthy", "pod-table--pending"}

    show_namespace: reactive[bool] = reactive(True)
    sort_mode: reactive[str] = reactive("problems")
    problems_only: reactive[bool] = reactive(False)

    def __init__(self, clock: Callable[[], datetime], *, id: str | None = None) -> None:
        super().__init__(COLUMNS, id=id)
        self.clock = clock
        self.all_rows: dict[Key, PodRow] = {}
        self.pending: set[Key] = set()  # rows shown before their diagnosis
        self.problems: set[Key] = set()
        self.filter = PodFilter()
        self._matches: dict[Key, tuple[PodRow, int | None]] = {}  # the filter's rank of each row
        self._keys: dict[Key, tuple] = {}  # sort key of each shown row
        self.scope: frozenset[Key] | None = None  # a drill-down: only these pods (None: every pod)

    # ---- data --------------------------------------------------------------------------------------
    def apply(self, changed: list[PodRow], removed: list[Key], provisional: Iterable[PodRow] = ()) -> None:
        """Rows from a batch. Provisional rows (listed, not yet diagnosed) show "diagnosing…"."""
        provisional = list(provisional)
        touched: list[Key] = list(removed)
        for key in removed:
            self.all_rows.pop(key, None)
            self.pending.discard(key)
            self.problems.discard(key)
        for row in provisional:
            self.all_rows[row.key] = row
            self.pending.add(row.key)
            touched.append(row.key)
        for row in changed:
            self.all_rows[row.key] = row
            self.pending.discard(row.key)
            if row.problem:
                self.problems.add(row.key)
            else:
                self.problems.discard(row.key)
            touched.append(row.key)
        if len(touched) > REBUILD_FRACTION * len(self.all_rows):
            self.rebuild()
            return
        widths = self._widths
        for key in touched:
            self._take_out(key)
            current = self.all_rows.get(key)
            if current is not None and self._shown(current):
                self._put_in(current)
                for column, width in row_widths(current).items():
                    if width > widths.get(column, 0):
                        widths[column] = width
        self.rows_changed()

    def clear(self) -> None:
        self.all_rows.clear()
        self.pending.clear()
        self.problems.clear()
        self._matches.clear()
        self.rebuild()

    def set_filter(self, query: str) -> None:
        self.filter = PodFilter(query)
        self._matches.clear()
        self.rebuild()

    def set_scope(self, keys: frozenset[Key] | None) -> None:
        """Show only these pods (a workload's, a Service's...), or every pod again (None)."""
        if keys != self.scope:
            self.scope = keys
            self.rebuild()

    def watch_show_namespace(self) -> None:
        self.rebuild()

    def watch_sort_mode(self) -> None:
        self.rebuild()

    def header_label(self, column: Column) -> str:
        """The label, with ▲ or ▼ on the column a column order sorts by."""
        sort = column_sort(self.sort_mode)
        if sort is None or sort[0] != column.key:
            return column.label
        return f"{column.label} {'▼' if sort[1] else '▲'}"

    def watch_problems_only(self) -> None:
        self.rebuild()

    def rebuild(self) -> None:
        """Derive the shown rows (filter, problems-only, sort) from all rows."""
        self._keys = {key: self._sort_key(row) for key, row in self.all_rows.items() if self._shown(row)}
        self.set_rows(sorted((self.all_rows[k] for k in self._keys), key=lambda r: self._keys[r.key]))

    def _shown(self, row: PodRow) -> bool:
        if self.scope is not None and row.key not in self.scope:
            return False
        if self.problems_only and row.key not in self.problems:
            return False
        return not self.filter or self._rank(row) is not None

    def _rank(self, row: PodRow) -> int | None:
        known = self._matches.get(row.key)
        if known is None or known[0] is not row:
            known = (row, self.filter.rank(row))
            self._matches[row.key] = known
        return known[1]

    def _sort_key(self, row: PodRow) -> tuple:
        """The sort order's key; under a filter, the better matches first (exact, prefix...)."""
        key = sort_key(self.sort_mode, row, pending=row.key in self.pending)
        return ((self._rank(row) or 0), *key) if self.filter else key

    def _take_out(self, key: Key) -> None:
        old = self._keys.pop(key, None)
        if old is not None:
            index = bisect_left(self.rows, old, key=lambda r: self._keys.get(r.key, old))
            if index < len(self.rows) and self.rows[index].key == key:
                del self.rows[index]

    def _put_in(self, row: PodRow) -> None:
        self._keys[row.key] = self._sort_key(row)
        insort(self.rows, row, key=lambda r: self._keys[r.key])

    def index_of(self, key: Key) -> int | None:
        sort = self._keys.get(key)
        if sort is None:
            return None
        index = bisect_left(self.rows, sort, key=lambda r: self._keys[r.key])
        return index if index < len(self.rows) and self.rows[index].key == key else None

    @property
    def problem_count(self) -> int:
        return len(self.problems)

    @property
    def selected(self) -> PodRow | None:
        key = self.cursor_key
        return self.all_rows.get(key) if key is not None else None

    # ---- VirtualTable ------------------------------------------------------------------------------
    def row_key(self, row: PodRow) -> Key:
        return row.key

    def shown_columns(self) -> list[Column]:
        return list(COLUMNS if self.show_namespace else COLUMNS[1:])

    def content_widths(self, rows: list[PodRow]) -> dict[str, int]:
        widths: dict[str, int] = {}
        for row in rows:
            for column, width in row_widths(row).items():
                if width > widths.get(column, 0):
                    widths[column] = width
        return widths

    def row_cells(self, row: PodRow) -> list[Cell]:
        pending = row.key in self.pending
        severity = SEVERITY_CLASS.get(row.severity or "") if row.problem else None
        status_style = severity or ("pod-table--pending" if pending else "pod-table--healthy")
        diagnosis: Cell = (
            ("… diagnosing", "pod-table--pending") if pending else (diagnosis_cell(row), SEVERITY_CLASS.get(row.severity or ""))
        )
        cells: list[Cell] = [
            (one_line(row.name), None),
            (row.ready, None),
            (one_line(row.status), status_style),
            ((row.restarts, str(row.restart_count)), None),
            (row.age(self.clock()), None),
            diagnosis,
        ]
        if self.show_namespace:
            cells.insert(0, (one_line(row.namespace), None))
        return cells
