"""The `:` command line, as k9s users type it: a kind (`:deploy`, `:svc`, kubectl's names and short
names), `:problems`, `:ns NAME`, `:ctx NAME`, `:q`. Parsing only; the app carries the command out."""

from __future__ import annotations

from dataclasses import dataclass

from k8sdoctor.core.kube.kinds import BY_KIND, resolve_kind

#: The kinds that have a view, with the word the prompt completes to (k9s's aliases).
VIEWS: dict[str, str] = {
    "pods": "Pod",
    "deploy": "Deployment",
    "sts": "StatefulSet",
    "ds": "DaemonSet",
    "rs": "ReplicaSet",
    "jobs": "Job",
    "cj": "CronJob",
    "svc": "Service",
    "ing": "Ingress",
    "pvc": "PersistentVolumeClaim",
    "nodes": "Node",
    "hpa": "HorizontalPodAutoscaler",
}
PROBLEMS = "problems"
#: Every word the prompt completes (namespaces and contexts are added as the prompt learns them).
WORDS: tuple[str, ...] = (*VIEWS, PROBLEMS, "ns", "ctx", "quit")


@dataclass(frozen=True)
class Command:
    """What a command line asks for: `view` (a kind, or "problems"), `namespace` (None: all), `context`,
    or `quit`."""

    action: str  # "view", "namespace", "context", "quit"
    kind: str = ""
    argument: str | None = None


class CommandError(ValueError):
    """A command line that cannot be carried out; its text says why in one line."""


def parse_command(text: str) -> Command:
    words = text.strip().removeprefix(":").split()
    if not words:
        raise CommandError("Type a view (pods, deploy, svc, problems...), ns NAME or ctx NAME.")
    word, rest = words[0].lower(), words[1:]
    if word in ("q", "q!", "quit", "exit"):
        return Command("quit")
    if word in ("ns", "namespace", "namespaces"):
        if not rest:
            raise CommandError("ns needs a namespace: ns NAME (ns all: every namespace).")
        return Command("namespace", argument=None if rest[0] in ("all", "-A", "*") else rest[0])
    if word in ("ctx", "context", "contexts"):
        if not rest:
            raise CommandError("ctx needs a context name: ctx NAME.")
        return Command("context", argument=rest[0])
    if word in (PROBLEMS, "problem", "pb"):
        return Command("view", PROBLEMS)
    if word in VIEWS:
        return Command("view", VIEWS[word], rest[0] if rest else None)
    info = resolve_kind(word)
    if info is not None and info.kind in VIEWS.values():
        return Command("view", info.kind, rest[0] if rest else None)
    if info is not None:
        raise CommandError(f"No view for {info.plural}: k8sdoctor shows the kinds it diagnoses ({', '.join(VIEWS)}).")
    raise CommandError(f'Unknown command "{word}". Views: {", ".join(VIEWS)}, {PROBLEMS}; ns NAME; ctx NAME.')


def view_word(kind: str) -> str:
    """The command word of a kind's view (`deploy` for Deployment)."""
    return next((word for word, k in VIEWS.items() if k == kind), BY_KIND[kind].plural if kind in BY_KIND else kind)
