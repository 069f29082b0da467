"""The playbook match language: clauses compiled once into trees, evaluated per subject.

A clause is a mapping of field → predicate (all must hold), or `{all: [...]}`, `{any: [...]}`,
`{not: clause}`. Fields are listed in `fields.py`, predicates in `predicates.py`. Four keys look at
collections: `event` (a mapping of event sub-fields), `log` (each log line of the container), `message`
(every status and event message in scope) and `related.<name>` (the objects a subject is joined to:
`{count: predicate, any: clause}`).

Every test that holds records what it matched as `Evidence`, quoted verbatim, and regex named groups
become template variables. See docs/playbooks.md for the full reference.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from k8sdoctor.core.facts import ContainerFact, EventFact, ObjectFacts, PodFacts, build_object_facts, build_pod_facts
from k8sdoctor.core.facts.events import cite_event
from k8sdoctor.core.findings import Evidence
from k8sdoctor.core.inventory import Inventory, Ref, obj_key
from k8sdoctor.core.playbooks.fields import (
    EVENT_FIELDS,
    RELATIONS,
    Getter,
    field_names,
    related_kind,
    resolve_field,
)
from k8sdoctor.core.playbooks.predicates import MatchSpecError, Predicate, compile_predicate, regex_captures

QUOTE_CHARS = 2000
#: How many related objects a `related.*` clause looks at, at most (a Service over 5,000 pods).
MAX_RELATED = 200


@dataclass(slots=True)
class MatchContext:
    facts: PodFacts | ObjectFacts
    container: ContainerFact | None
    events: list[EventFact]  # the events in scope, newest first
    #: Results of event rules, shared by the containers of one pod whose events in scope are the same
    #: list: a pod with many containers and many events is not rescanned once per container.
    memo: dict = field(default_factory=dict)
    #: For `related.*` clauses; None where no inventory is at hand (they then match nothing).
    inventory: Inventory | None = None

    @property
    def own_ref(self) -> Ref:
        kind = self.facts.kind if isinstance(self.facts, ObjectFacts) else "Pod"
        return (kind, self.facts.namespace, self.facts.name)


@dataclass(slots=True)
class Hit:
    evidence: list[Evidence] = field(default_factory=list)
    captures: dict[str, str] = field(default_factory=dict)
    #: The object the evidence is about, when it is not the subject itself (a Deployment's ReplicaSet).
    about: Ref | None = None

    def merge(self, other: Hit) -> None:
        for ev in other.evidence:
            if ev not in self.evidence:
                self.evidence.append(ev)
        for k, v in other.captures.items():
            self.captures.setdefault(k, v)
        if self.about is None:
            self.about = other.about


def quote(text: str) -> str:
    """Evidence text: verbatim, cut only when enormous."""
    if len(text) <= QUOTE_CHARS:
        return text
    return f"{text[:QUOTE_CHARS]}… ({len(text) - QUOTE_CHARS} more characters)"


def _event_hit(ctx: MatchContext, e: EventFact, captures: dict[str, str]) -> Hit:
    about = e.subject if e.subject != ctx.own_ref else None
    source = cite_event(e, ctx.facts.now)
    if about is not None:
        source += f" on {about[0]} {about[2]}"
    return Hit([Evidence(source, quote(e.message))], captures, about)


class Node:
    captures: frozenset[str] = frozenset()

    @property
    def guaranteed(self) -> frozenset[str]:
        """Captures every match of this node has (a template may use them outside `[[ ]]`)."""
        return self.captures

    def eval(self, ctx: MatchContext) -> Hit | None:  # pragma: no cover - interface
        raise NotImplementedError


class Always(Node):
    def eval(self, ctx: MatchContext) -> Hit | None:
        return Hit()


class AllOf(Node):
    def __init__(self, nodes: list[Node]) -> None:
        self.nodes = nodes
        self.captures = frozenset().union(*(n.captures for n in nodes))

    @property
    def guaranteed(self) -> frozenset[str]:
        return frozenset().union(*(n.guaranteed for n in self.nodes))

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

    @property
    def guaranteed(self) -> frozenset[str]:
        return frozenset.intersection(*(n.guaranteed for n in self.nodes))

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
    def __init__(self, name: str, getter: Getter, pred: Predicate, spec: Any, captures: frozenset[str]) -> None:
        self.name = name
        self.getter = getter
        self.pred = pred
        self.want_absent = isinstance(spec, dict) and spec.get("exists") is False
        self.captures = captures

    def eval(self, ctx: MatchContext) -> Hit | None:
        values = self.getter(ctx)
        if self.want_absent:
            return Hit() if not values else None
        for value, where, *text in values:
            got = self.pred(value)
            if got is not None:
                hit = Hit(captures=got)
                if where is not None:
                    hit.evidence.append(Evidence(where, quote(text[0] if text else str(value))))
                return hit
        return None


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
                value: object
                if name == "age":
                    value = (now - e.last).total_seconds() if e.last else None
                elif name == "object":
                    value = e.subject[0]
                else:
                    value = getattr(e, name)
                got = pred(value)
                if got is None:
                    break
                captures.update(got)
            else:
                return _event_hit(ctx, e, captures)
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
    """Any status message (pod, conditions, the container's states; for another kind, the conditions of
    the objects in its scope too) or event message in scope."""

    def __init__(self, pred: Predicate, captures: frozenset[str]) -> None:
        self.pred = pred
        self.captures = captures

    def _status_texts(self, ctx: MatchContext) -> Iterable[tuple[str, str, Ref | None]]:
        c = ctx.container
        if c is not None:
            yield c.waiting_message, f"{c.status_path}.state.waiting.message", None
            yield c.terminated_message, f"{c.status_path}.state.terminated.message", None
            yield c.last_message, f"{c.status_path}.lastState.terminated.message", None
        if isinstance(ctx.facts, PodFacts):
            yield ctx.facts.message, "status.message", None
        for ctype, cond in ctx.facts.conditions.items():
            msg = cond.get("message")
            if isinstance(msg, str):
                yield msg, f"status.conditions[{ctype}].message", None
        if isinstance(ctx.facts, ObjectFacts):
            for ref, ctype, cond in ctx.facts.scope_conditions:
                msg = cond.get("message")
                if isinstance(msg, str):
                    yield msg, f"{ref[0]} {ref[2]}: status.conditions[{ctype}].message", ref

    def eval(self, ctx: MatchContext) -> Hit | None:
        for text, where, about in self._status_texts(ctx):
            if not text:
                continue
            got = self.pred(text)
            if got is not None:
                return Hit([Evidence(where, quote(text))], got, about)
        key = (id(self), id(ctx.events))
        if key not in ctx.memo:
            ctx.memo[key] = self._first_event(ctx)
        return ctx.memo[key]

    def _first_event(self, ctx: MatchContext) -> Hit | None:
        for e in ctx.events:
            if e.message:
                got = self.pred(e.message)
                if got is not None:
                    return _event_hit(ctx, e, got)
        return None


class RelatedTest(Node):
    """`related.<name>: {count: predicate, any: clause}`: how many objects the subject is joined to, and
    whether one of them satisfies a clause (compiled for the related kind). Evidence from a related object
    names it."""

    def __init__(self, name: str, relation: tuple[str, Callable], count: Predicate | None, each: Node | None) -> None:
        self.name = name
        self.kind, self.fetch = relation
        self.count = count
        self.each = each
        self.captures = each.captures if each is not None else frozenset()

    def eval(self, ctx: MatchContext) -> Hit | None:
        if ctx.inventory is None:
            return None
        key = (id(self), "related")
        if key not in ctx.memo:
            ctx.memo[key] = self.fetch(ctx.facts, ctx.inventory)
        related: list[dict] = ctx.memo[key]
        hit = Hit()
        if self.count is not None:
            got = self.count(len(related))
            if got is None:
                return None
            hit.captures.update(got)
        if self.each is None:
            return hit
        for obj in related[:MAX_RELATED]:
            kind = related_kind(self.kind, obj)
            facts: PodFacts | ObjectFacts
            if kind == "Pod":
                facts = build_pod_facts(ctx.inventory, obj, ctx.facts.now)
            else:
                facts = build_object_facts(ctx.inventory, kind, obj, ctx.facts.now)
            sub = MatchContext(facts, None, list(reversed(facts.events)), {}, ctx.inventory)
            got_hit = self.each.eval(sub)
            if got_hit is not None:
                name = obj_key(obj)[1]
                hit.evidence += [Evidence(f"{kind} {name}: {ev.source}", ev.text) for ev in got_hit.evidence]
                hit.captures.update({k: v for k, v in got_hit.captures.items() if k not in hit.captures})
                hit.about = (kind, obj_key(obj)[0], name)
                return hit
        return None


class BySubject(Node):
    """A clause compiled once per subject kind of a playbook that diagnoses several (a PodsNotCreated
    playbook for Deployments, StatefulSets, Jobs...): each kind evaluates its own tree, since the fields
    and relations a clause names resolve per kind."""

    def __init__(self, by_kind: dict[str, Node]) -> None:
        self.by_kind = by_kind
        self.nodes = list(by_kind.values())
        self.captures = frozenset().union(*(n.captures for n in self.nodes))

    @property
    def guaranteed(self) -> frozenset[str]:
        return frozenset.intersection(*(n.guaranteed for n in self.nodes))

    def eval(self, ctx: MatchContext) -> Hit | None:
        node = self.by_kind.get(ctx.own_ref[0])
        return node.eval(ctx) if node is not None else None


def compile_for(spec: Any, path: str, subjects: tuple[str, ...], scope: str) -> Node:
    """Compile a clause for every subject kind of a playbook: one tree, or one per kind."""
    if len(subjects) == 1:
        return compile_clause(spec, path, subjects[0], scope)
    return BySubject({kind: compile_clause(spec, path, kind, scope) for kind in subjects})


def compile_clause(spec: Any, path: str, subject: str, scope: str) -> Node:
    """Compile a clause for a subject (and, for pods, a scope); raise MatchSpecError naming the exact
    path on any problem."""
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
            subs = [compile_clause(v, f"{where}[{i}]", subject, scope) for i, v in enumerate(value)]
            nodes.append(AllOf(subs) if key == "all" else AnyOf(subs))
        elif key == "not":
            nodes.append(NoneOf(compile_clause(value, where, subject, scope)))
        else:
            nodes.append(_compile_field(key, value, where, subject, scope))
    return nodes[0] if len(nodes) == 1 else AllOf(nodes)


def _compile_related(key: str, value: Any, path: str, subject: str) -> Node:
    name = key[len("related.") :]
    relation = RELATIONS.get(subject, {}).get(name)
    if relation is None:
        known = ", ".join(f"related.{n}" for n in RELATIONS.get(subject, {})) or "none"
        raise MatchSpecError(path, f"unknown relation for {subject}; available: {known}")
    if not isinstance(value, dict) or not value or set(value) - {"count", "any"}:
        raise MatchSpecError(path, "expects a mapping with count (a predicate) and/or any (a clause)")
    count = compile_predicate(value["count"], f"{path}.count") if "count" in value else None
    each = None
    if "any" in value:
        kind = relation[0]
        if kind == "*":
            raise MatchSpecError(f"{path}.any", "this relation's kind varies; only count applies")
        each = compile_clause(value["any"], f"{path}.any", kind, "pod")
    return RelatedTest(name, relation, count, each)


def _compile_field(key: str, value: Any, path: str, subject: str, scope: str) -> Node:
    if key == "event":
        if not isinstance(value, dict) or not value:
            raise MatchSpecError(path, f"expects a mapping of event fields ({', '.join(EVENT_FIELDS)})")
        preds = {}
        for sub, sub_spec in value.items():
            if sub not in EVENT_FIELDS:
                raise MatchSpecError(f"{path}.{sub}", f"unknown event field; expected one of {', '.join(EVENT_FIELDS)}")
            preds[sub] = compile_predicate(sub_spec, f"{path}.{sub}")
        return EventTest(preds, regex_captures(value, path))
    if key == "log":
        if subject != "Pod" or scope != "container":
            raise MatchSpecError(path, "log matching needs a container-scoped Pod playbook")
        return LogTest(compile_predicate(value, path), regex_captures(value, path))
    if key == "message":
        return MessageTest(compile_predicate(value, path), regex_captures(value, path))
    if key.startswith("related."):
        return _compile_related(key, value, path, subject)
    getter = resolve_field(key, subject, scope)
    if isinstance(getter, str):
        if getter:
            raise MatchSpecError(path, getter)
        from rapidfuzz import process  # only on the error path

        close = process.extractOne(key, field_names(subject, scope), score_cutoff=70)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise MatchSpecError(path, f"unknown field {key!r}{hint}")
    return FieldTest(key, getter, compile_predicate(value, path), value, regex_captures(value, path))
