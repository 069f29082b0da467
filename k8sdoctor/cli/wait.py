"""`k8sdoctor wait`: a CI gate that says why. Watches workloads until they are healthy (a Job: complete),
prints progress as it changes, and on failure the diagnosis of the workload and its failing pods.

Exit codes: 0 healthy, 1 failed (a cause waiting cannot resolve, a failed Job, a Deployment past its
progress deadline, an object deleted), 3 timed out, 2 usage, connection or auth error.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import sys
import time
from argparse import Namespace
from collections import Counter

from k8sdoctor.core.kube.kinds import BY_KIND, resolve_kind
from k8sdoctor.errors import UsageError
from k8sdoctor.sanitize import one_line

EXIT_HEALTHY, EXIT_FAILED, EXIT_TIMED_OUT = 0, 1, 3
EXIT_CODES = (
    "exit codes:\n"
    "  0  every object is healthy (a Job: complete)\n"
    "  1  failed: a cause waiting cannot resolve (see below), a failed Job or pod, a Deployment past its\n"
    "     progress deadline, an object deleted while waited for\n"
    "  2  usage, connection, auth or input error (one line on stderr)\n"
    "  3  timed out: still not healthy when --timeout passed (the diagnosis says why)\n"
    "  130  interrupted"
)
USAGE = "usage: k8sdoctor wait KIND/NAME... | KIND NAME... | KIND -l SELECTOR [--for healthy|complete] [--timeout 5m]"
_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")


def parse_duration(text: str) -> float:
    """`5m`, `90s`, `1h30m`, `250ms`, or plain seconds (`300`), as kubectl takes --timeout."""
    text = text.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    parts = _DURATION.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise UsageError(f'--timeout "{text}": expected a duration such as 90s, 5m or 1h30m', hint=USAGE)
    scale = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}
    return sum(float(n) * scale[u] for n, u in parts)


def _kind(word: str) -> str:
    from k8sdoctor.wait.readiness import WAITABLE

    info = resolve_kind(word)
    if info is None or info.kind not in WAITABLE:
        kinds = ", ".join(BY_KIND[k].singular for k in WAITABLE)
        raise UsageError(f'cannot wait for "{word}": wait takes {kinds}', hint=USAGE)
    return info.kind


def parse_targets(words: list[str], selector: str | None):
    """KIND/NAME..., KIND NAME..., KIND -l SELECTOR, or -l SELECTOR alone (pods)."""
    from k8sdoctor.wait.session import WaitTarget

    if not words:
        if selector:
            return [WaitTarget("Pod", selector=selector)]
        raise UsageError("wait needs what to wait for", hint=USAGE)
    if all("/" in w for w in words):
        if selector:
            raise UsageError("-l takes a KIND, not KIND/NAME", hint=USAGE)
        out = []
        for w in words:
            word, _, name = w.partition("/")
            if not name or "/" in name:
                raise UsageError(f'"{w}": expected KIND/NAME, as in deploy/web', hint=USAGE)
            out.append(WaitTarget(_kind(word), name))
        return out
    if any("/" in w for w in words[1:]) or "/" in words[0]:
        raise UsageError("give either KIND/NAME... or KIND NAME..., not both", hint=USAGE)
    kind, names = _kind(words[0]), words[1:]
    if names and selector:
        raise UsageError("give names or -l SELECTOR, not both", hint=USAGE)
    if not names and not selector:
        raise UsageError(f"wait {words[0]} needs a NAME or -l SELECTOR", hint=USAGE)
    if selector:
        return [WaitTarget(kind, selector=selector)]
    return [WaitTarget(kind, n) for n in names]


def _condition(args: Namespace, targets) -> str:
    from k8sdoctor.wait.readiness import CONDITIONS, WAITABLE

    kinds = {t.kind for t in targets}
    condition = args.condition or ("complete" if kinds == {"Job"} else "healthy")
    for kind in kinds:
        if condition not in CONDITIONS[kind]:
            wanted = WAITABLE[kind]
            raise UsageError(f"--for {condition} does not apply to {BY_KIND[kind].plural}: wait for them with --for {wanted}", hint=USAGE)
    return condition


class ProgressPrinter:
    """Progress lines on stderr: plain timestamped lines when not a terminal (CI logs), the same lines
    with a spinner for the time waited on a terminal."""

    def __init__(self, start: float) -> None:
        from rich.console import Console

        self.start = start
        self.console = Console(stderr=True, highlight=False, emoji=False)
        self.lines: list[str] = []
        self.status = self.console.status("waiting...") if self.console.is_terminal else None
        if self.status is not None:
            self.status.start()

    def __call__(self, result, message: str) -> None:
        line = one_line(f"[{time.monotonic() - self.start:6.1f}s] {result.ref}: {message}")
        self.lines.append(line)
        if self.status is not None:
            from rich.text import Text

            self.console.print(Text(line))
            self.status.update(f"waiting for {one_line(result.ref)}...")
        else:
            print(line, file=sys.stderr, flush=True)

    def stop(self) -> None:
        if self.status is not None:
            self.status.stop()


def _report_text(result, inventory) -> str:
    """The diagnosis of one object and its pods with problems, as `diagnose KIND NAME` prints it."""
    from k8sdoctor.cli import report
    from k8sdoctor.core.relations import workload_of

    shown = [d for d in result.diagnoses if d.findings or d is result.diagnoses[-1]] if len(result.diagnoses) > 1 else result.diagnoses
    if not shown:
        return ""
    sizes: Counter = Counter()
    for pod in inventory.pods_in(result.namespace):
        w = workload_of(inventory, "Pod", pod)
        if w is not None:
            sizes[(result.namespace, w.ref)] += 1
    stream = io.StringIO()
    groups = report.group_by_workload(shown, dict(sizes))
    report.render_text(shown, groups, [], show_healthy=False, single=True, stream=stream)
    return stream.getvalue()


def _print_text(outcome, reports: dict, github: bool) -> None:
    from k8sdoctor.wait.ci_report import headline

    token = secrets.token_hex(16)
    for r in outcome.objects:
        print(headline(r))
    failed = [r for r in outcome.objects if reports.get((r.kind, r.name))]
    if not failed:
        return
    if github:  # the report quotes cluster text: no line of it may be read as a workflow command
        print(f"::stop-commands::{token}")
    for r in failed:
        print()
        sys.stdout.write(reports[(r.kind, r.name)])
    if github:
        print(f"::{token}::")
    sys.stdout.flush()


def _open_junit(path: str | None):
    """The JUnit file, opened before waiting so a path that cannot be written fails at once."""
    if not path:
        return None
    try:
        return open(path, "wb")  # written and closed when the wait ends
    except OSError as exc:
        raise UsageError(f"--junit {path}: {(exc.strerror or type(exc).__name__).lower()}") from None


def run_wait(args: Namespace) -> int:
    from k8sdoctor.cli.sources import load_engine, open_client
    from k8sdoctor.wait import ci_report
    from k8sdoctor.wait.session import FAILED, HEALTHY, TIMED_OUT, WaitSession

    if args.snapshot:
        raise UsageError("wait watches a live cluster; --snapshot does not apply", hint=USAGE)
    selector = getattr(args, "selector", None)
    targets = parse_targets(args.targets, selector)
    if selector:
        from k8sdoctor.core.kube.selectors import SelectorError, parse_label_selector

        try:
            parse_label_selector(selector)
        except SelectorError as exc:
            raise UsageError(f"-l {selector}: {exc}") from None
    condition = _condition(args, targets)
    timeout = parse_duration(args.timeout)
    engine = load_engine(args)
    client = open_client(args)
    namespace = args.namespace or client.identity.namespace
    junit = _open_junit(args.junit)
    printer = ProgressPrinter(time.monotonic())
    try:
        outcome = WaitSession(client, engine, namespace, targets, condition, printer).run(timeout)
    finally:
        printer.stop()
    reports = {(r.kind, r.name): _report_text(r, outcome.inventory) for r in outcome.objects if r.result != HEALTHY}
    github = os.environ.get("GITHUB_ACTIONS") == "true"
    if github:
        for line in ci_report.github_annotations(outcome):
            print(line)
    if args.output == "json":
        from k8sdoctor.cli.report import to_json

        sys.stdout.buffer.write(to_json(ci_report.payload(outcome)))
        sys.stdout.flush()
    else:
        _print_text(outcome, reports, github)
    if junit is not None:
        with junit:
            junit.write(ci_report.junit_xml(outcome, reports, "\n".join(printer.lines)))
    return {HEALTHY: EXIT_HEALTHY, FAILED: EXIT_FAILED, TIMED_OUT: EXIT_TIMED_OUT}.get(outcome.result, EXIT_FAILED)


def never_resolves_help() -> str:
    """The causes that fail `wait` at once, for --help."""
    from k8sdoctor.wait.never_resolves import documented

    return "\n".join(f"  {cause:24} {why}" for cause, why in documented())
