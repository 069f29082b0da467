"""What the engine produces: findings with quoted evidence and remediation, per pod."""

from __future__ import annotations

from dataclasses import dataclass, field

SEVERITIES = ("critical", "warning", "info")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}


@dataclass(frozen=True, slots=True)
class Evidence:
    """A quote of what matched, verbatim, and where it came from.

    `source` says where: "status.containerStatuses[web].state.waiting.reason",
    "event Warning/Failed from kubelet (x4 over 3m)", "logs web (previous) line 12 of 40",
    "node worker-1 status.allocatable".
    """

    source: str
    text: str

    def to_dict(self) -> dict:
        return {"source": self.source, "text": self.text}


@dataclass(frozen=True, slots=True)
class Step:
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

    @property
    def is_problem(self) -> bool:
        return self.severity in ("critical", "warning")

    def to_dict(self) -> dict:
        return {
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


@dataclass(slots=True)
class PodDiagnosis:
    """The result for one pod. `healthy` is False exactly when a critical or warning finding exists."""

    namespace: str
    name: str
    phase: str
    status: str  # as `kubectl get pods` prints STATUS
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # evidence we could not read, and why
    owner: dict | None = None  # {"kind", "name"} of the owning workload (Deployment over ReplicaSet)
    revision: str | None = None

    @property
    def healthy(self) -> bool:
        return not any(f.is_problem for f in self.findings)

    @property
    def worst_severity(self) -> str | None:
        if not self.findings:
            return None
        return min((f.severity for f in self.findings), key=SEVERITY_RANK.__getitem__)

    def to_dict(self) -> dict:
        return {
            "namespace": self.namespace,
            "name": self.name,
            "phase": self.phase,
            "status": self.status,
            "healthy": self.healthy,
            "owner": self.owner,
            "revision": self.revision,
            "findings": [f.to_dict() for f in self.findings],
            "notes": list(self.notes),
        }
