"""Diagnose a workload's identical replicas once: the rule engine's output, memoised on its whole input.

Replicas of one workload usually fail the same way; what differs between them is their own name and uid,
the node they run on, when their events happened and how often. The memo therefore keys the rules on
everything they read from a pod's facts (every field a playbook may test, every message, event and log
line), with three kinds of value taken out:

* the pod's own name, its uid and its node's name are *masked*: replaced by a placeholder in every text
  the rules read (`ReplicaMask`), and the rules run on that masked input. They cannot tell two replicas
  apart, so their output is a function of the key; the placeholders in it are filled with each replica's
  own names afterwards.
* where an event is cited ("event Warning/BackOff from kubelet (x4 over 3m, 20s ago)"), the citation
  is a placeholder too, filled per replica.
* numbers the rules only compare (a pod's age, how long a container has run, an event's age and count)
  are *bucketed at the playbooks' thresholds*: the key holds the outcome of every predicate the
  playbooks apply to that number, which is all the rules can learn from it. A restart count is both
  compared and quoted: it is bucketed like the others, and in the masked input it is a number that
  prints as a placeholder. Exit codes stay in the key as they are.

So two pods with one key get the same findings, each with its own names, by construction. The memo turns
itself off for playbooks it cannot key this way: a pod field it does not know, a clause kind it does not
know, or `related.*` (which reads other objects). A pod whose names could change how the rules read a text
(a name that would need shell quoting, text long enough to be cut) is diagnosed without the memo.

The analyzers run afterwards on each pod's own facts: they are not memoised here (they name other pods and
nodes, which differ per replica), but share their own per-question answers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields, replace
from typing import Any

from k8sdoctor.core.facts import PodFacts
from k8sdoctor.core.facts.events import cite_event
from k8sdoctor.core.findings import Evidence, Finding, Step
from k8sdoctor.core.playbooks.matching import (
    QUOTE_CHARS,
    AllOf,
    Always,
    AnyOf,
    EventTest,
    FieldTest,
    LogTest,
    MessageTest,
    NoneOf,
)
from k8sdoctor.core.playbooks.matching import Node as Clause
from k8sdoctor.core.playbooks.model import Playbook
from k8sdoctor.core.playbooks.regex_safety import MAX_MATCH_CHARS

#: The pod fields the key covers (every one of them is read from facts the key holds). A playbook that
#: tests any other field turns the memo off.
KEYED_FIELDS = frozenset(
    {
        "pod.scheduling_message",
        "pod.scheduler_reasons",
        "pod.phase",
        "pod.reason",
        "pod.message",
        "pod.node",
        "pod.scheduled",
        "pod.event_count",
        "pod.age",
        "pod.restart_policy",
        "pod.scheduler_name",
        "pod.scheduling_gates",
        "pod.deleting",
        "pod.owner_kind",
        "pod.waiting_reasons",
        "container.name",
        "container.kind",
        "container.image",
        "container.state",
        "container.reported",
        "container.waiting.reason",
        "container.waiting.message",
        "container.terminated.reason",
        "container.terminated.exit_code",
        "container.terminated.message",
        "container.last.reason",
        "container.last.exit_code",
        "container.last.message",
        "container.exit_code",
        "container.restarts",
        "container.ready",
        "container.running_for",
        "container.liveness_probe",
        "container.readiness_probe",
        "container.startup_probe",
        "container.has_logs",
        "container.will_restart",
    }
)
#: Numbers the rules only compare, never quote: bucketed by the playbooks' predicates on them.
BUCKETED = ("pod.age", "container.running_for", "event.age", "event.count", "container.restarts")
#: Placeholders: shell-safe words (commands render them unquoted, as they do real names) that no real
#: text contains (a pod whose texts do is diagnosed without the memo).
MARK = "@@k8sdoctor."
POD, UID, NODE = f"{MARK}pod@@", f"{MARK}uid@@", f"{MARK}node@@"
_PLACEHOLDER = re.compile(r"@@k8sdoctor\.(pod|uid|node|event\.\d+|restarts\.\d+)@@")
_SHELL_SAFE = re.compile(r"^[A-Za-z0-9._:/@=+,-]+$")
#: Texts longer than this may be cut (quoted evidence, regex input): masking would move the cut.
_LONGEST = min(QUOTE_CHARS, MAX_MATCH_CHARS) - 200
MAX_ENTRIES = 20_000
_CONDITION_PARTS = ("status", "reason", "message")
_SEPARATOR = "\x1f"


class _NotKeyable(Exception):
    """The memo cannot key these playbooks (or this pod) exactly."""


def _clauses(playbooks: Iterable[Playbook]) -> Iterable[Clause]:
    for pb in playbooks:
        yield pb.match
        yield from (c.match for c in pb.causes if c.match is not None)
        yield from (when for when, _sev in pb.downgrade)
        yield from (when for when, _cat in pb.variants)


def _walk(node: Clause, preds: dict[str, list[Callable[[Any], Any]]]) -> None:
    """Collect the predicates on bucketed numbers; raise _NotKeyable for what the key does not cover."""
    if isinstance(node, (AllOf, AnyOf)):
        for sub in node.nodes:
            _walk(sub, preds)
    elif isinstance(node, NoneOf):
        _walk(node.node, preds)
    elif isinstance(node, FieldTest):
        if node.name.startswith("condition."):
            return
        if node.name not in KEYED_FIELDS:
            raise _NotKeyable(node.name)
        if node.name in BUCKETED:
            preds[node.name].append(node.pred)
    elif isinstance(node, EventTest):
        for name in ("age", "count"):
            if name in node.preds:
                preds[f"event.{name}"].append(node.preds[name])
    elif not isinstance(node, (Always, LogTest, MessageTest)):
        raise _NotKeyable(type(node).__name__)  # related.* reads other objects; a new kind of clause


def _bucket(preds: list[Callable[[Any], Any]], value: float | None) -> tuple[bool, ...] | None:
    if value is None:
        return None
    return tuple([p(value) is not None for p in preds]) if preds else ()


class Shown(int):
    """A count that compares as itself and prints as a placeholder (a replica's own restart count)."""

    mark: str

    def __new__(cls, value: int, mark: str) -> Shown:
        obj = super().__new__(cls, value)
        obj.mark = mark
        return obj

    def __str__(self) -> str:
        return self.mark

    __repr__ = __str__

    def __format__(self, spec: str) -> str:
        return self.mark


@dataclass(slots=True)
class Masked:
    """The memo key of a pod's facts, and how its texts are masked."""

    key: tuple
    real: PodFacts
    mask: ReplicaMask


class ReplicaMask:
    """Masks one pod's names in the texts the rules read, and refuses a pod it cannot mask exactly."""

    __slots__ = ("names",)

    def __init__(self, facts: PodFacts) -> None:
        names = [(facts.name, POD), (facts.uid, UID)]
        if facts.node_name:
            names.append((facts.node_name, NODE))
        for real, _mark in names:
            if not real or not _SHELL_SAFE.match(real) or real.startswith("-"):
                raise _NotKeyable("name")
            if real.isalpha():  # a plain word ("master", "web") also stands inside other words the rules read
                raise _NotKeyable("a word as a name")
        names.sort(key=lambda nm: -len(nm[0]))  # a longer name first, so a name inside it is not split
        self.names = names

    def __call__(self, text: str) -> str:
        if not text:
            return text
        if MARK in text:
            raise _NotKeyable("placeholder in text")
        masked = text
        for real, mark in self.names:
            if real in masked:
                masked = masked.replace(real, mark)
        if masked is not text and max(len(text), len(masked)) > _LONGEST:
            raise _NotKeyable("long text")
        return masked

    def joined(self, texts: list[str]) -> str:
        """Texts masked as one string (one pass in C instead of one call per text); a separator inside a
        text, a placeholder, or a long text with a name in it makes the pod unkeyable."""
        joined = _SEPARATOR.join(texts)
        if joined.count(_SEPARATOR) != len(texts) - 1 or MARK in joined:
            raise _NotKeyable("separator or placeholder in text")
        masked = joined
        for real, mark in self.names:
            if real in masked:
                masked = masked.replace(real, mark)
        if masked is not joined and any(len(t) > _LONGEST - 100 for t in texts):
            for text in texts:
                self(text)  # raises for a long text with a name in it
        return masked


class RuleMemo:
    """The rules' output per distinct masked input (see the module docstring)."""

    def __init__(self, playbooks: Iterable[Playbook]) -> None:
        self.preds: dict[str, list[Callable[[Any], Any]]] = {name: [] for name in BUCKETED}
        try:
            for clause in _clauses(playbooks):
                _walk(clause, self.preds)
            self.enabled = True
        except _NotKeyable:
            self.enabled = False
        self._entries: dict[tuple, Any] = {}
        self.hits = 0
        self.misses = 0

    # ---- keys ------------------------------------------------------------------------------------
    def mask(self, facts: PodFacts) -> Masked | None:
        """The masked facts and their key, or None when this pod is diagnosed without the memo."""
        if not self.enabled:
            return None
        try:
            return self._mask(facts)
        except _NotKeyable:
            return None

    def _mask(self, facts: PodFacts) -> Masked:
        """The key: the pod's texts joined and masked in one pass, the rest as it is (numbers bucketed)."""
        m = ReplicaMask(facts)
        now = facts.now
        texts: list[str] = [facts.reason, facts.message]
        rest: list[object] = []
        ev_age, ev_count = self.preds["event.age"], self.preds["event.count"]
        own = ("Pod", facts.namespace, facts.name)
        for e in facts.events:
            age = (now - e.last).total_seconds() if e.last else None
            own_subject = e.subject == own
            texts += (e.message, e.source, "" if own_subject else e.subject[2])
            rest.append((e.type, e.reason, e.container, e.subject[:2], own_subject, _bucket(ev_age, age), _bucket(ev_count, e.count)))
        run_preds, restart_preds = self.preds["container.running_for"], self.preds["container.restarts"]
        for c in facts.containers:
            restarts = _bucket(restart_preds, c.restarts)
            if restart_preds and _bucket(restart_preds, Shown(c.restarts, MARK)) != restarts:
                raise _NotKeyable("a predicate reads the restart count as text")
            spec = c.spec
            texts += (c.waiting_message, c.terminated_message, c.last_message)
            texts += c.logs
            rest.append(
                (
                    c.name,
                    c.kind,
                    c.index,
                    c.image,
                    c.state,
                    c.waiting_reason,
                    c.terminated_reason,
                    c.terminated_exit_code,
                    c.terminated_signal,
                    c.last_reason,
                    c.last_exit_code,
                    c.last_signal,
                    c.last_finished_at is not None,
                    restarts,
                    c.restarts > 0,
                    c.ready,
                    c.started,
                    bool(c.status),
                    bool(spec.get("livenessProbe")),
                    bool(spec.get("readinessProbe")),
                    bool(spec.get("startupProbe")),
                    len(c.logs),
                    c.logs_previous,
                    c.logs_known,
                    None if c.started_at is None else _bucket(run_preds, (now - c.started_at).total_seconds()),
                )
            )
        for ctype, cond in facts.conditions.items():
            parts = [(part, cond[part]) for part in _CONDITION_PARTS if part in cond]
            texts += (v for _part, v in parts if isinstance(v, str))
            rest.append((ctype, tuple((part, None if isinstance(v, str) else _hashable(v)) for part, v in parts)))
        workload = facts.workload
        rest += (
            facts.namespace,
            facts.phase,
            bool(facts.node_name),
            facts.deleting,
            facts.restart_policy,
            facts.scheduler_name,
            tuple(facts.scheduling_gates),
            facts.owner_kind,
            facts.owner_name,
            (workload.kind, workload.name, workload.revision) if workload is not None else None,
            tuple((u.resource, u.namespace, u.reason) for u in facts.unreadable),
            _bucket(self.preds["pod.age"], facts.age_seconds),
        )
        return Masked((m.joined(texts), tuple(rest)), facts, m)

    @staticmethod
    def masked_facts(masked: Masked) -> PodFacts:
        """The facts the rules run on for a new key: the pod's, with its names, event citations and
        restart counts replaced by placeholders."""
        facts, m = masked.real, masked.mask
        own = ("Pod", facts.namespace, facts.name)
        events = [
            replace(
                e,
                message=m(e.message),
                source=m(e.source),
                subject=(e.subject[0], e.subject[1], POD if e.subject == own else m(e.subject[2])),
                citation=f"{MARK}event.{i}@@",
            )
            for i, e in enumerate(facts.events)
        ]
        containers = [
            replace(
                c,
                restarts=Shown(c.restarts, f"{MARK}restarts.{i}@@"),
                waiting_message=m(c.waiting_message),
                terminated_message=m(c.terminated_message),
                last_message=m(c.last_message),
                logs=[m(line) for line in c.logs],
            )
            for i, c in enumerate(facts.containers)
        ]
        conditions = {
            ctype: {part: m(v) if isinstance(v, str) else v for part, v in cond.items() if part in _CONDITION_PARTS}
            for ctype, cond in facts.conditions.items()
        }
        return replace(
            facts,
            name=POD,
            uid=UID,
            reason=m(facts.reason),
            message=m(facts.message),
            node_name=NODE if facts.node_name else "",
            conditions=conditions,
            containers=containers,
            events=events,
            memo={},
        )

    # ---- entries ---------------------------------------------------------------------------------
    def get(self, key: tuple) -> Any:
        found = self._entries.get(key)
        if found is None:
            self.misses += 1
        else:
            self.hits += 1
        return found

    def put(self, key: tuple, value: Any) -> None:
        if len(self._entries) >= MAX_ENTRIES:
            self._entries.clear()  # a long-running view: forget, rather than grow with every state seen
        self._entries[key] = value


def _hashable(value: Any) -> Any:
    """A raw field as part of a key: scalars as they are, anything else (a list where a string
    belongs, on an odd object) by its repr."""
    return value if value is None or isinstance(value, (bool, int, float)) else repr(value)


class Unmask:
    """Fills the placeholders with one pod's own values."""

    __slots__ = ("_real", "_values")

    def __init__(self, real: PodFacts) -> None:
        self._values = {"pod": real.name, "uid": real.uid, "node": real.node_name}
        self._real = real

    def _value(self, m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in self._values:
            kind, index = name.split(".")
            if kind == "event":  # that event's citation, as this pod's clock reads it
                self._values[name] = cite_event(self._real.events[int(index)], self._real.now)
            else:  # that container's restart count
                self._values[name] = str(int(self._real.containers[int(index)].restarts))
        return self._values[name]

    def text(self, s: str) -> str:
        return _PLACEHOLDER.sub(self._value, s) if MARK in s else s

    def value(self, v: Any) -> Any:
        """A value of a finding with this pod's values filled in; lists and dicts are new (analyzers
        edit a finding's lists), frozen evidence and steps without placeholders are shared."""
        kind = type(v)
        if kind is str:
            return self.text(v)
        if kind is list:
            return [self.value(x) for x in v]
        if kind is dict:
            return {k: self.value(x) for k, x in v.items()}
        if kind is tuple:
            return tuple(self.value(x) for x in v)
        if kind is Evidence:
            return Evidence(self.text(v.source), self.text(v.text)) if MARK in v.source or MARK in v.text else v
        if kind is Step:
            marked = MARK in v.text or (v.command is not None and MARK in v.command)
            return Step(self.text(v.text), None if v.command is None else self.text(v.command)) if marked else v
        return v

    def finding(self, f: Finding) -> Finding:
        return Finding(**{name: self.value(getattr(f, name)) for name in _FINDING_FIELDS})


#: Every field of a finding, whatever fields it gains: each is copied with the placeholders filled.
_FINDING_FIELDS = tuple(f.name for f in fields(Finding))
