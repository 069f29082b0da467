"""Log tails of crashing containers, fetched in the background with a bound on the work.

The feed thread asks (`want`) for the containers whose logs may name a crash cause
(`core.evidence_plan.logs_to_fetch`); two worker threads fetch them and hand the lines back through the
feed's sink, so the pod is re-diagnosed with them. A container is fetched again only after it restarted.
At most `MAX_PENDING` requests wait; the rest are asked for again when their pod next changes.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

from k8sdoctor.cluster.live.client import Forbidden, KubeClient
from k8sdoctor.cluster.live.fetch import read_log_tail
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.errors import ClusterError
from k8sdoctor.model.feed import Logs, Related

log = logging.getLogger("k8sdoctor.tui.logs")

MAX_PENDING = 64
WORKERS = 2

LogTarget = tuple[str, str, str, bool]  # namespace, pod, container, previous


class LogTails:
    def __init__(self, client: KubeClient, sink: Callable[[object], None], workers: int = WORKERS) -> None:
        self.client = client
        self.sink = sink
        self._pending: queue.Queue[LogTarget] = queue.Queue(maxsize=MAX_PENDING)
        self._asked: dict[LogTarget, int] = {}  # target -> restart count when asked (feed thread only)
        self._forbidden = threading.Event()
        self._stopped = threading.Event()
        self._threads = [threading.Thread(target=self._work, name=f"k8sdoctor-logs-{i}", daemon=True) for i in range(workers)]
        for t in self._threads:
            t.start()

    def want(self, target: LogTarget, restarts: int) -> None:
        """Ask for a tail (feed thread). Ignored when already asked at this restart count."""
        if self._forbidden.is_set() or self._asked.get(target) == restarts:
            return
        try:
            self._pending.put_nowait(target)
        except queue.Full:
            return
        self._asked[target] = restarts

    def stop(self) -> None:
        self._stopped.set()

    def _work(self) -> None:
        while not self._stopped.is_set():
            try:
                target = self._pending.get(timeout=0.5)
            except queue.Empty:
                continue
            if self._forbidden.is_set():
                continue
            namespace, pod, container, previous = target
            try:
                lines = read_log_tail(self.client, namespace, pod, container, previous)
            except Forbidden as exc:
                self._forbidden.set()
                note = Inventory()
                note.mark_unreadable("pods/log", namespace, f"forbidden: {exc}")
                self.sink(Related((namespace, pod), note))
                continue
            except ClusterError as exc:  # no logs yet (400), pod gone (404), server away: nothing to add
                log.debug("log tail %s: %s", target, exc)
                continue
            if not self._stopped.is_set():
                self.sink(Logs(namespace, pod, container, previous, lines))
