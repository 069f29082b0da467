"""The scheduler's verdict, parsed: how many nodes there are and how many fail for each reason.

Handles every format in ../shared/notes/message-formats.md section 2: the k8s ≤1.4 "failed to fit in
any node fit failure on node (...)" list, the 1.5–1.6 "No nodes are available that match all of the
following predicates:: Insufficient cpu (9), ..." form, legacy predicate names, "0/N nodes are
available: ...", the `preemption:` part (parsed on its own, never added to the main counts), the DRA
"no new claims to deallocate" insertion, the double period, the 1.34+ "untolerated taint(s)", and
Volcano's "0/N nodes are unavailable: 1 plugin X predicates failed ...".

Event messages are tenant-controlled, so parsing is linear in the message's length and looks at no more
than `MAX_MESSAGE` characters of it: no pattern here can start inside a run of digits or spaces and
rescan it from every position (64,000 digits once took 36 s).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

MAX_MESSAGE = 16384
#: The count cannot start inside a number (the lookbehind), so a long run of digits is scanned once.
_AVAILABLE = re.compile(r"(?<!\d)(\d+)/(\d+) nodes are (?:available|unavailable):\s*(.*)", re.S)
_LEGACY_FIT = re.compile(r"failed to fit in any node\s*(.*)", re.S)
_LEGACY_NODE_START = "fit failure on node ("
_LEGACY_NODE = re.compile(r"([^)]*)\):\s*(.*)", re.S)
_PREDICATES = re.compile(r"No nodes are available that match all of the (?:following )?predicates:+\s*(.*)", re.S)
_PREDICATE_ITEM = re.compile(r"(.*)\((\d+)\)$", re.S)
_PREEMPTION = "preemption:"
_DRA_NOTE = "no new claims to deallocate"
_ITEM_SPLIT = re.compile(r",\s+(?=\d+ )")
_COUNTED = re.compile(r"^(\d+)\s+(.*)$", re.S)
_VOLCANO_PLUGIN = re.compile(r"^plugin \S+ predicates failed\s+")
_NO_NODES = re.compile(r"no nodes available to schedule pods", re.I)
_TAINT = re.compile(r"taint \{(?P<key>[^:{}]*):\s?(?P<value>[^{}]*)\}")

#: (kind, pattern) in the order they are tried; the first match names the reason's kind.
_KINDS: list[tuple[str, re.Pattern[str]]] = [
    ("too-many-pods", re.compile(r"Too many pods|Insufficient pods\b", re.I)),
    ("insufficient-resources", re.compile(r"Insufficient \S+|PodExceedsFree(?:CPU|Memory)|PodFitsResources", re.I)),
    (
        "untolerated-taint",
        re.compile(r"had (?:untolerated )?taints?\b|had taint\(s\)|untolerated taint|didn't tolerate|PodToleratesNodeTaints", re.I),
    ),
    ("node-selector-mismatch", re.compile(r"didn't match (?:Pod's )?node (?:affinity|selector)|MatchNodeSelector", re.I)),
    (
        "pod-affinity",
        re.compile(
            r"pod (?:anti-)?affinity|anti-affinity rules|MatchInterPodAffinity|ExistingPodsAntiAffinityRulesNotMatch|CheckServiceAffinity",
            re.I,
        ),
    ),
    ("topology-spread", re.compile(r"topology spread constraints|PodTopologySpread", re.I)),
    (
        "unbound-pvc",
        re.compile(
            r"unbound immediate PersistentVolumeClaims|persistentvolumeclaim \"[^\"]*\" not found|didn't find available persistent volumes to bind|waiting for ephemeral volume controller",
            re.I,
        ),
    ),
    ("volume-node-affinity-conflict", re.compile(r"volume node affinity conflict|NoVolumeZoneConflict|VolumeNodeAffinityConflict", re.I)),
    ("volume-limit", re.compile(r"max volume count|Max\w{0,24}VolumeCount", re.I)),
    ("unschedulable-nodes", re.compile(r"were unschedulable|NodeUnschedulable", re.I)),
    ("host-port-conflict", re.compile(r"free ports|PodFitsHostPorts", re.I)),
    ("preemption-not-helpful", re.compile(r"Preemption is not helpful", re.I)),
    ("no-preemption-victims", re.compile(r"No preemption victims", re.I)),
]
#: pod-affinity reasons, most specific first → the rules they name.
_AFFINITY_RULES = [
    (re.compile(r"existing pods|ExistingPodsAntiAffinityRulesNotMatch", re.I), "existing pods' anti-affinity"),
    (re.compile(r"affinity/anti-affinity|MatchInterPodAffinity", re.I), "pod affinity/anti-affinity"),
    (re.compile(r"anti-affinity", re.I), "pod anti-affinity"),
    (re.compile(r"CheckServiceAffinity", re.I), "service affinity"),
    (re.compile(r"affinity", re.I), "pod affinity"),
]
_RESOURCE = re.compile(r"Insufficient (\S+)|PodExceedsFree(CPU|Memory)", re.I)
_CORE_RESOURCES = ("cpu", "memory", "ephemeral-storage")

#: kind → (phrase for one node, phrase for several); {detail} is filled in.
_PHRASES = {
    "insufficient-resources": ("lacks {detail}", "lack {detail}"),
    "too-many-pods": ("is at its pod limit", "are at their pod limit"),
    "untolerated-taint": ("has taint {detail}", "have taint {detail}"),
    "node-selector-mismatch": ("does not match the node selector/affinity", "do not match the node selector/affinity"),
    "pod-affinity": ("fails {detail} rules", "fail {detail} rules"),
    "topology-spread": ("would break topology spread constraints", "would break topology spread constraints"),
    "unbound-pvc": ("cannot bind the pod's PersistentVolumeClaims", "cannot bind the pod's PersistentVolumeClaims"),
    "volume-node-affinity-conflict": ("is outside the node affinity of its volumes", "are outside the node affinity of its volumes"),
    "volume-limit": ("is at its volume attach limit", "are at their volume attach limit"),
    "unschedulable-nodes": ("is cordoned", "are cordoned"),
    "host-port-conflict": ("has the hostPort in use", "have the hostPort in use"),
    "preemption-not-helpful": ("would not be helped by preemption", "would not be helped by preemption"),
    "no-preemption-victims": ("has no pods to preempt", "have no pods to preempt"),
}
_NO_DETAIL = {
    "insufficient-resources": ("lacks resources", "lack resources"),
    "pod-affinity": ("fails pod affinity/anti-affinity rules", "fail pod affinity/anti-affinity rules"),
    "untolerated-taint": ("has a taint the pod does not tolerate", "have taints the pod does not tolerate"),
}


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason and how many nodes gave it (None when the message does not count nodes)."""

    count: int | None
    text: str  # as the scheduler wrote it, without the count
    kind: str  # insufficient-resources, untolerated-taint, node-selector-mismatch, ..., or other
    detail: str = ""  # the resource ("cpu", "nvidia.com/gpu") or taint ("key" or "key=value")

    def phrase(self) -> str:
        """ "3 lack cpu", "1 has taint node-role.kubernetes.io/master", "pod has unbound ..."."""
        one, many = (_NO_DETAIL if not self.detail and self.kind in _NO_DETAIL else _PHRASES).get(self.kind, ("", ""))
        if not one:
            return f"{self.count} {self.text}" if self.count is not None else self.text
        if self.count is None:
            return self.text
        return f"{self.count} {(one if self.count == 1 else many).format(detail=self.detail)}"


