"""`diagnose ... --context a,b,c` and `--all-contexts`: the same diagnosis on several clusters at once,
each in its own thread with its own client, reported with a CONTEXT column (text) or a `context`
field on every item (JSON, YAML). A cluster that cannot be read is reported, and the others still are.

Exit codes: 0 all healthy, 1 a problem found, 2 a context could not be read (its error is shown).
"""

from __future__ import annotations

import copy
import sys
from argparse import Namespace
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

from k8sdoctor.core.findings import Diagnosis
from k8sdoctor.errors import UsageError, UserError
from k8sdoctor.sanitize import one_line

MAX_PARALLEL = 8


def wants_several(args: Namespace) -> bool:
    return bool(getattr(args, "all_contexts", False)) or "," in (args.context or "")


def _contexts(args: Namespace) -> list[str]:
    if getattr(args, "all_contexts", False):
        if args.context:
            raise UsageError("give --context or --all-contexts, not both")
        from k8sdoctor.model.live_source import kube_contexts

        names, _current = kube_contexts(args.kubeconfig)
        if not names:
            raise UsageError("the kubeconfig has no contexts")
        return names
    names = [c.strip() for c in args.context.split(",")]
    if not all(names) or len(set(names)) != len(names):
        raise UsageError(f'--context "{args.context}": expected distinct names separated by commas')
    return names


def _one_context(args: Namespace, context: str, engine, target, now) -> tuple[list[Diagnosis], str | None]:
    from k8sdoctor.cli.diagnose import diagnose_target

    mine = copy.copy(args)
    mine.context = context
    try:
        results, _inventory = diagnose_target(mine, engine, target, now)
    except UserError as exc:
        return [], str(exc)
    return results, None


def _text(rows: list[tuple[str, Diagnosis]], errors: dict[str, str], show_healthy: bool) -> None:
    from rich.table import Table
    from rich.text import Text

    from k8sdoctor.cli.report import SEVERITY_STYLE, Printer, display_name

    out = Printer(sys.stdout)
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    for column in ("CONTEXT", "OBJECT", "STATUS", "FINDINGS"):
        table.add_column(column, overflow="fold")
    for context, d in rows:
        if d.healthy and not show_healthy:
            continue
        findings = Text()
        for i, f in enumerate(f for f in d.findings if f.is_problem):
            findings.append("; " if i else "")
            findings.append(f"{f.category} › {f.cause}", style=SEVERITY_STYLE[f.severity])
        table.add_row(
            one_line(context), one_line(display_name(d)), one_line(d.status), findings if d.findings else Text("healthy", style="green")
        )
    out.print(table)
    for context in sorted({c for c, _d in rows} | set(errors)):
        if context in errors:
            out.print(Text(f"{one_line(context)}: error: {one_line(errors[context])}", style="red"))
            continue
        mine = [d for c, d in rows if c == context]
        problems = sum(1 for d in mine if not d.healthy)
        out.print(Text(f"{one_line(context)}: {len(mine)} objects, {problems} with problems"))
    out.flush()


def run_contexts(args: Namespace) -> int:
    from k8sdoctor.cli import report
    from k8sdoctor.cli.sources import load_engine
    from k8sdoctor.cli.targets import parse_target

    if args.snapshot:
        raise UsageError("--snapshot reads one saved cluster; several contexts need live clusters")
    if args.output == "markdown":
        raise UsageError("several contexts are reported as text, json or yaml")
    contexts = _contexts(args)
    target = parse_target(args.what, args.name)
    engine = load_engine(args)
    now = datetime.now(timezone.utc)
    with ThreadPoolExecutor(max_workers=min(MAX_PARALLEL, len(contexts))) as pool:
        done = dict(zip(contexts, pool.map(lambda c: _one_context(args, c, engine, target, now), contexts), strict=True))
    rows = [(c, d) for c in contexts for d in done[c][0]]
    errors = {c: err for c, (_r, err) in done.items() if err is not None}
    if args.output in ("json", "yaml"):
        items = [{"context": c, **d.to_dict()} for c, d in rows]
        payload = {
            "items": items,
            "summary": report.summary_counts([d for _c, d in rows]),
            "contexts": [{"name": c, "error": errors.get(c)} for c in contexts],
        }
        if args.output == "json":
            sys.stdout.buffer.write(report.to_json(payload))
            sys.stdout.flush()
        else:
            sys.stdout.write(report.to_yaml(payload))
    else:
        _text(rows, errors, args.show_healthy)
    if errors:
        return 2
    return 0 if all(d.healthy for _c, d in rows) else 1
