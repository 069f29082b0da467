"""Diagnose a workload's identical replicas once: the rule engine's output, memoised on its whole input.

Replicas of one workload usually fail the same way; what differs between them is their own name and uid,
the node they run on, when their events happened and how often. The memo therefore keys the rules on
everything they read from a pod's facts (every field a playbook may test, every message, event and log
line), with three kinds of value taken out:

* the pod's own name, its uid and its node's name are *masked*: replaced by a placeholder in every text
  the rules read (`ReplicaMask`), and the rules run on that masked input. They cannot tell two replicas
  apart, so their output is a function of the key; the placeholders in it are filled with each replica's
  own names afterwards.
* so are its namespace, its controller's and workload's names and its images, where they are values of
  their own (the pod's namespace, its owner's name, an image) and appear in no text a rule reads (a
  message, an event, a log line: there a rule's regex could tell a placeholder from the name, as
  `lookup (?P<host>[a-z0-9-]+)` does), and are not plain words or numbers; images only while no
  playbook tests `container.image` itself. Two workloads that fail alike then share one entry, each
  filled with its own names. A name that cannot be masked stays in the key as it is.
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
(a name that would need shell quoting, text long enough to be cut, a log line that holds its name or
its node's) is diagnosed without the memo.

The analyzers run afterwards on each pod's own facts: they are not memoised here (they name other pods and
nodes, which differ per replica), but share their own per-question answers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import fields, replace
from typing import Any, NamedTuple

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
NAMESPACE, OWNER, WORKLOAD = f"{MARK}namespace@@", f"{MARK}owner@@", f"{MARK}workload@@"
_PLACEHOLDER = re.compile(r"@@k8sdoctor\.(pod|uid|node|namespace|owner|workload|image\.\d+|event\.\d+|restarts\.\d+)@@")
_SHELL_SAFE = re.compile(r"^[A-Za-z0-9._:/@=+,-]+$")
#: Texts longer than this may be cut (quoted evidence, regex input): masking would move the cut.
_LONGEST = min(QUOTE_CHARS, MAX_MATCH_CHARS) - 200
MAX_ENTRIES = 20_000
_MAX_SEEN = 4096  # numbers bucketed and names checked, remembered per memo
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


def _walk(node: Clause, preds: dict[str, list[Callable[[Any], Any]]], tested: set[str]) -> None:
    """Collect the predicates on bucketed numbers and the fields tested; raise _NotKeyable for what the
    key does not cover."""
    if isinstance(node, (AllOf, AnyOf)):
        for sub in node.nodes:
            _walk(sub, preds, tested)
    elif isinstance(node, NoneOf):
        _walk(node.node, preds, tested)
    elif isinstance(node, FieldTest):
        if node.name.startswith("condition."):
            return
        if node.name not in KEYED_FIELDS:
            raise _NotKeyable(node.name)
        tested.add(node.name)
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


class Buckets:
    """A number's bucket under a list of predicates (see `_bucket`), remembered per value: replicas
    share counts, and timestamps to the second share ages."""

    __slots__ = ("_preds", "_seen")

    def __init__(self, preds: list[Callable[[Any], Any]]) -> None:
        self._preds = preds
        self._seen: dict[tuple[type, float], tuple[bool, ...]] = {}

    def __call__(self, value: float | None) -> tuple[bool, ...] | None:
        if value is None:
            return None
        key = (value.__class__, value)  # 1 and 1.0 can print differently to a predicate on text
        found = self._seen.get(key)
        if found is None:
            if len(self._seen) >= _MAX_SEEN:
                self._seen.clear()
            found = self._seen[key] = _bucket(self._preds, value)  # type: ignore[assignment]
        return found


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


class Masked(NamedTuple):
    """The memo key of a pod's facts, and how its texts are masked."""

    key: tuple
    real: PodFacts
    mask: ReplicaMask
    images: bool  # whether the images are masked too


def pod_images(facts: PodFacts) -> list[str]:
    """A pod's distinct images, in container order: `image.N` placeholders number them."""
    return list(dict.fromkeys(c.image for c in facts.containers))


