"""The playbook match language: fields, predicates and clauses, compiled once, evaluated per pod.

A clause is a mapping of field → predicate (all must hold), or `{all: [...]}`, `{any: [...]}`,
`{not: clause}`. A predicate is a scalar (equals), a list (one of), or a mapping of operators:
`equals`, `in`, `not_in`, `regex`, `contains`, `startswith`, `gt`, `gte`, `lt`, `lte`, `exists`,
`not`. Three fields look at collections: `event` (a mapping of event sub-fields), `log` (each log line
of the container), and `message` (every status and event message in scope).

Every test that holds records what it matched as `Evidence`, quoted verbatim, and regex named groups
become template variables. See docs/playbooks.md for the full reference.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from k8sdoctor.core.facts import ContainerFact, EventFact, PodFacts
from k8sdoctor.core.findings import Evidence
from k8sdoctor.core.kube.timeutil import human_duration
from k8sdoctor.core.playbooks.regex_safety import UnsafeRegex, bounded, compile_linear, compile_safe

QUOTE_CHARS = 2000

#: Set while compiling playbooks that were validated before (the cache): their regexes are known to be
#: safe, so they are compiled when first used, and capture names are not collected for template checks.
TRUSTED: ContextVar[bool] = ContextVar("trusted_playbook", default=False)


class _LazyPattern:
    """A regex compiled on first use (a one-shot run evaluates few of the playbooks' patterns)."""

    __slots__ = ("_compiled", "source")

    def __init__(self, source: str) -> None:
        self.source = source
        self._compiled: Any = None

    def search(self, text: str) -> Any:
        if self._compiled is None:
            self._compiled = compile_linear(self.source)  # linear-time: see regex_safety
        return self._compiled.search(text)


class MatchSpecError(ValueError):
    """A clause or predicate is malformed. `path` is the field path inside the playbook."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass(slots=True)
class MatchContext:
    facts: PodFacts
    container: ContainerFact | None
    events: list[EventFact]  # the events in scope, newest first
    #: Results of event rules, shared by the containers of one pod whose events in scope are the same
    #: list: a pod with many containers and many events is not rescanned once per container.
    memo: dict = field(default_factory=dict)


@dataclass(slots=True)
class Hit:
    evidence: list[Evidence] = field(default_factory=list)
    captures: dict[str, str] = field(default_factory=dict)

    def merge(self, other: Hit) -> None:
        for ev in other.evidence:
            if ev not in self.evidence:
                self.evidence.append(ev)
        for k, v in other.captures.items():
            self.captures.setdefault(k, v)


def quote(text: str) -> str:
    """Evidence text: verbatim, cut only when enormous."""
    if len(text) <= QUOTE_CHARS:
        return text
    return f"{text[:QUOTE_CHARS]}… ({len(text) - QUOTE_CHARS} more characters)"


# ---- fields -----------------------------------------------------------------------------------
# A getter returns (value, where) pairs; `where` is None for derived values that are not quoted.
Values = list[tuple[Any, "str | None"]]


def _c(ctx: MatchContext) -> ContainerFact:
    assert ctx.container is not None
    return ctx.container


def _one(value: Any, where: str | None) -> Values:
    if value is None or value == "":
        return []
    return [(value, where)]


def _spec_path(c: ContainerFact) -> str:
    key = {"init": "initContainers", "sidecar": "initContainers", "ephemeral": "ephemeralContainers"}
    return f"spec.{key.get(c.kind, 'containers')}[{c.name}]"


#: The shape of a scheduler verdict, across versions (see ../shared/notes/message-formats.md section 2).
SCHEDULER_MESSAGE = re.compile(
    r"nodes are (?:available|unavailable)|failed to fit in any node|No nodes are available that match"
    r"|unbound immediate PersistentVolumeClaims|no nodes available to schedule pods"
)


def _scheduling_message(x: MatchContext) -> Values:
    """The freshest scheduler verdict: the PodScheduled condition's message, else the newest
    FailedScheduling (or scheduler-shaped) event. Older verdicts are stale and ignored."""
    cond = x.facts.conditions.get("PodScheduled") or {}
    msg = cond.get("message")
    if cond.get("status") != "True" and isinstance(msg, str) and msg:
        return [(msg, "status.conditions[PodScheduled].message")]
    for e in x.events:
        if e.reason == "FailedScheduling" or SCHEDULER_MESSAGE.search(e.message):
            return [(e.message, event_source(e, x.facts.now))]
    return []


POD_FIELDS: dict[str, Callable[[MatchContext], Values]] = {
    "pod.scheduling_message": _scheduling_message,
    "pod.phase": lambda x: _one(x.facts.phase, None),
    "pod.reason": lambda x: _one(x.facts.reason, "status.reason"),
    "pod.message": lambda x: _one(x.facts.message, "status.message"),
    "pod.node": lambda x: _one(x.facts.node_name, "spec.nodeName"),
    "pod.scheduled": lambda x: [(x.facts.scheduled, None)],
    "pod.event_count": lambda x: [(len(x.events), None)],
    "pod.age": lambda x: _one(x.facts.age_seconds, None),
    "pod.restart_policy": lambda x: _one(x.facts.restart_policy, "spec.restartPolicy"),
    "pod.scheduler_name": lambda x: _one(x.facts.scheduler_name, "spec.schedulerName"),
    "pod.scheduling_gates": lambda x: [(g, "spec.schedulingGates") for g in x.facts.scheduling_gates],
    "pod.deleting": lambda x: [(x.facts.deleting, None)],
    "pod.owner_kind": lambda x: _one(x.facts.owner_kind, "metadata.ownerReferences"),
    "pod.waiting_reasons": lambda x: [
        (c.waiting_reason, f"{c.status_path}.state.waiting.reason") for c in x.facts.containers if c.waiting_reason
    ],
}

CONTAINER_FIELDS: dict[str, Callable[[MatchContext], Values]] = {
    "container.name": lambda x: _one(_c(x).name, None),
    "container.kind": lambda x: _one(_c(x).kind, None),
    "container.image": lambda x: _one(_c(x).image, f"{_spec_path(_c(x))}.image"),
    "container.state": lambda x: _one(_c(x).state, None),
    "container.waiting.reason": lambda x: _one(_c(x).waiting_reason, f"{_c(x).status_path}.state.waiting.reason"),
    "container.waiting.message": lambda x: _one(_c(x).waiting_message, f"{_c(x).status_path}.state.waiting.message"),
    "container.terminated.reason": lambda x: _one(_c(x).terminated_reason, f"{_c(x).status_path}.state.terminated.reason"),
    "container.terminated.exit_code": lambda x: _one(_c(x).terminated_exit_code, f"{_c(x).status_path}.state.terminated.exitCode"),
    "container.terminated.message": lambda x: _one(_c(x).terminated_message, f"{_c(x).status_path}.state.terminated.message"),
    "container.last.reason": lambda x: _one(_c(x).last_reason, f"{_c(x).status_path}.lastState.terminated.reason"),
    "container.last.exit_code": lambda x: _one(_c(x).last_exit_code, f"{_c(x).status_path}.lastState.terminated.exitCode"),
    "container.last.message": lambda x: _one(_c(x).last_message, f"{_c(x).status_path}.lastState.terminated.message"),
    "container.exit_code": lambda x: (
        _one(_c(x).terminated_exit_code, f"{_c(x).status_path}.state.terminated.exitCode")
        or _one(_c(x).last_exit_code, f"{_c(x).status_path}.lastState.terminated.exitCode")
    ),
    "container.restarts": lambda x: [(_c(x).restarts, f"{_c(x).status_path}.restartCount")],
    "container.ready": lambda x: [(_c(x).ready, None)],
    "container.running_for": lambda x: [((x.facts.now - _c(x).started_at).total_seconds(), None)] if _c(x).started_at else [],
    "container.liveness_probe": lambda x: [(bool(_c(x).spec.get("livenessProbe")), None)],
    "container.readiness_probe": lambda x: [(bool(_c(x).spec.get("readinessProbe")), None)],
    "container.startup_probe": lambda x: [(bool(_c(x).spec.get("startupProbe")), None)],
    "container.has_logs": lambda x: [(bool(_c(x).logs), None)],
}

CONDITION_PARTS = ("status", "reason", "message")
EVENT_FIELDS = ("type", "reason", "message", "count", "source", "age")
SPECIAL_FIELDS = ("event", "log", "message")


def field_names(scope: str) -> list[str]:
    names = list(POD_FIELDS) + [f"condition.<Type>.{p}" for p in CONDITION_PARTS] + list(SPECIAL_FIELDS)
    if scope == "container":
        names += list(CONTAINER_FIELDS)
    return names


def _condition_getter(ctype: str, part: str) -> Callable[[MatchContext], Values]:
    def get(x: MatchContext) -> Values:
        cond = x.facts.conditions.get(ctype)
        if not cond:
            return []
        value = cond.get(part)
        return _one(value if isinstance(value, str) else None, f"status.conditions[{ctype}].{part}")

    return get


# ---- predicates -------------------------------------------------------------------------------
Predicate = Callable[[Any], "dict[str, str] | None"]  # returns captures (maybe empty) when it holds

_OPS = ("equals", "in", "not_in", "regex", "contains", "startswith", "gt", "gte", "lt", "lte", "exists", "not")


def _num(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    return None


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if _num(a) is not None and _num(b) is not None:
        return a == b
    return str(a) == str(b)


def compile_predicate(spec: Any, path: str) -> Predicate:
    if isinstance(spec, (str, int, float, bool)):
        return lambda v: {} if _same(v, spec) else None
    if isinstance(spec, list):
        if not all(isinstance(s, (str, int, float, bool)) for s in spec):
            raise MatchSpecError(path, "a list predicate may hold only plain values")
        items = list(spec)
        return lambda v: {} if any(_same(v, s) for s in items) else None
    if not isinstance(spec, dict) or not spec:
        raise MatchSpecError(path, f"expected a value, a list or a mapping of operators ({', '.join(_OPS)})")
    tests: list[Predicate] = []
    for op, arg in spec.items():
        where = f"{path}.{op}"
        if op not in _OPS:
            raise MatchSpecError(where, f"unknown operator; expected one of {', '.join(_OPS)}")
        tests.append(_compile_op(op, arg, where))
    if len(tests) == 1:
        return tests[0]

    def all_of(v: Any) -> dict[str, str] | None:
        captures: dict[str, str] = {}
        for t in tests:
            got = t(v)
            if got is None:
                return None
            captures.update(got)
        return captures

    return all_of


def _compile_op(op: str, arg: Any, path: str) -> Predicate:
    if op == "equals":
        return compile_predicate(arg if not isinstance(arg, (list, dict)) else _bad(path, "expects a plain value"), path)
    if op in ("in", "not_in"):
        if not isinstance(arg, list):
            raise MatchSpecError(path, "expects a list")
        inner = compile_predicate(arg, path)
        return inner if op == "in" else (lambda v: {} if inner(v) is None else None)
    if op == "regex":
        if TRUSTED.get() and isinstance(arg, str):
            rx: Any = _LazyPattern(arg)
        else:
            try:
                rx = compile_safe(arg)
            except UnsafeRegex as exc:
                raise MatchSpecError(path, str(exc)) from None

        def regex(v: Any) -> dict[str, str] | None:
            if not isinstance(v, str):
                return None
            m = rx.search(bounded(v))
            if m is None:
                return None
            return {k: val for k, val in m.groupdict().items() if val is not None}

        return regex
    if op in ("contains", "startswith"):
        if not isinstance(arg, str):
            raise MatchSpecError(path, "expects a string")
        if op == "contains":
            return lambda v: {} if isinstance(v, str) and arg in v else None
        return lambda v: {} if isinstance(v, str) and v.startswith(arg) else None
    if op in ("gt", "gte", "lt", "lte"):
        if _num(arg) is None:
            raise MatchSpecError(path, "expects a number")
        cmp = {
            "gt": lambda a: a > arg,
            "gte": lambda a: a >= arg,
            "lt": lambda a: a < arg,
            "lte": lambda a: a <= arg,
        }[op]
        return lambda v: {} if _num(v) is not None and cmp(v) else None
    if op == "exists":
        if not isinstance(arg, bool):
            raise MatchSpecError(path, "expects true or false")
        # handled by FieldTest (it needs to see "no value"); as a predicate on a value, it holds.
        return (lambda v: {}) if arg else (lambda v: None)
    if op == "not":
        inner = compile_predicate(arg, path)
        return lambda v: {} if inner(v) is None else None
    raise MatchSpecError(path, "unknown operator")  # pragma: no cover - guarded above


def _bad(path: str, reason: str):
    raise MatchSpecError(path, reason)


def _regexes(spec: Any) -> Iterable[Any]:
    """Compiled regexes inside a predicate spec (for listing capture names; none when trusted)."""
    if TRUSTED.get():
        return
    if isinstance(spec, dict):
        for op, arg in spec.items():
            if op == "regex" and isinstance(arg, str):
                yield compile_safe(arg)
            elif isinstance(arg, (dict, list)):
                yield from _regexes(arg)
    elif isinstance(spec, list):
        for item in spec:
            yield from _regexes(item)


# ---- clauses ----------------------------------------------------------------------------------
class Node:
    captures: frozenset[str] = frozenset()

    def eval(self, ctx: MatchContext) -> Hit | None:  # pragma: no cover - interface
        raise NotImplementedError


class Always(Node):
    def eval(self, ctx: MatchContext) -> Hit | None:
        return Hit()


class AllOf(Node):
    def __init__(self, nodes: list[Node]) -> None:
        self.nodes = nodes
        self.captures = frozenset().union(*(n.captures for n in nodes))

    def eval(self, ctx: MatchContext) -> Hit | None:
        hit = Hit()
        for n in self.nodes:
            got = n.eval(ctx)
            if got is None:
                return None
            hit.merge(got)
        return hit


class AnyOf(Node):
    def __init__(self, nodes: list[Node]) -> None:
        self.nodes = nodes
        self.captures = frozenset().union(*(n.captures for n in nodes))

    def eval(self, ctx: MatchContext) -> Hit | None:
        for n in self.nodes:
            got = n.eval(ctx)
            if got is not None:
                return got
        return None


class NoneOf(Node):
    def __init__(self, node: Node) -> None:
        self.node = node

    def eval(self, ctx: MatchContext) -> Hit | None:
        return Hit() if self.node.eval(ctx) is None else None


class FieldTest(Node):
    def __init__(self, name: str, getter: Callable[[MatchContext], Values], pred: Predicate, spec: Any) -> None:
        self.name = name
        self.getter = getter
        self.pred = pred
        self.want_absent = isinstance(spec, dict) and spec.get("exists") is False
        self.captures = frozenset(n for rx in _regexes(spec) for n in rx.groupindex)

    def eval(self, ctx: MatchContext) -> Hit | None:
        values = self.getter(ctx)
        if self.want_absent:
            return Hit() if not values else None
        for value, where in values:
            got = self.pred(value)
            if got is not None:
                hit = Hit(captures=got)
                if where is not None:
                    hit.evidence.append(Evidence(where, quote(str(value))))
                return hit
        return None


def event_source(e: EventFact, now) -> str:
    """How an event is cited: "event Warning/Failed from kubelet (x4 over 3m, 20s ago)"."""
    label = f"event {e.type or '?'}/{e.reason or '?'}"
    if e.source:
        label += f" from {e.source}"
    extra = []
    if e.count > 1:
        span = human_duration((e.last - e.first).total_seconds()) if e.first and e.last else "?"
        extra.append(f"x{e.count} over {span}")
    if e.last:
        extra.append(f"{human_duration((now - e.last).total_seconds())} ago")
    return f"{label} ({', '.join(extra)})" if extra else label


class EventTest(Node):
    def __init__(self, preds: dict[str, Predicate], captures: frozenset[str]) -> None:
        self.preds = preds
        self.captures = captures

    def eval(self, ctx: MatchContext) -> Hit | None:
        key = (id(self), id(ctx.events))
        if key in ctx.memo:
            return ctx.memo[key]
        hit = self._first(ctx)
        ctx.memo[key] = hit
        return hit

    def _first(self, ctx: MatchContext) -> Hit | None:
        now = ctx.facts.now
        for e in ctx.events:
            captures: dict[str, str] = {}
            for name, pred in self.preds.items():
                if name == "age":
                    value = (now - e.last).total_seconds() if e.last else None
                else:
                    value = getattr(e, name)
                got = pred(value)
                if got is None:
                    break
                captures.update(got)
            else:
                return Hit([Evidence(event_source(e, ctx.facts.now), quote(e.message))], captures)
        return None


class LogTest(Node):
    def __init__(self, pred: Predicate, captures: frozenset[str]) -> None:
        self.pred = pred
        self.captures = captures

    def eval(self, ctx: MatchContext) -> Hit | None:
        c = ctx.container
        if c is None or not c.logs:
            return None
        lines = c.logs
        for i in range(len(lines) - 1, -1, -1):  # newest first: the latest crash is the one that matters
            got = self.pred(lines[i])
            if got is not None:
                # An indented line that matches after a line that also matches continues that message
                # (psycopg2's "Is the server running on host..."): quote the line the message starts on.
                while i > 0 and lines[i][:1].isspace() and (head := self.pred(lines[i - 1])) is not None:
                    i, got = i - 1, head
                which = "previous" if c.logs_previous else "current"
                where = f"logs {c.name} ({which}) line {i + 1} of {len(lines)}"
                return Hit([Evidence(where, quote(lines[i]))], got)
        return None


class MessageTest(Node):
    """Any status message (pod, conditions, the container's states) or event message in scope."""

    def __init__(self, pred: Predicate, captures: frozenset[str]) -> None:
        self.pred = pred
        self.captures = captures

    def _status_texts(self, ctx: MatchContext) -> Iterable[tuple[str, str]]:
        c = ctx.container
        if c is not None:
            yield c.waiting_message, f"{c.status_path}.state.waiting.message"
            yield c.terminated_message, f"{c.status_path}.state.terminated.message"
            yield c.last_message, f"{c.status_path}.lastState.terminated.message"
        yield ctx.facts.message, "status.message"
        for ctype, cond in ctx.facts.conditions.items():
            msg = cond.get("message")
            if isinstance(msg, str):
                yield msg, f"status.conditions[{ctype}].message"

    def eval(self, ctx: MatchContext) -> Hit | None:
        for text, where in self._status_texts(ctx):
            if not text:
                continue
            got = self.pred(text)
            if got is not None:
                return Hit([Evidence(where, quote(text))], got)
        key = (id(self), id(ctx.events))
        if key not in ctx.memo:
            ctx.memo[key] = self._first_event(ctx)
        return ctx.memo[key]

    def _first_event(self, ctx: MatchContext) -> Hit | None:
        for e in ctx.events:
            if e.message:
                got = self.pred(e.message)
                if got is not None:
                    return Hit([Evidence(event_source(e, ctx.facts.now), quote(e.message))], got)
        return None


def compile_clause(spec: Any, path: str, scope: str) -> Node:
    """Compile a clause; raise MatchSpecError naming the exact path on any problem."""
    if spec is True or spec == "always":
        return Always()
    if not isinstance(spec, dict) or not spec:
        raise MatchSpecError(path, "expected a mapping of field: predicate, or all/any/not")
    nodes: list[Node] = []
    for key, value in spec.items():
        where = f"{path}.{key}"
        if key in ("all", "any"):
            if not isinstance(value, list) or not value:
                raise MatchSpecError(where, "expects a non-empty list of clauses")
            subs = [compile_clause(v, f"{where}[{i}]", scope) for i, v in enumerate(value)]
            nodes.append(AllOf(subs) if key == "all" else AnyOf(subs))
        elif key == "not":
            nodes.append(NoneOf(compile_clause(value, where, scope)))
        else:
            nodes.append(_compile_field(key, value, where, scope))
    return nodes[0] if len(nodes) == 1 else AllOf(nodes)


def _captures(spec: Any, path: str) -> frozenset[str]:
    try:
        return frozenset(n for rx in _regexes(spec) for n in rx.groupindex)
    except UnsafeRegex as exc:  # pragma: no cover - compile_predicate reports it first
        raise MatchSpecError(path, str(exc)) from None


def _compile_field(key: str, value: Any, path: str, scope: str) -> Node:
    if key == "event":
        if not isinstance(value, dict) or not value:
            raise MatchSpecError(path, f"expects a mapping of event fields ({', '.join(EVENT_FIELDS)})")
        preds = {}
        for sub, sub_spec in value.items():
            if sub not in EVENT_FIELDS:
                raise MatchSpecError(f"{path}.{sub}", f"unknown event field; expected one of {', '.join(EVENT_FIELDS)}")
            preds[sub] = compile_predicate(sub_spec, f"{path}.{sub}")
        return EventTest(preds, _captures(value, path))
    if key == "log":
        if scope != "container":
            raise MatchSpecError(path, "log matching needs a container-scoped playbook")
        return LogTest(compile_predicate(value, path), _captures(value, path))
    if key == "message":
        return MessageTest(compile_predicate(value, path), _captures(value, path))
    getter = POD_FIELDS.get(key)
    if getter is None and key.startswith("condition."):
        parts = key.split(".")
        if len(parts) == 3 and parts[1] and parts[2] in CONDITION_PARTS:
            getter = _condition_getter(parts[1], parts[2])
    if getter is None and key in CONTAINER_FIELDS:
        if scope != "container":
            raise MatchSpecError(path, "container fields need a container-scoped playbook (scope: container)")
        getter = CONTAINER_FIELDS[key]
    if getter is None:
        from rapidfuzz import process  # only on the error path

        close = process.extractOne(key, field_names(scope), score_cutoff=70)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise MatchSpecError(path, f"unknown field {key!r}{hint}")
    return FieldTest(key, getter, compile_predicate(value, path), value)
