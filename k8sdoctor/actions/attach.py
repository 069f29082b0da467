"""Attaching the user's terminal to a container, as `kubectl attach -it` does.

The stream is the official client's websocket (`kubernetes.stream.stream` on
`connect_get_namespaced_pod_attach`), speaking the channel protocol: one byte of channel before each
message, 0 stdin, 1 stdout, 2 stderr, 3 the final status, 4 terminal size. The terminal is put in raw
mode, SIGWINCH sends the new size on channel 4, and the terminal is restored whatever happens.

An attach runner is any callable with the `AttachRunner` signature, so the debug flow can be driven
without a terminal in tests. `TerminalAttach` is the terminal side of any such stream: `actions.exec`'s
`TerminalExec` opens an exec stream instead and keeps the rest.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import select
import shlex
import shutil
import signal
import sys
import threading
from dataclasses import dataclass
from typing import IO, Protocol

from k8sdoctor.cluster.live.client import KubeClient
from k8sdoctor.sanitize import one_line

RESIZE_CHANNEL = 4
ERROR_CHANNEL = 3
_STATUS_MESSAGE = re.compile(r'"message":\s*"((?:[^"\\]|\\.)*)"')


@dataclass(frozen=True, slots=True)
class AttachResult:
    attached: bool
    message: str  # one line: how the session ended, or why it could not start


class AttachRunner(Protocol):
    def __call__(self, client: KubeClient, namespace: str, pod: str, container: str) -> AttachResult: ...


def attach_command(namespace: str, pod: str, container: str) -> str:
    """kubectl's attach, names quoted for the shell (names come from the cluster)."""
    return "kubectl attach -it -n {} {} -c {}".format(*map(shlex.quote, (namespace, pod, container)))


def open_stream(client: KubeClient, namespace: str, pod: str, container: str, command: list[str] | None = None):
    """The websocket client (binary channels) for an interactive attach, or an exec of `command`. It uses
    an ApiClient of its own: `stream()` swaps the ApiClient's transport while it connects, which must not
    touch other requests."""
    from kubernetes.client import ApiClient, CoreV1Api
    from kubernetes.stream import stream

    core = CoreV1Api(ApiClient(client.configuration))
    connect = core.connect_get_namespaced_pod_attach if command is None else core.connect_get_namespaced_pod_exec
    extra = {} if command is None else {"command": command}
    return stream(
        connect,
        pod,
        namespace,
        container=container,
        **extra,
        stdin=True,
        stdout=True,
        stderr=False,
        tty=True,
        _preload_content=False,
        binary=True,
    )


def connect_error(exc: Exception) -> str:
    """One line from a failed websocket connect: the API server's Status message when it sent one
    ("Handshake status 403 Forbidden -+-+- headers -+-+- {...Status...}")."""
    text = str(getattr(exc, "reason", "") or exc)
    match = _STATUS_MESSAGE.search(text)
    if match:
        return one_line(json.loads(f'"{match.group(1)}"'))
    lines = [line for line in text.splitlines() if line.strip()]
    return one_line(lines[0].split(" -+-+- ")[0]) if lines else type(exc).__name__


def session_status(ws) -> str:
    """The status the server sent on channel 3 when the session ended, as one line."""
    raw = ws.read_channel(ERROR_CHANNEL)
    if not raw:
        return "session ended"
    try:
        status = json.loads(raw)
    except ValueError:
        return "session ended"
    if status.get("status") == "Success":
        return "session ended"
    causes = ((status.get("details") or {}).get("causes") or []) if isinstance(status, dict) else []
    code = next((c.get("message") for c in causes if isinstance(c, dict) and c.get("reason") == "ExitCode"), None)
    if status.get("reason") == "NonZeroExitCode" and code is not None:
        return one_line(f"session ended: exit status {code}")
    return one_line(f"session ended: {status.get('message') or status.get('reason') or 'failure'}")


def _write_all(fd: int, data: bytes) -> None:
    while data:
        data = data[os.write(fd, data) :]


def _copy_output(ws, fd_out: int) -> None:
    for channel in (1, 2):
        out = ws.read_channel(channel)
        if out:
            _write_all(fd_out, out)


