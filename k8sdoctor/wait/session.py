"""Watch objects until they are done, failed, or out of time: list+watch through the informer's
reflectors (one per kind), never polling.

Each time the watches deliver changes, every object still open is judged: `readiness.progress` says
whether it is done or finally failed (as kubectl would); otherwise the engine diagnoses it and its
current pods, and a finding whose cause waiting cannot resolve (`never_resolves`) fails it at once.
The evidence a diagnosis reads beyond the watched kinds (nodes, claims, quotas, Secret names...) is
read once at the start, and again for the final report.
"""

from __future__ import annotations

import contextlib
import queue
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone

from k8sdoctor.cluster.live.client import KubeClient
from k8sdoctor.cluster.live.fetch import LiveFetcher
from k8sdoctor.cluster.live.fetch_kinds import kinds_into
from k8sdoctor.cluster.live.informer import Reflector, Replace, ResourceSpec, SourceState
from k8sdoctor.cluster.view import ClusterView
from k8sdoctor.core.engine import Engine, is_plainly_healthy
from k8sdoctor.core.evidence_plan import logs_to_fetch
from k8sdoctor.core.findings import Diagnosis
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.core.kube.kinds import BY_KIND
from k8sdoctor.core.kube.podstatus import pod_display_status
from k8sdoctor.core.kube.raw import as_str, dig
from k8sdoctor.core.kube.selectors import parse_label_selector
from k8sdoctor.core.relations import REVISION_ANNOTATION, owned_pods
from k8sdoctor.errors import ClusterError, NotFoundError, UserError
from k8sdoctor.wait.never_resolves import never_resolves
from k8sdoctor.wait.readiness import Progress, progress

#: Results of one object. STOPPED: still open when another object failed (wait fails fast).
HEALTHY, FAILED, TIMED_OUT, STOPPED = "healthy", "failed", "timed-out", "stopped"
#: Re-judge at least this often even when nothing changes, so ages in findings move on.
REJUDGE_EVERY = 5.0


@dataclass(frozen=True)
class WaitTarget:
    """What to wait for: one named object, or every object of a kind a label selector matches."""

    kind: str
    name: str | None = None
    selector: str | None = None

    def describe(self) -> str:
        singular = BY_KIND[self.kind].singular
        return f"{singular}/{self.name}" if self.name else f"{BY_KIND[self.kind].plural} -l {self.selector}"


@dataclass
class ObjectResult:
    kind: str
    namespace: str
    name: str
    result: str = ""  # healthy, failed, timed-out; "" while open
    reason: str = ""  # the last progress message, or why it failed
    cause: str | None = None  # the cause id that failed it early
    elapsed: float = 0.0
    diagnoses: list[Diagnosis] = field(default_factory=list)  # the object, then its pods with problems

    @property
    def ref(self) -> str:
        return f"{BY_KIND[self.kind].singular}/{self.name}"


@dataclass
class Outcome:
    result: str
    elapsed: float
    objects: list[ObjectResult]
    inventory: Inventory


def _watched_kinds(kinds: set[str]) -> list[str]:
    """The kinds whose watches tell whether the targets are done: the targets', their pods' and the
    ReplicaSets between a Deployment and its pods, and events."""
    watched = set(kinds) | {"Pod", "Event"}
    if "Deployment" in kinds:
        watched.add("ReplicaSet")
    return sorted(watched)


def current_pods(inventory: Inventory, kind: str, obj: dict) -> list[dict]:
    """The pods of the workload's current revision (a rollout's new pods): old pods that fail do not
    decide whether the rollout will finish."""
    if kind == "Pod":
        return [obj]
    namespace, name = as_str(dig(obj, "metadata", "namespace")), as_str(dig(obj, "metadata", "name"))
    if kind == "Deployment":
        revision = as_str(dig(obj, "metadata", "annotations", REVISION_ANNOTATION))
        if revision:
            for _key, rs in inventory.children("Deployment", namespace, name, "ReplicaSet"):
                if as_str(dig(rs, "metadata", "annotations", REVISION_ANNOTATION)) == revision:
                    return [p for _k, p in inventory.children("ReplicaSet", namespace, as_str(dig(rs, "metadata", "name")), "Pod")]
    pods = owned_pods(inventory, kind, obj)
    if kind == "StatefulSet":
        update = as_str(dig(obj, "status", "updateRevision"))
        if update:
            return [p for p in pods if as_str(dig(p, "metadata", "labels", "controller-revision-hash")) == update]
    return pods


