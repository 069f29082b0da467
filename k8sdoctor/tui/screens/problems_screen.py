"""`ProblemsScreen` (`:problems`): every object of every kind in scope that has a problem, pods included,
worst first. Enter opens the object in its own view (a pod: in the pods view)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from k8sdoctor.cluster.view import ObjectRow
from k8sdoctor.tui.screens.resource_screen import ResourceScreen
from k8sdoctor.tui.text import one_line
from k8sdoctor.tui.widgets.resources.object_table import PROBLEMS

if TYPE_CHECKING:
    from k8sdoctor.cluster.view import PodRow


def pod_problem_row(row: PodRow) -> ObjectRow:
    """A pod's row as the problems view shows it: STATUS and AGE."""
    return ObjectRow(("Pod", row.namespace, row.name), (), row.diagnosis, row.created)


class ProblemsScreen(ResourceScreen):
    KEYS_HELP = (
        (
            "Problems",
            (
                ("↑ ↓  j k", "move in the table (pgup/pgdn, home/end or g/G)"),
                ("enter", "open the object in its own view (a pod: in the pods view)"),
                ("J", "the selected object's workload"),
                ("z", "zoom the detail (z or esc: back)"),
                ("/", "filter: words of a name, namespace, status or cause"),
                ("esc / q", "back to the view before"),
            ),
        ),
        ResourceScreen.KEYS_HELP[1],
    )

    def __init__(self) -> None:
        super().__init__(PROBLEMS)

    def current_rows(self) -> list[ObjectRow]:
        rows = self.app.rows
        return [*(pod_problem_row(r) for r in rows.pod_problems.values()), *rows.object_problems.values()]

    def rows_version(self) -> int:
        return self.app.rows.problems_version

    def title_text(self) -> str:
        return "problems (every kind)"

    def empty_content(self) -> Content:
        app = self.app
        if app.health.state in ("connecting", "syncing"):
            return Content.assemble(("Listing…", "bold"))
        if self.table.all_rows and self.table.filter_text:
            return super().empty_content()
        where = f'namespace "{one_line(app.namespace)}"' if app.namespace else "any namespace"
        return Content.assemble((f"No problems in {where}: every object of every kind is healthy.", "bold $text-success"))

    def _drill_text(self, row: ObjectRow | None) -> str:
        return "enter: open it in its view · esc: back" if row is not None else ""

    def action_drill(self) -> None:
        row = self.table.selected
        if row is None:
            return
        if row.kind == "Pod":
            self.app.navigate("Pod", select=(row.namespace, row.name))
        else:
            self.app.navigate(row.kind, select=row.ref)
