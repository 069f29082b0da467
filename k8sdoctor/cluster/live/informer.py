"""List+watch, done like client-go's reflector, in a background thread per resource.

- List (paginated), hand the full set to the sink as a `Replace` (so objects deleted while we were away
  disappear: no ghosts), then watch from the list's resourceVersion.
- Watch with `allowWatchBookmarks` and a `timeoutSeconds` shorter than the read timeout, so a quiet
  stream ends on the server's side first. Follow resourceVersion through every event and BOOKMARK; a
  watch that ends normally (its timeout, or a read timeout on a quiet stream) is simply resumed from the
  last resourceVersion: no relist, no state change.
- A watch that ends at once with nothing in it (client-go's "very short watch": an empty 200 from a
  proxy), a garbled line (an HTML login page), a line beyond `MAX_LINE_BYTES`: errors, like a lost
  connection. Never a tight loop.
- `410 Gone` / "too old resource version" → relist.
- Errors → report `disconnected` with the message and the retry time, back off with jitter, relist,
  never give up. Each error is logged once, not once per retry.
- A 403 → report `forbidden` with the server's message (the exact permission), keep retrying slowly.

Watch lines are decoded here with orjson, not by the client's Watch helper, which would build model
objects for every event.
"""

from __future__ import annotations

import contextlib
import logging
import random
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import orjson

from k8sdoctor.cluster.live.client import Forbidden, KubeClient, ResponseTooLarge
from k8sdoctor.cluster.live.fetch import ns_path
from k8sdoctor.core.engine import is_plainly_healthy
from k8sdoctor.core.kube.slim import SharedStrings, slim_pod
from k8sdoctor.errors import ClusterError

log = logging.getLogger("k8sdoctor.informer")

MIN_WATCH_SECONDS = 1.0  # a watch that ends sooner with no line in it is an error (as in client-go)
MAX_LINE_BYTES = 16 << 20  # one watch event: an object (etcd keeps them under 1.5 MiB by default)


def watch_timeout_seconds(read_timeout: float | None, rng: random.Random | None = None) -> int:
    """The server-side timeout of one watch: shorter than the client's read timeout, so a quiet watch is
    ended by the server (a normal end) before the read times out; jittered, to spread re-watches."""
    read = read_timeout or 300.0
    return max(1, int(read * (rng or random).uniform(0.6, 0.8)))


class WatchError(ClusterError):
    """A watch that cannot be read: ended at once with nothing in it, or garbled."""


@dataclass(frozen=True)
class Replace:
    """The complete current set of objects of a kind (after a list)."""

    kind: str
    items: list[dict]


@dataclass(frozen=True)
class Change:
    """One watch event."""

    kind: str
    type: str  # ADDED, MODIFIED, DELETED
    obj: dict


@dataclass(frozen=True)
class SourceState:
    """Connection state of one resource's reflector."""

    kind: str
    state: str  # syncing, ready, forbidden, disconnected
    message: str = ""
    retry_at: float | None = None  # time.monotonic() of the next attempt


Delta = Replace | Change | SourceState


class Expired(Exception):
    """The watch's resourceVersion is too old (410 Gone)."""


class Backoff:
    """Exponential backoff with full jitter: 0.5 s doubling up to 30 s."""

    def __init__(self, initial: float = 0.5, maximum: float = 30.0, rng: random.Random | None = None) -> None:
        self.initial, self.maximum = initial, maximum
        self.attempt = 0
        self.rng = rng or random.Random()

    def next(self) -> float:
        ceiling = min(self.maximum, self.initial * (2**self.attempt))
        self.attempt += 1
        return ceiling / 2 + self.rng.uniform(0, ceiling / 2)

    def reset(self) -> None:
        self.attempt = 0


