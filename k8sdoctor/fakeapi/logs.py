"""Container logs: the stored lines, and how `GET pods/NAME/log` chooses and renders them.

Lines are kept per (namespace, pod, container, previous) with the time they were written. The container
checks are kube-apiserver's (pkg/registry/core/pod/strategy.go LogLocation); when no lines are stored,
the answer follows the kubelet's validateContainerLogStatus, which looks at the container's status: a
restarting container's current log is its last run's, and a container waiting to start has none.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from k8sdoctor.core.kube.timeutil import format_log_time, parse_time
from k8sdoctor.fakeapi import status
from k8sdoctor.fakeapi.store import Subscription


@dataclass(frozen=True, slots=True)
class LogKey:
    namespace: str
    pod: str
    container: str
    previous: bool = False


@dataclass(frozen=True, slots=True)
class LogLine:
    time: datetime
    text: str | bytes  # bytes for what is not UTF-8 (a container writes bytes)


class LogBook:
    """Stored log lines, and the `follow` streams waiting for new ones. Thread-safe."""

    def __init__(self, clock: Callable[[], datetime]) -> None:
        self._lock = threading.Lock()
        self._clock = clock
        self._lines: dict[LogKey, list[LogLine]] = {}
        self._followers: dict[LogKey, set[Subscription]] = {}

    def set(self, key: LogKey, lines: Iterable[str | bytes]) -> None:
        """Replace a container's log; lines end one millisecond apart, the last one now."""
        texts = list(lines)
        now = self._clock()
        stamped = [LogLine(now - timedelta(milliseconds=len(texts) - 1 - i), t) for i, t in enumerate(texts)]
        with self._lock:
            self._lines[key] = stamped

    def append(self, key: LogKey, lines: Iterable[str | bytes]) -> None:
        now = self._clock()
        new = [LogLine(now, t) for t in lines]
        with self._lock:
            self._lines.setdefault(key, []).extend(new)
            followers = self._followers.get(key, set())
            followers.difference_update([sub for sub in followers if not sub.push(new)])

    def get(self, key: LogKey) -> list[LogLine] | None:
        with self._lock:
            lines = self._lines.get(key)
            return None if lines is None else list(lines)

    def follow(self, key: LogKey, loop: asyncio.AbstractEventLoop) -> tuple[list[LogLine] | None, Subscription]:
        """The lines so far and an inbox that receives every later `append` (as lists of lines)."""
        with self._lock:
            sub = Subscription(loop, None, "pods/log")
            self._followers.setdefault(key, set()).add(sub)
            lines = self._lines.get(key)
            return (None if lines is None else list(lines)), sub

    def unfollow(self, key: LogKey, sub: Subscription) -> None:
        with self._lock:
            self._followers.get(key, set()).discard(sub)

    def followers(self) -> list[Subscription]:
        with self._lock:
            return [sub for subs in self._followers.values() for sub in subs]


def _names(containers: list[dict]) -> str:
    return " ".join(c.get("name", "") for c in containers)


def pick_container(pod: dict, requested: str) -> str:
    """The container a log request is about, or the apiserver's 400."""
    spec = pod.get("spec") or {}
    name = (pod.get("metadata") or {}).get("name", "")
    containers = spec.get("containers") or []
    if not requested:
        if len(containers) == 1:
            return containers[0].get("name", "")
        if not containers:
            raise status.bad_request(f"a container name must be specified for pod {name}")
        message = f"a container name must be specified for pod {name}, choose one of: [{_names(containers)}]"
        if spec.get("initContainers"):
            message += f" or one of the init containers: [{_names(spec['initContainers'])}]"
        raise status.bad_request(message)
    every = containers + (spec.get("initContainers") or []) + (spec.get("ephemeralContainers") or [])
    if not any(c.get("name") == requested for c in every):
        raise status.bad_request(f"container {requested} is not valid for pod {name}")
    return requested


def container_instance(pod: dict, container: str, previous: bool) -> bool:
    """Which instance the kubelet reads: True for the last terminated one, False for the current one.

    Raises the kubelet's 400 when there is nothing to read (waiting to start, no previous instance...).
    """
    pod_status = pod.get("status") or {}
    name = (pod.get("metadata") or {}).get("name", "")
    statuses = (
        (pod_status.get("containerStatuses") or [])
        + (pod_status.get("initContainerStatuses") or [])
        + (pod_status.get("ephemeralContainerStatuses") or [])
    )
    found = next((s for s in statuses if s.get("name") == container), None)
    if found is None:
        raise status.bad_request(f'container "{container}" in pod "{name}" is not available')
    state = found.get("state") or {}
    last = (found.get("lastState") or {}).get("terminated") or {}
    if previous:
        if not last.get("containerID"):
            raise status.bad_request(f'previous terminated container "{container}" in pod "{name}" not found')
        return True
    if state.get("running") is not None:
        return False
    if state.get("terminated") is not None and state["terminated"].get("containerID"):
        return False
    if state.get("terminated") is not None or last:
        if not last.get("containerID"):
            raise status.bad_request(f'container "{container}" in pod "{name}" is terminated')
        return True
    if state.get("waiting") is not None:
        reason = state["waiting"].get("reason", "")
        detail = {"ErrImagePull": "image can't be pulled", "ImagePullBackOff": "trying and failing to pull image"}.get(reason, reason)
        raise status.bad_request(f'container "{container}" in pod "{name}" is waiting to start: {detail}')
    raise status.bad_request(f'container "{container}" in pod "{name}" is waiting to start - no logs yet')


@dataclass(frozen=True, slots=True)
class LogOptions:
    container: str = ""
    previous: bool = False
    follow: bool = False
    timestamps: bool = False
    tail_lines: int | None = None
    limit_bytes: int | None = None
    since: datetime | None = None

    @classmethod
    def from_query(cls, query: dict[str, str], now: datetime) -> LogOptions:
        def flag(name: str) -> bool:
            return query.get(name, "").lower() in ("true", "1")

        def number(name: str) -> int | None:
            if name not in query:
                return None
            try:
                return int(query[name])
            except ValueError:
                raise status.bad_request(f'strconv.ParseInt: parsing "{query[name]}": invalid syntax') from None

        since = parse_time(query.get("sinceTime"))
        seconds = number("sinceSeconds")
        if seconds is not None:
            since = now - timedelta(seconds=seconds)
        return cls(
            query.get("container", ""),
            flag("previous"),
            flag("follow"),
            flag("timestamps"),
            number("tailLines"),
            number("limitBytes"),
            since,
        )

    def render(self, lines: list[LogLine]) -> bytes:
        if self.since is not None:
            lines = [line for line in lines if line.time >= self.since]
        if self.tail_lines is not None:
            lines = lines[-self.tail_lines :] if self.tail_lines > 0 else []
        out = b"".join(self.encode(line) for line in lines)
        return out if self.limit_bytes is None else out[: self.limit_bytes]

    def encode(self, line: LogLine) -> bytes:
        data = line.text if isinstance(line.text, bytes) else line.text.encode()
        return (format_log_time(line.time).encode() + b" " + data if self.timestamps else data) + b"\n"
