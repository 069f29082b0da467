"""Entry point for `k8sdoctor`, `kubectl-doctor` and `python -m k8sdoctor`.

Argument parsing only; each command's module is imported when it runs. Errors meant for the user are
printed as one line with exit code 2; an unexpected crash prints one line and writes the traceback to
the log file in the user's state directory.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from typing import NoReturn

from k8sdoctor import __version__
from k8sdoctor.cli.actions_args import add_action_parsers

FORMATS = ("text", "json", "yaml", "markdown")
EXIT_CODES = (
    "exit codes:\n"
    "  0  everything diagnosed is healthy\n"
    "  1  a problem was found (a critical or warning finding)\n"
    "  2  usage, connection, auth or input error (one line on stderr)\n"
    "  130  interrupted"
)


def _source_options(top: bool) -> argparse.ArgumentParser:
    """Options shared by every command that reads a cluster or a snapshot.

    They may be given before or after the command. Below the top level their defaults are suppressed,
    so a value given before the command is not reset by the subcommand's own default.
    """

    def d(value):
        return value if top else argparse.SUPPRESS

    p = argparse.ArgumentParser(add_help=False)
    g = p.add_argument_group("cluster")
    g.add_argument("--kubeconfig", metavar="PATH", default=d(None), help="kubeconfig file (default: $KUBECONFIG or ~/.kube/config)")
    g.add_argument("--context", metavar="NAME", default=d(None), help="kubeconfig context to use")
    g.add_argument("-n", "--namespace", metavar="NS", default=d(None), help="namespace (default: the context's namespace, else 'default')")
    g.add_argument("--snapshot", metavar="PATH", default=d(None), help="diagnose a saved cluster state instead of a live cluster")
    g.add_argument("--playbooks", metavar="DIR", action="append", default=d([]), help="extra playbook directory (repeatable)")
    g.add_argument("--debug", action="store_true", default=d(False), help="verbose logging to the log file")
    g.add_argument(
        "--read-only", action="store_true", default=d(False), help="disable the debug action (no writes at all); also a config setting"
    )
    g.add_argument(
        "--request-timeout",
        type=float,
        metavar="SECONDS",
        default=d(30.0),
        help="give up on an API request that sends nothing for this long (default 30)",
    )
    return p


class _DiagnoseHelp(argparse.RawDescriptionHelpFormatter):
    """Fills in the kinds `diagnose` takes when help is shown, so parsing imports nothing for it."""

    def add_text(self, text: str | None) -> None:
        if text and "{kinds}" in text:
            from k8sdoctor.cli.targets import kinds_help

            text = text.replace("{kinds}", kinds_help())
        super().add_text(text)


def build_parser() -> argparse.ArgumentParser:
    common = _source_options(top=False)
    parser = argparse.ArgumentParser(
        prog="k8sdoctor",
        description="Find out why pods and workloads are broken: the cause, the evidence, and what to do next.",
        parents=[_source_options(top=True)],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=f"With no command, opens the interactive TUI. `k8sdoctor demo` tries it on a simulated cluster.\n\n{EXIT_CODES}",
    )
    parser.add_argument("--version", action="version", version=f"k8sdoctor {__version__}")
    parser.add_argument("-A", "--all-namespaces", action="store_true", help="TUI: watch all namespaces")
    parser.add_argument("-l", "--selector", metavar="SELECTOR", help="TUI: label selector")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    diag = sub.add_parser(
        "diagnose",
        help="diagnose one object, every object of a kind, or all of them; print the findings",
        description="Diagnose one object (KIND NAME or KIND/NAME, as kubectl takes them), every object of a kind "
        "in the namespace (KIND without a name: pods, deploy, svc...), or every kind at once (all).",
        parents=[common],
        formatter_class=_DiagnoseHelp,
        epilog="kinds: {kinds}\n\n"
        "examples:\n"
        "  k8sdoctor diagnose pod web-7d9f8b6c5d-x2x7q    one pod (also po NAME, pod/NAME)\n"
        "  k8sdoctor diagnose deploy/web                   a Deployment, then its pods with problems\n"
        "  k8sdoctor diagnose pods -A -o json              every pod of every namespace\n"
        "  k8sdoctor diagnose all -n shop                  every kind in one namespace\n\n"
        f"{EXIT_CODES}",
    )
    diag.add_argument("what", metavar="KIND[/NAME]|all", help="what to diagnose: a kind, KIND/NAME, or all")
    diag.add_argument("name", metavar="NAME", nargs="?", help="the object's name (with KIND)")
    diag.add_argument("-A", "--all-namespaces", action="store_true", default=argparse.SUPPRESS, help="all namespaces")
    diag.add_argument("-l", "--selector", metavar="SELECTOR", default=argparse.SUPPRESS, help="label selector, as kubectl get -l")
    diag.add_argument("-o", "--output", choices=FORMATS, default="text", help="text (default; respects NO_COLOR), json, yaml or markdown")
    diag.add_argument("--show-healthy", action="store_true", help="text output: also list healthy objects")
    diag.add_argument(
        "--all-contexts",
        action="store_true",
        help="every context of the kubeconfig, concurrently (or --context a,b,c); adds a CONTEXT column",
    )

    playbook_dirs = argparse.ArgumentParser(add_help=False)
    playbook_dirs.add_argument(
        "--playbooks", metavar="DIR", action="append", default=argparse.SUPPRESS, help="extra playbook directory (repeatable)"
    )
    playbook_dirs.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="verbose logging to the log file")
    pb = sub.add_parser("playbooks", help="list, show, validate and test playbooks", parents=[playbook_dirs])
    pbsub = pb.add_subparsers(dest="action", metavar="list|show|validate|test|schema", required=True)
    pbsub.add_parser("list", help="id, subject, category, causes and source of each playbook", parents=[playbook_dirs])
    show = pbsub.add_parser("show", help="print one playbook", parents=[playbook_dirs])
    show.add_argument("id", metavar="ID")
    val = pbsub.add_parser("validate", help="check playbook files against the schema", parents=[playbook_dirs])
    val.add_argument("paths", nargs="*", metavar="PATH")
    test = pbsub.add_parser("test", help="run the examples playbooks carry", parents=[playbook_dirs])
    test.add_argument("paths", nargs="*", metavar="PATH")
    pbsub.add_parser("schema", help="print the playbook JSON Schema", parents=[playbook_dirs])

    add_action_parsers(sub, common)

    _add_integrations(sub, common)

    demo = sub.add_parser("demo", help="open the TUI on a built-in simulated cluster full of broken pods")
    demo.add_argument("--port", type=int, default=0, help="port for the local API server (default: any free port)")
    demo.add_argument("--serve-only", action="store_true", help="only run the demo API server and print a kubeconfig path")
    return parser


def _add_integrations(sub, common: argparse.ArgumentParser) -> None:
    """`wait`, `capture`, `completion` and `serve`: where people already work (CI, tickets, shells,
    Prometheus)."""
    from k8sdoctor.cli.wait import EXIT_CODES as WAIT_EXIT_CODES
    from k8sdoctor.cli.wait import never_resolves_help

    wait = sub.add_parser(
        "wait",
        help="wait until workloads are healthy (a Job: complete); on failure, say why (a CI gate)",
        description="Watch workloads (list+watch) until they are healthy, a Job until it completes. Fails early, with "
        "the diagnosis of the workload and its failing pods, when a cause waiting cannot resolve shows up.",
        parents=[common],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n"
        "  k8sdoctor wait deploy/web --timeout 5m          a rollout, as kubectl rollout status\n"
        "  k8sdoctor wait sts/db ds/agent                   several objects\n"
        "  k8sdoctor wait job/migrate --for complete        a Job\n"
        "  k8sdoctor wait pods -l app=web --junit out.xml   every pod a selector matches, JUnit report\n\n"
        "fails at once on these causes (waiting cannot resolve them):\n"
        f"{never_resolves_help()}\n\n"
        "With GITHUB_ACTIONS=true it also prints ::error annotations.\n\n"
        f"{WAIT_EXIT_CODES}",
    )
    wait.add_argument("targets", nargs="*", metavar="KIND/NAME|KIND NAME", help="deploy/web, sts/db, ds/agent, rs/x, job/migrate, pod/x")
    wait.add_argument(
        "-l", "--selector", metavar="SELECTOR", default=argparse.SUPPRESS, help="every object of KIND it matches (pods without KIND)"
    )
    wait.add_argument("--for", dest="condition", choices=("healthy", "complete"), help="healthy (default; a Job: complete)")
    wait.add_argument("--timeout", default="5m", metavar="DURATION", help="give up after this long: 90s, 5m, 1h (default 5m)")
    wait.add_argument("-o", "--output", choices=("text", "json"), default="text", help="text (default) or json")
    wait.add_argument("--junit", metavar="FILE", help="also write a JUnit XML report to FILE")

    capture = sub.add_parser(
        "capture",
        help="write a redacted bundle of what the diagnosis reads, for a bug report or a ticket",
        description="Read what `diagnose all` reads (pods, events, workloads, every other kind, nodes, log tails of "
        "failing containers, current and previous) into one .tar.gz. Secret values are never read (names and key "
        "names only); env values, annotations, commands, termination messages and log lines go through redaction "
        "rules (tokens, passwords, keys, connection strings, emails; IPs with --redact ips), and the bundle's "
        "manifest lists the rules, what each removed, and what was cut.",
        parents=[common],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n"
        "  k8sdoctor capture -n shop -f shop.tar.gz\n"
        "  k8sdoctor capture -A --redact ips -f cluster.tar.gz\n"
        "  k8sdoctor diagnose all -A --snapshot cluster.tar.gz    read it back (or: k8sdoctor --snapshot cluster.tar.gz)",
    )
    capture.add_argument("-f", "--file", required=True, metavar="BUNDLE", help="where to write the bundle (.tar.gz)")
    capture.add_argument("-A", "--all-namespaces", action="store_true", default=argparse.SUPPRESS, help="all namespaces")
    capture.add_argument(
        "-l", "--selector", metavar="SELECTOR", default=argparse.SUPPRESS, help="only the objects it matches, and what their pods lead to"
    )
    capture.add_argument("--redact", action="append", default=[], metavar="GROUP", help="also redact an optional rule group: ips")
    capture.add_argument("--redaction-rules", metavar="FILE", help="redaction rules to use instead of the built-in ones (YAML)")

    serve = sub.add_parser(
        "serve",
        help="run in a cluster: findings as Prometheus metrics, /healthz, /readyz, optionally Kubernetes Events",
        description="Watch the cluster with the same informers and engine as the TUI and keep it diagnosed. Serves "
        "/metrics (k8sdoctor_findings{namespace,kind,name,category,cause,severity}, counts by cause, watch health, "
        "diagnosis latency), /healthz and /readyz. Uses the in-cluster config inside a pod, a kubeconfig elsewhere. "
        "Manifests: deploy/in-cluster/.",
        parents=[common],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="--emit-events is k8sdoctor's only write besides `debug`: it creates Events (reason Diagnosed) and needs\n"
        "the events: create permission of deploy/in-cluster/rbac-events.yaml. Every event is logged as sent.",
    )
    serve.add_argument(
        "--listen", default="127.0.0.1:8080", metavar="HOST:PORT", help="where to serve (default 127.0.0.1:8080; in a pod: 0.0.0.0:8080)"
    )
    serve.add_argument(
        "-A", "--all-namespaces", action="store_true", default=argparse.SUPPRESS, help="all namespaces (the default without -n)"
    )
    serve.add_argument("--interval", type=float, default=2.0, metavar="SECONDS", help="at most one diagnosis pass this often (default 2)")
    serve.add_argument("--max-series", type=int, default=10_000, metavar="N", help="at most N k8sdoctor_findings series (default 10000)")
    serve.add_argument(
        "--emit-events",
        action="store_true",
        help="create a Kubernetes Event when an object's findings start or change (a write; off by default)",
    )
    serve.add_argument(
        "--event-interval", type=float, default=300.0, metavar="SECONDS", help="at most one event per object this often (default 300)"
    )

    completion = sub.add_parser(
        "completion",
        help="print the shell code for tab completion (bash, zsh, fish)",
        description="Print the shell code that completes k8sdoctor's commands, options, namespaces, contexts, kinds and "
        "object names (read from the cluster, cached briefly).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="setup, one line:\n"
        '  bash  (~/.bashrc)   eval "$(k8sdoctor completion bash)"\n'
        '  zsh   (~/.zshrc)    eval "$(k8sdoctor completion zsh)"      (after compinit)\n'
        "  fish                k8sdoctor completion fish > ~/.config/fish/completions/k8sdoctor.fish",
    )
    completion.add_argument("shell", choices=("bash", "zsh", "fish"))


def _log_crash(exc: BaseException) -> str:
    """Write the traceback to the state-dir log; return the log path."""
    import traceback

    from k8sdoctor.logfile import log_path

    path = log_path()
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    return str(path)


def _exit_without_teardown(code: int) -> NoReturn:
    """End the process once a one-shot command is done, skipping the interpreter's teardown of every
    imported module (about 30 ms, a sixth of a `diagnose pod`). Output is flushed and the exit handlers
    run first: the kubeconfig loader's removal of its temporary certificate files, the log's flush."""
    import atexit
    import os

    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe or stream: nothing more can reach it
            stream.flush()
    atexit._run_exitfuncs()
    os._exit(code)


def run(argv: list[str] | None = None, *, quick_exit: bool = False) -> int:
    """Run one command; with `quick_exit`, a one-shot command's process ends as soon as it is done."""
    parser = build_parser()
    if "_ARGCOMPLETE" in os.environ:  # the shell asks for completions: answer, and exit
        from k8sdoctor.cli.completion import autocomplete

        autocomplete(parser)
    args = parser.parse_args(argv)
    from k8sdoctor.logfile import configure_logging

    configure_logging(args.debug)
    from k8sdoctor.config import load_settings

    args.read_only = args.read_only or load_settings().read_only
    if args.command == "diagnose":
        from k8sdoctor.cli.contexts import wants_several

        if wants_several(args):
            from k8sdoctor.cli.contexts import run_contexts

            return run_contexts(args)
        from k8sdoctor.cli.diagnose import run_diagnose

        code = run_diagnose(args)
        if quick_exit:
            _exit_without_teardown(code)
        return code
    if args.command == "wait":
        from k8sdoctor.cli.wait import run_wait

        return run_wait(args)
    if args.command == "capture":
        from k8sdoctor.cli.capture import run_capture

        return run_capture(args)
    if args.command == "completion":
        from k8sdoctor.cli.completion import script

        sys.stdout.write(script(args.shell))
        return 0
    if args.command == "serve":
        from k8sdoctor.cli.serve import run_serve

        return run_serve(args)
    if args.command == "playbooks":
        from k8sdoctor.cli.playbooks_cmd import run_playbooks

        return run_playbooks(args)
    if args.command in ("describe", "logs", "debug"):
        from k8sdoctor.cli import actions_cmd

        return getattr(actions_cmd, f"run_{args.command}")(args)
    if args.command == "demo":
        from k8sdoctor.cli.demo import run_demo

        return run_demo(args)
    from k8sdoctor.cli.tui_cmd import run_tui

    return run_tui(args)


def main(argv: list[str] | None = None, *, quick_exit: bool = False) -> int:
    from k8sdoctor.errors import NotFoundError, UserError
    from k8sdoctor.sanitize import one_line, safe

    try:
        return run(argv, quick_exit=quick_exit)
    except NotFoundError as exc:
        print(f"k8sdoctor: error: {safe(exc)}", file=sys.stderr)
        if exc.suggestions:
            print(f"did you mean: {', '.join(one_line(s) for s in exc.suggestions)}?", file=sys.stderr)
        return exc.exit_code
    except UserError as exc:
        print(f"k8sdoctor: error: {safe(exc)}", file=sys.stderr)
        if exc.hint:
            print(safe(exc.hint), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        path = _log_crash(exc)
        print(f"k8sdoctor: internal error: {type(exc).__name__}: {safe(exc)} (details in {path})", file=sys.stderr)
        return 2


def console_main() -> NoReturn:
    """The `k8sdoctor` and `kubectl-doctor` commands."""
    sys.exit(main(quick_exit=True))


if __name__ == "__main__":  # pragma: no cover
    console_main()
