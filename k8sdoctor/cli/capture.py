"""`k8sdoctor capture`: a bundle to attach to a bug report or a ticket: what the diagnosis reads, with
Secret values never read and env values, annotations and log lines redacted. `k8sdoctor --snapshot
BUNDLE` and `diagnose ... --snapshot BUNDLE` read it back."""

from __future__ import annotations

import sys
import time
from argparse import Namespace

from k8sdoctor.errors import UsageError


class _Progress:
    """A Rich progress bar on stderr, only when stderr is a terminal."""

    def __init__(self) -> None:
        from rich.console import Console

        self.console = Console(stderr=True)
        self.bar = None
        if self.console.is_terminal:
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(
                TextColumn("capturing: {task.description}"), BarColumn(), TimeElapsedColumn(), console=self.console, transient=True
            )
            self.task = self.bar.add_task("", total=1)
            self.bar.start()

    def __call__(self, step: str, done: int, total: int) -> None:
        if self.bar is not None:
            self.bar.update(self.task, description=step, completed=done, total=total)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MiB" if n >= 2**20 else f"{n / 1024:.0f} KiB"


def run_capture(args: Namespace) -> int:
    from k8sdoctor.capture.bundle import write_bundle
    from k8sdoctor.capture.collect import collect
    from k8sdoctor.capture.redact import Redactor, load_rules
    from k8sdoctor.cli.sources import load_engine, open_client
    from k8sdoctor.sanitize import one_line

    if args.snapshot:
        raise UsageError("capture reads a live cluster; --snapshot does not apply")
    all_ns = getattr(args, "all_namespaces", False)
    if all_ns and args.namespace:
        raise UsageError("give -n NAMESPACE or -A, not both")
    rules = load_rules(args.redaction_rules)
    known = {r.group for r in rules if r.group}
    unknown = set(args.redact) - known
    if unknown:
        raise UsageError(f"--redact {', '.join(sorted(unknown))}: the rules know {', '.join(sorted(known)) or 'no optional groups'}")
    redactor = Redactor(rules, set(args.redact))
    engine = load_engine(args)
    client = open_client(args)
    namespace = None if all_ns else (args.namespace or client.identity.namespace)
    selector = getattr(args, "selector", None)
    start = time.monotonic()
    progress = _Progress()
    try:
        inventory = collect(client, engine, namespace, selector, progress)
        progress("writing the bundle", 4, 4)
        scope = {"namespace": namespace, "allNamespaces": namespace is None, "selector": selector, "context": client.identity.context}
        try:
            stats = write_bundle(args.file, inventory, redactor, scope)
        except OSError as exc:
            raise UsageError(f"-f {args.file}: {(exc.strerror or type(exc).__name__).lower()}") from None
    finally:
        progress.stop()
    removed = ", ".join(f"{name} {n}" for name, n in sorted(redactor.removed.items()) if n) or "nothing matched"
    where = "-A" if namespace is None else f"-n {namespace}"
    print(
        one_line(
            f"wrote {stats.path} ({_size(stats.bytes)}) in {time.monotonic() - start:.1f}s: {stats.objects} objects, {stats.logs} log tails; "
            f"redacted: {removed}; cut: {stats.cut}"
        ),
        file=sys.stderr,
    )
    print(f"read it with: k8sdoctor diagnose all {where} --snapshot {stats.path}", file=sys.stderr)
    return 0
