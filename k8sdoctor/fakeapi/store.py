"""The object store behind the fake API server: collections, resourceVersions, watch history.

Thread-safe (one lock), usable with or without the server running. Every object is serialized once, when
it is written (`Entry.raw`), so lists and watch events are joined bytes. `resourceVersion` is one global
counter. Each collection keeps a bounded history of changes for watches that resume from a
resourceVersion; older than that window is `410 Expired`, as kube-apiserver's watch cache does.
"""

from __future__ import annotations

import asyncio
import base64
import bisect
import builtins
import threading
import uuid
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import orjson

from k8sdoctor.core.kube.timeutil import format_time, utcnow
from k8sdoctor.fakeapi import status
from k8sdoctor.fakeapi.resources import ResourceType
from k8sdoctor.fakeapi.selectors import Predicate, everything

Key = tuple[str, str]  # (namespace, name); namespace "" for cluster-scoped objects

_SNAPSHOTS_KEPT = 16  # list snapshots kept for continue tokens (oldest dropped first)


class Entry:
    """One stored version of an object: its JSON, parsed only when something needs the dict (selectors,
    tables, patches), and lazily built alternative encodings. Parsing lazily keeps bulk loads cheap."""

    __slots__ = ("_obj", "_views", "key", "raw", "rv")

    def __init__(self, raw: bytes, rv: int, key: Key, obj: dict | None = None) -> None:
        self.raw = raw
        self.rv = rv
        self.key = key
        self._obj = obj
        self._views: dict[str, bytes] | None = None

    @property
    def obj(self) -> dict:
        """The object as a dict. Shared: callers must not mutate it."""
        if self._obj is None:
            self._obj = orjson.loads(self.raw)
        return self._obj

    def view(self, name: str, encode: Callable[[dict], bytes]) -> bytes:
        if self._views is None:
            self._views = {}
        cached = self._views.get(name)
        if cached is None:
            cached = self._views[name] = encode(self.obj)
        return cached


@dataclass(slots=True)
class Change:
    """A watch event: ADDED, MODIFIED or DELETED, with the version before it (for selector transitions)."""

    rv: int
    type: str
    entry: Entry
    prev: Entry | None


class Subscription:
    """A watch's inbox. Filled from any thread; read by the coroutine that serves the watch."""

    CLOSE = "close"  # end the stream cleanly
    BREAK = "break"  # drop the connection without finishing the chunked body

    def __init__(self, loop: asyncio.AbstractEventLoop, namespace: str | None, resource: str) -> None:
        self.loop = loop
        self.namespace = namespace
        self.resource = resource  # plural, e.g. "pods", or "pods/log" for a log follower
        self.queue: asyncio.Queue = asyncio.Queue()

    def push(self, item: object) -> bool:
        try:
            self.loop.call_soon_threadsafe(self.queue.put_nowait, item)
        except RuntimeError:  # the loop is closed: the watch is gone
            return False
        return True


@dataclass(slots=True)
class ListResult:
    items: list[Entry]
    rv: int
    continue_token: str | None
    remaining: int | None


class Collection:
    """All objects of one stored resource, sorted keys on demand, and its change history."""

    def __init__(self, history_size: int) -> None:
        self.entries: dict[Key, Entry] = {}
        self.sorted_keys: list[Key] | None = None
        self.history: deque[Change] = deque()
        self.history_size = history_size
        self.floor = 0  # watches from a resourceVersion below this get 410 Expired
        self.subscriptions: set[Subscription] = set()

    def keys(self) -> list[Key]:
        if self.sorted_keys is None:
            self.sorted_keys = sorted(self.entries)
        return self.sorted_keys

    def record(self, change: Change) -> None:
        self.history.append(change)
        if len(self.history) > self.history_size:
            self.history.popleft()
            self.floor = self.history[0].rv - 1
        dead = [
            sub for sub in self.subscriptions if (sub.namespace is None or sub.namespace == change.entry.key[0]) and not sub.push(change)
        ]
        self.subscriptions.difference_update(dead)

    def since(self, rv: int) -> list[Change]:
        """Changes newer than `rv`, oldest first; touches only those changes."""
        out = []
        for change in reversed(self.history):
            if change.rv <= rv:
                break
            out.append(change)
        out.reverse()
        return out


