"""Shell completion with argcomplete: `k8sdoctor completion bash|zsh|fish` prints the shell side; the
completing side runs only when the shell asks (`_ARGCOMPLETE` set), so normal runs never import this.

Beyond commands and options, it completes from the cluster as kubectl does: namespaces (`-n`), contexts
(`--context`, from the kubeconfig), kinds and KIND/NAME for `diagnose` and `wait`, names of the kind
given, pod names for describe, logs and debug. Cluster reads are metadata-only lists with a short
timeout, cached for CACHE_SECONDS, and never print an error: no answer means no completions.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import time
from pathlib import Path
from typing import Any

import orjson

CACHE_SECONDS = 10.0
TIMEOUT = (1.0, 2.0)  # connect, read: a completion that waits longer is worse than none
MAX_NAMES = 500
SHELLS = ("bash", "zsh", "fish")
EXECUTABLES = ("k8sdoctor", "kubectl-doctor")


def script(shell: str) -> str:
    """The shell code that hooks k8sdoctor's completion into `shell`."""
    import argcomplete

    return argcomplete.shellcode(list(EXECUTABLES), shell=shell)


# ---- cluster lookups, cached ----------------------------------------------------------------------------
def _cache_file() -> Path:
    from platformdirs import user_cache_dir

    return Path(os.environ.get("K8SDOCTOR_CACHE_DIR") or user_cache_dir("k8sdoctor")) / "completion.json"


def _cached(key: str, read) -> list[str]:
    path = _cache_file()
    try:
        cache = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        cache = {}
    if not isinstance(cache, dict):
        cache = {}
    now = time.time()
    hit = cache.get(key)
    if isinstance(hit, dict) and now - hit.get("at", 0) < CACHE_SECONDS and isinstance(hit.get("names"), list):
        return hit["names"]
    names = read()
    cache = {k: v for k, v in cache.items() if isinstance(v, dict) and now - v.get("at", 0) < CACHE_SECONDS}
    cache[key] = {"at": now, "names": names}
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(orjson.dumps(cache))
        tmp.replace(path)
    return names


def _client(parsed: argparse.Namespace):
    from k8sdoctor.cluster.live.client import KubeClient

    return KubeClient(getattr(parsed, "kubeconfig", None), _context(parsed), timeout=TIMEOUT)


def _context(parsed: argparse.Namespace) -> str | None:
    context = getattr(parsed, "context", None)
    return context if context and "," not in context else None


def _names(parsed: argparse.Namespace, kind: str) -> list[str]:
    """Names of a kind in the namespace the command line names (or the context's), from the cluster."""
    from k8sdoctor.cluster.live.client import METADATA_ONLY
    from k8sdoctor.cluster.live.fetch_kinds import collection_path
    from k8sdoctor.core.kube.kinds import BY_KIND
    from k8sdoctor.errors import UserError

    info = BY_KIND[kind]

    def read() -> list[str]:
        try:
            client = _client(parsed)
            namespace = getattr(parsed, "namespace", None) or client.identity.namespace
            page = client.get(collection_path(info, namespace if info.namespaced else None), accept=METADATA_ONLY, limit=MAX_NAMES)
        except (UserError, OSError, ValueError):
            return []
        return sorted(n for i in page.get("items") or () if isinstance(n := (i.get("metadata") or {}).get("name"), str))

    key = "|".join(
        (
            os.environ.get("KUBECONFIG", ""),
            getattr(parsed, "kubeconfig", None) or "",
            _context(parsed) or "",
            getattr(parsed, "namespace", None) or "",
            kind,
        )
    )
    return _cached(key, read)


# ---- completers (argcomplete calls them with prefix, parsed_args, action, parser) ---------------------------
def complete_namespaces(prefix: str, parsed_args: argparse.Namespace, **_kw) -> list[str]:
    return [n for n in _names(parsed_args, "Namespace") if n.startswith(prefix)]


def complete_contexts(prefix: str, parsed_args: argparse.Namespace, **_kw) -> list[str]:
    from k8sdoctor.cluster.live.kubernetes_import import client_parts

    path = getattr(parsed_args, "kubeconfig", None) or os.environ.get("KUBECONFIG") or os.path.expanduser("~/.kube/config")
    parts: Any = client_parts()
    try:
        contexts, _active = parts.list_kube_config_contexts(config_file=path)
    except Exception:  # an unreadable kubeconfig completes nothing
        return []
    head, _, last = prefix.rpartition(",")  # --context a,b,<TAB>
    start = f"{head}," if head else ""
    return [start + c["name"] for c in contexts or () if isinstance(c.get("name"), str) and c["name"].startswith(last)]


