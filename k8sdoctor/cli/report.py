"""Render diagnoses as text (Rich), JSON, YAML or Markdown.

Text groups pods of one workload that fail the same way into one block ("3 of 3 pods of
deployment/web"). JSON and YAML list every pod, with the schema documented in the README. Every
untrusted string passes through `sanitize.printable` before it reaches a terminal.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any, cast

from k8sdoctor.core.findings import SEVERITY_MARK, Diagnosis, Finding
from k8sdoctor.sanitize import json_escape, one_line, printable, yaml_dump

if TYPE_CHECKING:
    from rich.text import Text

    from k8sdoctor.cli.plain_text import PlainWriter

SEVERITY_STYLE = {"critical": "bold red", "warning": "yellow", "info": "cyan"}


@dataclass
class PodGroup:
    """Pods of one workload with the same problem signature; the first one is shown in full."""

    pods: list[Diagnosis]
    workload: str | None  # "deployment/web"
    workload_total: int = 0  # pods the workload has in the scan
    extra: list[str] = field(default_factory=list)

    @property
    def lead(self) -> Diagnosis:
        return self.pods[0]


def signature(d: Diagnosis) -> tuple:
    return tuple((f.category, f.cause, f.container, f.severity) for f in d.findings)


def group_by_workload(results: list[Diagnosis], workload_sizes: dict[tuple[str, str], int]) -> list[PodGroup]:
    """Group pods with findings by (namespace, workload, signature); bare pods stay alone."""
    groups: dict[tuple, PodGroup] = {}
    for d in results:
        if not d.findings:
            continue
        if d.kind == "Pod" and d.owner and d.owner.get("kind") and d.owner.get("name"):
            workload = f"{d.owner['kind'].lower()}/{d.owner['name']}"
            key: tuple = (d.namespace, workload, signature(d))
        else:
            workload = None
            key = (d.namespace, d.kind, d.name, signature(d))
        group = groups.get(key)
        if group is None:
            total = workload_sizes.get((d.namespace, workload), 0) if workload else 1
            groups[key] = PodGroup([d], workload, total)
        else:
            group.pods.append(d)
    return list(groups.values())


# ---- machine formats ------------------------------------------------------------------------------
def to_json(payload: dict) -> bytes:
    import orjson

    return json_escape(orjson.dumps(payload, option=orjson.OPT_INDENT_2)) + b"\n"


def to_yaml(payload: dict) -> str:
    return yaml_dump(payload, sort_keys=False, width=100)


def payload_for(results: list[Diagnosis], single: bool) -> dict:
    """One object's dict (for a workload, with its pods that have problems under `pods`), or
    `{"items": [...], "summary": {...}}`."""
    if single:
        out = results[0].to_dict()
        if len(results) > 1:
            out["pods"] = [r.to_dict() for r in results[1:]]
        return out
    return {"items": [r.to_dict() for r in results], "summary": summary_counts(results)}


def summary_counts(results: list[Diagnosis]) -> dict:
    """Objects by their worst finding. `pods` counts pods; `objects` and `kinds` count every kind."""
    sev = Counter(r.worst_severity for r in results if r.findings)
    kinds = Counter(r.kind for r in results)
    return {
        "pods": kinds.get("Pod", 0),
        "objects": len(results),
        "kinds": dict(sorted(kinds.items())),
        "healthy": sum(1 for r in results if r.healthy),
        "critical": sev.get("critical", 0),
        "warning": sev.get("warning", 0),
        "info": sev.get("info", 0),
    }


def display_name(d: Diagnosis) -> str:
    """How a result is named in a report: `shop/web-7d9f8b6c5d-x2x7q` for a pod, `shop/deployment/web`,
    `node/worker-1` (cluster-scoped)."""
    name = d.name if d.kind == "Pod" else f"{d.kind.lower()}/{d.name}"
    return f"{d.namespace}/{name}" if d.namespace else name


def count_line(counts: dict, asked: tuple[str, ...] = ("Pod",)) -> str:
    """ "12 pods" or "3 deployments, 12 pods": what a report covered; "0 statefulsets" when none of the
    one kind asked for exists."""
    from k8sdoctor.core.kube.kinds import BY_KIND

    if not counts["kinds"]:
        return f"0 {BY_KIND[asked[0]].plural}" if len(asked) == 1 and asked[0] in BY_KIND else "0 objects"
    parts = [f"{n} {(BY_KIND[k].singular if n == 1 else BY_KIND[k].plural) if k in BY_KIND else k}" for k, n in counts["kinds"].items()]
    if set(counts["kinds"]) == {"Pod"}:
        return f"{counts['pods']} pod" if counts["pods"] == 1 else f"{counts['pods']} pods"
    return parts[0] if len(parts) == 1 else f"{counts['objects']} objects ({', '.join(parts)})"


# ---- markdown ---------------------------------------------------------------------------------------
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#!|~@])")


def md_text(text: str) -> str:
    """Cluster text made inert in Markdown prose (one line): the characters that open a link or an image
    ([ ]), HTML or an HTML comment that hides the rest of a report (< >), code, emphasis, a table, an
    @mention or a heading are escaped. Every line of the report starts with its own marker, so line-start
    syntax (-, +, 1.) cannot come from cluster text."""
    return _MD_SPECIAL.sub(r"\\\1", one_line(text))


def _md_code(text: str, indent: str = "") -> list[str]:
    """A fenced block (longer fence than any backtick run inside), every line indented by `indent` so
    it stays inside the list item it belongs to."""
    fence = "```"
    while fence in text:
        fence += "`"
    return [f"{indent}{fence}", *(f"{indent}{line}" for line in text.split("\n")), f"{indent}{fence}"]


def _md_finding(f: Finding) -> list[str]:
    """One finding's section: heading, summary, evidence, explanation, next steps."""
    where = f" — container {md_text(f.container)}" if f.container else ""
    out = [f"### {f.severity.upper()}: {md_text(f.category)} / {md_text(f.cause)}{where}", ""]
    out += [f"**{md_text(f.summary)}**", "", "Evidence:", ""]
    for ev in f.evidence:
        out += [f"- {md_text(ev.source)}", "", *_md_code(printable(ev.text), "  "), ""]
    out += [md_text(f.explanation), "", "Next steps:", ""]
    for i, step in enumerate(f.remediation, 1):
        out.append(f"{i}. {md_text(step.text)}")
        if step.command:
            out += ["", *_md_code(printable(step.command), "   ")]
        out.append("")
    return out


