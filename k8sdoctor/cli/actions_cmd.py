"""`k8sdoctor describe pod`, `k8sdoctor logs pod` and `k8sdoctor debug pod`.

Describe and logs write what kubectl writes when their output is piped or redirected, byte for byte,
and text made safe for a terminal otherwise. Errors are one message and exit 2 (`UserError`); a
container without logs prints why and the pod's events, and exits 1. Debug is the only command that
writes: it always shows the request and asks first.
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
from argparse import Namespace
from collections.abc import Callable
from datetime import datetime, timezone
from typing import TextIO

from k8sdoctor.actions import containers as pick
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.errors import NotFoundError, UserError
from k8sdoctor.sanitize import printable

HIGHLIGHT, RESET = "\x1b[1;33m", "\x1b[0m"
#: After a cited line when colour is off: what marks it, then the finding.
CITED_MARK = "  « "


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _live(args: Namespace, name: str):
    """(client, inventory around pod NAME, namespace) from the live cluster."""
    from k8sdoctor.cli.sources import open_client
    from k8sdoctor.cluster.live.fetch import LiveFetcher
    from k8sdoctor.core.suggest import close_names

    client = open_client(args)
    namespace = args.namespace or client.identity.namespace
    try:
        return client, LiveFetcher(client).pod(namespace, name), namespace
    except NotFoundError as exc:
        raise NotFoundError(str(exc), close_names(name, exc.suggestions)) from None


def _diagnose(args: Namespace, inventory: Inventory, namespace: str, name: str):
    from k8sdoctor.cli.sources import load_engine

    return load_engine(args).diagnose_pod(inventory, inventory.pods[(namespace, name)], _now())


def write_bytes(out: TextIO, data: bytes) -> None:
    """Bytes to a text stream's binary buffer (kubectl's exact output); a stream without one gets the
    text, undecodable bytes kept as surrogate escapes."""
    buffer = getattr(out, "buffer", None)
    if buffer is None:
        out.write(data.decode("utf-8", "surrogateescape"))
        return
    out.flush()
    buffer.write(data)
    buffer.flush()


# ---- describe ---------------------------------------------------------------------------------------
def _describe_inventory(args: Namespace) -> tuple[Inventory, str]:
    """What describe reads: kubectl's two requests (the pod, its events), or with --explain also what
    the diagnosis reads; or the snapshot."""
    from k8sdoctor.cli.sources import inventory_for_pod

    if args.snapshot or getattr(args, "explain", False):
        return inventory_for_pod(args, args.name)
    from k8sdoctor.actions.describe import read_for_describe
    from k8sdoctor.cli.sources import open_client
    from k8sdoctor.cluster.live.fetch import LiveFetcher
    from k8sdoctor.core.suggest import close_names

    client = open_client(args)
    namespace = args.namespace or client.identity.namespace
    try:
        return read_for_describe(client, namespace, args.name), namespace
    except NotFoundError as exc:
        raise NotFoundError(str(exc), close_names(args.name, LiveFetcher(client).pod_names(namespace))) from None


def run_describe(args: Namespace, out: TextIO | None = None) -> int:
    from k8sdoctor.actions.describe import describe_pod

    out = out or sys.stdout
    inventory, namespace = _describe_inventory(args)
    doc = describe_pod(inventory, namespace, args.name, _now())
    if getattr(args, "explain", False):
        _explained(args, doc, inventory, namespace, out)
    elif out.isatty():
        out.write(doc.text(extras=False))
    else:
        write_bytes(out, doc.kubectl_text().encode("utf-8", "surrogateescape"))
    return 0


def _explained(args: Namespace, doc, inventory: Inventory, namespace: str, out: TextIO) -> None:
    """The describe text with k8sdoctor's extra lines, and the lines the diagnosis cites marked: in
    colour on a terminal, else with a mark and the finding's title after them."""
    from k8sdoctor.actions.citations import cited_lines
    from k8sdoctor.sanitize import one_line

    cited = cited_lines(doc.lines, _diagnose(args, inventory, namespace, args.name))
    colour = out.isatty() and not os.environ.get("NO_COLOR")
    for i, line in enumerate(doc.lines):
        if i not in cited:
            out.write(line.text + "\n")
        elif colour:
            out.write(f"{HIGHLIGHT}{line.text}{RESET}\n")
        else:
            out.write(f"{line.text}{CITED_MARK}{one_line(cited[i][0].title)}\n")
    if cited and colour:
        out.write(f"\n{HIGHLIGHT}highlighted{RESET}: the fields the diagnosis cites as evidence\n")
    elif cited:
        out.write(f"\n{CITED_MARK.strip()} marks the fields the diagnosis cites as evidence\n")


