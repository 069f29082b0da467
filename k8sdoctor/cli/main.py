"""Entry point for `k8sdoctor`, `kubectl-doctor` and `python -m k8sdoctor`.

Argument parsing only; each command's module is imported when it runs. Errors meant for the user are
printed as one line with exit code 2; an unexpected crash prints one line and writes the traceback to
the log file in the user's state directory.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from typing import NoReturn

from k8sdoctor import __version__

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

    describe = sub.add_parser("describe", help="everything kubectl describe pod shows, findings highlighted", parents=[common])
    describe.add_argument("kind", choices=["pod"], metavar="pod")
    describe.add_argument("name", metavar="NAME")

    logs = sub.add_parser("logs", help="a pod's logs: the failing container by default, --previous for the last run", parents=[common])
    logs.add_argument("kind", choices=["pod"], metavar="pod")
    logs.add_argument("name", metavar="NAME")
    logs.add_argument(
        "-c",
        "--container",
        metavar="C",
        help="container (default: the failing one, then kubectl.kubernetes.io/default-container, then the first)",
    )
    logs.add_argument("-p", "--previous", action="store_true", help="logs of the previous (crashed) run")
    logs.add_argument("-f", "--follow", action="store_true", help="stream new lines")
    logs.add_argument("--tail", type=int, default=200, metavar="N", help="last N lines (default 200; -1 for all)")
    logs.add_argument("--timestamps", action="store_true", help="prefix each line with its timestamp")

    debug = sub.add_parser("debug", help="attach an ephemeral debug container to a pod (asks first)", parents=[common])
    debug.add_argument("kind", choices=["pod"], metavar="pod")
    debug.add_argument("name", metavar="NAME")
    debug.add_argument("--image", metavar="IMG", help="debug image (default: a small toolbox image)")
    debug.add_argument("--target", metavar="C", help="container whose process namespace to share (default: the failing one)")
    debug.add_argument(
        "--profile",
        choices=["general", "baseline", "restricted", "netadmin", "sysadmin"],
        help="security profile (default: chosen from the namespace's Pod Security level)",
    )
    debug.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")
    debug.add_argument("--no-attach", action="store_true", help="create the container, print the attach command, exit 0")

    demo = sub.add_parser("demo", help="open the TUI on a built-in simulated cluster full of broken pods")
    demo.add_argument("--port", type=int, default=0, help="port for the local API server (default: any free port)")
    demo.add_argument("--serve-only", action="store_true", help="only run the demo API server and print a kubeconfig path")
    return parser


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
    args = build_parser().parse_args(argv)
    from k8sdoctor.logfile import configure_logging

    configure_logging(args.debug)
    from k8sdoctor.config import load_settings

    args.read_only = args.read_only or load_settings().read_only
    if args.command == "diagnose":
        from k8sdoctor.cli.diagnose import run_diagnose

        code = run_diagnose(args)
        if quick_exit:
            _exit_without_teardown(code)
        return code
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
