"""The feed thread: the only thread that touches the ClusterView.

Informer threads (or a snapshot) `put` deltas into a queue. The feed thread drains it, applies the
deltas (cheap: it only marks pods dirty), and at most every `FLUSH_INTERVAL` re-diagnoses dirty pods
(`FlushPlan` decides which: all the cheap ones, a time-boxed slice of the others) and publishes one
immutable `Batch` to the UI. It publishes the next batch only after the UI has acknowledged the
previous one (`ack`), so a slow UI never builds a backlog: changes made meanwhile coalesce into the
next flush, and the delta queue keeps draining. While the user types or clicks, the slices are small
and spaced out, so the UI thread gets the interpreter lock when it needs it.

Every scope (namespace, context) is a new *generation*: `reset` starts one and returns the sink for
it, and deltas still in flight from an older generation are dropped.
"""

from __future__ import annotations

import gc
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from k8sdoctor.cluster.live.informer import Replace
from k8sdoctor.cluster.view import ClusterView, PodRow
from k8sdoctor.core.engine import Engine
from k8sdoctor.core.facts import build_pod_facts
from k8sdoctor.core.inventory import Inventory, Key
from k8sdoctor.model.batch import Batch, Health, PodDetail
from k8sdoctor.model.events import EventLog
from k8sdoctor.model.flush_plan import BUDGET_IDLE, BUDGET_INTERACTIVE, FlushPlan
from k8sdoctor.model.pod_inventory import pod_inventory

log = logging.getLogger("k8sdoctor.tui.feed")

FLUSH_INTERVAL = 0.1  # at most ten batches a second
DRAIN_LIMIT = 5000  # deltas applied before checking whether a batch is due
EVENTS_INTERVAL = 0.5  # the events view refreshes at most twice a second
REFRESH_EVERY = 30.0  # re-diagnose problem pods so "(3m ago)" and "(x5 over 3m)" stay true
DERIVED_MAX_AGE = 5.0  # cluster-wide indexes (images on nodes, capacity) may lag this much: O(pod) per event
INTERACTIVE = 1.0  # seconds after the last key or click during which the feed yields to the UI
# Full collections of the cyclic garbage collector wait for this many middle-generation ones (Python's
# default is 10). A view's objects are acyclic and get replaced, not leaked: under 2,000 pod events a
# second the default ran 16 full collections in 10 s, 3.2 s of pauses of up to 0.3 s; this runs two.
FULL_COLLECTION_EVERY = 100
FREEZE_AFTER = 1000  # rows published in one batch
_RESOURCE = {"Event": "events", "Node": "nodes"}


@dataclass(frozen=True)
class Logs:
    """A container's log tail, fetched in the background."""

    namespace: str
    pod: str
    container: str
    previous: bool
    lines: list[str]


@dataclass(frozen=True)
class Related:
    """Objects fetched around one pod (PVCs, Secret names, ReplicaSets, logs) to merge into the view."""

    key: Key
    inventory: Inventory


@dataclass(frozen=True)
class _Reset:
    generation: int
    inventory: Inventory | None


@dataclass(frozen=True)
class _Select:
    key: Key | None


@dataclass(frozen=True)
class _WantEvents:
    on: bool


@dataclass(frozen=True)
class _Rediagnose:
    key: Key


_ACK = object()
_WAKE = object()


class FeedListener(Protocol):
    """A source that wants to know what the view shows (to fetch log tails, related objects).
    Both methods run on the feed thread and must not block."""

    def on_rows(self, view: ClusterView, rows: list[PodRow]) -> None: ...

    def on_select(self, view: ClusterView, key: Key) -> None: ...


