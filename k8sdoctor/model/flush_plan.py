"""Which dirty pods one flush re-diagnoses, so a big list fills the table at once and diagnoses follow.

Plainly healthy pods (Running, every container ready, never restarted) cost microseconds and are always
flushed. The others ("suspects") can cost milliseconds each, with analyzers that look across the
cluster; they are diagnosed in time-boxed chunks (the selected pod first), and only once the event list
has arrived (or `EVIDENCE_WAIT` has passed), since events change most diagnoses and diagnosing before
them would mean diagnosing twice. Until then a suspect is shown with a provisional row: kubectl's
columns, and "diagnosing…".
"""

from __future__ import annotations

import time
from datetime import datetime
from itertools import islice

from k8sdoctor.cluster.view import ClusterView, Flush, PodRow, row_for
from k8sdoctor.core.engine import is_plainly_healthy
from k8sdoctor.core.findings import Diagnosis
from k8sdoctor.core.inventory import Key
from k8sdoctor.core.kube.podstatus import summarize

BUDGET_INTERACTIVE = 0.05  # seconds of suspect diagnoses per flush while the user types: the UI needs the GIL
BUDGET_IDLE = 0.3  # ...and while nobody does
EVIDENCE_WAIT = 1.5  # seconds to wait for the event list before diagnosing without it
FILL_FIRST = 200  # more new suspects than this in one flush: rows for all of them first, diagnoses next


def provisional_row(pod: dict, now: datetime) -> PodRow:
    meta, status = pod.get("metadata") or {}, pod.get("status") or {}
    summary = summarize(pod)
    diagnosis = Diagnosis(meta.get("namespace") or "", meta.get("name") or "", status.get("phase") or "", summary.status)
    return row_for(pod, diagnosis, now, summary)


class FlushPlan:
    """One per feed generation (scope)."""

    def __init__(self, complete: bool) -> None:
        self.complete = complete  # a snapshot: every piece of evidence is there from the start
        self.started = time.monotonic()
        self.cost = 0.01  # seconds per suspect, learned from each flush
        self.provisional: set[Key] = set()

    def evidence_ready(self, view: ClusterView) -> bool:
        if self.complete or "Event" in view.synced or time.monotonic() - self.started >= EVIDENCE_WAIT:
            return True
        events = view.status.per_kind.get("Event")
        return events is not None and events.state in ("forbidden", "disconnected")

    def flush(self, view: ClusterView, now: datetime, selected: Key | None, budget: float) -> tuple[Flush, list[PodRow]]:
        """Flush part of the dirty set (about `budget` seconds of suspects); return the flush and new
        provisional rows."""
        pods, dirty = view.inventory.pods, view.dirty
        take: set[Key] = set()
        suspects: list[Key] = []
        for key in dirty:
            pod = pods.get(key)
            if pod is None or is_plainly_healthy(pod):
                take.add(key)
            else:
                suspects.append(key)
        # A list just arrived (many pods without a row): fill the table first, with provisional rows for the
        # suspects, and diagnose them from the next flush on (the first diagnoses also build the
        # cluster-wide indexes, a second or more on a large cluster).
        filling = sum(1 for k in suspects if k not in view.rows and k not in self.provisional) > FILL_FIRST
        if suspects and self.evidence_ready(view):
            if selected in dirty and selected not in take:
                suspects.remove(selected)
                suspects.insert(0, selected)
            take.update(islice(suspects, 1 if filling else max(1, int(budget / self.cost))))
        started = time.perf_counter()
        flushed = view.flush(now, only=take)
        diagnosed = len(take) - sum(1 for k in take if k in pods and is_plainly_healthy(pods[k]))
        if diagnosed:
            self.cost = 0.5 * self.cost + 0.5 * max(1e-5, (time.perf_counter() - started) / diagnosed)
        self.provisional -= take
        provisional = [provisional_row(pods[k], now) for k in view.dirty if k not in view.rows and k not in self.provisional and k in pods]
        self.provisional.update(row.key for row in provisional)
        return flushed, provisional
