"""Plain-text pieces shared by widgets: severity marks, the diagnosis cell, event repeats, ages.

Marks keep severity readable without colour (NO_COLOR, monochrome terminals).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from k8sdoctor.core.findings import SEVERITY_MARK
from k8sdoctor.core.kube.timeutil import human_duration
from k8sdoctor.tui.text import one_line

if TYPE_CHECKING:
    from k8sdoctor.cluster.view import ObjectRow, PodRow
    from k8sdoctor.core.facts import EventFact


def diagnosis_cell(row: PodRow | ObjectRow) -> tuple[str, str]:
    """The DIAGNOSIS column of any view: "✖ CrashLoopBackOff › oom-killed" (with "+N" more findings), or
    just "✖ oom-killed" where that does not fit (STATUS usually names the category already; the cause is
    the news)."""
    findings = row.diagnosis.findings
    if not findings:
        return ("", "")
    top = findings[0]
    mark = SEVERITY_MARK.get(top.severity, "?")
    more = f" +{len(findings) - 1}" if len(findings) > 1 else ""
    return (one_line(f"{mark} {top.category} › {top.cause}{more}"), one_line(f"{mark} {top.cause}{more}"))


def ago(when: datetime | None, now: datetime) -> str:
    return human_duration((now - when).total_seconds()) if when else "?"


def repeats(event: EventFact) -> str:
    """kubectl's "(x5 over 3m)" for an event seen more than once."""
    if event.count <= 1:
        return ""
    span = human_duration((event.last - event.first).total_seconds()) if event.first and event.last else "?"
    return f"(x{event.count} over {span})"
