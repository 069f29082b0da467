"""`k8sdoctor diagnose pod NAME` and `k8sdoctor diagnose pods`.

Exit codes, like diff(1): 0 when every pod is healthy, 1 when a problem (critical or warning
finding) was found, 2 for usage, connection, auth or input errors.
"""

from __future__ import annotations

import sys
from argparse import Namespace
from collections import Counter
from datetime import datetime, timezone

from k8sdoctor.cli import report
from k8sdoctor.cli.sources import inventory_for_pod, inventory_for_scan, load_engine
from k8sdoctor.core.findings import Diagnosis
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.core.relations import workload_of


def _workload_sizes(inventory: Inventory, results: list[Diagnosis]) -> dict[tuple[str, str], int]:
    """How many pods each workload with a problem has (for "3 of 3 pods")."""
    wanted = {(r.namespace, r.owner["kind"], r.owner["name"]) for r in results if r.findings and r.owner}
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


def emit(results: list[Diagnosis], inventory: Inventory, fmt: str, *, single: bool, show_healthy: bool = False) -> None:
    if fmt == "json":
        sys.stdout.buffer.write(report.to_json(report.payload_for(results, single)))
        sys.stdout.flush()
        return
    if fmt == "yaml":
        sys.stdout.write(report.to_yaml(report.payload_for(results, single)))
        return
    groups = report.group_by_workload(results, _workload_sizes(inventory, results))
    notes = [] if single else _notes(inventory)
    if fmt == "markdown":
        sys.stdout.write(report.to_markdown(results, groups, notes))
        return
    report.render_text(results, groups, notes, show_healthy=show_healthy, single=single)


def _complete(args: Namespace, engine, inventory: Inventory, results: list[Diagnosis], now) -> list[Diagnosis]:
    """Live only: read the objects findings asked for (a Secret's key names...), then diagnose the pods
    that asked again."""
    wanting = [i for i, r in enumerate(results) if r.wants or any(f.wants for f in r.findings)]
    if args.snapshot or not wanting:
        return results
    from k8sdoctor.cli.sources import open_client
    from k8sdoctor.cluster.live.fetch import LiveFetcher

    wants = {w for i in wanting for w in results[i].wants} | {w for i in wanting for f in results[i].findings for w in f.wants}
    LiveFetcher(open_client(args)).complete(inventory, wants)
    for i in wanting:
        r = results[i]
        results[i] = engine.diagnose_pod(inventory, inventory.pods[(r.namespace, r.name)], now)
    return results


def run_diagnose(args: Namespace) -> int:
    engine = load_engine(args)
    now = datetime.now(timezone.utc)
    if args.target == "pod":
        inventory, ns = inventory_for_pod(args, args.name)
        results = _complete(args, engine, inventory, [engine.diagnose_pod(inventory, inventory.pods[(ns, args.name)], now)], now)
        emit(results, inventory, args.output, single=True)
    else:
        inventory, _ns = inventory_for_scan(args)
        results = _complete(args, engine, inventory, engine.diagnose_all(inventory, now, sorted(inventory.pods)), now)
        emit(results, inventory, args.output, single=False, show_healthy=args.show_healthy)
    return 0 if all(r.healthy for r in results) else 1
