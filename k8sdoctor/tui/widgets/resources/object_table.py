"""`ObjectTable`: the objects of one kind as `kubectl get` shows them, plus DIAGNOSIS; or, for
`:problems`, objects of every kind with a problem (KIND, NAMESPACE, NAME, STATUS, AGE, DIAGNOSIS).

Problems come first, worst first, then by namespace and name, as in the pods view. The rows are rebuilt
from the app's rows when they change (a kind has thousands of objects at most, not tens of thousands of
pods, and only the shown view rebuilds).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual.reactive import reactive

from k8sdoctor.core.findings import SEVERITY_RANK
from k8sdoctor.core.kube.columns import COLUMNS, Since, cell_text
from k8sdoctor.core.kube.kinds import BY_KIND
from k8sdoctor.tui.format import diagnosis_cell
from k8sdoctor.tui.text import one_line
from k8sdoctor.tui.widgets.table.virtual_table import Cell, Column, VirtualTable

if TYPE_CHECKING:
    from k8sdoctor.cluster.view import ObjectRow
    from k8sdoctor.core.inventory import Ref

PROBLEMS = "problems"
SEVERITY_CLASS = {"critical": "object-table--critical", "warning": "object-table--warning", "info": "object-table--info"}
#: Kinds as the problems view names them (kubectl's singular resource names).
KIND_WORD = {kind: info.singular for kind, info in BY_KIND.items()}
KIND_WORD.update({"PersistentVolumeClaim": "pvc", "HorizontalPodAutoscaler": "hpa"})


def _columns(kind: str) -> list[Column]:
    """NAMESPACE, NAME, kubectl's columns of the kind, DIAGNOSIS. Names stay whole longest (cut in the
    middle, last); AGE and the counts give way first."""
    head = [
        Column("namespace", "NAMESPACE", min_width=6, max_width=63, shrink=8, cut="middle"),
        Column("name", "NAME", min_width=12, max_width=253, shrink=8, cut="middle"),
    ]
    if kind == PROBLEMS:
        middle = [
            Column("kind", "KIND", min_width=3, max_width=24, shrink=6, drop=6),
            Column("c0", "STATUS", min_width=6, max_width=32, shrink=3, squeeze=7),
            Column("c1", "AGE", min_width=3, max_width=7, shrink=5, drop=5),
        ]
        head = [middle[0], *head]
        middle = middle[1:]
    else:
        labels = COLUMNS[kind].labels
        # the first column (READY, STATUS, TYPE) stays; the others keep their label whole and, when there
        # is no room, are hidden from the right
        middle = [
            Column(
                f"c{i}",
                label,
                min_width=3 if i == 0 else len(label),
                max_width=40,
                shrink=3 if i == 0 else 2,
                squeeze=7 if i == 0 else None,
                drop=None if i == 0 else 2 + (len(labels) - i) / 100,
            )
            for i, label in enumerate(labels)
        ]
    return [*head, *middle, Column("diagnosis", "DIAGNOSIS", min_width=12, max_width=80, flex=True, shrink=1, squeeze=7)]


class ObjectTable(VirtualTable["Ref", "ObjectRow"]):
    COMPONENT_CLASSES = VirtualTable.COMPONENT_CLASSES | set(SEVERITY_CLASS.values()) | {"object-table--healthy"}
    DEFAULT_CSS = """
    ObjectTable {
        height: 1fr;
        background: $surface;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
    }
    ObjectTable > .object-table--critical {
        color: $text-error;
        text-style: bold;
    }
    ObjectTable > .object-table--warning {
        color: $text-warning;
    }
    ObjectTable > .object-table--info {
        color: $text-primary;
    }
    ObjectTable > .object-table--healthy {
        color: $text-success;
    }
    """

    show_namespace: reactive[bool] = reactive(True, init=False)
    problems_only: reactive[bool] = reactive(False, init=False)

    def __init__(self, kind: str, clock: Callable[[], datetime], *, id: str | None = None) -> None:
        self.kind = kind
        self.namespaced = kind == PROBLEMS or BY_KIND[kind].namespaced
        super().__init__(_columns(kind), id=id)
        self.clock = clock
        self.all_rows: dict[Ref, ObjectRow] = {}
        self.filter_text = ""

    # ---- data --------------------------------------------------------------------------------------
    def show_rows(self, rows: Iterable[ObjectRow]) -> None:
        self.all_rows = {row.ref: row for row in rows}
        self.rebuild()

    def set_filter(self, query: str) -> None:
        self.filter_text = query.strip().lower()
        self.rebuild()

    def watch_show_namespace(self) -> None:
        self.rebuild()

    def watch_problems_only(self) -> None:
        self.rebuild()

    def rebuild(self) -> None:
        shown = [row for row in self.all_rows.values() if self._shown(row)]
        shown.sort(key=_order)
        self.set_rows(shown)

    def _shown(self, row: ObjectRow) -> bool:
        if self.problems_only and not row.problem:
            return False
        if not self.filter_text:
            return True
        text = f"{row.namespace}/{row.name} {diagnosis_cell(row)[0]} {row.diagnosis.status}".lower()
        return all(word in text for word in self.filter_text.split())

    @property
    def selected(self) -> ObjectRow | None:
        key = self.cursor_key
        return self.all_rows.get(key) if key is not None else None

    # ---- VirtualTable ------------------------------------------------------------------------------
    def row_key(self, row: ObjectRow) -> Ref:
        return row.ref

    def shown_columns(self) -> list[Column]:
        if self.show_namespace and self.namespaced:
            return self.columns
        return [c for c in self.columns if c.key != "namespace"]

    def _texts(self, row: ObjectRow, now: datetime) -> list[str]:
        if self.kind == PROBLEMS:
            return [row.diagnosis.status, cell_text(Since(row.created) if row.created else None, now)]
        return [cell_text(c, now) for c in row.cells]

    def content_widths(self, rows: list[ObjectRow]) -> dict[str, int]:
        now = self.clock()
        widths: dict[str, int] = {}

        def wider(key: str, width: int) -> None:
            if width > widths.get(key, 0):
                widths[key] = width

        for row in rows:
            wider("namespace", cell_len(one_line(row.namespace)))
            wider("name", cell_len(one_line(row.name)))
            wider("kind", len(KIND_WORD.get(row.kind, row.kind)))
            for i, text in enumerate(self._texts(row, now)):
                wider(f"c{i}", cell_len(one_line(text)))
            long, short = diagnosis_cell(row)
            wider("diagnosis", cell_len(long))
            wider("diagnosis.short", cell_len(short))
        return widths

    def row_cells(self, row: ObjectRow) -> list[Cell]:
        severity = SEVERITY_CLASS.get(row.severity or "") if row.problem else None
        texts = self._texts(row, self.clock())
        cells: list[Cell] = [(one_line(row.name), None)]
        cells += [(one_line(text), (severity or "object-table--healthy") if i == 0 else None) for i, text in enumerate(texts)]
        cells.append((diagnosis_cell(row), SEVERITY_CLASS.get(row.severity or "")))
        if self.kind == PROBLEMS:
            cells.insert(0, (KIND_WORD.get(row.kind, row.kind), None))
        if self.show_namespace and self.namespaced:
            cells.insert(1 if self.kind == PROBLEMS else 0, (one_line(row.namespace), None))
        return cells


def _order(row: ObjectRow) -> tuple:
    """Problems first, worst first; then by namespace and name (and kind, in the problems view)."""
    severity = SEVERITY_RANK.get(row.severity or "", len(SEVERITY_RANK)) if row.problem else len(SEVERITY_RANK) + 1
    return (severity, row.namespace, row.name, row.kind)
