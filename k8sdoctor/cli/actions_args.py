"""The options of `k8sdoctor describe|logs|debug pod` (argparse only: imported for every command, so it
imports nothing else)."""

from __future__ import annotations

import argparse

DESCRIBE_HELP = """\
Everything `kubectl describe pod` shows. Piped or redirected, the output is exactly kubectl 1.32's, byte
for byte (`k8sdoctor describe pod X | diff - <(kubectl describe pod X)` is empty), but for one line: where
kubectl prints `Events: <none>` for events it was not allowed to read, k8sdoctor says it could not read
them. On a terminal, control characters in the cluster's text are shown as escapes. --explain adds what
k8sdoctor knows: a waiting container's message, and a mark on every line the diagnosis cites as evidence."""

LOGS_HELP = """\
A container's logs, as `kubectl logs` reads them, with the same flags.
Piped or redirected, the output is exactly the bytes kubectl writes for the same flags: long lines whole,
bytes that are not UTF-8 as they are, so `k8sdoctor logs pod X | jq` works. On a terminal, each line is
made safe (escape sequences shown as text, invalid UTF-8 as U+FFFD), cut after 16,384 characters and
folded to the terminal's width.
Without -c, k8sdoctor reads the failing container, then the one the kubectl.kubernetes.io/default-container
annotation names, then the first (kubectl: the annotation, then the first). When a container has no logs,
it says why and shows the pod's events (on stderr when piped), and exits 1."""


def add_action_parsers(sub, common: argparse.ArgumentParser) -> None:
    """Add `describe`, `logs` and `debug` to the subcommands `sub`."""
    raw = argparse.RawDescriptionHelpFormatter
    describe = sub.add_parser(
        "describe",
        help="everything kubectl describe pod shows (--explain: the evidence marked)",
        description=DESCRIBE_HELP,
        formatter_class=raw,
        parents=[common],
    )
    describe.add_argument("kind", choices=["pod"], metavar="pod")
    describe.add_argument("name", metavar="NAME")
    describe.add_argument(
        "--explain", action="store_true", help="add a waiting container's message and mark the lines the diagnosis cites as evidence"
    )

    logs = sub.add_parser(
        "logs", help="a pod's logs, as kubectl logs writes them when piped", description=LOGS_HELP, formatter_class=raw, parents=[common]
    )
    logs.add_argument("kind", choices=["pod"], metavar="pod")
    logs.add_argument("name", metavar="NAME")
    which = logs.add_mutually_exclusive_group()
    which.add_argument(
        "-c",
        "--container",
        metavar="C",
        help="container (default: the failing one, then kubectl.kubernetes.io/default-container, then the first)",
    )
    which.add_argument(
        "--all-containers", action="store_true", help="every container: init (sidecars too), app, then ephemeral ones, one after another"
    )
    logs.add_argument("--prefix", action="store_true", help="begin each line with [pod/NAME/CONTAINER], as kubectl logs --prefix")
    logs.add_argument("-p", "--previous", action="store_true", help="logs of the previous (crashed) run")
    logs.add_argument("-f", "--follow", action="store_true", help="stream new lines (all containers at once with --all-containers)")
    logs.add_argument("--tail", type=int, default=-1, metavar="N", help="last N lines (default -1: all, as kubectl)")
    since = logs.add_mutually_exclusive_group()
    since.add_argument("--since", metavar="DURATION", help="only lines newer than this: 30s, 5m, 2h, 1h30m")
    since.add_argument("--since-time", metavar="TIME", help="only lines written at or after this RFC 3339 time")
    logs.add_argument("--timestamps", action="store_true", help="begin each line with the time the kubelet recorded it")
    logs.add_argument("--limit-bytes", type=int, metavar="N", help="at most N bytes of each container's log")

    debug = sub.add_parser("debug", help="attach an ephemeral debug container to a pod (asks first)", parents=[common])
    debug.add_argument("kind", choices=["pod"], metavar="pod")
    debug.add_argument("name", metavar="NAME")
    debug.add_argument("--image", metavar="IMG", help="debug image (default: a small toolbox image)")
    debug.add_argument(
        "--target", metavar="C", help="container (app or init, sidecars too) whose process namespace to share (default: the failing one)"
    )
    debug.add_argument(
        "--profile",
        choices=["general", "baseline", "restricted", "netadmin", "sysadmin"],
        help="security profile (default: chosen from the namespace's Pod Security level)",
    )
    debug.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")
    debug.add_argument("--no-attach", action="store_true", help="create the container, print the attach command, exit 0")