class ViewFeed:
    def __init__(
        self,
        engine: Engine,
        publish: Callable[[Batch], None],
        *,
        clock: Callable[[], datetime],
    ) -> None:
        self.engine = engine
        self.publish = publish
        self.clock = clock
        self.listener: FeedListener | None = None
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._generation = 0
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="k8sdoctor-feed", daemon=True)
        # feed-thread state
        self._view = ClusterView(engine)
        self._plan = FlushPlan(complete=False)
        self._view_generation = 0
        self._ui_ready = True
        self._selected: Key | None = None
        self._select_pending = False
        self._events = EventLog()
        self._events_wanted = False
        self._events_version = -1
        self._next_events = 0.0
        self._health = Health()
        self._published_health: Health | None = None
        self._was_ready = False
        self._next_refresh = 0.0
        self._reset_pending = False
        self._idle = False
        self._input_at = 0.0

    # ---- any thread ------------------------------------------------------------------------------
    def start(self) -> None:
        young, middle, _full = gc.get_threshold()
        gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)
        self._next_refresh = time.monotonic() + REFRESH_EVERY
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._queue.put(_WAKE)
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout=2)

    def reset(self, inventory: Inventory | None = None) -> Callable[[object], None]:
        """Start a new generation with an empty view (live) or over `inventory` (snapshot); return the
        sink that feeds it."""
        with self._lock:
            self._generation += 1
            generation = self._generation
        self._queue.put(_Reset(generation, inventory))
        return lambda item: self._queue.put((generation, item))

    @property
    def generation(self) -> int:
        return self._generation

    def select(self, key: Key | None) -> None:
        self._queue.put(_Select(key))

    def want_events(self, on: bool) -> None:
        self._queue.put(_WantEvents(on))

    def rediagnose(self, key: Key) -> None:
        """Diagnose this pod again now, with what is around it fetched again (after an action changed it)."""
        self._queue.put(_Rediagnose(key))

    def ack(self) -> None:
        """The UI has applied the last batch; the next one may come."""
        self._queue.put(_ACK)

    def user_input(self) -> None:
        """A key or a click: for a moment, diagnose in small slices with pauses, so the UI thread
        gets the interpreter when it needs it."""
        self._input_at = time.monotonic()

    @property
    def backlog(self) -> int:
        """Items waiting in the queue (deltas and commands)."""
        return self._queue.qsize()

    @property
    def idle(self) -> bool:
        """Nothing queued, nothing left to publish, and the last batch acknowledged (tests, benchmarks)."""
        return self._queue.empty() and self._idle

    # ---- feed thread -----------------------------------------------------------------------------
    def _run(self) -> None:
        next_flush = 0.0
        while not self._stopped.is_set():
            due = self._ui_ready and self._has_work()
            timeout = max(0.0, next_flush - time.monotonic()) if due else 0.5
            try:
                items = [self._queue.get(timeout=timeout)]
            except queue.Empty:
                items = []
            while len(items) < DRAIN_LIMIT:
                try:
                    items.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                for item in items:
                    self._handle(item)
                now = time.monotonic()
                if now >= self._next_refresh:
                    self._next_refresh = now + REFRESH_EVERY
                    self._view.dirty.update(k for k, r in self._view.rows.items() if r.problem or r.restart_count)
                if self._ui_ready and now >= next_flush and self._has_work():
                    interactive = now - self._input_at < INTERACTIVE
                    self._publish_batch(BUDGET_INTERACTIVE if interactive else BUDGET_IDLE)
                    more = self._view.dirty and self._plan.evidence_ready(self._view)
                    next_flush = time.monotonic() + (0.0 if more and not interactive else FLUSH_INTERVAL)
                self._idle = self._ui_ready and not self._has_work()
            except Exception:
                log.exception("feed step failed")

    def _handle(self, item: object) -> None:
        if item is _ACK:
            self._ui_ready = True
        elif item is _WAKE:
            return
        elif isinstance(item, tuple):
            generation, delta = item
            if generation == self._view_generation:
                self._apply(delta)
        elif isinstance(item, _Select):
            self._selected, self._select_pending = item.key, item.key is not None
            if item.key is not None and self.listener is not None:
                self.listener.on_select(self._view, item.key)
        elif isinstance(item, _WantEvents):
            self._events_wanted, self._events_version = item.on, -1
        elif isinstance(item, _Rediagnose):
            if item.key in self._view.inventory.pods:
                self._view.dirty.add(item.key)
                self._select_pending = self._select_pending or item.key == self._selected
                if self.listener is not None:
                    self.listener.on_select(self._view, item.key)
        elif isinstance(item, _Reset):
            self._view = ClusterView(self.engine, item.inventory)
            self._view.inventory.derived_max_age = DERIVED_MAX_AGE
            self._plan = FlushPlan(complete=item.inventory is not None)
            self._view_generation = item.generation
            self._events = EventLog()
            self._events_version = -1
            self._was_ready = False
            self._health = Health(state="syncing")
            self._reset_pending = True

    def _apply(self, delta: object) -> None:
        view = self._view
        if isinstance(delta, Logs):
            view.inventory.put_logs(delta.namespace, delta.pod, delta.container, delta.previous, delta.lines)
            if (delta.namespace, delta.pod) in view.inventory.pods:
                view.dirty.add((delta.namespace, delta.pod))
        elif isinstance(delta, Related):
            self._merge(delta)
        else:
            view.apply(delta)  # type: ignore[arg-type]
            if isinstance(delta, Replace):
                # A full list: tens of thousands of acyclic objects that live on. Take them out of the
                # cyclic collector's sight, or every full collection walks them all (half-second pauses
                # on the UI at 10,000 pods). Reference counting still frees them.
                gc.freeze()
        self._health = self._compute_health()

    def _merge(self, related: Related) -> None:
        """Take what a one-pod fetch found beyond pods and events (which the watches keep)."""
        inv = self._view.inventory
        inv.merge(related.inventory, skip=("Node",))  # nodes are watched
        if related.key in inv.pods:
            self._view.dirty.add(related.key)

    def _compute_health(self) -> Health:
        view = self._view
        status = view.status
        state = view.state
        if state in ("ready", "empty"):
            self._was_ready = True
        stale = None
        if state not in ("ready", "empty") and self._was_ready and view.rows:
            stale = self._health.stale_since or self.clock()
        notes = tuple(
            f"cannot read {_RESOURCE.get(kind, kind.lower())}: {s.message}"
            for kind, s in sorted(status.per_kind.items())
            if kind != "Pod" and s.state == "forbidden"
        )
        return Health(state=state, message=status.message, retry_at=status.retry_at, stale_since=stale, notes=notes)

    def _has_work(self) -> bool:
        v = self._view
        return bool(
            (v.dirty and (self._plan.evidence_ready(v) or any(k not in v.rows and k not in self._plan.provisional for k in v.dirty)))
            or v.removed
            or self._select_pending
            or self._reset_pending
            or self._health != self._published_health
            or (self._events_wanted and v.events_version != self._events_version and time.monotonic() >= self._next_events)
        )

    def _publish_batch(self, budget: float) -> None:
        view = self._view
        now = self.clock()
        flushed, provisional = self._plan.flush(view, now, self._selected, budget)
        if len(flushed.changed) + len(provisional) > FREEZE_AFTER:
            # Rows and diagnoses that live on, acyclic: out of the collector's sight, as after a list, so
            # full collections do not walk tens of thousands of them while the user types.
            gc.freeze()
        if flushed.changed and self.listener is not None:
            self.listener.on_rows(view, flushed.changed)
        detail = None
        selected = self._selected
        if selected is not None and (self._select_pending or any(r.key == selected for r in flushed.changed)):
            detail = self._detail(selected, now)
        self._select_pending = False
        events = None
        tick = time.monotonic()
        if self._events_wanted and view.events_version != self._events_version and tick >= self._next_events:
            events = self._events.rows(view.inventory)
            self._events_version = view.events_version
            self._next_events = tick + EVENTS_INTERVAL
        self._reset_pending = False
        self._published_health = self._health
        self._ui_ready = False
        self.publish(
            Batch(
                generation=self._view_generation,
                changed=flushed.changed,
                removed=flushed.removed,
                health=self._health,
                pod_count=len(view.inventory.pods),
                detail=detail,
                events=events,
                provisional=provisional,
            )
        )

    def _detail(self, key: Key, now: datetime) -> PodDetail | None:
        view = self._view
        pod, row = view.inventory.pods.get(key), view.rows.get(key)
        if pod is None or row is None:
            return None
        events = view.status.per_kind.get("Event")
        unread = (events.message or "forbidden") if events is not None and events.state == "forbidden" else ""
        return PodDetail(
            row=row,
            facts=build_pod_facts(view.inventory, pod, now),
            inventory=pod_inventory(view.inventory, pod),
            events_unread=unread,
        )