def _md_pod_heading(d: Diagnosis, title: str) -> str:
    return f"## {md_text(title)} ({md_text(d.status)})"


def finding_markdown(d: Diagnosis, f: Finding) -> str:
    """One finding of a pod as the Markdown report shows it, under the pod's heading (the TUI's copy menu)."""
    return "\n".join([_md_pod_heading(d, display_name(d)), "", *_md_finding(f)]).rstrip() + "\n"


def to_markdown(results: list[Diagnosis], groups: list[PodGroup], notes: list[str], asked: tuple[str, ...] = ("Pod",)) -> str:
    out = ["# k8sdoctor report", ""]
    counts = summary_counts(results)
    out.append(
        f"{count_line(counts, asked)}: {counts['healthy']} healthy, {counts['critical']} critical, {counts['warning']} warning, {counts['info']} info."
    )
    out.append("")
    for g in groups:
        lead = g.lead
        title = display_name(lead) if len(g.pods) == 1 else f"{lead.namespace}/{g.workload}"
        out.append(_md_pod_heading(lead, title))
        if len(g.pods) > 1:
            out.append("")
            out.append(f"{len(g.pods)} of {g.workload_total} pods fail the same way: {', '.join(md_text(p.name) for p in g.pods)}")
        out.append("")
        for f in lead.findings:
            out.extend(_md_finding(f))
        for note in lead.notes:
            out.append(f"> note: {md_text(note)}")
        out.append("")
    for note in notes:
        out.append(f"> note: {md_text(note)}")
    return "\n".join(out).rstrip() + "\n"


