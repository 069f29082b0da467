"""What a capture reads: exactly what `diagnose all` reads live (the pod scan with its evidence, every
other kind, the evidence the diagnoses then ask for), plus log tails of every failing container,
current and previous. Secrets are read as names (and key names, when a diagnosis asks); values never
enter the inventory."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

from k8sdoctor.cluster.live.client import KubeClient
from k8sdoctor.cluster.live.fetch import LiveFetcher
from k8sdoctor.cluster.live.fetch_kinds import kinds_into
from k8sdoctor.core.engine import Engine, is_plainly_healthy
from k8sdoctor.core.inventory import Inventory, LogKey
from k8sdoctor.core.kube.kinds import SUBJECTS
from k8sdoctor.core.kube.raw import as_dict, as_int, dicts

#: (step name, steps done, steps in all): for a progress bar.
Progress = Callable[[str, int, int], None]
STEPS = ("pods and their evidence", "every other kind", "evidence the diagnoses ask for", "logs of failing containers")


def failing_logs(pod: dict) -> set[tuple[str, bool]]:
    """(container, previous) for every container of a pod with problems that is not running ready (or
    restarted): its current log, and its previous one when it ran before."""
    if is_plainly_healthy(pod):
        return set()
    status = as_dict(pod.get("status"))
    out = set()
    for cs in dicts(status.get("initContainerStatuses")) + dicts(status.get("containerStatuses")):
        name = cs.get("name")
        if not isinstance(name, str) or (cs.get("ready") is True and not cs.get("restartCount")):
            continue
        out.add((name, False))  # a container that never started answers 400, which is fine
        if (as_int(cs.get("restartCount")) or 0) > 0 or "terminated" in as_dict(cs.get("lastState")):
            out.add((name, True))
    return out


def collect(client: KubeClient, engine: Engine, namespace: str | None, selector: str | None, progress: Progress) -> Inventory:
    """Read a namespace (or all, with None) as `diagnose all` does, and the logs of failing containers."""
    fetcher = LiveFetcher(client)
    total = len(STEPS)
    progress(STEPS[0], 0, total)
    inv = fetcher.scan(namespace, selector)
    progress(STEPS[1], 1, total)
    kinds_into(fetcher, inv, namespace)
    progress(STEPS[2], 2, total)
    now = datetime.now(timezone.utc)
    results = [d for kind in SUBJECTS for d in engine.diagnose_kind(inv, kind, now, namespace)]
    wants = {w for d in results for w in d.wants} | {w for d in results for f in d.findings for w in f.wants}
    if wants:
        fetcher.complete(inv, wants)
    progress(STEPS[3], 3, total)
    logs = set()
    for (ns, name), pod in list(inv.pods.items()):
        for container, previous in failing_logs(pod):
            if LogKey(ns, name, container, previous) not in inv.logs:
                logs.add(("logs", ns, f"{name}/{container}/{'previous' if previous else 'current'}"))
    if logs:
        fetcher.complete(inv, logs)
    progress("done", total, total)
    return inv
