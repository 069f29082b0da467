"""`k8sdoctor diagnose`: one object or every object of a kind (pods, deployments, services...), or `all`.

Exit codes, like diff(1): 0 when everything diagnosed is healthy, 1 when a problem (critical or warning
finding) was found, 2 for usage, connection, auth or input errors.
"""

from __future__ import annotations

import gc
import sys
from argparse import Namespace
from collections import Counter
from dataclasses import replace
from datetime import datetime, timezone

from k8sdoctor.cli import namespaces, report
from k8sdoctor.cli.sources import inventory_for_kinds, inventory_for_object, inventory_for_pod, inventory_for_scan, load_engine
from k8sdoctor.cli.targets import Target, parse_target
from k8sdoctor.core.findings import Diagnosis
from k8sdoctor.core.inventory import FORBIDDEN, Inventory, unreadable_note
from k8sdoctor.core.kube.kinds import BY_KIND, SUBJECTS, WORKLOADS
from k8sdoctor.core.relations import owned_pods, workload_of
from k8sdoctor.errors import ClusterError, NotFoundError


def _workload_sizes(inventory: Inventory, results: list[Diagnosis]) -> dict[tuple[str, str], int]:
    """How many pods each workload with a problem has (for "3 of 3 pods")."""
    wanted = {(r.namespace, r.owner["kind"], r.owner["name"]) for r in results if r.kind == "Pod" and r.findings and r.owner}
    if not wanted:
        return {}
    sizes: Counter = Counter()
    namespaces = {w[0] for w in wanted}
    for (ns, _name), pod in inventory.pods.items():
        if ns in namespaces:
            workload = workload_of(inventory, "Pod", pod)
            if workload is not None and (ns, workload.kind, workload.name) in wanted:
                sizes[(ns, workload.ref)] += 1
    return dict(sizes)


def _notes(inventory: Inventory) -> list[str]:
    return [f"could not read {u.resource}{' in ' + u.namespace if u.namespace else ''}: {u.reason}" for u in inventory.unreadable]


def _once(results: list[Diagnosis], inventory: Inventory) -> list[Diagnosis]:
    """A report of many objects ends with what the scan could not read; each object keeps only its own
    notes, so a refused kind is named once, not under every object."""
    scan_wide = {unreadable_note(u) for u in inventory.unreadable}
    return [replace(r, notes=[n for n in r.notes if n not in scan_wide]) if scan_wide & set(r.notes) else r for r in results]


def emit(
    results: list[Diagnosis],
    inventory: Inventory,
    fmt: str,
    *,
    single: bool,
    show_healthy: bool = False,
    asked: tuple[str, ...] = ("Pod",),
) -> None:
    if fmt == "json":
        sys.stdout.buffer.write(report.to_json(report.payload_for(results, single)))
        sys.stdout.flush()
        return
    if fmt == "yaml":
        sys.stdout.write(report.to_yaml(report.payload_for(results, single)))
        return
    if not single:
        results = _once(results, inventory)
    groups = report.group_by_workload(results, _workload_sizes(inventory, results))
    notes = [] if single else _notes(inventory)
    if fmt == "markdown":
        sys.stdout.write(report.to_markdown(results, groups, notes, asked))
        return
    report.render_text(results, groups, notes, show_healthy=show_healthy, single=single, asked=asked)


def _complete(args: Namespace, engine, inventory: Inventory, results: list[Diagnosis], now) -> list[Diagnosis]:
    """Live only: read the evidence diagnoses asked for (log tails a playbook reads, a Secret's key
    names...), then diagnose again the objects that asked (a workload asks for what its pods need)."""
    wanting = [i for i, r in enumerate(results) if r.wants or any(f.wants for f in r.findings)]
    if args.snapshot or not wanting:
        return results
    from k8sdoctor.cli.sources import open_client
    from k8sdoctor.cluster.live.fetch import LiveFetcher

    wants = {w for i in wanting for w in results[i].wants} | {w for i in wanting for f in results[i].findings for w in f.wants}
    LiveFetcher(open_client(args)).complete(inventory, wants)
    for i in wanting:
        r = results[i]
        obj = inventory.get(r.kind, r.namespace, r.name)
        if obj is not None:
            results[i] = engine.diagnose_object(inventory, r.kind, obj, now)
    return results


def _labels_match(args: Namespace):
    selector = getattr(args, "selector", None)
    if not selector:
        return None
    from k8sdoctor.core.kube.selectors import SelectorError, parse_label_selector
    from k8sdoctor.errors import UsageError

    try:
        return parse_label_selector(selector)
    except SelectorError as exc:
        raise UsageError(f"-l {selector}: {exc}") from None


