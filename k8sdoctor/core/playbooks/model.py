"""Playbooks at run time: plain data compiled into match trees, ready for the engine.

A playbook is one failure family (ImagePullBackOff, Pending, PodsNotCreated, ...) of one subject kind,
or of several kinds that fail the same way (`subject: [Deployment, StatefulSet, Job]`): what symptom
makes it apply, and the causes that explain that symptom, each with its own match rules,
explanation and remediation. Files are validated against the schema in `schema.py` (pydantic) when they
are new or changed; this module works from the validated plain data, so it needs no pydantic. Match
clauses and templates are compiled here, and every problem is reported as `field path: reason`.

A playbook with `extends: ID` adds its causes to family ID (before its own, or after with
`position: last`) instead of replacing it: `extend_playbook` compiles it against that family.
"""

from __future__ import annotations

from typing import NamedTuple

from k8sdoctor.core.kube.kinds import is_namespaced
from k8sdoctor.core.playbooks.matching import LogTest, Node, RelatedTest, compile_for
from k8sdoctor.core.playbooks.predicates import TRUSTED, MatchSpecError
from k8sdoctor.core.playbooks.templates import TemplateError, always_vars, placeholders, required_placeholders, standard_vars


class PlaybookSpecError(ValueError):
    """`field` is a dotted path inside the playbook; str() is "field: reason"."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}" if field else reason)
        self.field = field
        self.reason = reason


class Step(NamedTuple):
    """A remediation step. `command` is a template for a command the user can copy."""

    text: str
    command: str | None = None


class Cause(NamedTuple):
    id: str
    title: str
    explanation: str
    remediation: tuple[Step, ...]
    summary: str | None = None
    severity: str | None = None


class PlaybookInfo(NamedTuple):
    id: str
    category: str
    title: str
    subject: str  # the kind it diagnoses (the first, when it diagnoses several): Pod, Deployment, Service...
    scope: str  # container or pod for Pod; object for every other kind
    severity: str
    priority: int
    select: str
    exclusive: bool
    description: str | None
    #: The validated `examples:` data, each with the `origin` playbook that carries it (run by
    #: `examples.py`, for `k8sdoctor playbooks test`).
    examples: tuple[dict, ...]
    #: Logs the causes read: "" (none), "auto" (the previous run when the container restarted, else the
    #: current one), "previous", "current". Sources fetch them when a finding's symptom holds.
    logs: str
    #: Every kind it diagnoses (`subject` is the first).
    subjects: tuple[str, ...]

    @property
    def subject_label(self) -> str:
        """`Deployment`, or `Deployment+4` for a playbook of five kinds."""
        extra = len(self.subjects) - 1
        return f"{self.subject}+{extra}" if extra else self.subject


class CompiledCause(NamedTuple):
    spec: Cause
    match: Node | None  # None for the fallback


class Playbook(NamedTuple):
    """A validated, compiled playbook, ready for the engine."""

    spec: PlaybookInfo
    match: Node
    downgrade: tuple[tuple[Node, str], ...]
    variants: tuple[tuple[Node, str], ...]  # (when, category)
    causes: tuple[CompiledCause, ...]
    fallback: CompiledCause
    path: str  # the file it came from ("<memory>" when compiled from data)
    builtin: bool

    @property
    def id(self) -> str:
        return self.spec.id


def _check_templates(texts: list[tuple[str, str]], allowed: frozenset[str], always: frozenset[str]) -> None:
    """Every placeholder is a variable the target can have; in prose, one that may be missing is inside
    `[[ ]]` (a command that lacks a value is left out of the finding instead)."""
    for where, text in texts:
        try:
            used = placeholders(text)
        except TemplateError as exc:
            raise PlaybookSpecError(where, str(exc)) from None
        unknown = sorted(used - allowed)
        if unknown:
            raise PlaybookSpecError(where, f"unknown template variable {unknown[0]!r}; available: {', '.join(sorted(allowed))}")
        maybe_missing = sorted(required_placeholders(text) - always)
        if maybe_missing and not where.endswith(".command"):  # a command that lacks a value is not offered
            raise PlaybookSpecError(
                where,
                f"{{{{{maybe_missing[0]}}}}} may have no value here; put it inside an optional segment: [[ ... {{{{{maybe_missing[0]}}}}} ... ]]",
            )


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


def reads_logs(node: Node | None) -> bool:
    """Whether a match tree tests log lines (for the evidence a playbook needs)."""
    if node is None or isinstance(node, RelatedTest):
        return False
    if isinstance(node, LogTest):
        return True
    return any(reads_logs(n) for n in getattr(node, "nodes", ())) or reads_logs(getattr(node, "node", None))


def build_playbook(data: dict, path: str = "<memory>", builtin: bool = False, *, trusted: bool = False) -> Playbook:
    """Compile validated playbook data (`schema.validate_playbook`'s output). `trusted` data has been
    compiled once before (the cache): regexes compile on first use and templates are not rechecked."""
    if data.get("extends"):
        raise PlaybookSpecError("extends", "a playbook that extends another is compiled with extend_playbook")
    token = TRUSTED.set(trusted)
    try:
        return _build(data, path, builtin, trusted)
    finally:
        TRUSTED.reset(token)


def _compile_causes(data: list[dict], subjects: tuple[str, ...], scope: str, prefix: str = "causes") -> tuple[CompiledCause, ...]:
    return tuple(CompiledCause(_cause(c), compile_for(c["match"], f"{prefix}[{i}].match", subjects, scope)) for i, c in enumerate(data))


def subjects_of(data: dict) -> tuple[str, ...]:
    """The kinds a playbook's data names as its subject: one, a list, or Pod by default."""
    subject = data.get("subject") or "Pod"
    return tuple(subject) if isinstance(subject, list) else (subject,)


def _check_causes(causes: tuple[CompiledCause, ...], family: Node, subject: str, scope: str, prefix: str = "causes") -> None:
    base = standard_vars(subject, scope) | family.captures
    always = always_vars(subject, scope, is_namespaced(subject)) | family.guaranteed
    for i, cause in enumerate(causes):
        assert cause.match is not None
        _check_templates(_template_texts(f"{prefix}[{i}]", cause.spec), base | cause.match.captures, always | cause.match.guaranteed)


def _logs_needed(declared: str | None, causes: tuple[CompiledCause, ...]) -> str:
    if declared:
        return declared
    return "auto" if any(reads_logs(c.match) for c in causes) else ""


def _build(data: dict, path: str, builtin: bool, trusted: bool) -> Playbook:
    subjects = subjects_of(data)
    subject = subjects[0]
    scope = data.get("scope") or ("container" if subject == "Pod" else "object")
    try:
        family = compile_for(data["match"], "match", subjects, scope)
        downgrade = tuple(
            (compile_for(d["when"], f"downgrade[{i}].when", subjects, scope), d["severity"])
            for i, d in enumerate(data.get("downgrade") or ())
        )
        variants = tuple(
            (compile_for(v["when"], f"variants[{i}].when", subjects, scope), v["category"])
            for i, v in enumerate(data.get("variants") or ())
        )
        causes = _compile_causes(data["causes"], subjects, scope)
    except MatchSpecError as exc:
        raise PlaybookSpecError(exc.path, exc.reason) from None
    info = PlaybookInfo(
        id=data["id"],
        category=data["category"],
        title=data["title"],
        subject=subject,
        scope=scope,
        severity=data["severity"],
        priority=data["priority"],
        select=data["select"],
        exclusive=data["exclusive"],
        description=data.get("description"),
        examples=tuple({**ex, "origin": data["id"]} for ex in data.get("examples") or ()),
        logs=_logs_needed(data.get("logs"), causes),
        subjects=subjects,
    )
    fallback = CompiledCause(_cause(data["fallback"]), None)
    if not trusted:
        _check_causes(causes, family, subject, scope)
        always = always_vars(subject, scope, is_namespaced(subject)) | family.guaranteed
        _check_templates(_template_texts("fallback", fallback.spec), standard_vars(subject, scope) | family.captures, always)
    return Playbook(info, family, downgrade, variants, causes, fallback, path, builtin)


def extend_playbook(base: Playbook, data: dict, path: str = "<memory>", *, trusted: bool = False) -> Playbook:
    """Family `base` with the causes (and examples) of an `extends:` playbook added: before its own
    causes, or after them with `position: last`. Raise PlaybookSpecError when they do not compile
    against that family (a field its subject lacks, a template variable it does not capture)."""
    token = TRUSTED.set(trusted)
    try:
        try:
            added = _compile_causes(data["causes"], base.spec.subjects, base.spec.scope)
        except MatchSpecError as exc:
            raise PlaybookSpecError(exc.path, exc.reason) from None
        if not trusted:
            _check_causes(added, base.match, base.spec.subject, base.spec.scope)
    finally:
        TRUSTED.reset(token)
    taken = {c.spec.id for c in base.causes} | {base.fallback.spec.id}
    for i, cause in enumerate(added):
        if cause.spec.id in taken:
            raise PlaybookSpecError(f"causes[{i}].id", f"family {base.id} already has a cause {cause.spec.id!r}")
    causes = added + base.causes if data.get("position", "first") == "first" else base.causes + added
    examples = base.spec.examples + tuple({**ex, "origin": data["id"]} for ex in data.get("examples") or ())
    logs = base.spec.logs or _logs_needed(data.get("logs"), added)
    return base._replace(spec=base.spec._replace(examples=examples, logs=logs), causes=causes, path=f"{base.path} + {path}")
