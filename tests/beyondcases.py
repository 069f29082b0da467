"""Rows of tests/fixtures/shared/beyond-pods.jsonl (a copy of ../shared/cases/beyond-pods.jsonl): real
failures beyond pods, each verbatim from its `source_url`. Tests take messages from here by row id and
cite the source next to the use."""

from __future__ import annotations

import functools
import json
from pathlib import Path

BEYOND_PODS = Path(__file__).resolve().parent / "fixtures" / "shared" / "beyond-pods.jsonl"


@functools.cache
def _rows() -> dict[str, dict]:
    rows = [json.loads(line) for line in BEYOND_PODS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {row["id"]: row for row in rows}


def beyond_case(case_id: str) -> dict:
    return _rows()[case_id]


def case_event(case_id: str, reason: str) -> dict:
    """The case's first event with this reason, as the row holds it ({type, reason, message, ...})."""
    return next(e for e in beyond_case(case_id)["events"] if e.get("reason") == reason)
