"""The action screens' tests: times print in UTC, the clock is fixed (see helpers)."""

from __future__ import annotations

import time

import pytest


@pytest.fixture(autouse=True)
def utc(monkeypatch):
    """describe prints Start Time in the reader's zone, as kubectl; the snapshots are taken in UTC."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
