"""Attaching a terminal for real: a pseudo-terminal, the client's websocket, the fake server's shell."""

from __future__ import annotations

import fcntl
import io
import os
import pty
import signal
import struct
import termios
import threading
import time

import pytest

from k8sdoctor.actions import debug
from k8sdoctor.actions.attach import TerminalAttach
from k8sdoctor.cluster.live.fetch import LiveFetcher
from k8sdoctor.demo.timeline import DemoTimeline

KB = ("shop", "kb-5c7d8f9b6-q4w2e")


def set_size(fd: int, rows: int, cols: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def wait_for(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.fixture
def running_debugger(server, client):
    ready = debug.prepare(client, LiveFetcher(client).pod(*KB), *KB)
    debug.create(client, ready.plan)
    DemoTimeline(server).start_debug_containers()
    return ready.plan.container


def test_a_session_in_raw_mode_with_resizes_and_the_terminal_restored(server, client, running_debugger):
    master, slave = pty.openpty()
    set_size(slave, 24, 80)
    terminal = os.fdopen(slave, "r+b", buffering=0)
    before = termios.tcgetattr(slave)
    handler_before = signal.getsignal(signal.SIGWINCH)
    seen: list[bytes] = []

    def user() -> None:
        wait_for(lambda: server.attach_sessions() and server.attach_sessions()[0].resizes)
        session = server.attach_sessions()[0]
        set_size(slave, 40, 120)
        os.kill(os.getpid(), signal.SIGWINCH)  # what the terminal sends when its window changes
        wait_for(lambda: len(session.resizes) == 2)
        os.write(master, b"hostname\r")
        wait_for(lambda: b"".join(seen).count(b"/ # ") == 2)
        os.write(master, b"exit\r")

    def screen() -> None:
        while True:
            try:
                data = os.read(master, 1024)
            except OSError:
                return
            if not data:
                return
            seen.append(data)

    threading.Thread(target=screen, daemon=True).start()
    typing = threading.Thread(target=user, daemon=True)
    typing.start()
    try:
        result = TerminalAttach(terminal, terminal)(client, *KB, running_debugger)
        typing.join(5)
        wait_for(lambda: b"exit\r\n" in b"".join(seen))
    finally:
        after = termios.tcgetattr(slave)
        terminal.close()
        os.close(master)
    assert result.attached and result.message == "session ended"
    banner = (
        f"Attached to {running_debugger} in shop/{KB[1]}: exit its shell to come back. If you see no prompt, press enter.\r\n"
    ).encode()
    assert b"".join(seen) == banner + b"/ # hostname\r\nkb-5c7d8f9b6-q4w2e\r\n/ # exit\r\n"
    (session,) = server.attach_sessions()
    assert (session.container, session.tty, session.protocol) == (running_debugger, True, "v5.channel.k8s.io")
    assert session.resizes == [{"Width": 80, "Height": 24}, {"Width": 120, "Height": 40}]
    assert bytes(session.stdin) == b"hostname\rexit\r"
    assert after == before  # raw mode undone
    assert signal.getsignal(signal.SIGWINCH) == handler_before
    (request,) = [r for r in server.requests("GET") if r.path.endswith("/attach")]
    assert request.query == {"container": running_debugger, "stdin": "true", "stdout": "true", "stderr": "false", "tty": "true"}


def test_without_a_terminal_it_says_which_command_to_run(client):
    result = TerminalAttach(io.StringIO(), io.StringIO())(client, *KB, "debugger-abcde")
    assert not result.attached
    assert result.message == f"no terminal to attach; run: kubectl attach -it -n shop {KB[1]} -c debugger-abcde"


def test_a_container_that_does_not_run_cannot_be_attached(server, client):
    master, slave = pty.openpty()
    terminal = os.fdopen(slave, "r+b", buffering=0)
    try:
        result = TerminalAttach(terminal, terminal)(client, *KB, "kb")  # crash-looping, not running
    finally:
        terminal.close()
        os.close(master)
    assert not result.attached
    assert result.message == (
        "could not attach (Internal error occurred: error attaching to container: container is "
        f"not created or running); run: kubectl attach -it -n shop {KB[1]} -c kb"
    )
