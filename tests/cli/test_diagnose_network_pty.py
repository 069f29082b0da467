"""`k8sdoctor diagnose` on the path to the app, run in a pseudo-terminal as a user runs it: the real
program, the demo cluster over HTTPS, the screen read back. On a terminal the report is colored and
fits the terminal's width; what it says is the same as in a pipe."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import time

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
WIDTH = 100


def run_in_pty(args: list[str], kubeconfig, home, width: int = WIDTH, timeout: float = 60) -> tuple[int, str]:
    """Run the CLI with a pseudo-terminal as stdin, stdout and stderr; return its exit code and all it wrote."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, width, 0, 0))
    environ = {k: v for k, v in os.environ.items() if k not in ("KUBECONFIG", "NO_COLOR", "COLUMNS", "LINES")}
    environ.update(HOME=str(home), KUBECONFIG=str(kubeconfig), TERM="xterm-256color")
    proc = subprocess.Popen([sys.executable, "-m", "k8sdoctor", *args], stdin=slave, stdout=slave, stderr=slave, env=environ)
    os.close(slave)
    out = b""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the program exited and closed the terminal
                break
            if not data:
                break
            out += data
        code = proc.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    return code, out.decode("utf-8", "replace")


def screen_lines(raw: str) -> list[str]:
    return [ANSI.sub("", line).rstrip() for line in raw.replace("\r\n", "\n").split("\n")]


def test_a_service_with_a_selector_typo_on_a_terminal(demo_server, tmp_path, run_cli):
    kubeconfig = demo_server.write_kubeconfig(tmp_path / "kc", namespace="web")
    code, raw = run_in_pty(["diagnose", "svc/web-frontend"], kubeconfig, tmp_path)
    assert code == 1, raw
    assert ANSI.search(raw), "a terminal gets colors"
    lines = screen_lines(raw)
    # Prose wraps to the terminal; a suggested command stays whole so it can be copied (issue 11).
    prose = [line for line in lines if not line.lstrip().startswith("$ ")]
    assert all(len(line) <= WIDTH for line in prose), [line for line in prose if len(line) > WIDTH]
    text = "\n".join(lines)
    assert "No pod in the namespace matches the selector app=web-frontnd" in text
    assert "Did you mean app=web-frontend?" in " ".join(text.split())
    piped = run_cli("diagnose", "svc/web-frontend", kubeconfig=kubeconfig, env={"COLUMNS": str(WIDTH)})
    assert [line for line in lines if line] == [line.rstrip() for line in piped.out.splitlines() if line.strip()]


def test_the_whole_path_on_a_terminal(demo_server, tmp_path):
    kubeconfig = demo_server.write_kubeconfig(tmp_path / "kc", namespace="web")
    code, raw = run_in_pty(["diagnose", "all"], kubeconfig, tmp_path)
    assert code == 1, raw
    text = " ".join(" ".join(screen_lines(raw)).split())
    for expected in (
        "No pod in the namespace matches the selector app=web-frontnd",
        "Backend Service web-api:8080 does not exist",
        "StorageClass standard does not exist",
        "A container of the target's pods has no cpu request",
    ):
        assert expected in text, expected
