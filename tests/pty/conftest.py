"""The real program in a real pseudo-terminal: fixtures that start it (on the demo, or on a local API
server the test controls) and close it whatever happens."""

from __future__ import annotations

import pytest

from k8sdoctor.demo.runner import start_demo
from tests.pty.terminal import PtyTerminal, k8sdoctor

#: Terminal sizes every flow must work at: a default xterm and a roomier window.
SMALL, LARGE = (80, 24), (120, 35)


@pytest.fixture
def demo_cluster():
    """The demo cluster served from the test process (so the test can stop and restart it), with a
    timeline that only starts debug containers: nothing else changes under the test."""
    demo = start_demo(tick=0.1, crash_every=3600, node_after=3600, fix_after=3600)
    yield demo
    demo.close()


@pytest.fixture
def terminal():
    """`terminal(*args, cols=, rows=, env=, term=)`: k8sdoctor ARGS in a pseudo-terminal."""
    opened: list[PtyTerminal] = []

    def start(*args: str, cols: int = 120, rows: int = 35, env: dict[str, str] | None = None, term: str = "xterm-256color") -> PtyTerminal:
        term_ = PtyTerminal(k8sdoctor(*args), cols=cols, rows=rows, env=env, term=term)
        opened.append(term_)
        return term_

    yield start
    for t in opened:
        t.close()
