"""Where a finding's evidence points: the describe lines and log lines it cites.

Evidence sources name pod fields ("status.containerStatuses[web].lastState.terminated",
"spec.containers[*].resources (with ...)", "spec.containers[app].command, .args"), events ("event
Warning/Failed from kubelet, node-1 (x4 over 3m, 20s ago)") or log lines ("logs web (previous) line 12
of 40"). This module turns them into line numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from k8sdoctor.actions.describe_doc import DescribeLine
from k8sdoctor.core.findings import Diagnosis, Evidence

_FIELD_PATH = re.compile(r"\b(?:spec|status|metadata)\.[^\s,+;()]+")
_RELATIVE = re.compile(r"(?:,|\+)\s*\.([A-Za-z][\w]*)")
_SEGMENT = re.compile(r"[^.\[\]]+(?:\[[^\]]*\])?")
_EVENT = re.compile(r"^event (?P<type>[^/\s]*)/(?P<reason>\S*)(?: from (?P<component>[^,(]+?))?(?:,[^(]*)?(?: \(|$)")
_LOG = re.compile(r"^logs (?P<container>\S+) \((?P<which>previous|current)\) line (?P<line>\d+) of (?P<total>\d+)$")


@dataclass(frozen=True, slots=True)
class Citation:
    """Why a line is marked: the finding's severity and title, and the evidence text."""

    severity: str
    title: str
    text: str


def field_paths(source: str) -> list[str]:
    """The pod field paths an evidence source names; `a.b, .c` also names `a.c`."""
    paths: list[str] = []
    matches = list(_FIELD_PATH.finditer(source))
    for k, match in enumerate(matches):
        path = match.group().rstrip(".")
        paths.append(path)
        end = matches[k + 1].start() if k + 1 < len(matches) else len(source)
        paths += [path.rsplit(".", 1)[0] + "." + rel.group(1) for rel in _RELATIVE.finditer(source, match.end(), end)]
    return paths


def _segments(path: str) -> list[str]:
    return _SEGMENT.findall(path)


def _segment_matches(cited: str, line: str) -> bool:
    if cited == line:
        return True
    base, _, index = cited.partition("[")
    return index == "*]" and line.split("[", 1)[0] == base and "[" in line


def _covers(cited: list[str], line: list[str]) -> bool:
    """The line shows the cited field or a part of it."""
    return len(line) >= len(cited) and all(_segment_matches(c, seg) for c, seg in zip(cited, line, strict=False))


def _within(cited: list[str], line: list[str]) -> bool:
    """The line shows a field that contains the cited one."""
    return len(line) < len(cited) and all(_segment_matches(c, seg) for c, seg in zip(cited, line, strict=False))


def lines_for_path(lines: list[DescribeLine], path: str) -> list[int]:
    """Lines that show `path` or its parts; else the lines of the closest field that contains it."""
    cited = _segments(path)
    exact = [i for i, line in enumerate(lines) if any(_covers(cited, _segments(p)) for p in line.paths)]
    if exact:
        return exact
    best: list[int] = []
    depth = 0
    for i, line in enumerate(lines):
        for p in line.paths:
            segs = _segments(p)
            if _within(cited, segs) and len(segs) >= depth:
                if len(segs) > depth:
                    best, depth = [], len(segs)
                best.append(i)
                break
    return best


def lines_for_event(lines: list[DescribeLine], source: str, text: str) -> list[int]:
    match = _EVENT.match(source)
    if match is None:
        return []
    rows = [
        (i, line.event)
        for i, line in enumerate(lines)
        if line.event is not None
        and line.event.type == match["type"]
        and line.event.reason == match["reason"]
        and (not match["component"] or line.event.component == match["component"].strip())
    ]
    quoted = text.split("…", 1)[0]
    same = [i for i, event in rows if event.message.startswith(quoted)]
    return same or [i for i, _event in rows]


def cited_lines(lines: list[DescribeLine], diagnosis: Diagnosis | None) -> dict[int, list[Citation]]:
    """Line index → the findings whose evidence the line shows, for any document whose lines know their
    fields (describe, the YAML view)."""
    marks: dict[int, list[Citation]] = {}
    if diagnosis is None:
        return marks
    for finding in diagnosis.findings:
        for ev in finding.evidence:
            for i in _lines_for_evidence(lines, ev):
                cite = Citation(finding.severity, finding.title or finding.summary, ev.text)
                if cite not in marks.setdefault(i, []):
                    marks[i].append(cite)
    return marks


def _lines_for_evidence(lines: list[DescribeLine], ev: Evidence) -> list[int]:
    if ev.source.startswith("event "):
        return lines_for_event(lines, ev.source, ev.text)
    found: list[int] = []
    for path in field_paths(ev.source):
        found += [i for i in lines_for_path(lines, path) if i not in found]
    return found


@dataclass(frozen=True, slots=True)
class LogCitation:
    container: str
    previous: bool
    line: int  # 1-based, within the `total` lines the engine read
    total: int
    text: str
    severity: str
    title: str


def log_citations(diagnosis: Diagnosis | None) -> list[LogCitation]:
    """The log lines findings quoted ("logs web (previous) line 12 of 40")."""
    out: list[LogCitation] = []
    for finding in diagnosis.findings if diagnosis else ():
        for ev in finding.evidence:
            match = _LOG.match(ev.source)
            if match:
                out.append(
                    LogCitation(
                        match["container"],
                        match["which"] == "previous",
                        int(match["line"]),
                        int(match["total"]),
                        ev.text,
                        finding.severity,
                        finding.title or finding.summary,
                    )
                )
    return out
