"""Playbook schema and compilation.

A playbook is one failure family (ImagePullBackOff, Pending, ...): what symptom makes it apply, and the
causes that explain that symptom, each with its own match rules, explanation and remediation. The
structure is validated with pydantic (so `docs/playbook.schema.json` can be generated from it); match
clauses and templates are then compiled, and every problem is reported as `field path: reason`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from k8sdoctor.core.matching import MatchSpecError, Node, compile_clause
from k8sdoctor.core.templates import STANDARD_VARS, TemplateError, placeholders

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*[a-z0-9]$"
Severity = Literal["critical", "warning", "info"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StepSpec(_Strict):
    """A remediation step. `command` is a template for a command the user can copy."""

    text: str = Field(min_length=1)
    command: str | None = None


class CauseSpec(_Strict):
    id: str = Field(pattern=ID_PATTERN, description="Stable cause id; scripts depend on it.")
    title: str = Field(min_length=1, description="Short name of the cause.")
    summary: str | None = Field(None, description="One-line template; defaults to the title.")
    severity: Severity | None = None
    match: Any = Field(description="Clause that identifies this cause (see docs/playbooks.md).")
    explanation: str = Field(min_length=1)
    remediation: list[StepSpec] = Field(min_length=1)


class FallbackSpec(_Strict):
    """The cause reported when the symptom matched but no cause did."""

    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    summary: str | None = None
    severity: Severity | None = None
    explanation: str = Field(min_length=1)
    remediation: list[StepSpec] = Field(min_length=1)


class DowngradeSpec(_Strict):
    """When `when` holds, findings get this (lower) severity instead."""

    when: Any
    severity: Severity


class ExampleExpectation(_Strict):
    cause: str | None = Field(description="Expected cause id, or null for 'no finding from this playbook'.")
    container: str | None = None
    severity: Severity | None = None
    evidence: str | None = Field(None, description="A substring the evidence must contain.")


class ExampleSpec(_Strict):
    """An inline test: a pod (partial, merged over a minimal skeleton), its events and logs."""

    name: str = Field(min_length=1)
    source: str | None = Field(None, description="Where the messages come from (URL).")
    pod: dict = Field(default_factory=dict)
    events: list[dict] = Field(default_factory=list)
    logs: dict[str, list[str]] = Field(default_factory=dict, description="container name -> previous log lines")
    objects: list[dict] = Field(default_factory=list, description="Other objects (nodes, PVCs, ...).")
    expect: ExampleExpectation


class PlaybookSpec(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    category: str = Field(min_length=1, description="Failure family shown to users, e.g. ImagePullBackOff.")
    title: str = Field(min_length=1)
    description: str | None = None
    scope: Literal["pod", "container"] = "container"
    severity: Severity = "critical"
    priority: int = Field(50, description="Lower runs first and ranks first among equal severities.")
    select: Literal["first", "all"] = Field("first", description="'all' reports every cause that matches.")
    exclusive: bool = Field(True, description="A finding here stops later playbooks for the same target.")
    match: Any = Field(description="The symptom: when this family applies.")
    downgrade: list[DowngradeSpec] = Field(default_factory=list, description="First matching rule sets the severity.")
    causes: list[CauseSpec] = Field(min_length=1)
    fallback: FallbackSpec
    examples: list[ExampleSpec] = Field(default_factory=list)

    @field_validator("causes")
    @classmethod
    def _unique_causes(cls, causes: list[CauseSpec]) -> list[CauseSpec]:
        seen = set()
        for c in causes:
            if c.id in seen:
                raise ValueError(f"duplicate cause id {c.id!r}")
            seen.add(c.id)
        return causes


@dataclass(frozen=True, slots=True)
class CompiledCause:
    spec: CauseSpec | FallbackSpec
    match: Node | None  # None for the fallback


@dataclass(frozen=True, slots=True)
class Playbook:
    """A validated, compiled playbook, ready for the engine."""

    spec: PlaybookSpec
    match: Node
    downgrade: tuple[tuple[Node, str], ...]
    causes: tuple[CompiledCause, ...]
    fallback: CompiledCause
    path: str  # the file it came from ("<memory>" when compiled from data)
    builtin: bool

    @property
    def id(self) -> str:
        return self.spec.id


class PlaybookSpecError(ValueError):
    """`field` is a dotted path inside the playbook; str() is "field: reason"."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}" if field else reason)
        self.field = field
        self.reason = reason


def _loc(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _check_templates(texts: list[tuple[str, str]], allowed: frozenset[str]) -> None:
    for where, text in texts:
        try:
            used = placeholders(text)
        except TemplateError as exc:
            raise PlaybookSpecError(where, str(exc)) from None
        unknown = sorted(used - allowed)
        if unknown:
            raise PlaybookSpecError(
                where, f"unknown template variable {unknown[0]!r}; available: {', '.join(sorted(allowed))}"
            )


def _template_texts(prefix: str, spec: CauseSpec | FallbackSpec) -> list[tuple[str, str]]:
    texts = [(f"{prefix}.title", spec.title), (f"{prefix}.explanation", spec.explanation)]
    if spec.summary:
        texts.append((f"{prefix}.summary", spec.summary))
    for i, step in enumerate(spec.remediation):
        texts.append((f"{prefix}.remediation[{i}].text", step.text))
        if step.command:
            texts.append((f"{prefix}.remediation[{i}].command", step.command))
    return texts


def compile_playbook(data: Any, path: str = "<memory>", builtin: bool = False) -> Playbook:
    """Validate and compile parsed playbook data; raise PlaybookSpecError naming field and reason."""
    if not isinstance(data, dict):
        raise PlaybookSpecError("", "a playbook must be a mapping at the top level")
    try:
        spec = PlaybookSpec.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise PlaybookSpecError(_loc(err["loc"]), err["msg"]) from None
    try:
        family = compile_clause(spec.match, "match", spec.scope)
        downgrade = tuple(
            (compile_clause(d.when, f"downgrade[{i}].when", spec.scope), d.severity) for i, d in enumerate(spec.downgrade)
        )
        causes = tuple(
            CompiledCause(c, compile_clause(c.match, f"causes[{i}].match", spec.scope)) for i, c in enumerate(spec.causes)
        )
    except MatchSpecError as exc:
        raise PlaybookSpecError(exc.path, exc.reason) from None
    base = STANDARD_VARS | family.captures
    for i, cause in enumerate(causes):
        assert cause.match is not None
        _check_templates(_template_texts(f"causes[{i}]", cause.spec), base | cause.match.captures)
    _check_templates(_template_texts("fallback", spec.fallback), base)
    return Playbook(spec, family, downgrade, causes, CompiledCause(spec.fallback, None), path, builtin)


def playbook_json_schema() -> dict:
    """JSON Schema of the playbook format (for editors and docs)."""
    return PlaybookSpec.model_json_schema()

