"""Small edits analyzers make to a finding: add evidence once, put specific steps in front of the
playbook's generic ones, find what the playbook quoted."""

from __future__ import annotations

from collections.abc import Callable

from k8sdoctor.core.findings import Evidence, Finding, Step


def add_evidence(finding: Finding, source: str, text: str) -> None:
    ev = Evidence(source, text)
    if text and ev not in finding.evidence:
        finding.evidence.append(ev)


def lead_with(finding: Finding, steps: list[Step], *, replacing: Callable[[Step], bool] | None = None) -> None:
    """Put `steps` first; drop the playbook steps they make redundant (`replacing`)."""
    rest = [s for s in finding.remediation if s not in steps and not (replacing and replacing(s))]
    finding.remediation = [*steps, *rest]


def command_has(*fragments: str) -> Callable[[Step], bool]:
    """A `replacing` test: the step's command contains every fragment."""
    return lambda step: step.command is not None and all(f in step.command for f in fragments)
