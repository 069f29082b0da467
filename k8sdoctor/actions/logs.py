"""Reading a container's logs: the tail, the previous run, or a follow stream, as bytes or as safe lines.

Two ways out:
- bytes, exactly as the API server sends them (`stream_log_bytes`): what `kubectl logs` writes, for a
  pipe or a file. Nothing is decoded or cut; the bytes go out chunk by chunk, so memory stays bounded.
- safe lines, for a terminal or a widget (`stream_logs`). Whatever a container writes, memory and the
  terminal stay safe: bytes are decoded incrementally as UTF-8, invalid sequences replaced (U+FFFD);
  control characters (ANSI escapes, cursor moves, title sets) are made visible (`sanitize.printable`);
  a line is cut at MAX_LINE_CHARS, and the buffer keeps the last `max_lines` lines (10,000 by default)
  and at most MAX_BUFFER_CHARS characters: a container logging megabytes per second cannot grow memory.

When a container has no logs to read (never started, image pull failing, no previous run), reading
raises `LogsUnavailable` with the reason, and the caller shows the pod's events instead.
"""

from __future__ import annotations

import codecs
import contextlib
import re
import threading
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from k8sdoctor.actions.citations import LogCitation
from k8sdoctor.actions.containers import find, why_no_logs
from k8sdoctor.cluster.live.client import Forbidden, KubeClient, path_segment
from k8sdoctor.cluster.live.fetch import ns_path
from k8sdoctor.core.inventory import Inventory, LogKey
from k8sdoctor.core.kube.timeutil import format_time, parse_time
from k8sdoctor.errors import ClusterError, NotFoundError, UserError
from k8sdoctor.sanitize import printable

DEFAULT_MAX_LINES = 10_000
MAX_LINE_CHARS = 16_384
MAX_BUFFER_CHARS = 32 * 1024 * 1024
#: A follow waits for the container as long as it takes; only connecting has a deadline.
FOLLOW_TIMEOUT = (5.0, None)
CHUNK_BYTES = 64 * 1024
#: Go's time.ParseDuration units, in seconds.
_DURATION_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_DURATION = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)")


class LogsUnavailable(UserError):
    """The container has no logs to read; `str()` says why. Callers show the pod's events instead."""


@dataclass(frozen=True, slots=True)
class LogRequest:
    namespace: str
    pod: str
    container: str
    previous: bool = False
    tail: int | None = None  # None or negative: everything the kubelet kept
    timestamps: bool = False
    since_seconds: int | None = None  # kubectl --since, in whole seconds
    since_time: str | None = None  # kubectl --since-time, RFC 3339 in UTC, whole seconds
    limit_bytes: int | None = None  # kubectl --limit-bytes

    @property
    def label(self) -> str:
        return f"{self.container} ({'previous' if self.previous else 'current'})"


def parse_since(text: str) -> int | None:
    """kubectl's --since: a Go duration ("90s", "5m", "1h30m", "1.5h") in whole seconds, rounded as
    kubectl rounds it; None for a zero duration (kubectl then sends nothing). UserError otherwise."""
    sign, body = (-1, text[1:]) if text.startswith("-") else (1, text.removeprefix("+"))
    if body == "0":
        return None
    pos, seconds = 0, 0.0
    for match in _DURATION.finditer(body):
        if match.start() != pos:
            break
        seconds += float(match.group(1)) * _DURATION_UNITS[match.group(2)]
        pos = match.end()
    if not body or pos != len(body):
        raise UserError(f"--since {text}: not a duration (like 30s, 5m, 2h or 1h30m)")
    if not seconds:
        return None
    if sign < 0:
        raise UserError("--since must be greater than 0")
    return int(seconds + 0.5)  # Go's Duration.Round(time.Second): halves away from zero


def parse_since_time(text: str) -> str:
    """kubectl's --since-time: an RFC 3339 time, sent as the API wants it (UTC, whole seconds)."""
    moment = parse_time(text) if "T" in text else None
    if moment is None:
        raise UserError(f"--since-time {text}: not an RFC 3339 time (like 2024-05-01T10:00:00Z)")
    return format_time(moment)


