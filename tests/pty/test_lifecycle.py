"""Starting, resizing, losing the cluster and getting it back, and leaving, in a real terminal: `q` and
Ctrl+C exit cleanly and leave the terminal as they found it (no alternate screen, no raw mode)."""

from __future__ import annotations

import re
import socket

import pytest

from tests.pty.conftest import LARGE, SMALL
from tests.pty.screens import main_screen_ready, table_rows

LEAVE_ALTERNATE_SCREEN = b"\x1b[?1049l"


def assert_restored(t) -> None:
    raw = t.raw_since(0)
    assert raw.rfind(LEAVE_ALTERNATE_SCREEN) > raw.rfind(b"\x1b[?1049h"), "left in the alternate screen"
    assert not t.screen.alternate
    assert t.mode_restored(), "the terminal is left in raw mode"


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "120x35"])
def test_the_demo_first_screen_shows_the_failures_and_q_exits_0(terminal, size):
    t = terminal("demo", cols=size[0], rows=size[1])
    main_screen_ready(t)
    rows = table_rows(t)
    assert rows and all("✖" in r or "▲" in r for r in rows[:3])  # problems first
    assert re.search(r"\d+ pods · [1-9]\d* problems", t.text())
    t.send("q")
    assert t.wait_exit() == 0
    assert_restored(t)


def test_ctrl_c_quits_cleanly(terminal, demo_cluster):
    t = terminal("--kubeconfig", str(demo_cluster.kubeconfig), "-A", cols=80, rows=24)
    main_screen_ready(t)
    t.send("/")  # even from the filter input (where Textual's ctrl+c copies)
    t.type_text("kes")
    t.send("ctrl+c")
    assert t.wait_exit() in (0, 130)
    assert "Press" not in t.text()
    assert_restored(t)


def test_q_goes_back_on_sub_screens_and_quits_only_from_the_main_screen(terminal, demo_cluster):
    t = terminal("--kubeconfig", str(demo_cluster.kubeconfig), "-A")
    main_screen_ready(t)
    for key, title in (("e", "LAST SEEN"), ("d", "describe pod "), ("l", "logs "), ("?", "k8sdoctor — what is wrong")):
        t.send(key)
        t.wait_text(title)
        t.send("q")
        t.wait_gone(title)
        main_screen_ready(t)
        assert t.proc.poll() is None, f"q quit from {key}"
    t.send("q")
    assert t.wait_exit() == 0


def test_resize_relays_the_screen_out(terminal, demo_cluster):
    t = terminal("--kubeconfig", str(demo_cluster.kubeconfig), "-A", cols=120, rows=35)
    main_screen_ready(t)
    assert " AGE " in t.text()
    t.resize(80, 24)
    t.wait(lambda term: " AGE " not in term.text() and table_rows(term), "the 80-column layout (AGE gives way)")
    for row in table_rows(t):
        assert len(row.split()) >= 3 and "…" not in row.split()[1]  # names still whole
    t.resize(160, 45)
    t.wait_text("RESTARTS")
    t.send("q")
    assert t.wait_exit() == 0


def test_losing_the_cluster_and_getting_it_back(terminal, demo_cluster):
    t = terminal("--kubeconfig", str(demo_cluster.kubeconfig), "-A", cols=120, rows=35)
    main_screen_ready(t)
    before = [row.split()[:2] for row in table_rows(t)]
    demo_cluster.server.stop()
    t.wait_text("✖ disconnected")
    screen = t.wait_text("stale")  # the last data stays, marked stale
    after = [row.split()[:2] for row in table_rows(t)]
    assert after and after == before[: len(after)]
    assert "Disconnected" in screen or "Reconnecting" in screen
    demo_cluster.server.restart()
    t.send("r")  # reconnect now
    t.wait_text("● live")
    t.wait_gone("stale")
    t.send("q")
    assert t.wait_exit() == 0


def test_the_demo_on_a_busy_port_is_one_line_and_the_terminal_restored(terminal):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        t = terminal("demo", "--port", str(port), cols=80, rows=24)
        assert t.wait_exit() == 2
    assert f"k8sdoctor: error: the demo cannot serve on port {port}: it is in use" in t.text()
    assert "Traceback" not in t.text()
    assert_restored(t)
