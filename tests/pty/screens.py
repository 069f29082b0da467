"""Reading k8sdoctor's screens back from the terminal: the pods table, the selected pod, the footer."""

from __future__ import annotations

import re

from tests.pty.terminal import PtyTerminal

TITLE = re.compile(r"^ [✖▲●✔] (\S+)  (\S+) · ", re.M)  # the detail's title line: mark, pod name, namespace


def table_rows(t: PtyTerminal) -> list[str]:
    """The rows of the table on screen (pods, a kind's objects or the problems), between its header and
    the detail's rule."""
    lines = t.lines()
    start = next((i for i, line in enumerate(lines) if re.match(r"^\s*(KIND\s+)?(NAMESPACE\s+)?NAME\s", line)), None)
    if start is None:
        return []
    rows = []
    for line in lines[start + 1 :]:
        if not line.strip() or line.lstrip().startswith("─"):
            break
        rows.append(line)
    return rows


def header_row(t: PtyTerminal) -> int | None:
    return next((i for i, line in enumerate(t.lines()) if re.match(r"^\s*(NAMESPACE\s+)?NAME\s", line)), None)


def selected_pod(t: PtyTerminal) -> tuple[str, str] | None:
    """(namespace, name) of the pod whose detail is shown."""
    match = TITLE.search(t.text())
    return (match.group(2), match.group(1)) if match else None


def main_screen_ready(t: PtyTerminal) -> str:
    """Wait for the first screen: the table filled and the first pod's detail shown."""
    t.wait_text(re.compile(r"\d+ pods · \d+ problems"))
    return str(t.wait(lambda term: selected_pod(term), "the selected pod's detail"))
