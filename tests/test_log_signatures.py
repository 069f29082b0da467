"""The log-signature library: real crash log lines from Python, the JVM, Go, Node, Ruby, .NET, nginx
and PostgreSQL (tests/fixtures/public-messages.jsonl, each row citing its source) map to causes when
they are the previous logs of a crash-looping container. The matched line is quoted with its number."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from k8sdoctor.core.playbooks.examples import Example, example_inventory
from tests.realcases import PUBLIC_MESSAGES, load_cases

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)
SIGNATURES = [c for c in load_cases(PUBLIC_MESSAGES) if c["class"] == "LogSignature"]
CRASHING = {
    "status": {
        "phase": "Running",
        "containerStatuses": [{"name": "app", "ready": False, "restartCount": 3, "state": {"waiting": {"reason": "CrashLoopBackOff"}}}],
    }
}


def test_every_runtime_is_covered():
    assert {c["runtime"] for c in SIGNATURES} >= {"python", "jvm", "go", "node", "ruby", "dotnet", "nginx", "postgresql"}


@pytest.mark.parametrize("case", SIGNATURES, ids=lambda c: c["id"])
def test_log_signature_names_the_cause(engine, case):
    example = Example(name=case["id"], pod=CRASHING, logs={"app": case["logs"]}, expect={"cause": None})
    inventory, pod = example_inventory(example, NOW)
    finding = engine.diagnose_pod(inventory, pod, NOW).findings[0]
    assert (finding.category, finding.cause) == ("CrashLoopBackOff", case["cause"]), case["source"]
    log_evidence = [e for e in finding.evidence if e.source.startswith("logs app (previous) line ")]
    if case["cause"] != "app-error" or any(e.source.startswith("logs") for e in finding.evidence):
        assert log_evidence, finding.evidence
        quoted = log_evidence[0]
        line_no = int(quoted.source.split(" line ")[1].split(" of ")[0])
        assert case["logs"][line_no - 1].startswith(quoted.text.removesuffix("…")[:200])


def test_a_message_continued_on_indented_lines_is_quoted_from_its_first_line(engine):
    (case,) = [c for c in SIGNATURES if c["id"] == "logsig-python-psycopg2-connection-refused"]
    example = Example(name=case["id"], pod=CRASHING, logs={"app": case["logs"]}, expect={"cause": None})
    inventory, pod = example_inventory(example, NOW)
    finding = engine.diagnose_pod(inventory, pod, NOW).findings[0]
    (quoted,) = [e for e in finding.evidence if e.source.startswith("logs app (previous) line ")]
    assert quoted.source == "logs app (previous) line 4 of 6"
    assert quoted.text == "psycopg2.OperationalError: could not connect to server: Connection refused"