def real_terminal() -> tuple[IO, IO] | None:
    """The process's own terminal, as the process started with it: `sys.__stdin__`/`sys.__stdout__`
    (a full-screen app replaces `sys.stdout` with a stand-in of its own, whose `fileno()` is -1), else
    the controlling terminal /dev/tty. None when there is no terminal at all."""
    stdin, stdout = sys.__stdin__, sys.__stdout__
    if stdin is not None and stdout is not None and _is_tty(stdin) and _is_tty(stdout):
        return stdin, stdout
    try:
        tty = open("/dev/tty", "r+b", buffering=0)  # noqa: SIM115 - kept open for the session
    except OSError:
        return None
    return tty, tty


def _is_tty(stream: IO) -> bool:
    try:
        return stream.isatty() and stream.fileno() >= 0
    except (OSError, ValueError):
        return False


class TerminalAttach:
    """Attach a terminal: raw mode, resize handling, restored on exit. Without streams it uses the
    process's real terminal, looked up when the attach starts (not when the runner is made)."""

    def __init__(self, stdin: IO | None = None, stdout: IO | None = None) -> None:
        self.stdin = stdin
        self.stdout = stdout

    # what differs between attach and exec: the stream, the words, what the user reads first, the command
    connecting = "attach"  # "could not attach (...)"
    again = "reattach with"  # "connection lost (...); reattach with: ..."

    def open_stream(self, client: KubeClient, namespace: str, pod: str, container: str):
        return open_stream(client, namespace, pod, container)

    def banner(self, namespace: str, pod: str, container: str) -> str:
        return f"Attached to {container} in {namespace}/{pod}: exit its shell to come back. If you see no prompt, press enter."

    def command(self, namespace: str, pod: str, container: str) -> str:
        return attach_command(namespace, pod, container)

    def _streams(self) -> tuple[IO, IO] | None:
        if self.stdin is not None and self.stdout is not None:
            return (self.stdin, self.stdout) if _is_tty(self.stdin) and _is_tty(self.stdout) else None
        return real_terminal()

    def __call__(self, client: KubeClient, namespace: str, pod: str, container: str) -> AttachResult:
        command = self.command(namespace, pod, container)
        streams = self._streams()
        if streams is None:
            return AttachResult(False, f"no terminal to attach; run: {command}")
        try:
            ws = self.open_stream(client, namespace, pod, container)
        except Exception as exc:
            return AttachResult(False, f"could not {self.connecting} ({connect_error(exc)}); run: {command}")
        fd_in, fd_out = streams[0].fileno(), streams[1].fileno()
        try:
            _write_all(fd_out, one_line(self.banner(namespace, pod, container)).encode() + b"\n")  # not raw yet: the tty adds the \r
            return self._session(ws, fd_in, fd_out)
        except Exception as exc:  # the stream dropped mid-session: say so in one line, the terminal is restored
            return AttachResult(True, f"connection lost ({connect_error(exc)}); {self.again}: {command}")
        finally:
            with contextlib.suppress(Exception):
                ws.close()

    @staticmethod
    def _size(fd_out: int) -> bytes:
        try:
            cols, rows = os.get_terminal_size(fd_out)
        except OSError:
            cols, rows = shutil.get_terminal_size()
        return json.dumps({"Width": cols, "Height": rows}).encode()

    def _session(self, ws, fd_in: int, fd_out: int) -> AttachResult:
        import termios
        import tty

        saved = termios.tcgetattr(fd_in)
        resized = threading.Event()
        previous = None
        try:
            tty.setraw(fd_in)
            if threading.current_thread() is threading.main_thread():
                previous = signal.signal(signal.SIGWINCH, lambda *_: resized.set())
            ws.write_channel(RESIZE_CHANNEL, self._size(fd_out))
            while ws.is_open():
                if resized.is_set():
                    resized.clear()
                    ws.write_channel(RESIZE_CHANNEL, self._size(fd_out))
                ready, _, _ = select.select([fd_in, ws.sock.sock], [], [], 0.2)
                if fd_in in ready:
                    data = os.read(fd_in, 4096)
                    if not data:
                        break
                    ws.write_stdin(data)
                ws.update(timeout=0)
                _copy_output(ws, fd_out)
            _copy_output(ws, fd_out)  # what arrived with the close
            return AttachResult(True, session_status(ws))
        finally:
            termios.tcsetattr(fd_in, termios.TCSADRAIN, saved)
            if previous is not None:
                signal.signal(signal.SIGWINCH, previous)
