"""Serving `?watch=true`: a chunked stream of `{"type": ..., "object": ...}` lines.

Replays from `resourceVersion` (or the current objects as ADDED), then follows live changes. Selectors
apply to transitions the way the watch cache applies them: an object that starts matching arrives as
ADDED, one that stops matching as DELETED. BOOKMARKs are sent when asked for; `timeoutSeconds` ends the
stream. An expired resourceVersion is an ERROR event carrying a 410 Status, in a 200 response.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import orjson
from aiohttp import web

from k8sdoctor.fakeapi.encoding import JSON, Output
from k8sdoctor.fakeapi.resources import ResourceType
from k8sdoctor.fakeapi.selectors import Predicate
from k8sdoctor.fakeapi.status import ApiError
from k8sdoctor.fakeapi.store import Change, Entry, Store, Subscription

INITIAL_EVENTS_END = "k8s.io/initial-events-end"


@dataclass(frozen=True, slots=True)
class WatchRequest:
    rtype: ResourceType
    namespace: str | None
    resource_version: str | None
    match: Predicate
    output: Output
    bookmarks: bool
    timeout: float | None
    send_initial_events: bool


def event_line(kind: str, obj: bytes) -> bytes:
    return b'{"type":"%s","object":%s}\n' % (kind.encode(), obj)


def error_line(err: ApiError) -> bytes:
    return event_line("ERROR", err.body())


class WatchStream:
    """One watch response. Call `serve()`; it returns when the stream ends."""

    def __init__(
        self, request: web.Request, store: Store, spec: WatchRequest, *, bookmark_interval: float, clock: Callable[[], datetime]
    ) -> None:
        self.request = request
        self.store = store
        self.spec = spec
        self.bookmark_interval = bookmark_interval
        self.clock = clock
        self.last_rv = 0
        self.response = web.StreamResponse(status=200, headers={"Content-Type": JSON})
        self.response.enable_chunked_encoding()

    async def _start(self) -> None:
        await self.response.prepare(self.request)

    async def error(self, err: ApiError) -> web.StreamResponse:
        """A stream that carries only an ERROR event (an expired resourceVersion)."""
        await self._start()
        await self.response.write(error_line(err))
        await self.response.write_eof()
        return self.response

    async def serve(self) -> web.StreamResponse:
        spec = self.spec
        loop = asyncio.get_running_loop()
        try:
            initial, sub, start_rv = self.store.subscribe(spec.rtype, spec.namespace, spec.resource_version, loop)
        except ApiError as err:
            if err.code != 410:
                raise
            return await self.error(err)
        self.last_rv = start_rv
        try:
            await self._start()
            await self._send_changes(initial)
            if spec.send_initial_events:
                await self._bookmark(start_rv, initial_end=True)
            await self._follow(sub)
        except ConnectionResetError:
            pass
        finally:
            self.store.unsubscribe(spec.rtype, sub)
        return self.response

    async def _follow(self, sub: Subscription) -> None:
        spec = self.spec
        deadline = None if spec.timeout is None else time.monotonic() + spec.timeout
        next_bookmark = time.monotonic() + self.bookmark_interval
        while True:
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                break
            wakeups = [t for t in (deadline, next_bookmark if spec.bookmarks else None) if t is not None]
            try:
                item = await asyncio.wait_for(sub.queue.get(), timeout=max(min(wakeups) - now, 0) if wakeups else None)
            except asyncio.TimeoutError:
                if spec.bookmarks and time.monotonic() >= next_bookmark:
                    await self._send_bookmark_if_idle(sub)
                    next_bookmark = time.monotonic() + self.bookmark_interval
                continue
            if item == Subscription.CLOSE:
                break
            if item == Subscription.BREAK:
                if self.request.transport is not None:
                    self.request.transport.abort()
                return
            if isinstance(item, bytes):
                await self.response.write(item)
            else:
                await self._send_changes([item])
        await self.response.write_eof()

    async def _send_changes(self, changes: list[Change]) -> None:
        chunks = []
        for change in changes:
            line = self._line(change)
            if line is not None:
                chunks.append(line)
            self.last_rv = max(self.last_rv, change.rv)
        if chunks:
            await self.response.write(b"".join(chunks))

    def _line(self, change: Change) -> bytes | None:
        """The event this watcher sees for a change, after its selectors, or None."""
        match = self.spec.match
        now_passes = change.type != "DELETED" and match(change.entry.obj)
        was_passing = change.prev is not None and match(change.prev.obj)
        if change.type == "ADDED" and now_passes:
            kind, entry = "ADDED", change.entry
        elif change.type == "MODIFIED" and now_passes:
            kind, entry = ("MODIFIED" if was_passing else "ADDED"), change.entry
        elif was_passing and change.type == "DELETED":
            kind, entry = "DELETED", change.entry
        elif was_passing:  # no longer matching: the previous state, at the new version
            kind, entry = "DELETED", _at_version(change.prev, change.rv)  # type: ignore[arg-type]
        else:
            return None
        return event_line(kind, self.spec.output.object_bytes(self.spec.rtype, entry, self.clock()))

    async def _send_bookmark_if_idle(self, sub: Subscription) -> None:
        """A BOOKMARK at the store's current version, unless changes up to it are still queued."""
        with self.store.lock:
            current = self.store.rv
        await asyncio.sleep(0)  # let already-scheduled deliveries for versions ≤ current land
        if sub.queue.empty():
            await self._bookmark(max(current, self.last_rv))

    async def _bookmark(self, rv: int, *, initial_end: bool = False) -> None:
        rtype = self.spec.rtype
        meta: dict = {"resourceVersion": str(rv), "creationTimestamp": None}
        if initial_end:
            meta["annotations"] = {INITIAL_EVENTS_END: "true"}
        obj = {"kind": rtype.kind, "apiVersion": rtype.api_version, "metadata": meta}
        if self.spec.output.mode == "metadata":
            obj = {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": meta}
        await self.response.write(event_line("BOOKMARK", orjson.dumps(obj)))


def _at_version(entry: Entry, rv: int) -> Entry:
    obj = dict(entry.obj)
    obj["metadata"] = {**entry.obj["metadata"], "resourceVersion": str(rv)}
    return Entry(orjson.dumps(obj), rv, entry.key, obj)
