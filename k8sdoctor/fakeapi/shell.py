"""A terminal's worth of a shell for attach and exec sessions: busybox `sh` or `bash`, with the few
commands a test or the demo types (echo, hostname, ps, pwd, whoami, true, false, exit [N]).

On a terminal (tty) it echoes what is typed, shows a prompt and ends lines with CR LF, as a terminal's
line discipline does; without one it reads commands silently and writes plain lines, errors to stderr.
"""

from __future__ import annotations

import shlex

SHELLS = ("sh", "ash", "bash")


class TinyShell:
    def __init__(self, hostname: str, process: str, *, shell: str = "sh", tty: bool = True) -> None:
        self.hostname = hostname
        self.process = process or "app"  # PID 1, as ps shows it
        self.shell = shell if shell in SHELLS else "sh"
        self.tty = tty
        self.status = 0  # $?
        self.line = bytearray()

    @property
    def prompt(self) -> bytes:
        """busybox's root prompt, or bash's as Debian's default PS1 writes it."""
        if not self.tty:
            return b""
        return f"root@{self.hostname}:/# ".encode() if self.shell == "bash" else b"/ # "

    def _newline(self, text: str) -> bytes:
        return text.replace("\n", "\r\n").encode() if self.tty else text.encode()

    def run(self, command: str) -> tuple[bytes, bytes, int | None]:
        """(stdout, stderr, the exit status if the shell exits) for one command line."""
        try:
            words = shlex.split(command)
        except ValueError:
            words = command.split()
        if not words:
            return b"", b"", None
        word, args = words[0], words[1:]
        out, code = "", 0
        if word in ("exit", "logout"):
            code = int(args[0]) if args and args[0].isdigit() else self.status
            return b"", b"", code & 0xFF
        if word == "echo":
            out = " ".join(args) + "\n"
        elif word == "hostname":
            out = self.hostname + "\n"
        elif word == "ps":
            out = f"PID   USER     TIME  COMMAND\n    1 root      0:00 {self.process}\n   12 root      0:00 {self.shell}\n   18 root      0:00 ps\n"
        elif word == "pwd":
            out = "/\n"
        elif word == "whoami":
            out = "root\n"
        elif word in ("true", ":"):
            code = 0
        elif word == "false":
            code = 1
        else:
            self.status = 127
            missing = f"bash: {word}: command not found\n" if self.shell == "bash" else f"{self.shell}: {word}: not found\n"
            return (self._newline(missing), b"", None) if self.tty else (b"", missing.encode(), None)
        self.status = code
        return self._newline(out), b"", None

    def feed(self, data: bytes) -> tuple[bytes, bytes, int | None]:
        """(stdout, stderr, exit status once the shell exits) for the bytes typed."""
        out, err = bytearray(), bytearray()
        for byte in data:
            if byte in (0x0D, 0x0A):
                if self.tty:
                    out += b"\r\n"
                stdout, stderr, code = self.run(self.line.decode(errors="replace"))
                self.line.clear()
                out += stdout
                err += stderr
                if code is not None:
                    return bytes(out), bytes(err), code
                out += self.prompt
            elif byte == 0x04 and not self.line:  # ctrl-D on an empty line
                return bytes(out), bytes(err), self.status
            elif byte == 0x7F and self.tty:
                if self.line:
                    self.line.pop()
                    out += b"\b \b"
            else:
                self.line.append(byte)
                if self.tty:
                    out.append(byte)
        return bytes(out), bytes(err), None

    def end_of_input(self) -> tuple[bytes, bytes, int]:
        """stdin closed: a last line without a newline runs, then the shell exits with its status."""
        out, err = b"", b""
        if self.line:
            out, err, code = self.run(self.line.decode(errors="replace"))
            self.line.clear()
            if code is not None:
                return out, err, code
        return out, err, self.status
