"""The objects the selected pod is joined to, in its detail: its workload, the Services that select it,
its claims, its node, one line each with that object's verdict, numbered for the keys that open them
(1-9; J for the workload)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text

from k8sdoctor.core.findings import SEVERITY_MARK
from k8sdoctor.tui.palette import Palette
from k8sdoctor.tui.text import printable
from k8sdoctor.tui.widgets.detail.findings import Part, ref_text

if TYPE_CHECKING:
    from k8sdoctor.model.batch import Link

MAX_KEYED = 9  # links 1-9 have keys


def link_line(number: int, link: Link, palette: Palette) -> Text:
    kind, _namespace, name = link.ref
    line = Text(f"{number} " if number <= MAX_KEYED else "  ", style=palette.accent + Style(bold=True))
    line.append(f"{link.relation:<9}", style=palette.muted)
    line.append(ref_text(kind, "", name), style=Style(bold=True))
    row = link.row
    if row is None:
        line.append("  not found (or not listed)", style=palette.muted)
        return line
    problem = next((f for f in row.diagnosis.findings if f.is_problem), None)
    if problem is None:
        line.append(f"  ✔ {printable(row.diagnosis.status)}", style=palette.success)
    else:
        line.append(
            f"  {SEVERITY_MARK.get(problem.severity, '?')} {printable(problem.category)} › {printable(problem.cause)}",
            style=palette.severity(problem.severity),
        )
        line.append(f": {printable(problem.summary)}", style=palette.muted)
    return line


def links_parts(links: tuple[Link, ...], palette: Palette) -> list[Part]:
    if not links:
        return []
    parts: list[Part] = [Text("\nRelated", style=palette.accent + Style(bold=True))]
    parts += [link_line(i, link, palette) for i, link in enumerate(links, 1)]
    parts.append(Text("1-9 open one · J the workload · esc back", style=palette.muted))
    return parts
