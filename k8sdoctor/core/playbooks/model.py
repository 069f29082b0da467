"""Playbooks at run time: plain data compiled into match trees, ready for the engine.

A playbook is one failure family (ImagePullBackOff, Pending, ...): what symptom makes it apply, and the
causes that explain that symptom, each with its own match rules, explanation and remediation. Files are
validated against the schema in `playbook_schema` (pydantic) when they are new or changed; this module
works from the validated plain data, so it needs no pydantic. Match clauses and templates are compiled
here, and every problem is reported as `field path: reason`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from k8sdoctor.core.playbooks.matching import TRUSTED, MatchSpecError, Node, compile_clause
from k8sdoctor.core.playbooks.templates import STANDARD_VARS, TemplateError, placeholders


class PlaybookSpecError(ValueError):
    """`field` is a dotted path inside the playbook; str() is "field: reason"."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}" if field else reason)
        self.field = field
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Step:
    """A remediation step. `command` is a template for a command the user can copy."""

    text: str
    command: str | None = None


@dataclass(frozen=True, slots=True)
class Cause:
    id: str
    title: str
    explanation: str
    remediation: tuple[Step, ...]
    summary: str | None = None
    severity: str | None = None


@dataclass(frozen=True, slots=True)
class Expectation:
    cause: str | None
    container: str | None = None
    severity: str | None = None
    evidence: str | None = None


@dataclass(frozen=True)
class Example:
    """An inline test: a pod (partial, merged over a minimal skeleton), its events and logs."""

    name: str
    expect: Expectation
    source: str | None = None
    pod: dict = field(default_factory=dict)
    events: list = field(default_factory=list)
    logs: dict = field(default_factory=dict)
    objects: list = field(default_factory=list)

    def __post_init__(self) -> None:
        if isinstance(self.expect, dict):  # as read from YAML
            object.__setattr__(self, "expect", Expectation(**self.expect))


@dataclass(frozen=True)
class PlaybookInfo:
    id: str
    category: str
    title: str
    scope: str
    severity: str
    priority: int
    select: str
    exclusive: bool
    description: str | None
    examples: tuple[Example, ...]


@dataclass(frozen=True, slots=True)
class CompiledCause:
    spec: Cause
    match: Node | None  # None for the fallback


@dataclass(frozen=True, slots=True)
class Playbook:
    """A validated, compiled playbook, ready for the engine."""

    spec: PlaybookInfo
    match: Node
    downgrade: tuple[tuple[Node, str], ...]
    causes: tuple[CompiledCause, ...]
    fallback: CompiledCause
    path: str  # the file it came from ("<memory>" when compiled from data)
    builtin: bool

    @property
    def id(self) -> str:
        return self.spec.id


def _check_templates(texts: list[tuple[str, str]], allowed: frozenset[str]) -> None:
    for where, text in texts:
        try:
            used = placeholders(text)
        except TemplateError as exc:
            raise PlaybookSpecError(where, str(exc)) from None
        unknown = sorted(used - allowed)
        if unknown:
            raise PlaybookSpecError(where, f"unknown template variable {unknown[0]!r}; available: {', '.join(sorted(allowed))}")


def _template_texts(prefix: str, spec: Cause) -> list[tuple[str, str]]:
    texts = [(f"{prefix}.title", spec.title), (f"{prefix}.explanation", spec.explanation)]
    if spec.summary:
        texts.append((f"{prefix}.summary", spec.summary))
    for i, step in enumerate(spec.remediation):
        texts.append((f"{prefix}.remediation[{i}].text", step.text))
        if step.command:
            texts.append((f"{prefix}.remediation[{i}].command", step.command))
    return texts


def _cause(data: dict) -> Cause:
    steps = tuple(Step(s["text"], s.get("command")) for s in data["remediation"])
    return Cause(data["id"], data["title"], data["explanation"], steps, data.get("summary"), data.get("severity"))


def build_playbook(data: dict, path: str = "<memory>", builtin: bool = False, *, trusted: bool = False) -> Playbook:
    """Compile validated playbook data (`playbook_schema.validate_playbook`'s output). `trusted` data has
    been compiled once before (the cache): regexes compile on first use and templates are not rechecked."""
    token = TRUSTED.set(trusted)
    try:
        return _build(data, path, builtin, trusted)
    finally:
        TRUSTED.reset(token)


def _build(data: dict, path: str, builtin: bool, trusted: bool) -> Playbook:
    info = PlaybookInfo(
        id=data["id"],
        category=data["category"],
        title=data["title"],
        scope=data["scope"],
        severity=data["severity"],
        priority=data["priority"],
        select=data["select"],
        exclusive=data["exclusive"],
        description=data.get("description"),
        examples=tuple(Example(**ex) for ex in data.get("examples") or ()),
    )
    try:
        family = compile_clause(data["match"], "match", info.scope)
        downgrade = tuple(
            (compile_clause(d["when"], f"downgrade[{i}].when", info.scope), d["severity"])
            for i, d in enumerate(data.get("downgrade") or ())
        )
        causes = tuple(
            CompiledCause(_cause(c), compile_clause(c["match"], f"causes[{i}].match", info.scope)) for i, c in enumerate(data["causes"])
        )
    except MatchSpecError as exc:
        raise PlaybookSpecError(exc.path, exc.reason) from None
    fallback = CompiledCause(_cause(data["fallback"]), None)
    if not trusted:
        base = STANDARD_VARS | family.captures
        for i, cause in enumerate(causes):
            assert cause.match is not None
            _check_templates(_template_texts(f"causes[{i}]", cause.spec), base | cause.match.captures)
        _check_templates(_template_texts("fallback", fallback.spec), base)
    return Playbook(info, family, downgrade, causes, fallback, path, builtin)