# ---- logs -------------------------------------------------------------------------------------------
def _events_instead(inventory: Inventory, namespace: str, name: str, reason: str, out: TextIO) -> int:
    """Why there are no logs, and the pod's events: on stdout for a terminal, on stderr for a pipe
    (which gets exactly what kubectl would write: nothing)."""
    from k8sdoctor.actions.describe import describe_pod

    print(f"k8sdoctor: no logs: {printable(reason)}; the pod's events instead:", file=sys.stderr)
    doc = describe_pod(inventory, namespace, name, _now())
    target = out if out.isatty() else sys.stderr
    for line in doc.lines:
        if line.section == "Events":
            target.write(line.text + "\n")
    return 1


class _TerminalLines:
    """One container's log for a terminal: safe lines (see LineDecoder), a safe prefix, folded to the
    terminal's width."""

    def __init__(self, out: TextIO, prefix: str, lock: threading.Lock) -> None:
        from k8sdoctor.actions.logs import LineDecoder

        self.out, self.prefix, self.lock = out, prefix, lock
        self.width = shutil.get_terminal_size().columns
        self.decoder = LineDecoder()

    def _show(self, lines: list[str]) -> None:
        rows = []
        for line in lines:
            text = self.prefix + line
            step = max(self.width, 20)
            rows += [text[i : i + step] for i in range(0, len(text), step)] or [""]
        with self.lock:
            self.out.write("".join(row + "\n" for row in rows))
            self.out.flush()

    def feed(self, chunk: bytes) -> None:
        lines = self.decoder.feed(chunk)
        if lines:
            self._show(lines)

    def finish(self) -> None:
        self._show(self.decoder.finish())


class _PipedBytes:
    """One container's log for a pipe: the bytes as kubectl writes them (whole lines, each prefixed,
    with --prefix or when several streams share the output)."""

    def __init__(self, out: TextIO, prefix: bytes | None, lock: threading.Lock) -> None:
        from k8sdoctor.actions.logs import LineWriter

        self.out, self.lock = out, lock
        self.lines = LineWriter(prefix, self._write) if prefix is not None else None

    def _write(self, data: bytes) -> None:
        with self.lock:
            write_bytes(self.out, data)

    def feed(self, chunk: bytes) -> None:
        if self.lines is None:
            self._write(chunk)
        else:
            self.lines.feed(chunk)

    def finish(self) -> None:
        if self.lines is not None:
            self.lines.finish()


def _log_containers(args: Namespace, pod: dict, inventory: Inventory, namespace: str) -> list[str]:
    if args.all_containers:
        return [c.name for c in pick.containers(pod)]
    if args.container:
        pick.find(pod, args.container)
        return [args.container]
    container = pick.default_container(pod, _diagnose(args, inventory, namespace, args.name))
    names = [c.name for c in pick.containers(pod)]
    if len(names) > 1:
        print(f'k8sdoctor: logs of container "{printable(container)}" (-c to choose: {printable(", ".join(names))})', file=sys.stderr)
    return [container]


