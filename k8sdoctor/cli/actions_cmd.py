"""`k8sdoctor describe pod`, `k8sdoctor logs pod` and `k8sdoctor debug pod`.

Errors are one line and exit 2 (`UserError`); a container without logs prints why and the pod's events,
and exits 1. Debug is the only command that writes: it always shows the request and asks first.
"""

from __future__ import annotations

import sys
from argparse import Namespace
from collections.abc import Callable
from datetime import datetime, timezone
from typing import TextIO

from k8sdoctor.actions import containers as pick
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.errors import NotFoundError, UserError
from k8sdoctor.sanitize import printable

HIGHLIGHT, RESET = "\x1b[1;33m", "\x1b[0m"


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _live(args: Namespace, name: str):
    """(client, inventory around pod NAME, namespace) from the live cluster."""
    from k8sdoctor.cli.sources import open_client
    from k8sdoctor.cluster.live.fetch import LiveFetcher
    from k8sdoctor.core.suggest import close_names

    client = open_client(args)  # with --request-timeout
    namespace = args.namespace or client.identity.namespace
    try:
        return client, LiveFetcher(client).pod(namespace, name), namespace
    except NotFoundError as exc:
        raise NotFoundError(str(exc), close_names(name, exc.suggestions)) from None


def _diagnose(args: Namespace, inventory: Inventory, namespace: str, name: str):
    from k8sdoctor.cli.sources import load_engine

    return load_engine(args).diagnose_pod(inventory, inventory.pods[(namespace, name)], _now())


# ---- describe ---------------------------------------------------------------------------------------
def run_describe(args: Namespace, out: TextIO | None = None) -> int:
    from k8sdoctor.actions.citations import describe_citations
    from k8sdoctor.actions.describe import describe_pod
    from k8sdoctor.cli.sources import inventory_for_pod

    out = out or sys.stdout
    inventory, namespace = inventory_for_pod(args, args.name)
    doc = describe_pod(inventory, namespace, args.name, _now())
    cited = describe_citations(doc, _diagnose(args, inventory, namespace, args.name)) if out.isatty() else {}
    for i, line in enumerate(doc.lines):
        out.write(f"{HIGHLIGHT}{line.text}{RESET}\n" if i in cited else line.text + "\n")
    if cited:
        out.write(f"\n{HIGHLIGHT}highlighted{RESET}: the fields the diagnosis cites as evidence\n")
    return 0


# ---- logs -------------------------------------------------------------------------------------------
def _events_instead(inventory: Inventory, namespace: str, name: str, reason: str, out: TextIO) -> int:
    from k8sdoctor.actions.describe import describe_pod

    print(f"k8sdoctor: no logs: {printable(reason)}; the pod's events instead:", file=sys.stderr)
    doc = describe_pod(inventory, namespace, name, _now())
    for line in doc.lines:
        if line.section == "Events":
            out.write(line.text + "\n")
    return 1


def run_logs(args: Namespace, out: TextIO | None = None) -> int:
    from k8sdoctor.actions.logs import LogRequest, LogsUnavailable, check_readable, snapshot_logs, stream_logs

    out = out or sys.stdout
    if args.snapshot:
        from k8sdoctor.cli.sources import inventory_for_pod

        client = None
        inventory, namespace = inventory_for_pod(args, args.name)
    else:
        client, inventory, namespace = _live(args, args.name)
    pod = inventory.pods[(namespace, args.name)]
    if args.container:
        pick.find(pod, args.container)
        container = args.container
    else:
        container = pick.default_container(pod, _diagnose(args, inventory, namespace, args.name))
        names = [c.name for c in pick.containers(pod)]
        if len(names) > 1:
            print(f'k8sdoctor: logs of container "{printable(container)}" (-c to choose: {printable(", ".join(names))})', file=sys.stderr)
    req = LogRequest(namespace, args.name, container, args.previous, args.tail, args.timestamps)

    def write(lines: list[str]) -> None:
        out.write("".join(line + "\n" for line in lines))
        out.flush()

    try:
        if client is None:
            if args.follow:
                print("k8sdoctor: --follow needs a live cluster; showing what the snapshot holds", file=sys.stderr)
            write(snapshot_logs(inventory, req))
        else:
            check_readable(inventory, req)
            stream_logs(client, req, write, follow=args.follow)
    except LogsUnavailable as exc:
        return _events_instead(inventory, namespace, args.name, str(exc), out)
    ref = pick.find(pod, container)
    if not args.previous and pick.has_previous(ref):
        print(
            f"k8sdoctor: {printable(container)} has restarted {ref.status.get('restartCount', 0)} time(s); --previous shows the run before",
            file=sys.stderr,
        )
    return 0


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
