"""Handing the terminal to something else (an attached container's shell) with the app suspended.

Textual's `App.suspend()` resumes the app only when its block ends normally: an exception inside it
would leave the terminal in the suspended state for good (a blank screen where keys only echo). Every
suspended section goes through `run_suspended`, which turns any exception into a result first, so the
app always comes back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from textual.app import App, SuspendNotSupported

T = TypeVar("T")


def run_suspended(app: App, run: Callable[[], T], failed: Callable[[BaseException], T]) -> T:
    """`run()` with the app suspended; if it raises (or Ctrl+C interrupts it), `failed(exc)` instead.
    Without a real terminal to suspend (headless tests), `run()` is called as is."""
    try:
        with app.suspend():
            try:
                return run()
            except (Exception, KeyboardInterrupt) as exc:
                return failed(exc)
    except SuspendNotSupported:
        pass
    try:
        return run()
    except (Exception, KeyboardInterrupt) as exc:
        return failed(exc)