@dataclass(frozen=True, slots=True)
class SchedulerVerdict:
    total: int | None  # nodes considered; None when the message does not say
    reasons: list[Reason] = field(default_factory=list)
    preemption: SchedulerVerdict | None = None  # the `preemption:` part, counted on its own
    notes: list[str] = field(default_factory=list)  # text that is no per-node reason

    def summary(self) -> str:
        """ "5 nodes: 3 lack cpu, 2 have taint node-role.kubernetes.io/master", then the preemption part."""
        if self.total == 0:
            return "the cluster has no nodes the scheduler can use"
        body = ", ".join(r.phrase() for r in self.reasons) or ", ".join(self.notes) or "no reason given"
        if self.total is not None:
            body = f"{self.total} node{'s' if self.total != 1 else ''}: {body}"
        elif any(r.count is not None for r in self.reasons):
            body = f"nodes: {body}"
        if self.preemption is not None:
            body += f"; preemption: {self.preemption.summary()}"
        return body


def reason_kinds(message: str) -> list[str]:
    """The kinds of reasons a scheduler verdict gives (`no-nodes` when there is no node at all), the
    `preemption:` part left out: what the Pending playbook's causes match."""
    verdict = parse_scheduler_message(message)
    if verdict is None:
        return []
    if verdict.total == 0:
        return ["no-nodes"]
    return list(dict.fromkeys(r.kind for r in verdict.reasons))


