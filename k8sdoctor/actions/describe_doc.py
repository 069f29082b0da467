"""The describe document: aligned lines grouped in sections, each line knowing which pod fields it shows.

Builders write lines the way kubectl's PrefixWriter does (two spaces per level, tab-separated cells, the
cluster's text as it is); `DescribeWriter.document()` aligns them with Go's tabwriter rules and keeps
each line's metadata, so the TUI can still say "this line is status.containerStatuses[web].state".

A document renders two ways:
- `text()`: for a terminal or a widget. Every control character is made visible (`sanitize.printable`)
  and bytes that are not UTF-8 show as `\\xNN`; k8sdoctor's own lines (`extra`) are included on demand.
- `kubectl_text()`: exactly what `kubectl describe pod` (1.32) prints, for a pipe or a file. kubectl
  escapes only ESC (as `^[`) and CR (as `\\r`) and cuts long values by bytes, so the text may hold a
  split UTF-8 sequence; such bytes are kept as surrogate escapes (write it with
  `errors="surrogateescape"` to get kubectl's bytes).
"""

from __future__ import annotations

from dataclasses import dataclass

from k8sdoctor.actions.tabwriter import align
from k8sdoctor.sanitize import printable

#: kubectl 1.32's printers.WriteEscaped, applied to everything describe writes.
_KUBECTL_ESCAPES = str.maketrans({"\x1b": "^[", "\r": "\\r"})


@dataclass(frozen=True, slots=True)
class EventRef:
    """The event an Events row shows, for matching a finding's "event Warning/Failed from kubelet" citation."""

    type: str
    reason: str
    component: str
    message: str


@dataclass(frozen=True, slots=True)
class DescribeLine:
    text: str  # made safe for a terminal
    section: str
    heading: bool = False  # the first line of its section
    paths: tuple[str, ...] = ()  # the pod fields it shows: "spec.containers[web].image"
    event: EventRef | None = None
    extra: bool = False  # k8sdoctor shows it; kubectl does not (e.g. a waiting container's message)


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    start: int  # index of its first line
    end: int  # one past its last line


def safe(raw: str) -> str:
    """Raw describe text made safe to show: control characters and non-UTF-8 bytes as visible escapes."""
    if any("\udc80" <= ch <= "\udcff" for ch in raw):
        raw = raw.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return printable(raw)


def as_kubectl(raw: str) -> str:
    return raw.translate(_KUBECTL_ESCAPES)


class DescribeDocument:
    """The lines of one pod's describe output (`lines`: safe text and metadata, extras included)."""

    def __init__(self, namespace: str, name: str, lines: list[DescribeLine], raw: list[str | None]) -> None:
        self.namespace, self.name, self.lines = namespace, name, lines
        self._raw = raw  # the writer's lines before alignment; None is a flush

    def _without_extras(self) -> list[str | None]:
        out: list[str | None] = []
        i = 0
        for raw in self._raw:
            if raw is None:
                out.append(None)
                continue
            if not self.lines[i].extra:
                out.append(raw)
            i += 1
        return out

    def text(self, *, extras: bool = True) -> str:
        """The safe text, with or without k8sdoctor's extra lines (aligned as if they were not there)."""
        texts = [line.text for line in self.lines] if extras else align([r if r is None else safe(r) for r in self._without_extras()])
        return "".join(t + "\n" for t in texts)

    def kubectl_text(self) -> str:
        """Exactly what kubectl 1.32 prints for this pod (see the module docstring)."""
        return "".join(t + "\n" for t in align([r if r is None else as_kubectl(r) for r in self._without_extras()]))

    @property
    def sections(self) -> list[Section]:
        out: list[Section] = []
        for i, line in enumerate(self.lines):
            if line.heading or not out:
                if out:
                    out[-1] = Section(out[-1].title, out[-1].start, i)
                out.append(Section(line.section, i, len(self.lines)))
        return out


DEEPEST = 64  # mappings and lists nested deeper are shown as TOO_DEEP (a hostile server's objects)
TOO_DEEP = "<nested too deeply to show>"


def without_deep_values(obj: dict) -> dict:
    """`obj`, or a copy whose mappings and lists below DEEPEST levels are TOO_DEEP: printing a value
    nested a thousand levels deep would exhaust Python's recursion limit."""
    stack = [(obj, 0)]
    while stack:  # the check walks without recursion; most objects end here
        item, depth = stack.pop()
        if depth > DEEPEST:
            pruned = _pruned(obj, 0)
            return pruned if isinstance(pruned, dict) else {}
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return obj


def _pruned(obj: object, depth: int) -> object:
    if isinstance(obj, (dict, list)) and depth >= DEEPEST:
        return TOO_DEEP
    if isinstance(obj, dict):
        return {k: _pruned(v, depth + 1) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_pruned(v, depth + 1) for v in obj]
    return obj


def value(text: object) -> str:
    """An API value as kubectl's %s prints a string: as it is (the document makes it safe to show)."""
    return "" if text is None else str(text)


class DescribeWriter:
    """Collects kubectl-style lines (with tabs) and their metadata."""

    def __init__(self) -> None:
        self._raw: list[str | None] = []
        self._meta: list[DescribeLine] = []
        self._section = "Pod"
        self._opens = True

    def section(self, title: str) -> None:
        """The next line opens section `title`."""
        self._section, self._opens = title, True

    def line(self, level: int, text: str, *, paths: tuple[str, ...] = (), event: EventRef | None = None, extra: bool = False) -> None:
        """One output line at an indentation level; `text` may hold tabs and, in a value, newlines:
        kubectl writes those raw, so the continuation lines start at column 0."""
        for i, part in enumerate(text.split("\n")):
            self._raw.append(("  " * level if i == 0 else "") + part)
            self._meta.append(DescribeLine("", self._section, self._opens, paths, event, extra))
            self._opens = False

    def flush(self) -> None:
        """End every column block here (kubectl's w.Flush() before the events table)."""
        self._raw.append(None)

    def document(self, namespace: str, name: str) -> DescribeDocument:
        texts = align([r if r is None else safe(r) for r in self._raw])
        lines = [DescribeLine(text, m.section, m.heading, m.paths, m.event, m.extra) for text, m in zip(texts, self._meta, strict=True)]
        return DescribeDocument(namespace, name, lines, list(self._raw))