class LineDecoder:
    """Bytes in, complete safe lines out. A character split across chunks stays whole; a line longer
    than MAX_LINE_CHARS keeps its start and says how much was cut."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._head: list[str] = []
        self._head_chars = 0
        self._cut = 0

    def _add(self, piece: str) -> None:
        room = MAX_LINE_CHARS - self._head_chars
        if len(piece) > room:
            self._cut += len(piece) - max(room, 0)
            piece = piece[: max(room, 0)]
        if piece:
            self._head.append(piece)
            self._head_chars += len(piece)

    def _take(self) -> str:
        line = "".join(self._head).removesuffix("\r")
        cut = self._cut
        self._head, self._head_chars, self._cut = [], 0, 0
        line = printable(line)
        return f"{line}… ({cut} more characters)" if cut else line

    def feed(self, data: bytes) -> list[str]:
        text = self._decoder.decode(data)
        parts = text.split("\n")
        lines = []
        for part in parts[:-1]:
            self._add(part)
            lines.append(self._take())
        self._add(parts[-1])
        return lines

    def finish(self) -> list[str]:
        self._add(self._decoder.decode(b"", final=True))
        return [self._take()] if self._head or self._cut else []


class RawLines:
    """Bytes in, whole lines out as they were read (without their newline): what a save writes. A line
    longer than MAX_BUFFER_CHARS bytes keeps its first MAX_BUFFER_CHARS bytes, so memory stays bounded.
    It splits where `LineDecoder` splits, so the two give the same number of lines."""

    def __init__(self) -> None:
        self._held = bytearray()

    def feed(self, data: bytes) -> list[bytes]:
        *whole, rest = data.split(b"\n")
        lines = []
        for part in whole:
            lines.append(bytes(self._held) + part[: max(MAX_BUFFER_CHARS - len(self._held), 0)])
            self._held.clear()
        self._held += rest[: max(MAX_BUFFER_CHARS - len(self._held), 0)]
        return lines

    def finish(self) -> list[bytes]:
        rest, self._held = bytes(self._held), bytearray()
        return [rest] if rest else []


class LogBuffer:
    """The last lines of a log, bounded in lines and characters; thread-safe. Each line is kept as
    shown (safe text) and as read (bytes, for a save); both count towards `max_chars`.

    Lines are numbered from the start of the stream, so a mark on line N stays on the same text while
    older lines are dropped (`first` is the number of the oldest line kept)."""

    def __init__(self, max_lines: int = DEFAULT_MAX_LINES, max_chars: int = MAX_BUFFER_CHARS) -> None:
        self._lines: deque[str] = deque()
        self._raw: deque[bytes] = deque()
        self.max_lines = max_lines
        self.max_chars = max_chars
        self._chars = 0
        self.first = 0
        self.version = 0  # bumped on every change, so a view redraws only when needed
        self._lock = threading.Lock()

    def extend(self, lines: Iterable[str], raw: Iterable[bytes] | None = None) -> None:
        """Add lines; `raw` are the same lines as read (default: the text, encoded)."""
        pairs = zip(lines, raw, strict=True) if raw is not None else ((line, line.encode("utf-8", "surrogateescape")) for line in lines)
        with self._lock:
            for line, data in pairs:
                self._lines.append(line)
                self._raw.append(data)
                self._chars += len(line) + len(data)
                while len(self._lines) > self.max_lines or (self._chars > self.max_chars and len(self._lines) > 1):
                    self._chars -= len(self._lines.popleft()) + len(self._raw.popleft())
                    self.first += 1
            self.version += 1

    def clear(self) -> None:
        with self._lock:
            self.first += len(self._lines)
            self._lines.clear()
            self._raw.clear()
            self._chars = 0
            self.version += 1

    def snapshot(self) -> tuple[int, list[str]]:
        """(number of the first line, the lines kept)."""
        with self._lock:
            return self.first, list(self._lines)

    def raw_snapshot(self) -> tuple[int, list[bytes]]:
        """(number of the first line, the lines kept as they were read)."""
        with self._lock:
            return self.first, list(self._raw)

    def __len__(self) -> int:
        return len(self._lines)

    @property
    def total(self) -> int:
        """Lines received so far, dropped ones included."""
        return self.first + len(self._lines)


def log_path(namespace: str, pod: str) -> str:
    return f"{ns_path(namespace, 'pods')}/{path_segment(pod)}/log"


def _query(req: LogRequest, follow: bool) -> dict:
    return {
        "container": req.container,
        "previous": req.previous or None,
        "follow": follow or None,
        "tailLines": req.tail if req.tail is not None and req.tail >= 0 else None,
        "timestamps": req.timestamps or None,
        "sinceSeconds": req.since_seconds,
        "sinceTime": req.since_time,
        "limitBytes": req.limit_bytes,
    }


def check_readable(inventory: Inventory, req: LogRequest) -> None:
    """Raise LogsUnavailable (with the reason) when the pod's status says there are no logs; raise
    NotFoundError for an unknown pod or container."""
    pod = inventory.pods.get((req.namespace, req.pod))
    if pod is None:
        raise NotFoundError(f'pod "{req.pod}" not found in namespace "{req.namespace}"')
    reason = why_no_logs(pod, find(pod, req.container), req.previous)
    if reason:
        raise LogsUnavailable(reason)


def _translate(exc: ClusterError | NotFoundError, req: LogRequest) -> UserError:
    if isinstance(exc, Forbidden):
        return exc
    if isinstance(exc, NotFoundError):
        return NotFoundError(f'pod "{req.pod}" not found in namespace "{req.namespace}" (it may have just been deleted)')
    text = str(exc)
    if "error 400" in text:  # the kubelet's reason: "container ... is waiting to start: ..."
        return LogsUnavailable(text.split(": ", 1)[-1])
    return exc


def open_log(client: KubeClient, req: LogRequest, *, follow: bool = False):
    """The log response, its body unread (LogsUnavailable, NotFoundError or ClusterError if refused)."""
    try:
        return client.stream(
            log_path(req.namespace, req.pod), accept="*/*", timeout=FOLLOW_TIMEOUT if follow else None, **_query(req, follow)
        )
    except (ClusterError, NotFoundError) as exc:
        raise _translate(exc, req) from None


def stream_log_bytes(
    client: KubeClient,
    req: LogRequest,
    write: Callable[[bytes], None],
    *,
    follow: bool = False,
    stop: threading.Event | None = None,
    on_open: Callable[[object], None] | None = None,
) -> None:
    """Read a container's log into `write`, chunk by chunk, the bytes as they come. With `follow`, keep
    reading until the container stops, `stop` is set, or the response is closed (`on_open` receives
    it, so another thread can `shutdown()` it)."""
    resp = open_log(client, req, follow=follow)
    if on_open is not None:
        on_open(resp)
    try:
        for chunk in resp.stream(CHUNK_BYTES, decode_content=True):
            write(chunk)
            if stop is not None and stop.is_set():
                return
    except Exception as exc:
        if stop is not None and stop.is_set():
            return
        raise ClusterError(f"the log stream of {req.label} broke: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
    finally:
        with contextlib.suppress(Exception):
            resp.release_conn()


def stream_logs(
    client: KubeClient,
    req: LogRequest,
    sink: Callable[[list[str]], None],
    *,
    follow: bool = False,
    stop: threading.Event | None = None,
    on_open: Callable[[object], None] | None = None,
    raw_sink: Callable[[list[str], list[bytes]], None] | None = None,
) -> None:
    """Read a container's log into `sink`, a batch of safe lines per chunk received (see
    `stream_log_bytes` for `follow`, `stop` and `on_open`). With `raw_sink`, each batch goes there
    instead, with the same lines as read (bytes, without their newline)."""
    decoder, raw = LineDecoder(), RawLines()

    def out(lines: list[str], data: list[bytes]) -> None:
        if not lines:
            return
        if raw_sink is not None:
            raw_sink(lines, data)
        else:
            sink(lines)

    def lines(chunk: bytes) -> None:
        out(decoder.feed(chunk), raw.feed(chunk) if raw_sink is not None else [])

    stream_log_bytes(client, req, lines, follow=follow, stop=stop, on_open=on_open)
    if stop is not None and stop.is_set():
        return
    out(decoder.finish(), raw.finish() if raw_sink is not None else [])


def kubectl_prefix(pod: str, container: str) -> str:
    """What `kubectl logs --prefix` puts before each line."""
    return f"[pod/{pod}/{container}] "


class LineWriter:
    """Whole lines out of a byte stream, each with `prefix` before it (`kubectl logs --prefix`; an empty
    prefix keeps concurrent streams from mixing within a line). The last line goes out too when the
    stream ends without a newline. A line held longer than HELD_BYTES goes out in parts, the prefix
    before the first: the same bytes, in bounded memory."""

    HELD_BYTES = 1024 * 1024

    def __init__(self, prefix: bytes, write: Callable[[bytes], None]) -> None:
        self.prefix = prefix
        self._write = write
        self._held = bytearray()
        self._mid_line = False  # the prefix of the current line is out already

    def _out(self, piece: bytes) -> None:
        self._write((b"" if self._mid_line else self.prefix) + bytes(self._held) + piece)
        self._held.clear()

    def feed(self, chunk: bytes) -> None:
        start = 0
        while (end := chunk.find(b"\n", start)) >= 0:
            self._out(chunk[start : end + 1])
            self._mid_line = False
            start = end + 1
        self._held += chunk[start:]
        if len(self._held) >= self.HELD_BYTES:
            self._out(b"")
            self._mid_line = True

    def finish(self) -> None:
        if self._held:
            self._out(b"")
        self._mid_line = False


def _snapshot_lines(inventory: Inventory, req: LogRequest) -> list[str]:
    lines = inventory.logs.get(LogKey(req.namespace, req.pod, req.container, req.previous))
    if lines is None:
        which = "previous" if req.previous else "current"
        raise LogsUnavailable(f"the snapshot holds no {which} logs for container {req.container}")
    return lines[max(len(lines) - req.tail, 0) :] if req.tail is not None and req.tail >= 0 else lines


def snapshot_logs(inventory: Inventory, req: LogRequest) -> list[str]:
    """The lines a snapshot holds for this container and run, made safe."""
    decoder = LineDecoder()
    out = []
    for line in _snapshot_lines(inventory, req):
        out += decoder.feed(line.encode("utf-8", errors="replace") + b"\n")
    return out


def snapshot_raw_lines(inventory: Inventory, req: LogRequest) -> list[bytes]:
    """The lines a snapshot holds for this container and run, as read (the pairs of `snapshot_logs`)."""
    raw = RawLines()
    return raw.feed(snapshot_log_bytes(inventory, req)) + raw.finish()


def snapshot_log_bytes(inventory: Inventory, req: LogRequest) -> bytes:
    """The lines a snapshot holds for this container and run, as the log they were read from."""
    return "".join(line + "\n" for line in _snapshot_lines(inventory, req)).encode("utf-8", "surrogateescape")


def cited_prefixed_lines(
    first: int, lines: list[str], citations: list[LogCitation], prefixes: dict[str, LogRequest]
) -> dict[int, LogCitation]:
    """`cited_log_lines` for the lines of several containers, each line starting with its container's
    prefix (`prefixes`: prefix → that container's request)."""
    marks: dict[int, LogCitation] = {}
    for prefix, req in prefixes.items():
        at = [i for i, line in enumerate(lines) if line.startswith(prefix)]
        own = cited_log_lines(0, [lines[i][len(prefix) :] for i in at], citations, req)
        marks.update({first + at[i]: cite for i, cite in own.items()})
    return marks


_UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def save_name(*parts: str) -> str:
    """A file name from cluster names (`NAMESPACE_POD_CONTAINER.log`): only letters, digits, `.`, `_`
    and `-`, never hidden, never a path."""
    name = "_".join(_UNSAFE_IN_NAME.sub("-", part) for part in parts).lstrip(".") or "logs"
    return f"{name[:200]}.log"


def cited_log_lines(first: int, lines: list[str], citations: list[LogCitation], req: LogRequest) -> dict[int, LogCitation]:
    """Line number → the finding that quoted it. The engine read the last `total` lines; the quote is
    looked for there first, then anywhere (the log may have grown since)."""
    marks: dict[int, LogCitation] = {}
    for cite in citations:
        if cite.container != req.container or cite.previous != req.previous:
            continue
        quoted = cite.text.split("… (", 1)[0]
        at = len(lines) - cite.total + cite.line - 1
        if 0 <= at < len(lines) and lines[at].startswith(quoted):
            marks[first + at] = cite
            continue
        for i in range(len(lines) - 1, -1, -1):
            if lines[i].startswith(quoted):
                marks[first + i] = cite
                break
    return marks
