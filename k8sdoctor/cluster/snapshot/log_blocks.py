"""Container log blocks as `kubectl cluster-info dump` writes them, to stdout or to <ns>/<pod>/logs.txt.

From kubectl's clusterinfo_dump.go (https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/
kubectl/pkg/cmd/clusterinfo/clusterinfo_dump.go), for each init container and then each container of each pod:

    ==== START logs for container C of pod NS/POD ====\\n
    <the raw log bytes, as the API returned them>
    ==== END logs for container C of pod NS/POD ====\\n

The log bytes are written unchanged, so when they do not end in a newline the END marker follows on the same
line. When kubectl could not get the logs, the block holds one line instead: "Create log request error: ..."
or "Request log error: ...". Only current logs are dumped, never --previous ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .problems import BadInput, line_col, place

LOG_START = b"==== START logs for container "
_START_LINE = re.compile(rb"==== START logs for container (\S+) of pod ([^\s/]+)/(\S+) ====\r?")
_FETCH_ERRORS = ("Create log request error: ", "Request log error: ")


@dataclass(frozen=True, slots=True)
class LogBlock:
    namespace: str
    pod: str
    container: str
    lines: list[str]
    error: str | None  # why kubectl could not get these logs; `lines` is then empty
    truncated: bool  # the file ended before the block's END marker


def read_log_block(data: bytes, start: int, source: str) -> tuple[LogBlock, int]:
    """The log block whose START line begins at data[start], and the offset just past its END marker."""
    line_end = data.find(b"\n", start)
    if line_end == -1:
        line_end = len(data)
    match = _START_LINE.fullmatch(data, start, line_end)
    if match is None:
        raise BadInput(place(source, 1, *line_col(data, start)), "malformed '==== START logs for container' line")
    container, namespace, pod = match.groups()
    body_start = min(line_end + 1, len(data))
    end_marker = b"==== END logs for container %b of pod %b/%b ====" % (container, namespace, pod)
    body_end = data.find(end_marker, body_start)
    truncated = body_end == -1
    next_start = len(data) if truncated else body_end + len(end_marker)
    lines = _lines(data[body_start : len(data) if truncated else body_end])
    error = None
    if len(lines) == 1 and lines[0].startswith(_FETCH_ERRORS):
        error = lines.pop().split(": ", 1)[1]
    return LogBlock(_name(namespace), _name(pod), _name(container), lines, error, truncated), next_start


def _lines(body: bytes) -> list[str]:
    if not body:
        return []
    lines = body.decode("utf-8", "replace").split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


def _name(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")
