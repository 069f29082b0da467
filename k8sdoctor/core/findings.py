"""What the engine produces: findings with quoted evidence and remediation, per diagnosed object."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

SEVERITIES = ("critical", "warning", "info")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}
#: The mark that carries a severity where colour cannot (NO_COLOR, a pipe, a monochrome terminal).
SEVERITY_MARK = {"critical": "✖", "warning": "▲", "info": "●"}


class Evidence(NamedTuple):
    """A quote of what matched, verbatim, and where it came from.

    `source` says where: "status.containerStatuses[web].state.waiting.reason",
    "event Warning/Failed from kubelet (x4 over 3m)", "logs web (previous) line 12 of 40",
    "node worker-1 status.allocatable".
    """

    source: str
    text: str

    def to_dict(self) -> dict:
        return {"source": self.source, "text": self.text}


class Step(NamedTuple):
    """One remediation step: what to do, and optionally a command to copy."""

    text: str
    command: str | None = None

    def to_dict(self) -> dict:
        return {"text": self.text, "command": self.command}


@dataclass(slots=True)
class Finding:
    category: str
    cause: str
    container: str | None
    severity: str
    summary: str
    explanation: str
    evidence: list[Evidence]
    remediation: list[Step]
    playbook: str
    title: str = ""
    #: Objects (kind, namespace, name) whose full read would complete the evidence, e.g. a Secret's key
    #: names for missing-key. A live source may fetch them and diagnose again; not part of the output.
    wants: list[tuple[str, str, str]] = field(default_factory=list)
    #: The playbook's fallback: its symptom matched but no specific cause did.
    fallback: bool = False
    #: The object the evidence is about when it is not the diagnosed one (kind, namespace, name): a
    #: Deployment's finding quoting its ReplicaSet's FailedCreate event.
    about: tuple[str, str, str] | None = None
    #: What the playbook's regexes captured (a Secret name, a quota's name): analyzers read these
    #: instead of matching the quoted text again. Not part of the output.
    captures: dict[str, str] = field(default_factory=dict)
    #: Objects whose own findings explain this one (a Service's unready pods, a pod's Pending claim),
    #: set by analyzers; the engine diagnoses them and carries their top finding in (`underlying`).
    carries: list[tuple[str, str, str]] = field(default_factory=list)
    #: The findings carried in from `carries`: {kind, namespace, name, category, cause, severity}.
    underlying: list[dict] = field(default_factory=list)

    @property
    def is_problem(self) -> bool:
        return self.severity in ("critical", "warning")

    def to_dict(self) -> dict:
        out: dict = {
            "category": self.category,
            "cause": self.cause,
            "container": self.container,
            "severity": self.severity,
            "title": self.title,
            "summary": self.summary,
            "explanation": self.explanation,
            "evidence": [e.to_dict() for e in self.evidence],
            "remediation": [s.to_dict() for s in self.remediation],
            "playbook": self.playbook,
        }
        if self.about is not None:
            kind, namespace, name = self.about
            out["object"] = {"kind": kind, "namespace": namespace, "name": name}
        if self.underlying:
            out["underlying"] = [dict(u) for u in self.underlying]
        return out


@dataclass(slots=True)
class Diagnosis:
    """The result for one object. `healthy` is False exactly when a critical or warning finding exists.

    Pods carry `phase` and `revision`; every kind carries `status`, as `kubectl get` shows it (a pod's
    STATUS column, a Deployment's READY).
    """

    namespace: str
    name: str
    phase: str
    status: str
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # evidence we could not read, and why
    owner: dict | None = None  # {"kind", "name"} of the owning workload (Deployment over ReplicaSet)
    revision: str | None = None
    kind: str = "Pod"
    #: Evidence a source could read to complete this diagnosis (a container's logs, a Secret's key
    #: names): ("logs", namespace, "pod/container/previous|current") or (kind, namespace, name).
    wants: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return not any(f.is_problem for f in self.findings)

    @property
    def worst_severity(self) -> str | None:
        if not self.findings:
            return None
        return min((f.severity for f in self.findings), key=SEVERITY_RANK.__getitem__)

    def to_dict(self) -> dict:
        out: dict = {"kind": self.kind, "namespace": self.namespace, "name": self.name}
        if self.kind == "Pod":
            out["phase"] = self.phase
        out["status"] = self.status
        out["healthy"] = self.healthy
        out["owner"] = self.owner
        if self.kind == "Pod":
            out["revision"] = self.revision
        out["findings"] = [f.to_dict() for f in self.findings]
        out["notes"] = list(self.notes)
        return out
