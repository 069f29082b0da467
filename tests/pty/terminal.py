"""A real terminal for the tests: the program runs in a pseudo-terminal (Python's `pty`), as it would in
xterm or tmux, and a terminal emulator (`pyte`) reads the screen back. Keys are written to the pty as a
user types them, in bursts when asked; every check waits for a screen condition with a generous
deadline, so a loaded machine makes a test slower, never wrong.

Every byte the program writes is also kept (`raw`), so a test can look for escape sequences that must
never reach a terminal, or for the sequences that restore it on exit.
"""

from __future__ import annotations

import contextlib
import copy
import fcntl
import os
import re
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pyte

REPO = Path(__file__).resolve().parents[2]
#: seconds for one screen condition: the machine may be loaded (2 cores, shared); K8SDOCTOR_PTY_TIMEOUT
#: changes it (longer for a slow machine, shorter to see quickly which tests fail on an older build)
DEFAULT_TIMEOUT = float(os.environ.get("K8SDOCTOR_PTY_TIMEOUT", "60"))

#: Keys as the terminal sends them.
KEYS = {
    "enter": b"\r",
    "escape": b"\x1b",
    "tab": b"\t",
    "up": b"\x1b[A",
    "down": b"\x1b[B",
    "right": b"\x1b[C",
    "left": b"\x1b[D",
    "home": b"\x1b[H",
    "end": b"\x1b[F",
    "pageup": b"\x1b[5~",
    "pagedown": b"\x1b[6~",
    "ctrl+c": b"\x03",
    "ctrl+p": b"\x10",
    "ctrl+s": b"\x13",
    "ctrl+t": b"\x14",
    "ctrl+z": b"\x1a",
    "backspace": b"\x7f",
}


class TerminalScreen(pyte.Screen):
    """pyte's screen plus the alternate screen (DECSET 1049) that full-screen programs switch to:
    leaving it brings back what was on the terminal before, as xterm does."""

    ALTERNATE = 1049

    def __init__(self, columns: int, lines: int) -> None:
        super().__init__(columns, lines)
        self.alternate = False
        self._saved: tuple | None = None

    def set_mode(self, *modes: int, **kwargs) -> None:
        if kwargs.get("private") and self.ALTERNATE in modes:
            modes = tuple(m for m in modes if m != self.ALTERNATE)
            if not self.alternate:
                self.alternate = True
                self._saved = (copy.deepcopy(self.buffer), copy.copy(self.cursor))
                self.erase_in_display(2)
        super().set_mode(*modes, **kwargs)

    def reset_mode(self, *modes: int, **kwargs) -> None:
        if kwargs.get("private") and self.ALTERNATE in modes:
            modes = tuple(m for m in modes if m != self.ALTERNATE)
            if self.alternate:
                self.alternate = False
                if self._saved is not None:
                    self.buffer, self.cursor = self._saved
                    self.dirty.update(range(self.lines))
        super().reset_mode(*modes, **kwargs)

    def resize(self, lines: int | None = None, columns: int | None = None) -> None:
        super().resize(lines, columns)
        self._saved = None  # the saved screen no longer fits; a real terminal reflows it, this forgets it


class ScreenTimeout(AssertionError):
    """A screen condition was not met in time; the message holds the screen as it was."""