def _kind_words(kinds) -> list[str]:
    from k8sdoctor.core.kube.kinds import BY_KIND

    return sorted({w for k in kinds for w in (BY_KIND[k].singular, BY_KIND[k].plural, *BY_KIND[k].short_names)})


def _kind_or_object(prefix: str, parsed: argparse.Namespace, kinds, extra: tuple[str, ...] = ()) -> list[str]:
    """A kind (`deploy`, `pods`), or with a slash, KIND/NAME from the cluster."""
    from k8sdoctor.core.kube.kinds import resolve_kind

    word, slash, name = prefix.partition("/")
    if not slash:
        return [w for w in [*_kind_words(kinds), *extra] if w.startswith(prefix)]
    info = resolve_kind(word)
    if info is None or info.kind not in kinds:
        return []
    return [f"{word}/{n}" for n in _names(parsed, info.kind) if n.startswith(name)]


def complete_diagnose_what(prefix: str, parsed_args: argparse.Namespace, **_kw) -> list[str]:
    from k8sdoctor.core.kube.kinds import SUBJECTS

    return _kind_or_object(prefix, parsed_args, SUBJECTS, ("all",))


def complete_diagnose_name(prefix: str, parsed_args: argparse.Namespace, **_kw) -> list[str]:
    from k8sdoctor.core.kube.kinds import SUBJECTS, resolve_kind

    info = resolve_kind(getattr(parsed_args, "what", "") or "")
    if info is None or info.kind not in SUBJECTS:
        return []
    return [n for n in _names(parsed_args, info.kind) if n.startswith(prefix)]


def complete_wait_targets(prefix: str, parsed_args: argparse.Namespace, **_kw) -> list[str]:
    from k8sdoctor.core.kube.kinds import resolve_kind
    from k8sdoctor.wait.readiness import WAITABLE

    given = getattr(parsed_args, "targets", None) or []
    first = resolve_kind(given[0]) if given and "/" not in given[0] else None
    if first is not None and first.kind in WAITABLE:  # wait deploy NAME <TAB>
        return [n for n in _names(parsed_args, first.kind) if n.startswith(prefix) and n not in given]
    return _kind_or_object(prefix, parsed_args, tuple(WAITABLE))


def complete_pod_names(prefix: str, parsed_args: argparse.Namespace, **_kw) -> list[str]:
    return [n for n in _names(parsed_args, "Pod") if n.startswith(prefix)]


def complete_playbook_ids(prefix: str, **_kw) -> list[str]:
    from k8sdoctor.playbook_files import load_playbooks

    try:
        return sorted(p.id for p in load_playbooks(strict=False).playbooks if p.id.startswith(prefix))
    except Exception:
        return []


def _attach(parser: argparse.ArgumentParser, command: tuple[str, ...] = ()) -> None:
    """Set a completer on every argument that has one, in every subcommand."""
    from argcomplete.completers import FilesCompleter

    files = FilesCompleter()
    by_dest = {"namespace": complete_namespaces, "context": complete_contexts}
    file_dests = {"kubeconfig", "snapshot", "file", "junit", "redaction_rules"}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                _attach(sub, (*command, name))
            continue
        completer: Any = by_dest.get(action.dest)
        if action.dest in file_dests:
            completer = files
        elif command == ("diagnose",) and action.dest == "what":
            completer = complete_diagnose_what
        elif command == ("diagnose",) and action.dest == "name":
            completer = complete_diagnose_name
        elif command == ("wait",) and action.dest == "targets":
            completer = complete_wait_targets
        elif command in (("describe",), ("logs",), ("debug",)) and action.dest == "name":
            completer = complete_pod_names
        elif command == ("playbooks", "show") and action.dest == "id":
            completer = complete_playbook_ids
        if completer is not None:
            action.completer = completer  # type: ignore[attr-defined]


def autocomplete(parser: argparse.ArgumentParser) -> None:
    """Answer the shell's completion request and end the process (argcomplete's protocol)."""
    import argcomplete

    _attach(parser)
    argcomplete.autocomplete(parser)
