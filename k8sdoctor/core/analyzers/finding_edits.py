"""Small edits analyzers make to a finding: add evidence once, say what it means in the finding's text,
put specific steps in front of the playbook's generic ones, find what the playbook quoted; and edits worked out once per distinct question."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from k8sdoctor.core.findings import Evidence, Finding, Step

if TYPE_CHECKING:
    from k8sdoctor.core.inventory import Inventory


def add_evidence(finding: Finding, source: str, text: str) -> None:
    ev = Evidence(source, text)
    if text and ev not in finding.evidence:
        finding.evidence.append(ev)


def interpret(finding: Finding, sentence: str) -> None:
    """Add what the evidence means to the finding's text (evidence itself stays what was read)."""
    if sentence and sentence not in finding.explanation:
        finding.explanation = f"{finding.explanation} {sentence}".strip()


def lead_with(finding: Finding, steps: list[Step], *, replacing: Callable[[Step], bool] | None = None) -> None:
    """Put `steps` first; drop the playbook steps they make redundant (`replacing`)."""
    rest = [s for s in finding.remediation if s not in steps and not (replacing and replacing(s))]
    finding.remediation = [*steps, *rest]


def command_has(*fragments: str) -> Callable[[Step], bool]:
    """A `replacing` test: the step's command contains every fragment."""
    return lambda step: step.command is not None and all(f in step.command for f in fragments)


class Edits(NamedTuple):
    """What an analyzer adds to a finding, worked out once per distinct question (`shared`) and applied
    to every finding that asks it: evidence added in order, then `steps` put first (dropping the
    playbook's steps `replacing` makes redundant) when `lead` is set."""

    evidence: tuple[tuple[str, str], ...] = ()
    steps: tuple[Step, ...] = ()
    replacing: Callable[[Step], bool] | None = None
    lead: bool = True

    def apply(self, finding: Finding) -> None:
        for source, text in self.evidence:
            add_evidence(finding, source, text)
        if self.lead:
            lead_with(finding, list(self.steps), replacing=self.replacing)


def shared(inventory: Inventory, question: tuple, answer: Callable[[], Edits]) -> Edits:
    """`answer()` once per distinct question and inventory state: the replicas of a workload ask the
    same one. The question must hold everything the answer reads besides the inventory."""
    answers: dict[tuple, Edits] = inventory.derived("analyzers.answers", lambda _inv: {})
    found = answers.get(question)
    if found is None:
        found = answers[question] = answer()
    return found


def spec_key(spec: dict, fields: tuple[str, ...]) -> bytes:
    """Some fields of a pod spec as canonical JSON, for a `shared` question."""
    import orjson

    return orjson.dumps({k: spec[k] for k in fields if k in spec}, option=orjson.OPT_SORT_KEYS, default=str)