#: Every placeholder's text, whatever number it carries: a name found in one would be masked inside it.
_MARK_TEXTS = (POD, UID, NODE, NAMESPACE, OWNER, WORKLOAD, f"{MARK}image.", f"{MARK}event.", f"{MARK}restarts.", "@@")


def _maskable(real: str) -> bool:
    """Whether a workload's name or an image can be masked: shell-safe, not a plain word or a bare number
    (those stand inside other words and numbers), and not part of a placeholder."""
    return (
        _SHELL_SAFE.match(real) is not None
        and not real.startswith("-")
        and not real.isalpha()
        and not real.isdigit()
        and not any(real in text for text in _MARK_TEXTS)
    )


class ReplicaMask:
    """Masks one pod's names in the texts the rules read, and refuses a pod it cannot mask exactly.

    The pod's own name, uid and node are always masked (a pod whose names cannot be is not keyed); its
    namespace, controller, workload and images are masked where they can be (see `_maskable` and
    `keep_names_read_in`), so workloads that fail alike share entries; where one cannot, it stays in the
    key as it is."""

    __slots__ = ("names", "optional")

    def __init__(self, facts: PodFacts, *, images: bool = False, maskable: Callable[[str], bool] = _maskable) -> None:
        names = [(facts.name, POD), (facts.uid, UID)]
        if facts.node_name:
            names.append((facts.node_name, NODE))
        for real, _mark in names:
            if not real or not _SHELL_SAFE.match(real) or real.startswith("-"):
                raise _NotKeyable("name")
            if real.isalpha():  # a plain word ("master", "web") also stands inside other words the rules read
                raise _NotKeyable("a word as a name")
        names.sort(key=lambda nm: -len(nm[0]))  # a longer name first, so a name inside it is not split
        masked = {real for real, _mark in names}
        optional = [(facts.namespace, NAMESPACE), (facts.owner_name, OWNER)]
        if facts.workload is not None:
            optional.append((facts.workload.name, WORKLOAD))
        if images:
            optional += [(image, f"{MARK}image.{i}@@") for i, image in enumerate(pod_images(facts))]
        self.optional: list[tuple[str, str]] = []
        for real, mark in optional:
            if real and real not in masked and maskable(real):
                masked.add(real)
                self.optional.append((real, mark))
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

    def keep_names_read_in(self, read: list[str]) -> None:
        """Mask the namespace, owner, workload and images too, but only those that appear in none of the
        texts the rules read (`read`, with the pod's own names already masked): a regex there could tell
        a placeholder from the name. They are masked in the values of their own (the pod's namespace, an
        image), which no rule reads as text."""
        if not self.optional:
            return
        text = _SEPARATOR.join(read)
        for real, mark in self.names:
            if real in text:
                text = text.replace(real, mark)
        optional = [(real, mark) for real, mark in self.optional if real not in text]
        self.names = sorted([*self.names, *optional], key=lambda nm: -len(nm[0]))

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
        if masked is not joined and max(map(len, texts)) > _LONGEST - 100:
            for text in texts:
                self(text)  # raises for a long text with a name in it
        return masked