def classify(text: str) -> tuple[str, str]:
    """(kind, detail) of one reason's text."""
    text = _VOLCANO_PLUGIN.sub("", text[:MAX_MESSAGE])
    for kind, pattern in _KINDS:
        if pattern.search(text):
            return kind, _detail(kind, text)
    return "other", ""


def _detail(kind: str, text: str) -> str:
    if kind == "insufficient-resources":
        m = _RESOURCE.search(text)
        if not m:
            return ""
        resource = m.group(1) or m.group(2)
        return resource.lower() if resource.lower() in _CORE_RESOURCES else resource
    if kind == "pod-affinity":
        return next((rules for pattern, rules in _AFFINITY_RULES if pattern.search(text)), "")
    if kind == "untolerated-taint":
        m = _TAINT.search(text)
        if not m:
            return ""
        key, value = m.group("key").strip(), m.group("value").strip()
        return f"{key}={value}" if value else key
    return ""


def _reason(count: int | None, text: str) -> Reason:
    kind, detail = classify(text)
    return Reason(count, text, kind, detail)


def _counted_items(body: str) -> list[Reason]:
    body = body.strip().rstrip(".").strip()
    if not body:
        return []
    out = []
    for item in _ITEM_SPLIT.split(body):
        m = _COUNTED.match(item.strip())
        out.append(_reason(int(m.group(1)), m.group(2)) if m else _reason(None, item.strip()))
    return out


def _split_preemption(body: str) -> tuple[str, str | None]:
    """(the main part, the part after "preemption:" or None), as `[.,]?\\s*preemption:\\s*` splits it."""
    at = body.find(_PREEMPTION)
    if at < 0:
        return body, None
    start = len(body[:at].rstrip())
    if start and body[start - 1] in ".,":
        start -= 1
    return body[:start], body[at + len(_PREEMPTION) :].lstrip()


def _split_dra_note(body: str) -> tuple[str, str | None]:
    """(the main part, the DRA note) when the body ends with `[.]? no new claims to deallocate`."""
    stripped = body.rstrip()
    if not stripped.endswith(_DRA_NOTE):
        return body, None
    start = len(stripped[: -len(_DRA_NOTE)].rstrip())
    if start and body[start - 1] == ".":
        start -= 1
    return body[:start], _DRA_NOTE


def _legacy_nodes(text: str) -> list[tuple[str, str]]:
    """(node, reasons) of each "fit failure on node (NODE): reasons" in a k8s ≤1.4 message."""
    out = []
    for piece in text.split(_LEGACY_NODE_START)[1:]:
        m = _LEGACY_NODE.match(piece)
        if m:
            out.append((m.group(1), m.group(2).strip()))
    return out


def _preemption(text: str) -> SchedulerVerdict:
    m = _AVAILABLE.search(text)
    if m:
        return SchedulerVerdict(int(m.group(2)), _counted_items(m.group(3)))
    return SchedulerVerdict(None, notes=[text.strip().rstrip(".").strip()])


def parse_scheduler_message(message: str) -> SchedulerVerdict | None:
    """Parse a FailedScheduling message (or PodScheduled condition message); None if it is not one."""
    if not isinstance(message, str) or not message:
        return None
    message = message[:MAX_MESSAGE]
    m = _AVAILABLE.search(message)
    if m:
        body, after = _split_preemption(m.group(3))
        preemption = _preemption(after) if after is not None else None
        body, dra = _split_dra_note(body)
        notes = [dra] if dra else []
        return SchedulerVerdict(int(m.group(2)), _counted_items(body), preemption, notes)
    m = _PREDICATES.search(message)
    if m:
        reasons = []
        for item in m.group(1).strip().rstrip(".").split(", "):
            counted = _PREDICATE_ITEM.match(item.strip())
            reasons.append(_reason(int(counted.group(2)), counted.group(1).rstrip()) if counted else _reason(None, item.strip()))
        return SchedulerVerdict(None, reasons)
    m = _LEGACY_FIT.search(message)
    if m:
        per_node = _legacy_nodes(m.group(1))
        counts: Counter[str] = Counter()
        for _node, reasons_text in per_node:
            for text in reasons_text.split(", "):
                if text:
                    counts[text] += 1
        return SchedulerVerdict(len(per_node) or None, [_reason(n, text) for text, n in counts.items()])
    if _NO_NODES.search(message):
        return SchedulerVerdict(0)
    kind, detail = classify(message)
    if kind == "unbound-pvc":
        return SchedulerVerdict(None, [Reason(None, message.strip().rstrip("."), kind, detail)])
    return None
