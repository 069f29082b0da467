"""Rows of tests/fixtures/shared/beyond-pods.jsonl (a copy of ../shared/cases/beyond-pods.jsonl) and of
tests/fixtures/beyond-pods-public.jsonl (more public cases in the same layout): real failures beyond pods,
each verbatim from its `source_url`. Tests take messages from here by row id and cite the source next to
the use."""

from __future__ import annotations

import functools
import json
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BEYOND_PODS = FIXTURES / "shared" / "beyond-pods.jsonl"
BEYOND_PODS_PUBLIC = FIXTURES / "beyond-pods-public.jsonl"


@functools.cache
def _rows() -> dict[str, dict]:
    rows = [
        json.loads(line)
        for path in (BEYOND_PODS, BEYOND_PODS_PUBLIC)
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return {row["id"]: row for row in rows}


def beyond_cases(*classes: str) -> list[dict]:
    """Every row of these classes (`service-no-endpoints`, `pvc-pending`, `node`, `hpa`, `pod-networking`...)."""
    return [row for row in _rows().values() if row["class"] in classes]


def beyond_case(case_id: str) -> dict:
    return _rows()[case_id]


def case_event(case_id: str, reason: str) -> dict:
    """The case's first event with this reason, as the row holds it ({type, reason, message, ...})."""
    return next(e for e in beyond_case(case_id)["events"] if e.get("reason") == reason)


def case_message(case_id: str, source_url: str, reason: str | None = "FailedCreate") -> str:
    """The message of a case's first event with this reason (None: its first event); `source_url` must be
    the row's, so the citation next to the use is checked."""
    row = beyond_case(case_id)
    assert row["source_url"] == source_url, f"{case_id} comes from {row['source_url']}"
    return next(e["message"] for e in row["events"] if reason is None or e.get("reason") == reason)