def encode_continue(rv: int, start: Key) -> str:
    payload = orjson.dumps({"v": "meta.k8s.io/v1", "rv": rv, "start": f"{start[0]}/{start[1]}\x00"})
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def decode_continue(token: str) -> tuple[int, Key]:
    try:
        payload = orjson.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        namespace, _, name = payload["start"].rstrip("\x00").partition("/")
        return int(payload["rv"]), (namespace, name)
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise status.bad_request(f"continue key is not valid: {err}") from None


class Store:
    """Collections by storage (group, plural), the global resourceVersion, and list snapshots."""

    def __init__(self, *, history_size: int = 1000, clock: Callable[[], datetime] = utcnow) -> None:
        self.lock = threading.RLock()
        self.rv = 0
        self.history_size = history_size
        self.clock = clock
        self._collections: dict[tuple[str, str], Collection] = {}
        self._snapshots: OrderedDict[tuple[tuple[str, str], int], tuple[list[Key], dict[Key, Entry]]] = OrderedDict()

    def collection(self, rtype: ResourceType) -> Collection:
        coll = self._collections.get(rtype.storage)
        if coll is None:
            coll = self._collections[rtype.storage] = Collection(self.history_size)
        return coll

    # ---- reads ----------------------------------------------------------------------------------
    def get(self, rtype: ResourceType, namespace: str, name: str) -> Entry | None:
        with self.lock:
            return self.collection(rtype).entries.get((namespace if rtype.namespaced else "", name))

    def require(self, rtype: ResourceType, namespace: str, name: str) -> Entry:
        entry = self.get(rtype, namespace, name)
        if entry is None:
            raise status.not_found(rtype, name)
        return entry

    def list(
        self,
        rtype: ResourceType,
        namespace: str | None,
        *,
        match: Predicate = everything,
        limit: int = 0,
        continue_token: str | None = None,
        filtered: bool = False,
    ) -> ListResult:
        """One page of objects in (namespace, name) order. `filtered` says a selector is in use."""
        with self.lock:
            coll = self.collection(rtype)
            start: Key | None = None
            snapshot = None
            keys, entries, list_rv = coll.keys(), coll.entries, self.rv
            if continue_token:
                rv, start = decode_continue(continue_token)
                if rv >= 0:  # a consistent continuation: served from the first page's snapshot
                    snapshot = self._snapshots.get((rtype.storage, rv))
                    if snapshot is None:
                        raise status.expired(status.CONTINUE_EXPIRED, encode_continue(-1, start))
                    keys, entries = snapshot
                    list_rv = rv
            index = 0 if start is None else bisect.bisect_right(keys, start)
            end = len(keys)
            if namespace is not None:
                index = max(index, bisect.bisect_left(keys, (namespace, "")))
                end = bisect.bisect_left(keys, (namespace + "\x00", ""), lo=index)
            if match is everything:
                last = min(end, index + limit) if limit else end
                items = [entries[k] for k in keys[index:last]]
            else:
                items, last = [], end
                for pos in range(index, end):
                    entry = entries[keys[pos]]
                    if match(entry.obj):
                        items.append(entry)
                        if len(items) == limit:
                            last = pos + 1
                            break
            token = None
            if last < end:
                if snapshot is None and (rtype.storage, list_rv) not in self._snapshots:
                    self._keep_snapshot(rtype, list_rv, list(keys), dict(entries))
                token = encode_continue(list_rv, keys[last - 1])
            remaining = end - last if token and not filtered else None
            return ListResult(items, list_rv, token, remaining)

    def _keep_snapshot(self, rtype: ResourceType, rv: int, keys: builtins.list[Key], entries: dict[Key, Entry]) -> None:
        self._snapshots[(rtype.storage, rv)] = (keys, entries)
        while len(self._snapshots) > _SNAPSHOTS_KEPT:
            self._snapshots.popitem(last=False)

    # ---- writes ---------------------------------------------------------------------------------
    def _prepare(self, rtype: ResourceType, obj: dict, namespace: str, old: Entry | None, rv: int) -> Entry:
        meta = dict(obj.get("metadata") or {})
        if rtype.namespaced:
            meta["namespace"] = namespace
        else:
            meta.pop("namespace", None)
        if old is not None:
            meta["uid"] = old.obj["metadata"].get("uid")
            meta["creationTimestamp"] = old.obj["metadata"].get("creationTimestamp")
        else:
            meta.setdefault("uid", str(uuid.uuid4()))
            meta.setdefault("creationTimestamp", format_time(self.clock()))
        meta["resourceVersion"] = str(rv)
        body = {"kind": rtype.kind, "apiVersion": rtype.api_version, "metadata": meta}
        body.update((k, v) for k, v in obj.items() if k not in body)
        return Entry(orjson.dumps(body), rv, (namespace, meta["name"]))

    def put(self, rtype: ResourceType, obj: dict, *, mode: str = "apply", expect_rv: str | None = None) -> Entry:
        """Write an object. mode: "create" (409 if it exists), "update" (404 if missing), "apply" (either).

        `expect_rv`, when given, must equal the stored resourceVersion (optimistic concurrency, 409).
        """
        meta = obj.get("metadata") or {}
        name = meta.get("name")
        if not name:
            raise status.name_required(rtype)
        namespace = (meta.get("namespace") or "default") if rtype.namespaced else ""
        with self.lock:
            coll = self.collection(rtype)
            key = (namespace, name)
            old = coll.entries.get(key)
            if old is not None and mode == "create":
                raise status.already_exists(rtype, name)
            if old is None and mode == "update":
                raise status.not_found(rtype, name)
            if old is not None and expect_rv and expect_rv != str(old.rv):
                raise status.conflict(rtype, name)
            self.rv += 1
            entry = self._prepare(rtype, obj, namespace, old, self.rv)
            coll.entries[key] = entry
            if old is None and coll.sorted_keys is not None:
                bisect.insort(coll.sorted_keys, key)
            coll.record(Change(self.rv, "MODIFIED" if old else "ADDED", entry, old))
            return entry

    def delete(self, rtype: ResourceType, namespace: str, name: str) -> Entry:
        """Remove an object; the DELETED event carries it with a new resourceVersion."""
        with self.lock:
            coll = self.collection(rtype)
            key = (namespace if rtype.namespaced else "", name)
            old = coll.entries.pop(key, None)
            if old is None:
                raise status.not_found(rtype, name)
            if coll.sorted_keys is not None:
                coll.sorted_keys.pop(bisect.bisect_left(coll.sorted_keys, key))
            self.rv += 1
            final = dict(old.obj)
            final["metadata"] = {**old.obj["metadata"], "resourceVersion": str(self.rv)}
            entry = Entry(orjson.dumps(final), self.rv, key, final)
            coll.record(Change(self.rv, "DELETED", entry, old))
            return entry

    def compact(self) -> None:
        """Drop all watch history, as an apiserver restart does: resuming from an older RV gets 410."""
        with self.lock:
            for coll in self._collections.values():
                coll.history.clear()
                coll.floor = self.rv
            self._snapshots.clear()

    # ---- watches --------------------------------------------------------------------------------
    def subscribe(
        self, rtype: ResourceType, namespace: str | None, resource_version: str | None, loop: asyncio.AbstractEventLoop
    ) -> tuple[builtins.list[Change], Subscription, int]:
        """Start a watch: the changes to replay first, the live inbox, and the starting resourceVersion.

        No resourceVersion (or "0") replays the current objects as synthetic ADDED events.
        """
        with self.lock:
            coll = self.collection(rtype)
            if resource_version in (None, "", "0"):
                keys = coll.keys()
                if namespace is not None:
                    lo = bisect.bisect_left(keys, (namespace, ""))
                    keys = keys[lo : bisect.bisect_left(keys, (namespace + "\x00", ""), lo=lo)]
                initial = [Change(self.rv, "ADDED", coll.entries[k], None) for k in keys]
            else:
                try:
                    rv = int(resource_version)
                except ValueError:
                    raise status.bad_request(f'invalid resource version "{resource_version}"') from None
                if rv < coll.floor:
                    raise status.expired(f"too old resource version: {rv} ({coll.floor})")
                initial = [c for c in coll.since(rv) if namespace is None or c.entry.key[0] == namespace]
            sub = Subscription(loop, namespace, rtype.plural)
            coll.subscriptions.add(sub)
            return initial, sub, self.rv

    def unsubscribe(self, rtype: ResourceType, sub: Subscription) -> None:
        with self.lock:
            self.collection(rtype).subscriptions.discard(sub)

    def subscriptions(self) -> builtins.list[Subscription]:
        with self.lock:
            return [s for c in self._collections.values() for s in c.subscriptions]