def _one(args: Namespace, engine, target: Target, now: datetime) -> tuple[list[Diagnosis], Inventory]:
    """One object; for a workload, its pods with problems come after it (the pods' own findings)."""
    assert target.name is not None
    if target.kind == "Pod":
        try:
            inventory, ns = inventory_for_pod(args, target.name)
        except NotFoundError as exc:
            raise namespaces.where_else(args, exc, target.name) from None
        return _complete(args, engine, inventory, [engine.diagnose_pod(inventory, inventory.pods[(ns, target.name)], now)], now), inventory
    inventory, obj = inventory_for_object(args, target.kind, target.name)
    results = [engine.diagnose_object(inventory, target.kind, obj, now)]
    if target.kind in WORKLOADS:
        pods = [engine.diagnose_pod(inventory, p, now) for p in owned_pods(inventory, target.kind, obj)]
        results += [d for d in pods if not d.healthy]
    return _complete(args, engine, inventory, results, now), inventory


def _many(args: Namespace, engine, target: Target, now: datetime) -> tuple[list[Diagnosis], Inventory]:
    if target.kinds == ("Pod",):
        inventory, scope = inventory_for_scan(args)
        note = namespaces.check_scan(args, inventory, scope)
        if note:
            print(f"k8sdoctor: note: {note}", file=sys.stderr)
        return _complete(args, engine, inventory, engine.diagnose_all(inventory, now, sorted(inventory.pods)), now), inventory
    inventory, ns = inventory_for_kinds(args)
    _refuse_unlistable(inventory, target)
    labels = _labels_match(args)
    results: list[Diagnosis] = []
    pods: dict = {}  # each pod diagnosed once, whichever kinds consult it
    for kind in target.kinds:
        if kind != "Pod" or labels is None:
            found = engine.diagnose_kind(inventory, kind, now, ns, pods)
        else:  # the scan read only the pods the selector matches
            found = [
                engine.diagnose_object(inventory, kind, inventory.pods[k], now, pods)
                for k in sorted(inventory.pods)
                if ns is None or k[0] == ns
            ]
        if labels is not None and kind != "Pod":
            found = [d for d in found if labels(_labels_of(inventory, d))]
        results += found
    return _complete(args, engine, inventory, results, now), inventory


def _refuse_unlistable(inventory: Inventory, target: Target) -> None:
    """Asked for kinds none of which the user may list: the API server's refusal, not "0 of them"
    (as for pods). `all` reads on and names what it could not read."""
    if target.kinds == SUBJECTS:
        return
    refused = {u.resource: u.reason for u in inventory.unreadable if u.reason.startswith(FORBIDDEN)}
    reasons = [refused.get(BY_KIND[kind].resource) for kind in target.kinds]
    if all(reasons):
        raise ClusterError(str(reasons[0]).removeprefix(FORBIDDEN))


def _labels_of(inventory: Inventory, d: Diagnosis) -> dict:
    obj = inventory.get(d.kind, d.namespace, d.name) or {}
    return (obj.get("metadata") or {}).get("labels") or {}


def diagnose_target(args: Namespace, engine, target: Target, now: datetime) -> tuple[list[Diagnosis], Inventory]:
    """What `diagnose` finds for a target, without printing it (one cluster: the arguments' context)."""
    return _one(args, engine, target, now) if target.single else _many(args, engine, target, now)


def collect_for_scan() -> None:
    """The cyclic collector on for a scan (one object's diagnosis runs without it: console_main), and
    what survives each full collection frozen out of its sight: a scan keeps every result until it
    prints them, and each later full collection would walk them all again (at 50,000 failing pods, ten
    full collections took a sixth of the diagnosis). Cyclic garbage is still collected while young."""
    gc.enable()
    if _freeze_survivors not in gc.callbacks:
        gc.callbacks.append(_freeze_survivors)


def _freeze_survivors(phase: str, info: dict) -> None:
    if phase == "stop" and info["generation"] == 2:
        gc.freeze()


def run_diagnose(args: Namespace) -> int:
    target = parse_target(args.what, args.name)
    if not target.single:
        collect_for_scan()
    engine = load_engine(args)
    now = datetime.now(timezone.utc)
    if target.single:
        results, inventory = _one(args, engine, target, now)
        emit(results, inventory, args.output, single=True)
    else:
        results, inventory = _many(args, engine, target, now)
        emit(results, inventory, args.output, single=False, show_healthy=args.show_healthy, asked=target.kinds)
    return 0 if all(r.healthy for r in results) else 1
