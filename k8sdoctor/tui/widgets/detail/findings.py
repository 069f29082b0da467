"""The findings of the detail pane: what is wrong with the pod and why, each finding with its quoted
evidence, the explanation, and the remediation steps with their commands.

Prose wraps at the pane's width; a quote keeps its bar on every line it wraps into; a command is never
wrapped or cut: it is a `CommandLine`, which the pane writes at the command's own width (the pane then
scrolls sideways), and `c` copies it whole."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.style import Style
from rich.text import Text
from textual.widgets import RichLog

from k8sdoctor.tui.format import SEVERITY_MARK
from k8sdoctor.tui.palette import Palette
from k8sdoctor.tui.text import printable

if TYPE_CHECKING:
    from k8sdoctor.core.findings import Diagnosis, Finding

MAX_QUOTE_LINES = 20


def _indent(renderable: RenderableType, cells: int) -> Padding:
    return Padding(renderable, (0, 0, 0, cells))


@dataclass(frozen=True)
class CommandLine:
    """A command on a line of its own, shown whole (never wrapped or cut)."""

    text: Text

    @property
    def width(self) -> int:
        return self.text.cell_len


class Quote:
    """Quoted cluster text, verbatim: every line, and every line it wraps into, behind a bar."""

    def __init__(self, text: str, bar: Style, *, indent: int = 4, max_lines: int = MAX_QUOTE_LINES, muted: Style | None = None) -> None:
        self.lines = printable(text).split("\n")
        self.bar, self.indent, self.max_lines, self.muted = bar, indent, max_lines, muted or Style(dim=True)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(options.max_width - self.indent - 2, 8)
        for line in self.lines[: self.max_lines]:
            for part in Text(line).wrap(console, width, overflow="fold") or [Text("")]:
                row = Text(" " * self.indent)
                row.append("│ ", style=self.bar)
                row.append_text(part)
                yield row
        hidden = len(self.lines) - self.max_lines
        if hidden > 0:
            yield Text(" " * (self.indent + 2) + f"… {hidden} more lines", style=self.muted)


Part = RenderableType | CommandLine


def ref_text(kind: str, namespace: str, name: str) -> str:
    """`deployment shop/web`, `node worker-1`: an object as findings name it."""
    return f"{printable(kind.lower())} {printable(namespace) + '/' if namespace else ''}{printable(name)}"


def finding_parts(f: Finding, palette: Palette) -> list[Part]:
    style = palette.severity(f.severity) + Style(bold=True)
    head = Text(f"{SEVERITY_MARK.get(f.severity, '?')} {printable(f.category)} › {printable(f.cause)}", style=style)
    if f.container:
        head.append(f"  container {printable(f.container)}", style=palette.muted)
    if f.about is not None:  # the evidence is about another object (a Deployment's ReplicaSet)
        head.append(f"  on {ref_text(*f.about)}", style=palette.muted)
    parts: list[Part] = [head, _indent(Text(printable(f.summary), style="bold"), 2)]
    if f.underlying:  # the findings of other objects this one carries (a Service's pods, a pod's claim)
        parts.append(_indent(Text("Because of", style=palette.muted), 2))
        for u in f.underlying:
            line = Text(f"{SEVERITY_MARK.get(u.get('severity', ''), '?')} ", style=palette.severity(u.get("severity", "info")))
            line.append(ref_text(u.get("kind", ""), u.get("namespace", ""), u.get("name", "")), style=Style(bold=True))
            line.append(f": {printable(u.get('category', ''))} › {printable(u.get('cause', ''))}")
            parts.append(_indent(line, 4))
    if f.evidence:
        parts.append(_indent(Text("Evidence", style=palette.muted), 2))
        for ev in f.evidence:
            parts.append(_indent(Text(printable(ev.source), style=palette.muted + Style(italic=True)), 4))
            parts.append(Quote(ev.text, palette.severity(f.severity), muted=palette.muted))
    if f.explanation:
        parts.append(_indent(Text("Why", style=palette.muted), 2))
        parts.append(_indent(Text(printable(f.explanation)), 4))
    if f.remediation:
        parts.append(_indent(Text("Next", style=palette.muted), 2))
        for i, step in enumerate(f.remediation, 1):
            number = f"{i}. "
            parts.append(_indent(_numbered(number, Text(printable(step.text))), 4))
            if step.command:
                for command_line in printable(step.command).split("\n"):
                    command = Text(" " * 7)
                    command.append("$ ", style=palette.muted)
                    command.append(command_line, style=palette.accent + Style(bold=True))
                    parts.append(CommandLine(command))
    return parts


def _numbered(number: str, text: Text) -> RenderableType:
    """ "1. " and the step's text, its wrapped lines hanging under the text."""
    from rich.table import Table

    grid = Table.grid()
    grid.add_column(no_wrap=True, width=len(number))
    grid.add_column()
    grid.add_row(number, text)
    return grid


HEALTHY_POD = "✔ No problems found: every container is ready and none has restarted."


def findings_parts(diagnosis: Diagnosis, palette: Palette, healthy: str = HEALTHY_POD) -> list[Part]:
    if not diagnosis.findings:
        return [Text(healthy, style=palette.success)]
    parts: list[Part] = []
    for i, f in enumerate(diagnosis.findings):
        if i:
            parts.append(Text(""))
        parts.extend(finding_parts(f, palette))
    if diagnosis.notes:
        parts.append(Text(""))
        parts.append(Text("Notes", style=palette.muted))
        for note in diagnosis.notes:
            parts.append(_indent(Text(f"• {printable(note)}", style=palette.muted), 2))
    return parts


def write_parts(log: RichLog, parts: list[Part], width: int) -> None:
    """Write a detail's parts into a pane: prose wrapped at `width`, each command whole at its own width."""
    prose: list[RenderableType] = []
    for part in parts:
        if isinstance(part, CommandLine):  # whole, at its own width: the pane scrolls sideways
            if prose:
                log.write(Group(*prose), width=width)
                prose = []
            log.write(part.text, width=max(width, part.width))
        else:
            prose.append(part)
    if prose:
        log.write(Group(*prose), width=width)