# ---- text ------------------------------------------------------------------------------------------
class Printer:
    """A Rich console that renders into a buffer with the real stream's capabilities, then writes the
    lines without the trailing padding Rich adds (pasted reports stay clean)."""

    def __init__(self, stream: IO[str]) -> None:
        import io

        from rich.console import Console

        real = Console(file=stream)
        self.stream = stream
        self.buffer = io.StringIO()
        self.console = Console(
            file=self.buffer,
            width=real.width,
            force_terminal=real.is_terminal,
            color_system=cast(Any, real.color_system),  # Rich's own value, as it detected it
            no_color=real.no_color,
            highlight=False,
            emoji=False,
        )

    def print(self, *items) -> None:
        self.console.print(*items)

    def prose(self, text: Text, indent: int) -> None:
        """Text that may wrap, each line indented."""
        from rich.padding import Padding

        self.console.print(Padding(text, (0, 0, 0, indent)))

    def numbered(self, number: int, text: Text, indent: int) -> None:
        """A numbered step whose wrapped lines hang under its text, not under its number."""
        from rich.padding import Padding
        from rich.table import Table

        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column()
        grid.add_row(f"{number}.", text)
        self.console.print(Padding(grid, (0, 0, 0, indent)))

    def quote(self, text: str, style: str, indent: int) -> None:
        """Quoted cluster text, verbatim, each line behind a "│ " (so the quote stands apart from its
        source with a pipe or NO_COLOR too). Piped (a ticket, a CI log), a line is never wrapped: it
        stays whole and greppable; on a terminal it wraps, and each line it wraps into keeps the bar."""
        from rich.text import Text

        width = max(self.console.width - indent - 2, 20)
        for line in printable(text).split("\n"):
            parts = Text(line).wrap(self.console, width, overflow="fold") if self.console.is_terminal else [Text(line)]
            for part in parts or [Text("")]:
                row = Text(" " * indent)
                row.append("│ ", style=style)
                row.append_text(part)
                self.console.print(row, soft_wrap=True)

    def command(self, command: str, indent: int) -> None:
        """A command, whole on its line: never wrapped or cut, whatever the width (a terminal may show it
        over two rows; copied, it is one line)."""
        from rich.text import Text

        for line in printable(command).split("\n"):
            row = Text(" " * indent)
            row.append("$ ", style="dim")
            row.append(line, style="green")
            self.console.print(row, soft_wrap=True)

    def flush(self) -> None:
        trailing = re.compile(r"[ ]+((?:\x1b\[[0-9;]*m)*)$")
        for line in self.buffer.getvalue().splitlines():
            self.stream.write(trailing.sub(r"\1", line) + "\n")
        self.stream.flush()


class RichWriter:
    """The text report's lines through Rich (`Printer`): what `render_text` writes to a terminal."""

    def __init__(self, stream: IO[str]) -> None:
        self.printer = Printer(stream)

    def line(self, spans: list[tuple[str, str]], indent: int = 0, style: str = "") -> None:
        from rich.padding import Padding
        from rich.text import Text

        text = Text(style=style)
        for piece, piece_style in spans:
            text.append(piece, style=piece_style or None)
        self.printer.print(Padding(text, (0, 0, 0, indent)) if indent else text)

    def numbered(self, number: int, text: str, indent: int) -> None:
        from rich.text import Text

        self.printer.numbered(number, Text(text), indent)

    def quote(self, text: str, style: str, indent: int) -> None:
        self.printer.quote(text, style, indent)

    def command(self, command: str, indent: int) -> None:
        self.printer.command(command, indent)

    def blank(self) -> None:
        self.printer.print()

    def flush(self) -> None:
        self.printer.flush()


