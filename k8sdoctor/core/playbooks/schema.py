"""The playbook schema (pydantic): validates parsed YAML and reports problems as `field path: reason`.

Only used when a playbook file is new or changed (and by `k8sdoctor playbooks validate/schema`):
validated playbooks are cached as plain data, so a normal start does not import pydantic at all.
`docs/playbook.schema.json` is generated from these models.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from k8sdoctor.core.kube.kinds import SUBJECTS
from k8sdoctor.core.playbooks.model import Playbook, PlaybookSpecError, build_playbook

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


class VariantSpec(_Strict):
    """When `when` holds for a target, its findings belong to another category (a container that ran to
    failure and will not restart is Failed, not CrashLoopBackOff); causes and analysis stay the same."""

    when: Any
    category: str = Field(min_length=1)


class ExampleExpectation(_Strict):
    cause: str | None = Field(description="Expected cause id, or null for 'no finding from this playbook'.")
    category: str | None = Field(None, description="Expected category (for playbooks with variants).")
    container: str | None = None
    severity: Severity | None = None
    evidence: str | None = Field(None, description="A substring the evidence must contain.")


class ExampleSpec(_Strict):
    """An inline test: a pod (partial, merged over a minimal skeleton) or, for other subjects, the object
    (`object`); its events, logs and the objects around it."""

    name: str = Field(min_length=1)
    source: str | None = Field(None, description="Where the messages come from (URL).")
    pod: dict = Field(default_factory=dict)
    object: dict = Field(default_factory=dict, description="The subject, for playbooks whose subject is not Pod.")
    events: list[dict] = Field(default_factory=list)
    logs: dict[str, list[str]] = Field(default_factory=dict, description="container name -> previous log lines")
    objects: list[dict] = Field(default_factory=list, description="Other objects (nodes, PVCs, ...).")
    expect: ExampleExpectation


Subject = Literal[SUBJECTS]  # type: ignore[valid-type]


class PlaybookSpec(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    extends: str | None = Field(
        None, pattern=ID_PATTERN, description="Add these causes to the family with this id instead of defining a family."
    )
    position: Literal["first", "last"] = Field("first", description="With extends: try the added causes before or after the family's.")
    subject: Subject | list[Subject] = Field(
        "Pod", description="The kind this playbook diagnoses, or the kinds (a list) that fail the same way; Pod only alone."
    )
    category: str | None = Field(None, min_length=1, description="Failure family shown to users, e.g. ImagePullBackOff.")
    title: str | None = Field(None, min_length=1)
    description: str | None = None
    scope: Literal["pod", "container", "object"] | None = Field(
        None, description="For subject Pod: each container (default) or the pod. Other subjects: the object."
    )
    severity: Severity = "critical"
    priority: int = Field(50, description="Lower runs first and ranks first among equal severities.")
    select: Literal["first", "all"] = Field("first", description="'all' reports every cause that matches.")
    exclusive: bool = Field(True, description="A finding here stops later playbooks for the same target.")
    logs: Literal["auto", "previous", "current"] | None = Field(
        None, description="Logs the causes read (default: auto when a cause tests `log`): the sources fetch them."
    )
    match: Any = Field(None, description="The symptom: when this family applies.")
    downgrade: list[DowngradeSpec] = Field(default_factory=list, description="First matching rule sets the severity.")
    variants: list[VariantSpec] = Field(default_factory=list, description="First matching rule sets the category.")
    causes: list[CauseSpec] = Field(min_length=1)
    fallback: FallbackSpec | None = None
    examples: list[ExampleSpec] = Field(default_factory=list)

    @model_validator(mode="after")
    def _complete(self) -> PlaybookSpec:
        if self.extends:
            extra = [name for name in ("category", "title", "match", "fallback", "scope", "description") if getattr(self, name) is not None]
            if extra or self.downgrade or self.variants:
                more = extra or (["downgrade"] if self.downgrade else ["variants"])
                raise ValueError(f"a playbook that extends {self.extends} gives only causes and examples, not {more[0]}")
            return self
        missing = [name for name in ("category", "title", "match", "fallback") if getattr(self, name) is None]
        if missing:
            raise ValueError(f"missing {missing[0]} (required unless the playbook extends another)")
        kinds = self.subject if isinstance(self.subject, list) else [self.subject]
        if not kinds or len(set(kinds)) != len(kinds):
            raise ValueError("subject: a list of kinds must name each kind once")
        if "Pod" in kinds and len(kinds) > 1:
            raise ValueError("subject: Pod is diagnosed by its own playbooks; list only other kinds")
        if kinds == ["Pod"] and self.scope == "object":
            raise ValueError("scope: object is for subjects other than Pod; use container or pod")
        if kinds != ["Pod"] and self.scope not in (None, "object"):
            raise ValueError(f"scope {self.scope} is for subject Pod; a {kinds[0]} playbook looks at the object")
        return self

    @field_validator("causes")
    @classmethod
    def _unique_causes(cls, causes: list[CauseSpec]) -> list[CauseSpec]:
        seen = set()
        for c in causes:
            if c.id in seen:
                raise ValueError(f"duplicate cause id {c.id!r}")
            seen.add(c.id)
        return causes


def _loc(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def validate_playbook(data: Any) -> dict:
    """The playbook as validated plain data (defaults filled in); raises PlaybookSpecError."""
    if not isinstance(data, dict):
        raise PlaybookSpecError("", "a playbook must be a mapping at the top level")
    try:
        return PlaybookSpec.model_validate(data).model_dump(mode="json")
    except ValidationError as exc:
        err = exc.errors()[0]
        raise PlaybookSpecError(_loc(err["loc"]), err["msg"]) from None


def playbook_json_schema() -> dict:
    """JSON Schema of the playbook format (for editors and docs)."""
    return PlaybookSpec.model_json_schema()


def compile_playbook(data: Any, path: str = "<memory>", builtin: bool = False) -> Playbook:
    """Validate (pydantic) and compile parsed playbook data; raise PlaybookSpecError."""
    return build_playbook(validate_playbook(data), path, builtin)