def iter_watch_lines(resp, chunk_size: int = 65536, max_line: int = MAX_LINE_BYTES) -> Iterator[bytes]:
    """Split a chunked watch response into lines, however the chunks fall, in time linear in the bytes
    (each byte is searched once); a line longer than `max_line` is an error."""
    buf = bytearray()
    for chunk in resp.stream(chunk_size, decode_content=True):
        searched = len(buf)  # the bytes before this chunk hold no newline
        buf += chunk
        start = 0
        while (nl := buf.find(b"\n", max(start, searched))) >= 0:
            line = bytes(buf[start:nl])
            start = nl + 1
            if line.strip():
                yield line
        del buf[:start]  # cheap: a bytearray drops its head in place
        if len(buf) > max_line:
            raise ResponseTooLarge(f"a watch line was longer than {max_line >> 20} MiB; stopped reading it")
    if bytes(buf).strip():
        yield bytes(buf)


@dataclass
class ResourceSpec:
    kind: str
    resource: str  # "pods", "events", "nodes"
    group: str = "api/v1"
    namespaced: bool = True


class Reflector(threading.Thread):
    """Keeps one resource (pods or events) in sync, pushing deltas to `sink`."""

    def __init__(
        self,
        client: KubeClient,
        spec: ResourceSpec,
        namespace: str | None,
        sink: Callable[[Delta], None],
        label_selector: str | None = None,
        backoff: Backoff | None = None,
        transform: Callable[[dict], dict] | None = None,
    ) -> None:
        super().__init__(name=f"reflector-{spec.kind}", daemon=True)
        self.transform = transform or (lambda obj: obj)
        self.client = client
        self.spec = spec
        self.namespace = namespace
        self.sink = sink
        self.label_selector = label_selector
        self.backoff = backoff or Backoff()
        self.resource_version: str | None = None
        self._halt = threading.Event()
        self._resp = None
        self._logged: str | None = None  # the error last logged: each is logged once, not per retry
        self.relists = 0
        self.watches = 0

    # ---- control -----------------------------------------------------------------------------------
    def stop(self) -> None:
        self._halt.set()
        resp = self._resp
        if resp is not None:
            with contextlib.suppress(Exception):
                getattr(resp, "shutdown", resp.close)()

    @property
    def stopped(self) -> bool:
        return self._halt.is_set()

    # ---- requests ----------------------------------------------------------------------------------
    def _path(self) -> str:
        return ns_path(self.namespace if self.spec.namespaced else None, self.spec.resource, self.spec.group)

    def _list(self) -> None:
        items: list[dict] = []
        rv = None
        for page in self.client.pages(self._path(), labelSelector=self.label_selector):
            items.extend(self.transform(i) for i in page.get("items") or () if isinstance(i, dict))
            rv = (page.get("metadata") or {}).get("resourceVersion") or rv
        self.resource_version = rv
        self.relists += 1
        self.sink(Replace(self.spec.kind, items))

    def _watch(self) -> None:
        """One watch request, read until it ends. Returns on a normal end (re-watch from the last
        resourceVersion); raises Expired, WatchError or ClusterError otherwise."""
        timeout_seconds = watch_timeout_seconds(self.client.timeout[1])
        self.watches += 1
        started = time.monotonic()
        resp = self.client.stream(
            self._path(),
            watch=True,
            resourceVersion=self.resource_version,
            allowWatchBookmarks=True,
            timeoutSeconds=timeout_seconds,
            labelSelector=self.label_selector,
        )
        self._resp = resp
        lines = 0
        try:
            for line in iter_watch_lines(resp):
                if self.stopped:
                    return
                self._event(line)
                lines += 1
                if lines == 1:
                    self.backoff.reset()
                    self._logged = None
        except (Expired, ClusterError):
            raise
        except Exception as exc:
            if self.stopped:
                return
            if _is_read_timeout(exc):
                log.debug("%s watch was quiet until the read timeout; watching again from %s", self.spec.kind, self.resource_version)
                return  # a quiet stream: a normal end
            raise ClusterError(f"the {self.spec.resource} watch broke: {_first_line(exc)}") from None
        finally:
            self._resp = None
            with contextlib.suppress(Exception):
                resp.release_conn()
        if lines == 0 and time.monotonic() - started < min(MIN_WATCH_SECONDS, timeout_seconds / 2) and not self.stopped:
            raise WatchError(f"the API server ended the {self.spec.resource} watch at once, with nothing in it (a proxy in the way?)")
        if lines == 0:  # a quiet watch the server ended: healthy
            self.backoff.reset()
            self._logged = None

    def _event(self, line: bytes) -> None:
        try:
            event = orjson.loads(line)
            etype, obj = event["type"], event["object"]
        except (orjson.JSONDecodeError, KeyError, TypeError):
            shown = line[:80].decode("utf-8", errors="replace")
            raise WatchError(f"the {self.spec.resource} watch sent something that is not a watch event: {shown!r}") from None
        if etype == "ERROR":
            if isinstance(obj, dict) and obj.get("code") == 410:
                raise Expired(obj.get("message", ""))
            raise ClusterError(f"watch error: {(obj or {}).get('message', obj) if isinstance(obj, dict) else obj}")
        rv = ((obj or {}).get("metadata") or {}).get("resourceVersion") if isinstance(obj, dict) else None
        if etype != "BOOKMARK":
            self.sink(Change(self.spec.kind, etype, self.transform(obj) if isinstance(obj, dict) else obj))
        if rv:
            self.resource_version = rv

    # ---- loop ----------------------------------------------------------------------------------------
    def run(self) -> None:
        kind = self.spec.kind
        self.sink(SourceState(kind, "syncing"))
        while not self.stopped:
            try:
                if self.resource_version is None:
                    self._list()
                    self.sink(SourceState(kind, "ready"))
                self._watch()
            except Expired:
                log.info("%s watch expired at %s; relisting", kind, self.resource_version)
                self.resource_version = None
            except Forbidden as exc:
                self._wait(SourceState(kind, "forbidden", str(exc)), slow=True)
            except ClusterError as exc:
                if self.stopped:
                    return
                self._wait(SourceState(kind, "disconnected", str(exc)))
            except Exception as exc:
                if self.stopped:
                    return
                message = f"{type(exc).__name__}: {exc}"
                if self._logged != message:  # a bug: its traceback, once
                    log.exception("%s reflector error", kind)
                    self._logged = message
                self._wait(SourceState(kind, "disconnected", message))

    def _wait(self, state: SourceState, slow: bool = False) -> None:
        if state.message != self._logged:
            log.warning("%s: %s; retrying with backoff", state.kind, state.message)
            self._logged = state.message
        delay = self.backoff.next() * (4 if slow else 1)
        retry_at = time.monotonic() + delay
        self.sink(SourceState(state.kind, state.state, state.message, retry_at))
        self._halt.wait(delay)
        if not self.stopped and state.state != "forbidden":
            self.sink(SourceState(state.kind, "syncing", f"reconnecting after: {state.message}"))
            self.resource_version = None  # after an outage, relist: objects may have come and gone