def render_text(
    results: list[Diagnosis],
    groups: list[PodGroup],
    notes: list[str],
    *,
    show_healthy: bool,
    single: bool,
    stream: IO[str] | None = None,
    asked: tuple[str, ...] = ("Pod",),
) -> None:
    """The text report: laid out without Rich where it writes no terminal codes and the text allows
    (`plain_text`), else with Rich; the same bytes either way."""
    from k8sdoctor.cli.plain_text import NeedsRich, PlainWriter, plain_width

    out = stream or sys.stdout
    width = plain_width(out)
    if width is not None:
        try:
            plain = PlainWriter(out, width)
            _write_text(plain, results, groups, notes, show_healthy=show_healthy, single=single, asked=asked)
        except NeedsRich:
            pass
        else:
            plain.flush()
            return
    rich = RichWriter(out)
    _write_text(rich, results, groups, notes, show_healthy=show_healthy, single=single, asked=asked)
    rich.flush()


def _write_text(
    out: RichWriter | PlainWriter,
    results: list[Diagnosis],
    groups: list[PodGroup],
    notes: list[str],
    *,
    show_healthy: bool,
    single: bool,
    asked: tuple[str, ...] = ("Pod",),
) -> None:
    def finding(f: Finding) -> None:
        head = [("  ", ""), (f"{SEVERITY_MARK[f.severity]} ", SEVERITY_STYLE[f.severity]), (printable(f.category), "bold"), (" › ", "")]
        head.append((printable(f.cause), SEVERITY_STYLE[f.severity]))
        if f.container:
            head.append((f"  (container {printable(f.container)})", "dim"))
        out.line(head)
        out.line([(printable(f.summary), "")], 4, style="bold")
        if f.evidence:
            out.line([("evidence", "")], 4, style="dim")
        for ev in f.evidence:
            out.line([(printable(ev.source), "")], 6, style="dim italic")
            out.quote(ev.text, SEVERITY_STYLE[f.severity], 6)
        if f.explanation:
            out.line([("why", "")], 4, style="dim")
            out.line([(printable(f.explanation), "")], 6)
        if f.remediation:
            out.line([("next", "")], 4, style="dim")
        for i, step in enumerate(f.remediation, 1):
            out.numbered(i, printable(step.text), 6)
            if step.command:
                out.command(step.command, 9)

    for g in groups:
        lead = g.lead
        title: list[tuple[str, str]] = []
        if len(g.pods) > 1:
            title.append((f"{printable(lead.namespace)}/{printable(g.workload or '')}", "bold"))
            title.append((f"  {len(g.pods)} of {g.workload_total} pods fail the same way", "bold"))
        else:
            title.append((printable(display_name(lead)), "bold"))
            if g.workload and lead.kind == "Pod":
                title.append((f"  {printable(g.workload)}", "dim"))
        title.append((f"  {printable(lead.status)}", SEVERITY_STYLE.get(lead.worst_severity or "", "")))
        if lead.revision:
            title.append((f"  revision {printable(lead.revision)}", "dim"))
        out.line(title)
        if len(g.pods) > 1:
            names = ", ".join(printable(p.name) for p in g.pods)
            out.line([(f"pods: {names}", "")], 2, style="dim")
            out.line([(f"showing {printable(lead.name)}:", "")], 2, style="dim")
        for f in lead.findings:
            finding(f)
        for note in lead.notes:
            out.line([(f"note: {printable(note)}", "")], 2, style="yellow")
        out.blank()
    healthy = [r for r in results if not r.findings]
    if single and healthy:
        r = healthy[0]
        out.line([(printable(display_name(r)), "bold"), ("  ", ""), (f"{printable(r.status)}", "green"), ("  no problems found", "")])
        for note in r.notes:
            out.line([(f"note: {printable(note)}", "")], 2, style="yellow")
    elif show_healthy:
        for r in healthy:
            out.line([("✔ ", "green"), (f"{printable(display_name(r))}  ", ""), (printable(r.status), "green")])
    for note in notes:
        out.line([(f"note: {printable(note)}", "")], style="yellow")
    if not single:
        c = summary_counts(results)
        line = [(f"{count_line(c, asked)}: ", ""), (f"{c['healthy']} healthy", "green")]
        for sev in ("critical", "warning", "info"):
            if c[sev]:
                line.append((f", {c[sev]} {sev}", SEVERITY_STYLE[sev]))
        out.line(line)
