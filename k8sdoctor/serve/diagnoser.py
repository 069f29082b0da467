"""The cluster, kept diagnosed: a reflector per kind (the informer's list+watch), one thread that applies
their deltas to a ClusterView and re-diagnoses, and an immutable `State` the metrics endpoint reads.

Pods are re-diagnosed incrementally (the ClusterView's dirty set, as in the TUI); the other kinds a
playbook diagnoses (Deployments, Services, claims, nodes...) are diagnosed whole on each pass, which
runs at most every `interval` seconds and only when something changed (or a resync is due, so ages in
findings move on). Log tails the diagnoses read are fetched in the background (`model.log_tails`).
Secrets and ConfigMaps are watched as metadata only: no value is ever read.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone

from k8sdoctor.cluster.live.client import KubeClient, MetadataOnly
from k8sdoctor.cluster.live.informer import Reflector, ResourceSpec, SourceState, compact_pod
from k8sdoctor.cluster.view import ClusterView
from k8sdoctor.core.engine import Engine
from k8sdoctor.core.evidence_plan import logs_to_fetch
from k8sdoctor.core.findings import Diagnosis
from k8sdoctor.core.kube.kinds import KINDS, SUBJECTS, KindInfo
from k8sdoctor.core.kube.slim import SharedStrings
from k8sdoctor.model.feed import Logs, Related
from k8sdoctor.model.log_tails import LogTails

log = logging.getLogger("k8sdoctor.serve")

#: Watched as metadata only (PartialObjectMetadata): their names matter, their values never.
NAMES_ONLY = ("Secret", "ConfigMap")
#: Without these a diagnosis is not worth serving: readiness waits for their first list.
ESSENTIAL = ("Pod", "Event")
RESYNC_EVERY = 60.0  # seconds: every pod is re-diagnosed at least this often


@dataclass(frozen=True, slots=True)
class Series:
    """One line of k8sdoctor_findings: pods of a known workload are counted under the workload."""

    namespace: str
    kind: str
    name: str
    category: str
    cause: str
    severity: str


@dataclass(frozen=True)
class Subject:
    """What a finding is reported on (the workload for its pods), with the one-line cause for events."""

    kind: str
    namespace: str
    name: str
    signature: tuple  # (category, cause, severity) of every problem finding
    message: str
    severity: str
    complete: bool = True  # False while a diagnosis still waits for evidence (log tails being fetched)


@dataclass(frozen=True)
class State:
    """Everything /metrics shows, swapped whole after each pass (readers never see half a pass)."""

    series: dict[Series, int] = field(default_factory=dict)
    objects: dict[str, int] = field(default_factory=dict)
    watches: dict[str, str] = field(default_factory=dict)  # kind -> syncing, ready, forbidden, disconnected
    relists: dict[str, int] = field(default_factory=dict)
    last_pass: float = 0.0  # wall-clock time of the last diagnosis pass
    dropped: int = 0  # series left out past the cardinality cap


def subject_of(d: Diagnosis) -> tuple[str, str, str]:
    """(kind, namespace, name) a diagnosis is reported on: a pod's workload when it has one."""
    if d.kind == "Pod" and d.owner and d.owner.get("kind") and d.owner.get("name"):
        return (d.owner["kind"], d.namespace, d.owner["name"])
    return (d.kind, d.namespace, d.name)


def aggregate(diagnoses: list[Diagnosis], max_series: int) -> tuple[dict[Series, int], dict[tuple[str, str, str], Subject], int]:
    """Findings as metric series (value: how many objects have it) and as subjects for events."""
    series: Counter[Series] = Counter()
    subjects: dict[tuple[str, str, str], list] = {}
    incomplete: set[tuple[str, str, str]] = set()
    for d in diagnoses:
        kind, namespace, name = subject_of(d)
        if d.wants:
            incomplete.add((kind, namespace, name))
        seen: set[Series] = set()
        for f in d.findings:
            s = Series(namespace, kind, name, f.category, f.cause, f.severity)
            if s not in seen:
                seen.add(s)
                series[s] += 1
            if f.is_problem:
                subjects.setdefault((kind, namespace, name), []).append(f)
    kept = dict(
        sorted(series.items(), key=lambda kv: (kv[0].severity != "critical", kv[0].severity != "warning", kv[0].namespace, kv[0].name))[
            :max_series
        ]
    )
    out: dict[tuple[str, str, str], Subject] = {}
    for ref, findings in subjects.items():
        top = findings[0]
        signature = tuple(sorted({(f.category, f.cause, f.severity) for f in findings}))
        more = f" (+{len(signature) - 1} more)" if len(signature) > 1 else ""
        out[ref] = Subject(*ref, signature, f"{top.category}/{top.cause}: {top.summary}{more}", top.severity, ref not in incomplete)
    return kept, out, len(series) - len(kept)