def _is_read_timeout(exc: BaseException) -> bool:
    from urllib3.exceptions import ReadTimeoutError

    while exc is not None:
        if isinstance(exc, (ReadTimeoutError, TimeoutError)):
            return True
        exc = exc.__context__ or exc.__cause__  # type: ignore[assignment]
    return False


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:300] if text else type(exc).__name__


def compact_pod(pod: dict, strings: SharedStrings) -> dict:
    """Healthy pods, most of a cluster, are held in their slim form with shared strings (see `core.slim`):
    a whole cluster fits in memory. Unhealthy pods stay whole; they are few, and change the most."""
    return strings.share(slim_pod(pod)) if is_plainly_healthy(pod) else pod


@dataclass
class Informer:
    """Pods and events for a scope, each kept by its own reflector, all feeding one sink."""

    client: KubeClient
    namespace: str | None
    sink: Callable[[Delta], None]
    label_selector: str | None = None
    reflectors: list[Reflector] = field(default_factory=list)

    def start(self) -> None:
        strings = SharedStrings()  # pods and events repeat namespaces, node names, images, reasons
        specs = [
            (ResourceSpec("Pod", "pods"), self.label_selector, lambda pod: compact_pod(pod, strings)),
            (ResourceSpec("Event", "events"), None, strings.share),
        ]
        for spec, selector, transform in specs:
            r = Reflector(self.client, spec, self.namespace, self.sink, selector, transform=transform)
            self.reflectors.append(r)
            r.start()

    def stop(self) -> None:
        for r in self.reflectors:
            r.stop()
        for r in self.reflectors:
            r.join(timeout=2)
