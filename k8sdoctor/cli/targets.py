"""What `diagnose` is asked about, in kubectl's words: `pod NAME`, `po NAME`, `pod/NAME`, `deploy/NAME`,
`svc NAME`, `deployments` (every one), `all` (every kind a playbook diagnoses, pods included)."""

from __future__ import annotations

from typing import NamedTuple

from k8sdoctor.core.kube.kinds import BY_KIND, KINDS, SUBJECTS, resolve_kind
from k8sdoctor.errors import UsageError

#: Shown under a usage error.
USAGE = "usage: k8sdoctor diagnose KIND[/NAME]|all [NAME] [-n NS | -A] [-l SELECTOR] [-o text|json|yaml|markdown]"


class Target(NamedTuple):
    kinds: tuple[str, ...]  # the kinds to diagnose, in report order
    name: str | None = None  # one object, or every object of `kinds` in scope

    @property
    def single(self) -> bool:
        return self.name is not None

    @property
    def kind(self) -> str:
        return self.kinds[0]


def _kind(word: str) -> str:
    info = resolve_kind(word)
    if info is None or info.kind not in SUBJECTS:
        from k8sdoctor.core.suggest import close_matches

        words = sorted({w for k in KINDS if k.kind in SUBJECTS for w in (k.singular, k.plural, *k.short_names)} | {"all"})
        close = close_matches(word.lower(), words)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        if info is not None:
            raise UsageError(
                f'k8sdoctor does not diagnose {info.plural} (it reads them for other kinds); kinds: {", ".join(SUBJECTS)}', hint=USAGE
            )
        raise UsageError(f'unknown kind "{word}"{hint}', hint=USAGE)
    return info.kind


def parse_target(what: str, name: str | None) -> Target:
    """`what` as kubectl takes it, with an optional NAME; raises UsageError with "did you mean"."""
    if what.lower() == "all":
        if name:
            raise UsageError(f'"all" takes no name (got "{name}"); to diagnose one object use KIND/NAME', hint=USAGE)
        return Target(SUBJECTS)
    if "/" in what:
        word, _, slash_name = what.partition("/")
        if not slash_name or "/" in slash_name:
            raise UsageError(f'"{what}": expected KIND/NAME, as in deploy/web', hint=USAGE)
        if name:
            raise UsageError(f'"{what}" names the object already; drop "{name}"', hint=USAGE)
        return Target((_kind(word),), slash_name)
    return Target((_kind(what),), name or None)


def kinds_help() -> str:
    """The kinds `diagnose` takes, with their short names, for --help."""
    return ", ".join(
        f"{BY_KIND[k].singular}" + (f" ({'/'.join(BY_KIND[k].short_names)})" if BY_KIND[k].short_names else "") for k in SUBJECTS
    )