class ClusterDiagnoser(threading.Thread):
    """Watches the cluster (a namespace, or all) and keeps `state` current; `on_pass(subjects)` hears
    the problem subjects after each pass (the event emitter)."""

    def __init__(
        self,
        client: KubeClient,
        engine: Engine,
        namespace: str | None,
        *,
        interval: float = 2.0,
        max_series: int = 10_000,
        on_pass: Callable[[dict[tuple[str, str, str], Subject]], None] | None = None,
        on_duration: Callable[[float], None] | None = None,
        on_tick: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(name="k8sdoctor-diagnoser", daemon=True)
        self.client = client
        self.engine = engine
        self.namespace = namespace
        self.interval = interval
        self.max_series = max_series
        self.on_pass = on_pass or (lambda _s: None)
        self.on_duration = on_duration or (lambda _d: None)
        self.on_tick = on_tick or (lambda: None)  # about once a second, changes or not (held-back events)
        self.deltas: queue.Queue = queue.Queue()
        self.view = ClusterView(engine)
        self.view.inventory.derived_max_age = 5.0
        self.state = State()
        self.passes = 0
        self.heartbeat = time.monotonic()
        self.errors: Counter[tuple[str, str]] = Counter()  # (kind, state) transitions to trouble
        self._halt = threading.Event()
        self._reflectors: list[Reflector] = []
        self._tails: LogTails | None = None
        self._states: dict[str, SourceState] = {}
        self._answered: set[str] = set()  # kinds whose watch reported something besides "syncing"

    # ---- lifecycle ---------------------------------------------------------------------------------
    def _spec(self, info: KindInfo) -> ResourceSpec:
        return ResourceSpec(info.kind, info.plural, info.api_root.lstrip("/"), info.namespaced)

    def start(self) -> None:
        strings = SharedStrings()
        transforms: dict[str, Callable[[dict], dict]] = {"Pod": lambda pod: compact_pod(pod, strings), "Event": strings.share}
        for info in KINDS:
            client = MetadataOnly(self.client) if info.kind in NAMES_ONLY else self.client
            r = Reflector(client, self._spec(info), self.namespace, self.deltas.put, transform=transforms.get(info.kind))  # type: ignore[arg-type]
            self._reflectors.append(r)
        self._tails = LogTails(self.client, self.deltas.put)
        for r in self._reflectors:
            r.start()
        super().start()

    def stop(self) -> None:
        self._halt.set()
        if self._tails is not None:
            self._tails.stop()
        for r in self._reflectors:
            r.stop()

    # ---- health ------------------------------------------------------------------------------------
    def ready(self) -> tuple[bool, str]:
        """Ready once pods and events are listed, every other watch has answered once, and one pass ran."""
        waiting = [k for k in ESSENTIAL if self._states.get(k, SourceState(k, "syncing")).state != "ready" and k not in self.view.synced]
        if waiting:
            return False, f"waiting for the first list of {', '.join(waiting)}"
        silent = [r.spec.kind for r in self._reflectors if r.spec.kind not in self._answered]
        if silent:
            return False, f"waiting for {len(silent)} watches to answer"
        if not self.passes:
            return False, "waiting for the first diagnosis"
        return True, "ok"

    def healthy(self, stale_after: float = 60.0) -> tuple[bool, str]:
        """Alive: the diagnosis thread runs and has looped recently."""
        if not self.is_alive():
            return False, "the diagnosis thread stopped"
        age = time.monotonic() - self.heartbeat
        return (age < stale_after, "ok" if age < stale_after else f"no diagnosis loop for {age:.0f}s")

    # ---- the loop ----------------------------------------------------------------------------------
    def run(self) -> None:
        last_pass = last_tick = 0.0
        last_resync = time.monotonic()
        changed = False
        while not self._halt.is_set():
            self.heartbeat = time.monotonic()
            changed |= self._drain(timeout=0.25)
            now = time.monotonic()
            if now - last_resync >= RESYNC_EVERY:
                self.view.dirty |= set(self.view.inventory.pods)
                last_resync, changed = now, True
            if self.passes and now - last_tick >= 1.0:
                last_tick = now
                try:
                    self.on_tick()
                except Exception:
                    log.exception("tick failed")
            # the first pass waits for every watch's first answer, so workloads are known when pods are reported
            first_ready = self.passes or len(self._answered) == len(self._reflectors)
            if changed and first_ready and now - last_pass >= self.interval and self.view.synced >= set(ESSENTIAL):
                try:
                    self._pass()
                except Exception:
                    log.exception("diagnosis pass failed")
                last_pass, changed = time.monotonic(), False

    def _drain(self, timeout: float) -> bool:
        try:
            delta = self.deltas.get(timeout=timeout)
        except queue.Empty:
            return False
        changed = False
        while True:
            changed |= self._apply(delta)
            try:
                delta = self.deltas.get_nowait()
            except queue.Empty:
                return changed

    def _apply(self, delta) -> bool:
        if isinstance(delta, Logs):
            self.view.inventory.put_logs(delta.namespace, delta.pod, delta.container, delta.previous, delta.lines)
            if (delta.namespace, delta.pod) in self.view.inventory.pods:
                self.view.dirty.add((delta.namespace, delta.pod))
            return True
        if isinstance(delta, Related):
            self.view.inventory.merge(delta.inventory)
            return True
        if isinstance(delta, SourceState):
            previous = self._states.get(delta.kind)
            if delta.state in ("forbidden", "disconnected") and (previous is None or previous.state != delta.state):
                self.errors[(delta.kind, delta.state)] += 1
                log.warning("watch of %s: %s %s", delta.kind, delta.state, delta.message)
            self._states[delta.kind] = delta
            if delta.state != "syncing":
                self._answered.add(delta.kind)
        self.view.apply(delta)
        return not isinstance(delta, SourceState)

    def _pass(self) -> None:
        started = time.perf_counter()
        now = datetime.now(timezone.utc)
        flushed = self.view.flush(now)
        inv = self.view.inventory
        diagnoses = [row.diagnosis for row in self.view.rows.values()]
        for kind in SUBJECTS:
            if kind != "Pod":
                diagnoses += self.engine.diagnose_kind(inv, kind, now, self.namespace)
        series, subjects, dropped = aggregate(diagnoses, self.max_series)
        objects = Counter(d.kind for d in diagnoses)
        self.state = State(
            series=series,
            objects=dict(objects),
            watches={k: s.state for k, s in self._states.items()},
            relists={r.spec.kind: r.relists for r in self._reflectors},
            last_pass=time.time(),
            dropped=dropped,
        )
        self.passes += 1
        self.on_duration(time.perf_counter() - started)
        self._want_logs([r.diagnosis for r in flushed.changed if r.problem])
        self.on_pass(subjects)

    def _want_logs(self, diagnoses: list[Diagnosis]) -> None:
        """Ask for the log tails the problem pods' diagnoses read (fetched once per container run)."""
        tails = self._tails
        if tails is None:
            return
        pods = self.view.inventory.pods
        for d in diagnoses:
            pod = pods.get((d.namespace, d.name))
            if pod is None:
                continue
            restarts = {
                cs.get("name"): cs.get("restartCount") or 0
                for cs in (pod.get("status") or {}).get("containerStatuses") or ()
                if isinstance(cs, dict)
            }
            wanted = {(req.container, req.previous) for req in logs_to_fetch(pod)}
            for kind, _ns, target in d.wants:
                if kind == "logs" and target.count("/") == 2:
                    _pod, container, run = target.split("/")
                    wanted.add((container, run == "previous"))
            for container, previous in wanted:
                tails.want((d.namespace, d.name, container, previous), restarts.get(container, 0))
