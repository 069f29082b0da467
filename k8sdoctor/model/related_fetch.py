"""Objects around a pod that the watches do not carry, fetched on demand and merged into the view.

* The selected pod gets the same one-pod fetch as `k8sdoctor diagnose pod` (PVCs, Secret and ConfigMap
  names, ReplicaSets, log tails), so its diagnosis in the TUI is as complete as on the command line;
  again at most every `REFETCH_AFTER` seconds. Pods, events and nodes are not read again: the watches
  keep them.
* Objects a finding asks for (`Finding.wants`, e.g. a Secret's key names for a missing key) are read for
  any pod, once each.

One worker. The newest request goes first (scrolling through ten pods fetches the last one first); at
most `MAX_PENDING` wait, the oldest are dropped and asked for again when their pod next changes.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from k8sdoctor.cluster.live.client import KubeClient
from k8sdoctor.core.inventory import Inventory, Key
from k8sdoctor.errors import UserError
from k8sdoctor.model.feed import Related

log = logging.getLogger("k8sdoctor.tui.related")

REFETCH_AFTER = 30.0
MAX_PENDING = 64
WATCHED = frozenset({"Pod", "Event", "Node"})  # the view's watches keep these; a fetch need not read them

Want = tuple[str, str, str]  # kind, namespace, name


class RelatedFetcher:
    def __init__(self, client: KubeClient, sink: Callable[[object], None]) -> None:
        self.client = client
        self.sink = sink
        self._pending: dict[Key, tuple[bool, frozenset[Want]]] = {}  # key -> (whole pod, objects wanted)
        self._fetched_at: dict[Key, float] = {}
        self._got: set[Want] = set()
        self._wake = threading.Condition()
        self._stopped = False
        self._thread = threading.Thread(target=self._work, name="k8sdoctor-related", daemon=True)
        self._thread.start()

    def want(self, key: Key, wants: frozenset[Want] = frozenset(), *, whole: bool = False) -> None:
        """Ask for the pod's surroundings (`whole`) and/or these objects."""
        with self._wake:
            when = self._fetched_at.get(key)
            whole = whole and (when is None or time.monotonic() - when >= REFETCH_AFTER)
            wants = wants - self._got
            if not whole and not wants:
                return
            queued_whole, queued_wants = self._pending.pop(key, (False, frozenset()))
            self._pending[key] = (whole or queued_whole, wants | queued_wants)
            while len(self._pending) > MAX_PENDING:
                del self._pending[next(iter(self._pending))]
            self._wake.notify()

    def stop(self) -> None:
        with self._wake:
            self._stopped = True
            self._wake.notify()

    def _work(self) -> None:
        from k8sdoctor.cluster.live.fetch import LiveFetcher

        fetcher = LiveFetcher(self.client)
        while True:
            with self._wake:
                while not self._pending and not self._stopped:
                    self._wake.wait()
                if self._stopped:
                    return
                key, (whole, wants) = self._pending.popitem()  # the newest
                if whole:
                    self._fetched_at[key] = time.monotonic()
                self._got |= wants
            try:
                inventory = fetcher.pod(*key, watched=WATCHED) if whole else Inventory()
                if wants:
                    fetcher.complete(inventory, set(wants))
            except UserError as exc:  # the pod went away, or the server did: the watches will say so
                log.debug("objects around %s: %s", key, exc)
                continue
            self.sink(Related(key, inventory))
