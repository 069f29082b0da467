"""The findings of the detail pane: what is wrong with the pod and why, each finding with its quoted
evidence, the explanation, and the remediation steps with their commands."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.style import Style
from rich.text import Text

from k8sdoctor.sanitize import printable
from k8sdoctor.tui.format import SEVERITY_MARK
from k8sdoctor.tui.palette import Palette

if TYPE_CHECKING:
    from k8sdoctor.core.findings import Diagnosis, Finding

MAX_QUOTE_LINES = 20


def _indent(renderable: RenderableType, cells: int) -> Padding:
    return Padding(renderable, (0, 0, 0, cells))


def _quote(text: str, palette: Palette, severity: str) -> list[RenderableType]:
    lines = printable(text).split("\n")
    shown = lines[:MAX_QUOTE_LINES]
    out: list[RenderableType] = []
    for line in shown:
        quoted = Text("│ ", style=palette.severity(severity))
        quoted.append(line)
        out.append(_indent(quoted, 4))
    if len(lines) > len(shown):
        out.append(_indent(Text(f"… {len(lines) - len(shown)} more lines", style=palette.muted), 6))
    return out


def finding_renderable(f: Finding, palette: Palette) -> Group:
    style = palette.severity(f.severity) + Style(bold=True)
    head = Text(f"{SEVERITY_MARK.get(f.severity, '?')} {printable(f.category)} › {printable(f.cause)}", style=style)
    if f.container:
        head.append(f"  container {printable(f.container)}", style=palette.muted)
    parts: list[RenderableType] = [head, _indent(Text(printable(f.summary), style="bold"), 2)]
    if f.evidence:
        parts.append(_indent(Text("Evidence", style=palette.muted), 2))
        for ev in f.evidence:
            parts.append(_indent(Text(printable(ev.source), style=palette.muted + Style(italic=True)), 4))
            parts.extend(_quote(ev.text, palette, f.severity))
    if f.explanation:
        parts.append(_indent(Text("Why", style=palette.muted), 2))
        parts.append(_indent(Text(printable(f.explanation)), 4))
    if f.remediation:
        parts.append(_indent(Text("Next", style=palette.muted), 2))
        for i, step in enumerate(f.remediation, 1):
            parts.append(_indent(Text(f"{i}. {printable(step.text)}"), 4))
            if step.command:
                command = Text("$ ", style=palette.muted)
                command.append(printable(step.command), style=palette.accent + Style(bold=True))
                parts.append(_indent(command, 7))
    return Group(*parts)


def findings_renderable(diagnosis: Diagnosis, palette: Palette) -> RenderableType:
    if not diagnosis.findings:
        return Text("✔ No problems found: every container is ready and none has restarted.", style=palette.success)
    parts: list[RenderableType] = []
    for i, f in enumerate(diagnosis.findings):
        if i:
            parts.append(Text(""))
        parts.append(finding_renderable(f, palette))
    if diagnosis.notes:
        parts.append(Text(""))
        parts.append(Text("Notes", style=palette.muted))
        for note in diagnosis.notes:
            parts.append(_indent(Text(f"• {printable(note)}", style=palette.muted), 2))
    return Group(*parts)