def _set_size(fd: int, cols: int, rows: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def _become_terminal_owner() -> None:  # pragma: no cover - runs in the child
    """In the child, after setsid: make the pty its controlling terminal (as a login shell has), so
    /dev/tty works and the kernel sends SIGWINCH on resize."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class PtyTerminal:
    """One program in a pseudo-terminal of `cols` x `rows`."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        cols: int = 120,
        rows: int = 35,
        env: dict[str, str] | None = None,
        term: str = "xterm-256color",
        cwd: str | Path | None = None,
    ) -> None:
        self.cols, self.rows = cols, rows
        self.screen = TerminalScreen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self._lock = threading.Lock()
        master, slave = os.openpty()
        _set_size(slave, cols, rows)
        self.master, self.slave = master, slave
        self.saved_mode = termios.tcgetattr(slave)  # the terminal as the program found it
        full_env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "PYTEST", "COLORTERM", "NO_COLOR", "FORCE_COLOR"))}
        full_env.update({"TERM": term, "COLUMNS": "", "LINES": "", "PYTHONUNBUFFERED": "1"})
        full_env = {k: v for k, v in full_env.items() if v != ""}
        full_env.update(env or {})
        self.proc = subprocess.Popen(
            list(argv),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=full_env,
            cwd=str(cwd or REPO),
            start_new_session=True,
            preexec_fn=_become_terminal_owner,
            close_fds=True,
        )
        self._reader = threading.Thread(target=self._read, name="pty-reader", daemon=True)
        self._reader.start()

    # ---- output ----------------------------------------------------------------------------------
    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            with self._lock:
                self.raw += data
                self.stream.feed(data)

    def text(self) -> str:
        """The screen as text, one line per row (trailing spaces kept out)."""
        with self._lock:
            return "\n".join(line.rstrip() for line in self.screen.display)

    def lines(self) -> list[str]:
        return self.text().split("\n")

    def row_chars(self, y: int) -> list:
        """The cells of row `y` (pyte `Char`: data, fg, bg, bold, reverse...)."""
        with self._lock:
            line = self.screen.buffer[y]
            return [line[x] for x in range(self.screen.columns)]

    def find_row(self, needle: str) -> int | None:
        for y, line in enumerate(self.lines()):
            if needle in line:
                return y
        return None

    def raw_since(self, mark: int) -> bytes:
        with self._lock:
            return bytes(self.raw[mark:])

    def mark(self) -> int:
        """A position in `raw`, to look only at what the program wrote after it."""
        with self._lock:
            return len(self.raw)

    # ---- input -----------------------------------------------------------------------------------
    def send(self, *keys: str | bytes, delay: float = 0.0) -> None:
        """Type keys: names from KEYS, single characters, or raw bytes. With no delay they arrive in
        one write, a burst, as over SSH or from a fast typist."""
        unknown = [k for k in keys if isinstance(k, str) and len(k) > 1 and k not in KEYS]
        if unknown:  # a key name missing from KEYS would be typed as its letters
            raise ValueError(f"no such key: {unknown}; type text with type_text()")
        chunks = [k if isinstance(k, bytes) else KEYS.get(k, k.encode()) for k in keys]
        if delay <= 0:
            os.write(self.master, b"".join(chunks))
            return
        for chunk in chunks:
            os.write(self.master, chunk)
            time.sleep(delay)

    def type_text(self, text: str) -> None:
        os.write(self.master, text.encode())

    def resize(self, cols: int, rows: int) -> None:
        """Resize as a terminal window does: the kernel sends SIGWINCH to the program."""
        with self._lock:
            self.screen.resize(rows, cols)
        self.cols, self.rows = cols, rows
        _set_size(self.master, cols, rows)

    # ---- waiting ---------------------------------------------------------------------------------
    def wait(self, condition: Callable[[PtyTerminal], object], what: str, timeout: float = DEFAULT_TIMEOUT) -> object:
        """Wait until `condition(self)` is truthy; return its value. Fails with the screen shown."""
        deadline = time.monotonic() + timeout
        while True:
            value = condition(self)
            if value:
                return value
            if time.monotonic() > deadline:
                raise ScreenTimeout(f"timed out after {timeout:.0f}s waiting for {what}; the screen:\n{self.text()}")
            if self.proc.poll() is not None:
                time.sleep(0.5)  # what it wrote last may still be in the pty
                value = condition(self)
                if value:
                    return value
                raise ScreenTimeout(f"the program exited ({self.proc.returncode}) while waiting for {what}; the screen:\n{self.text()}")
            time.sleep(0.05)

    def wait_text(self, needle: str | re.Pattern, timeout: float = DEFAULT_TIMEOUT) -> str:
        def seen(term: PtyTerminal) -> str | None:
            screen = term.text()
            if isinstance(needle, re.Pattern):
                return screen if needle.search(screen) else None
            return screen if needle in screen else None

        return str(self.wait(seen, repr(needle if isinstance(needle, str) else needle.pattern), timeout))

    def wait_gone(self, needle: str, timeout: float = DEFAULT_TIMEOUT) -> str:
        return str(self.wait(lambda t: t.text() if needle not in t.text() else None, f"{needle!r} to go away", timeout))

    def wait_exit(self, timeout: float = DEFAULT_TIMEOUT) -> int:
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise ScreenTimeout(f"the program did not exit within {timeout:.0f}s; the screen:\n{self.text()}") from None
        time.sleep(0.2)  # let the reader drain what the program wrote last
        return code

    # ---- the terminal after the program --------------------------------------------------------
    def mode_restored(self) -> bool:
        """The line discipline is as the program found it (echo, canonical mode, signals)."""
        now = termios.tcgetattr(self.slave)
        return now[3] == self.saved_mode[3] and now[0] == self.saved_mode[0] and now[1] == self.saved_mode[1]

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        for fd in (self.master, self.slave):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._reader.join(5)

    def __enter__(self) -> PtyTerminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def k8sdoctor(*args: str) -> list[str]:
    """The command line a user types: the installed program, through this interpreter."""
    return [sys.executable, "-m", "k8sdoctor", *args]