def pods_summary(pods: list[dict], diagnoses: list[Diagnosis]) -> str:
    """`pods: 2 Running, 1 ImagePullBackOff; CrashLoopBackOff › oom-killed`: the pods' statuses and the
    first problem diagnosed."""
    counts = Counter(pod_display_status(p) for p in pods)
    text = (
        "pods: " + ", ".join(f"{n} {status}" for status, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        if pods
        else "no pods yet"
    )
    top = next((f for d in diagnoses for f in d.findings if f.is_problem), None)
    return f"{text}; {top.category} › {top.cause}" if top is not None else text


class WaitSession:
    """One `wait` run against one namespace. `on_progress(result, message)` hears each object's
    progress whenever it changes (from the calling thread)."""

    def __init__(
        self,
        client: KubeClient,
        engine: Engine,
        namespace: str,
        targets: list[WaitTarget],
        condition: str,
        on_progress: Callable[[ObjectResult, str], None] | None = None,
    ) -> None:
        self.client = client
        self.fetcher = LiveFetcher(client)
        self.engine = engine
        self.namespace = namespace
        self.targets = targets
        self.condition = condition
        self.on_progress = on_progress or (lambda _r, _m: None)
        self.kinds = _watched_kinds({t.kind for t in targets})
        self.deltas: queue.Queue = queue.Queue()
        self.view = ClusterView(engine)
        self.results: dict[tuple[str, str], ObjectResult] = {}
        self._said: dict[tuple[str, str], str] = {}
        self._fetched_wants: set[tuple] = set()
        self._matchers = {t: parse_label_selector(t.selector) for t in targets if t.selector}

    # ---- watching ----------------------------------------------------------------------------------
    def _reflectors(self) -> list[Reflector]:
        out = []
        for kind in self.kinds:
            info = BY_KIND[kind]
            spec = ResourceSpec(kind, info.plural, info.api_root.lstrip("/"), info.namespaced)
            out.append(Reflector(self.client, spec, self.namespace, self.deltas.put))
        return out

    def _supporting(self) -> Inventory:
        """Everything else a diagnosis reads, read now (one list per kind, in parallel)."""
        support = Inventory()
        kinds_into(self.fetcher, support, self.namespace)
        return support

    def _apply(self, delta) -> None:
        self.view.apply(delta)
        if isinstance(delta, SourceState) and delta.state == "forbidden" and delta.kind in {t.kind for t in self.targets} | {"Pod"}:
            raise ClusterError(f"cannot watch {BY_KIND[delta.kind].plural}: {delta.message}")
        if isinstance(delta, Replace):  # that kind is now completely known in the namespace
            self.view.inventory.listed_names.add((delta.kind, self.namespace))

    def run(self, timeout: float) -> Outcome:
        start = time.monotonic()
        deadline = start + timeout
        reflectors = self._reflectors()
        for r in reflectors:
            r.start()
        try:
            self.view.inventory.merge(self._supporting(), skip=tuple(self.kinds))
            last_judged = 0.0
            timed_out = False
            while True:
                now = time.monotonic()
                if now >= deadline:
                    timed_out = True
                    break
                changed = self._drain(min(deadline - now, 0.5))
                if not set(self.kinds) <= self.view.synced:
                    continue
                if changed or now - last_judged >= REJUDGE_EVERY:
                    first = not last_judged
                    last_judged = now
                    if self._judge(time.monotonic() - start, first=first):
                        break
            elapsed = time.monotonic() - start
            if not set(self.kinds) <= self.view.synced:
                raise ClusterError(
                    f"could not list {', '.join(BY_KIND[k].plural for k in self.kinds if k not in self.view.synced)} in time"
                )
            return self._finish(elapsed, timed_out)
        finally:
            for r in reflectors:
                r.stop()

    def _drain(self, wait: float) -> bool:
        try:
            delta = self.deltas.get(timeout=max(wait, 0.0))
        except queue.Empty:
            return False
        while True:
            self._apply(delta)
            try:
                delta = self.deltas.get_nowait()
            except queue.Empty:
                return True

    # ---- judging -----------------------------------------------------------------------------------
    def _objects(self) -> list[tuple[WaitTarget, str, dict | None]]:
        """(target, name, object or None when a named one is gone) for every object waited for now."""
        inv = self.view.inventory
        out: list[tuple[WaitTarget, str, dict | None]] = []
        for t in self.targets:
            if t.name is not None:
                out.append((t, t.name, inv.get(t.kind, self.namespace, t.name)))
                continue
            match = self._matchers[t]
            for obj in inv.in_namespace(t.kind, self.namespace) if t.kind != "Pod" else inv.pods_in(self.namespace):
                if match(dig(obj, "metadata", "labels") or {}):
                    out.append((t, as_str(dig(obj, "metadata", "name")), obj))
        return out

    def _check_found(self, objects: list[tuple[WaitTarget, str, dict | None]]) -> None:
        """At the first look: every named object exists, every selector matches something."""
        from k8sdoctor.core.suggest import close_names

        inv = self.view.inventory
        for target, name, obj in objects:
            if obj is None:
                singular = BY_KIND[target.kind].singular
                raise NotFoundError(
                    f'{singular} "{name}" not found in namespace "{self.namespace}"',
                    close_names(name, inv.names(target.kind, self.namespace)),
                )
        for target in self.targets:
            if target.selector and not any(t is target for t, _n, _o in objects):
                raise NotFoundError(f'no {BY_KIND[target.kind].plural} match -l {target.selector} in namespace "{self.namespace}"')

    def _judge(self, elapsed: float, first: bool = False) -> bool:
        """Judge every open object; True when nothing is left open (or one failed: fail fast)."""
        objects = self._objects()
        if first:
            self._check_found(objects)
        now = datetime.now(timezone.utc)
        for target, name, obj in objects:
            key = (target.kind, name)
            result = self.results.get(key) or self.results.setdefault(key, ObjectResult(target.kind, self.namespace, name))
            if result.result:
                continue
            result.elapsed = elapsed
            if obj is None:
                if target.name is not None:
                    result.result, result.reason = FAILED, f"{result.ref} was deleted (or does not exist)"
                    self._say(result, result.reason)
                continue
            state = progress(target.kind, obj, self.condition)
            if state.done:
                result.result, result.reason = HEALTHY, state.message
                self._say(result, state.message)
                continue
            pods = current_pods(self.view.inventory, target.kind, obj)
            result.diagnoses = self._diagnose(target.kind, obj, pods, now)
            self._verdict(result, state)
            self._say(result, f"{result.reason if result.result else state.message} ({pods_summary(pods, result.diagnoses)})")
        for key in [k for k in self.results if k[1] not in {name for t, name, _o in objects if t.kind == k[0]}]:
            del self.results[key]  # a pod a selector matched went away: a rollout replaced it
        return all(r.result for r in self.results.values()) or any(r.result == FAILED for r in self.results.values())

    def _verdict(self, result: ObjectResult, state: Progress) -> None:
        if state.failed is not None:
            result.result, result.reason = FAILED, state.message
            return
        for d in result.diagnoses:
            for f in d.findings:
                why = never_resolves(f)
                if why is not None:
                    result.result, result.cause = FAILED, f.cause
                    result.reason = f"{f.category} › {f.cause}: {why}"
                    return
        result.reason = state.message

    def _diagnose(self, kind: str, obj: dict, pods: list[dict], now: datetime) -> list[Diagnosis]:
        """The object's diagnosis, then its current pods that have problems, with the evidence they ask
        for (log tails, a Secret's key names) read once per container run."""
        inv = self.view.inventory
        wants: set[tuple[str, str, str]] = set()
        for p in pods:
            if is_plainly_healthy(p):
                continue
            meta = p.get("metadata") or {}
            for req in logs_to_fetch(p):
                wants.add(("logs", self.namespace, f"{meta.get('name')}/{req.container}/{'previous' if req.previous else 'current'}"))
        diagnoses = [self.engine.diagnose_object(inv, kind, obj, now)] if kind != "Pod" else []
        pod_diagnoses = [self.engine.diagnose_pod(inv, p, now) for p in pods]
        for d in pod_diagnoses:
            wants |= set(d.wants) | {w for f in d.findings for w in f.wants}
        fresh = {w for w in wants if (w, self._restarts(w)) not in self._fetched_wants}
        if fresh:
            self.fetcher.complete(inv, fresh)
            self._fetched_wants |= {(w, self._restarts(w)) for w in fresh}
            pod_diagnoses = [self.engine.diagnose_pod(inv, p, now) for p in pods]
        return diagnoses + [d for d in pod_diagnoses if not d.healthy]

    def _restarts(self, want: tuple[str, str, str]) -> int:
        """A container's restart count, so its logs are read again after it restarted."""
        kind, namespace, target = want
        if kind != "logs":
            return 0
        pod_name, _, rest = target.partition("/")
        container = rest.partition("/")[0]
        pod = self.view.inventory.pods.get((namespace, pod_name)) or {}
        status = pod.get("status") or {}
        for cs in (status.get("containerStatuses") or []) + (status.get("initContainerStatuses") or []):
            if isinstance(cs, dict) and cs.get("name") == container:
                count = cs.get("restartCount")
                return count if isinstance(count, int) else 0
        return 0

    def _say(self, result: ObjectResult, message: str) -> None:
        key = (result.kind, result.name)
        if self._said.get(key) != message:
            self._said[key] = message
            self.on_progress(result, message)

    # ---- the end -----------------------------------------------------------------------------------
    def _finish(self, elapsed: float, timed_out: bool) -> Outcome:
        """Mark what is still open as timed out (or stopped, when another object failed), and diagnose
        every object that did not end healthy on fresh evidence, as `diagnose KIND NAME` would."""
        open_or_failed = [r for r in self.results.values() if r.result != HEALTHY]
        for r in open_or_failed:
            if not r.result:
                r.result, r.elapsed = (TIMED_OUT if timed_out else STOPPED), elapsed
        if open_or_failed:
            with contextlib.suppress(UserError):  # else the report reads what the watches and the first read gave
                self.view.inventory.merge(self._supporting(), skip=tuple(self.kinds))
            now = datetime.now(timezone.utc)
            for r in open_or_failed:
                obj = self.view.inventory.get(r.kind, self.namespace, r.name)
                if obj is not None:
                    r.diagnoses = self._diagnose(r.kind, obj, current_pods(self.view.inventory, r.kind, obj), now)
        results = list(self.results.values())
        if any(r.result == FAILED for r in results):
            overall = FAILED
        elif any(r.result == TIMED_OUT for r in results) or not results:
            overall = TIMED_OUT
        else:
            overall = HEALTHY
        return Outcome(overall, elapsed, results, self.view.inventory)