class RuleMemo:
    """The rules' output per distinct masked input (see the module docstring)."""

    def __init__(self, playbooks: Iterable[Playbook]) -> None:
        self.preds: dict[str, list[Callable[[Any], Any]]] = {name: [] for name in BUCKETED}
        tested: set[str] = set()
        try:
            for clause in _clauses(playbooks):
                _walk(clause, self.preds, tested)
            self.enabled = True
        except _NotKeyable:
            self.enabled = False
        #: Images are masked (workloads failing alike share entries) unless a rule tests the image itself.
        self.images = "container.image" not in tested
        self._buckets = {name: Buckets(preds) for name, preds in self.preds.items()}
        self._restarts_as_text: dict[int, bool] = {}
        self._maskable: dict[str, bool] = {}
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
        m = ReplicaMask(facts, images=self.images, maskable=self._is_maskable)
        now = facts.now
        workload = facts.workload
        read: list[str] = [facts.reason, facts.message]  # what the rules read as text
        names: list[str] = [facts.namespace, facts.owner_name]  # values of their own
        if workload is not None:
            names += (workload.namespace, workload.name)
        rest: list[object] = []
        buckets = self._buckets
        ev_age, ev_count = buckets["event.age"], buckets["event.count"]
        own = ("Pod", facts.namespace, facts.name)
        for e in facts.events:
            age = (now - e.last).total_seconds() if e.last else None
            own_subject = e.subject == own
            read += (e.message, e.source)
            names += (e.subject[1], "" if own_subject else e.subject[2])
            rest.append((e.type, e.reason, e.container, e.subject[0], own_subject, ev_age(age), ev_count(e.count)))
        run_for, restart_count = buckets["container.running_for"], buckets["container.restarts"]
        images = self.images
        for c in facts.containers:
            restarts = restart_count(c.restarts)
            if self._restarts_read_as_text(c.restarts, restarts):
                raise _NotKeyable("a predicate reads the restart count as text")
            spec = c.spec
            read += (c.waiting_message, c.terminated_message, c.last_message)
            if c.logs:
                if any(facts.name in line or (facts.node_name and facts.node_name in line) for line in c.logs):
                    # An app's own text (its host name in a log line): a rule's regex may read it as a name.
                    raise _NotKeyable("a log line holds the pod's or node's name")
                read += c.logs
            if images:
                names.append(c.image)
            rest.append(
                (
                    c.name,
                    c.kind,
                    c.index,
                    None if images else c.image,
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
                    None if c.started_at is None else run_for((now - c.started_at).total_seconds()),
                )
            )
        for ctype, cond in facts.conditions.items():
            shape: list[object] = [ctype]
            for part in _CONDITION_PARTS:
                if part in cond:
                    v = cond[part]
                    if isinstance(v, str):
                        read.append(v)
                        shape.append(part)
                    else:
                        shape.append((part, _hashable(v)))
            rest.append(tuple(shape))
        rest += (
            facts.phase,
            bool(facts.node_name),
            facts.deleting,
            facts.restart_policy,
            facts.scheduler_name,
            tuple(facts.scheduling_gates),
            facts.owner_kind,
            (workload.kind, workload.revision) if workload is not None else None,
            tuple((u.resource, u.namespace == facts.namespace or u.namespace, u.reason) for u in facts.unreadable),
            buckets["pod.age"](facts.age_seconds),
        )
        m.keep_names_read_in(read)
        return Masked((m.joined(read + names), tuple(rest)), facts, m, images)

    def _restarts_read_as_text(self, count: int, bucket: tuple[bool, ...] | None) -> bool:
        """Whether a predicate on restart counts tells this count from its placeholder (which compares as
        the count and prints as a placeholder): then the masked input would not be read alike."""
        found = self._restarts_as_text.get(count)
        if found is None:
            if len(self._restarts_as_text) >= _MAX_SEEN:
                self._restarts_as_text.clear()
            preds = self.preds["container.restarts"]
            found = self._restarts_as_text[count] = bool(preds) and _bucket(preds, Shown(count, MARK)) != bucket
        return found

    def _is_maskable(self, real: str) -> bool:
        found = self._maskable.get(real)
        if found is None:
            if len(self._maskable) >= _MAX_SEEN:
                self._maskable.clear()
            found = self._maskable[real] = _maskable(real)
        return found

    @staticmethod
    def masked_facts(masked: Masked) -> PodFacts:
        """The facts the rules run on for a new key: the pod's, with its names, event citations and
        restart counts replaced by placeholders."""
        facts, m, images = masked.real, masked.mask, masked.images
        own = ("Pod", facts.namespace, facts.name)
        events = [
            replace(
                e,
                message=m(e.message),
                source=m(e.source),
                subject=(e.subject[0], m(e.subject[1]), POD if e.subject == own else m(e.subject[2])),
                citation=f"{MARK}event.{i}@@",
            )
            for i, e in enumerate(facts.events)
        ]
        containers = [
            replace(
                c,
                image=m(c.image) if images else c.image,
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
        workload = facts.workload
        return replace(
            facts,
            namespace=m(facts.namespace),
            owner_name=m(facts.owner_name),
            workload=None if workload is None else workload._replace(namespace=m(workload.namespace), name=m(workload.name)),
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


#: Memoised texts with placeholders, split at them (see Unmask.text).
_PIECES: dict[str, list[str]] = {}


class Unmask:
    """Fills the placeholders with one pod's own values."""

    __slots__ = ("_real", "_values")

    def __init__(self, real: PodFacts) -> None:
        workload = real.workload
        self._values = {
            "pod": real.name,
            "uid": real.uid,
            "node": real.node_name,
            "namespace": real.namespace,
            "owner": real.owner_name,
            "workload": workload.name if workload is not None else "",
        }
        self._real = real

    def _value(self, name: str) -> str:
        found = self._values.get(name)
        if found is None:
            kind, index = name.split(".")
            if kind == "event":  # that event's citation, as this pod's clock reads it
                found = cite_event(self._real.events[int(index)], self._real.now)
            elif kind == "image":
                found = pod_images(self._real)[int(index)]
            else:  # that container's restart count
                found = str(int(self._real.containers[int(index)].restarts))
            self._values[name] = found
        return found

    def text(self, s: str) -> str:
        if MARK not in s:
            return s
        pieces = _PIECES.get(s)
        if pieces is None:  # memoised texts recur for every replica: split once
            if len(_PIECES) >= MAX_ENTRIES:
                _PIECES.clear()
            pieces = _PIECES[s] = _PLACEHOLDER.split(s)  # text, name, text, name, ..., text
        filled = pieces.copy()
        value = self._value
        for i in range(1, len(filled), 2):
            filled[i] = value(filled[i])
        return "".join(filled)

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

    def finding(self, f: Finding, plan: FindingPlan) -> Finding:
        """A memoised finding for this pod: fields with placeholders filled, lists and dicts copied,
        the rest shared."""
        out = {}
        for name, how in zip(_FINDING_FIELDS, plan, strict=True):
            v = getattr(f, name)
            out[name] = v if how is _SHARE else v.copy() if how is _COPY else self.value(v)
        return Finding(**out)


#: Every field of a finding, whatever fields it gains: each is copied with the placeholders filled.
_FINDING_FIELDS = tuple(f.name for f in fields(Finding))
#: How a field of a memoised finding is copied for a replica (see `finding_plan`).
_SHARE, _COPY, _FILL = "share", "copy", "fill"
FindingPlan = tuple[str, ...]
_FLAT = (str, Evidence, Step)


def finding_plan(f: Finding) -> FindingPlan:
    """How each field of a memoised finding is copied for a replica: filled in when it holds a
    placeholder; copied when it is a list or dict of plain values (analyzers edit a finding's lists);
    else shared (a string, a flag, a tuple of strings, frozen evidence and steps)."""
    return tuple(_how(getattr(f, name)) for name in _FINDING_FIELDS)


def _how(v: Any) -> str:
    if _holds_mark(v):
        return _FILL
    kind = type(v)
    if kind is list and all(type(x) in _FLAT or (type(x) is tuple and _plain_tuple(x)) for x in v):
        return _COPY
    if kind is dict and all(type(x) is str for x in v.values()):
        return _COPY
    if v is None or kind in (str, bool, int) or (kind is tuple and _plain_tuple(v)):
        return _SHARE
    return _FILL  # anything else is rebuilt as `Unmask.value` does


def _plain_tuple(t: tuple) -> bool:
    return all(x is None or type(x) is str for x in t)


def _holds_mark(v: Any) -> bool:
    kind = type(v)
    if kind is str:
        return MARK in v
    if kind in (list, tuple):
        return any(_holds_mark(x) for x in v)
    if kind is dict:
        return any(_holds_mark(k) or _holds_mark(x) for k, x in v.items())
    if kind is Evidence:
        return MARK in v.source or MARK in v.text
    if kind is Step:
        return MARK in v.text or (v.command is not None and MARK in v.command)
    return False
