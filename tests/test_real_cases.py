"""Every real case (shared corpus and our cited public messages) is classified to its category, and to
its cause where the case's data makes the cause clear. Sources are cited in the data files."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from k8sdoctor.core.playbooks.examples import example_inventory
from tests.realcases import PUBLIC_MESSAGES, SHARED_CASES, case_to_example, expected, has_pod_evidence, load_cases

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)
SHARED = load_cases(SHARED_CASES)
PUBLIC = [c for c in load_cases(PUBLIC_MESSAGES) if c["class"] != "LogSignature"]
CLASSIFIABLE = [c for c in SHARED + PUBLIC if has_pod_evidence(c)]


def diagnose(engine, case):
    inv, pod = example_inventory(case_to_example(case), NOW)
    return engine.diagnose_pod(inv, pod, NOW)


def test_shared_corpus_is_present():
    assert len(SHARED) >= 40, "tests/fixtures/shared/real-failures.jsonl holds the shared sample"


def test_unclassifiable_rows_are_only_those_without_pod_data():
    """Rows left out hold only component logs or kubectl output: nothing a pod, its events or its
    logs would carry. Keep this list short and explicit."""
    left_out = sorted(c["id"] for c in SHARED + PUBLIC if not has_pod_evidence(c))
    assert left_out == ["k8s-68885-createcontainererror-deadline-kubelet-log", "k8s-docs-scheduling-gated-get-pod"]


@pytest.mark.parametrize("case", CLASSIFIABLE, ids=lambda c: c["id"])
def test_case_is_classified(engine, case):
    category, cause = expected(case)
    result = diagnose(engine, case)
    assert result.findings, f"no finding for {case['id']} ({case['source']})"
    top = result.findings[0]
    assert top.category == category, f"{case['id']}: top finding {top.category}/{top.cause}, expected {category}"
    assert not result.healthy
    if cause is not None:
        causes = [f.cause for f in result.findings if f.category == category]
        assert cause in causes, f"{case['id']}: causes {causes}, expected {cause}"
    # evidence is quoted verbatim from the case's own text
    texts = [e.get("message") for e in case.get("events") or []] + (case.get("logs") or [])
    texts += [case.get("status_message"), case.get("waiting_reason"), case.get("terminated_reason"), str(case.get("exit_code"))]
    quoted = [ev.text for f in result.findings for ev in f.evidence]
    assert any(q in (t or "") or (t or "") == q for q in quoted for t in texts), f"{case['id']}: evidence {quoted}"
