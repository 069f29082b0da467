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
from k8sdoctor.core.inventory import Inventory, LogKey, Ref, obj_key
from k8sdoctor.core.kube.kinds import BY_KIND, SUBJECTS
from k8sdoctor.core.kube.raw import as_dict, as_int, as_str, dicts, dig
from k8sdoctor.core.kube.selectors import parse_label_selector
from k8sdoctor.core.relations import claims_of, scale_target, services_selecting

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
    if selector:
        narrow(inv, selector)
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


def _related(inv: Inventory) -> set[Ref]:
    """What the selected pods lead to: their controllers up the chain, the Services that select them,
    the claims they mount, and the autoscalers of those controllers."""
    kept: set[Ref] = set()
    for pod in inv.pods.values():
        kind, obj = "Pod", pod
        while (owner := inv.owner(kind, obj)) is not None:
            kind, obj = owner
            ref = (kind, *obj_key(obj))
            if ref in kept:  # known already, or owners that name each other (a tenant can write that)
                break
            kept.add(ref)
        kept |= {("Service", *obj_key(svc)) for svc in services_selecting(inv, pod)}
        kept |= {("PersistentVolumeClaim", *obj_key(claim)) for _name, claim in claims_of(inv, pod) if claim is not None}
    for hpa in inv.all("HorizontalPodAutoscaler"):
        kind, target = scale_target(inv, hpa)
        if target is not None and (kind, *obj_key(target)) in kept:
            kept.add(("HorizontalPodAutoscaler", *obj_key(hpa)))
    return kept


def narrow(inv: Inventory, selector: str) -> None:
    """`capture -l`: keep, of the namespaced kinds a diagnosis reports on, the objects the selector
    matches and those the selected pods lead to (`_related`); events only about what is kept. Those
    kinds no longer count as fully listed, so an offline diagnosis says "could not check" where a
    missing object would otherwise be concluded."""
    matches = parse_label_selector(selector)
    related = _related(inv)
    dropped: set[Ref] = set()
    for kind in SUBJECTS:
        if kind == "Pod" or not BY_KIND[kind].namespaced:
            continue
        for obj in list(inv.all(kind)):
            ref = (kind, *obj_key(obj))
            if ref not in related and not matches(as_dict(dig(obj, "metadata", "labels"))):
                inv.delete(kind, obj)
                dropped.add(ref)
        inv.listed_names = {listed for listed in inv.listed_names if listed[0] != kind}
    for event in list(inv.events.values()):
        about = as_dict(event.get("involvedObject"))
        ref = (as_str(about.get("kind")), as_str(about.get("namespace")), as_str(about.get("name")))
        if ref in dropped or (ref[0] == "Pod" and (ref[1], ref[2]) not in inv.pods):
            inv.delete_event(event)