def run_logs(args: Namespace, out: TextIO | None = None) -> int:
    from k8sdoctor.actions.logs import LogRequest, LogsUnavailable, kubectl_prefix, parse_since, parse_since_time

    out = out or sys.stdout
    if args.tail < -1:
        raise UserError("--tail must be greater than or equal to -1")
    if args.limit_bytes is not None and args.limit_bytes <= 0:
        raise UserError("--limit-bytes must be greater than 0")
    since_seconds = parse_since(args.since) if args.since else None
    since_time = parse_since_time(args.since_time) if args.since_time else None
    if args.snapshot:
        from k8sdoctor.cli.sources import inventory_for_pod

        client = None
        inventory, namespace = inventory_for_pod(args, args.name)
        if args.follow or args.since or args.since_time or args.timestamps or args.limit_bytes:
            print("k8sdoctor: a snapshot holds lines only: --follow, --since, --timestamps and --limit-bytes do not apply", file=sys.stderr)
    else:
        client, inventory, namespace = _live(args, args.name)
    pod = inventory.pods[(namespace, args.name)]
    names = _log_containers(args, pod, inventory, namespace)
    requests = [
        LogRequest(namespace, args.name, c, args.previous, args.tail, args.timestamps, since_seconds, since_time, args.limit_bytes)
        for c in names
    ]
    terminal, lock = out.isatty(), threading.Lock()
    together = args.follow and client is not None and len(requests) > 1  # kubectl follows them in parallel

    def sink_for(req: LogRequest):
        prefix = kubectl_prefix(args.name, req.container) if args.prefix else None
        if terminal:
            from k8sdoctor.sanitize import one_line

            return _TerminalLines(out, one_line(prefix or ""), lock)
        return _PipedBytes(out, prefix.encode() if prefix else (b"" if together else None), lock)

    unavailable: dict[str, str] = {}
    failed: list[UserError] = []

    def read(req: LogRequest) -> None:
        try:
            _read_one(client, inventory, req, sink_for(req), follow=args.follow)
        except LogsUnavailable as exc:
            unavailable[req.container] = str(exc)
        except UserError as exc:
            if not together:
                raise
            failed.append(exc)

    if together:
        threads = [threading.Thread(target=read, args=(req,), daemon=True) for req in requests]
        for thread in threads:
            thread.start()
        for thread in threads:
            while thread.is_alive():
                thread.join(0.2)  # a join with a timeout leaves ctrl+c to the main thread
        if failed:
            raise failed[0]
    else:
        for req in requests:
            read(req)
    if len(requests) == 1 and unavailable:
        return _events_instead(inventory, namespace, args.name, unavailable[requests[0].container], out)
    for container, reason in unavailable.items():
        print(f"k8sdoctor: no logs from container {printable(container)}: {printable(reason)}", file=sys.stderr)
    if len(requests) == 1 and not args.previous:
        ref = pick.find(pod, requests[0].container)
        if pick.has_previous(ref):
            restarts = ref.status.get("restartCount", 0)
            print(f"k8sdoctor: {printable(ref.name)} has restarted {restarts} time(s); --previous shows the run before", file=sys.stderr)
    return 1 if unavailable else 0


def _read_one(client, inventory: Inventory, req, sink, *, follow: bool) -> None:
    """One container's log into `sink` (feed/finish), from the cluster or the snapshot."""
    from k8sdoctor.actions.logs import check_readable, snapshot_log_bytes, stream_log_bytes

    if client is None:
        sink.feed(snapshot_log_bytes(inventory, req))
    else:
        check_readable(inventory, req)
        stream_log_bytes(client, req, sink.feed, follow=follow)
    sink.finish()


# ---- debug ------------------------------------------------------------------------------------------
def _ask(question: str) -> bool:
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")


def run_debug(args: Namespace, *, attach=None, confirm: Callable[[str], bool] | None = None, out: TextIO | None = None) -> int:
    """Plan, check, show, ask, create, wait, attach. `attach` and `confirm` are injectable (tests)."""
    from k8sdoctor.actions import debug
    from k8sdoctor.actions.attach import TerminalAttach

    out = out or sys.stdout
    if args.read_only:
        raise UserError("debug is disabled by --read-only: adding a debug container is the one write k8sdoctor makes")
    if args.snapshot:
        raise UserError("debug needs a live cluster: a --snapshot is read-only")
    if not args.yes and confirm is None and not sys.stdin.isatty():
        raise UserError("debug asks before it creates a container, and there is no terminal to ask on: pass --yes to go ahead")
    client, inventory, namespace = _live(args, args.name)
    ready = debug.prepare(
        client,
        inventory,
        namespace,
        args.name,
        diagnosis=_diagnose(args, inventory, namespace, args.name),
        image=args.image,
        target=args.target,
        profile=args.profile,
    )
    plan = ready.plan
    if ready.missing:
        raise debug.permission_error(plan, ready.missing)
    out.write(f"profile: {printable(plan.choice.reason)}\n")
    if plan.choice.warning:
        out.write(f"warning: {printable(plan.choice.warning)}\n")
    if ready.hint:
        out.write(f"note: {printable(ready.hint)}\n")
    out.write(
        f"\nk8sdoctor will send this request, its only write (equivalent: {printable(plan.kubectl_debug())}):\n\n"
        f"{printable(plan.request_text())}\n\n"
    )
    out.flush()
    if not args.yes and not (confirm or _ask)(f"Add debug container {plan.container} to pod {plan.pod}?"):
        out.write("cancelled: nothing was sent\n")
        return 0
    created = debug.create(client, plan)
    out.write(
        f"created {plan.container} in pod {namespace}/{plan.pod} (ephemeral containers stay in the pod spec until the pod is deleted)\n"
    )
    if args.no_attach:
        out.write(f"attach with: {plan.kubectl_attach()}\n")
        return 0
    out.write(f"waiting for {plan.container} to start...\n")
    out.flush()
    debug.wait_running(client, plan, created)
    result = (attach or TerminalAttach())(client, namespace, plan.pod, plan.container)
    out.write(f"{printable(result.message)}\n")
    return 0
