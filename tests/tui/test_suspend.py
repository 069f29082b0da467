"""Every suspended section resumes the app, whatever happens inside it."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from textual.app import SuspendNotSupported

from k8sdoctor.tui.suspend import run_suspended


class Recorder:
    """An app's `suspend()` as Textual writes it: the resume runs only if the block ends normally."""

    def __init__(self, supported: bool = True) -> None:
        self.supported = supported
        self.log: list[str] = []

    @contextmanager
    def suspend(self):
        if not self.supported:
            raise SuspendNotSupported("no terminal")
        self.log.append("suspended")
        yield
        self.log.append("resumed")


@pytest.mark.parametrize("error", [ConnectionResetError("websocket closed"), KeyboardInterrupt(), OSError(9, "Bad file descriptor")])
def test_an_exception_inside_resumes_the_app_and_becomes_the_result(error):
    app = Recorder()

    def attach():
        raise error

    result = run_suspended(app, attach, lambda exc: f"failed: {type(exc).__name__}")  # type: ignore[arg-type]
    assert result == f"failed: {type(error).__name__}"
    assert app.log == ["suspended", "resumed"]


def test_a_normal_run_returns_its_result_after_the_resume():
    app = Recorder()
    assert run_suspended(app, lambda: "session ended", lambda exc: "failed") == "session ended"  # type: ignore[arg-type]
    assert app.log == ["suspended", "resumed"]


def test_without_a_terminal_to_suspend_it_runs_as_is():
    app = Recorder(supported=False)
    assert run_suspended(app, lambda: 1 / 0, lambda exc: type(exc).__name__) == "ZeroDivisionError"  # type: ignore[arg-type]
    assert app.log == []
