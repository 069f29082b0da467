"""What a container's exit code means: shell conventions (1, 2, 126, 127), the runtime's 128
(StartError), and 128+n for death by signal n, read together with the termination reason (137 with
OOMKilled is the OOM killer; 137 without it is a SIGKILL from someone else)."""

from __future__ import annotations

from typing import NamedTuple

#: Linux signal numbers (x86/arm; the same on every architecture Kubernetes nodes run).
SIGNALS = {
    1: "SIGHUP",
    2: "SIGINT",
    3: "SIGQUIT",
    4: "SIGILL",
    5: "SIGTRAP",
    6: "SIGABRT",
    7: "SIGBUS",
    8: "SIGFPE",
    9: "SIGKILL",
    10: "SIGUSR1",
    11: "SIGSEGV",
    12: "SIGUSR2",
    13: "SIGPIPE",
    14: "SIGALRM",
    15: "SIGTERM",
    16: "SIGSTKFLT",
    17: "SIGCHLD",
    18: "SIGCONT",
    19: "SIGSTOP",
    20: "SIGTSTP",
    21: "SIGTTIN",
    22: "SIGTTOU",
    23: "SIGURG",
    24: "SIGXCPU",
    25: "SIGXFSZ",
    26: "SIGVTALRM",
    27: "SIGPROF",
    28: "SIGWINCH",
    29: "SIGIO",
    30: "SIGPWR",
    31: "SIGSYS",
}
_SIGNAL_MEANINGS = {
    1: "its controlling terminal hung up, or it was told to reload",
    2: "interrupted (Ctrl-C)",
    3: "asked to quit with a core dump",
    4: "it executed an illegal CPU instruction (a binary built for a newer CPU, or corrupt code)",
    6: "it aborted itself: abort(), a failed assertion, or a fatal runtime error (glibc, JVM, Go)",
    7: "a bus error: bad memory access, often a memory-mapped file that shrank or a full /dev/shm",
    8: "an arithmetic error (division by zero)",
    11: "a segmentation fault: invalid memory access in native code (a bug, or a library or architecture mismatch)",
    13: "it wrote to a pipe or socket whose reader had gone",
    15: "it was asked to stop (pod deletion, eviction, rollout, or a failed liveness probe) and exited on the signal",
    24: "it exceeded its CPU time limit",
    25: "it exceeded its file size limit",
}
_CODES = {
    0: "success: the process finished normally",
    1: "a general error reported by the application itself",
    2: "invalid command-line arguments or a shell builtin misused, or an unrecovered panic in a Go program",
    126: "the command was found but could not be executed (no execute permission, or not a binary)",
    127: "command not found: the executable (or a script's interpreter) is not in the image or not on PATH",
    255: "exit status out of range (-1): the process or its entrypoint failed with an unspecified error",
}
_OOM_REASONS = ("OOMKilled", "OOM Killed")
_START_REASONS = ("StartError", "ContainerCannotRun")


class ExitCode(NamedTuple):
    code: int
    signal: int | None  # n when the code is 128+n
    signal_name: str | None
    meaning: str

    def describe(self) -> str:
        """ "exit code 137 = 128 + 9 (SIGKILL): killed by the kernel OOM killer ..."."""
        if self.signal is not None:
            name = f" ({self.signal_name})" if self.signal_name else ""
            return f"exit code {self.code} = 128 + {self.signal}{name}: {self.meaning}"
        return f"exit code {self.code}: {self.meaning}"


def signal_name(n: int) -> str | None:
    if n in SIGNALS:
        return SIGNALS[n]
    if 34 <= n <= 64:
        return "SIGRTMIN" if n == 34 else f"SIGRTMIN+{n - 34}"
    return None


def explain_exit_code(code: int, reason: str = "") -> ExitCode:
    """Explain `code`, taking the termination `reason` (OOMKilled, StartError, Error...) into account."""
    if reason in _OOM_REASONS:
        detail = "killed by the kernel OOM killer: the container used more memory than its limit"
        if code == 137:
            return ExitCode(code, 9, "SIGKILL", detail)
        return ExitCode(code, None, None, f"{detail} (the runtime reported exit code {code}, not the usual 137)")
    if code == 128 and reason in _START_REASONS:
        return ExitCode(
            code,
            None,
            None,
            "the runtime could not start the process (StartError): the entrypoint is missing, not executable, or a mount failed",
        )
    if code in _CODES:
        return ExitCode(code, None, None, _CODES[code])
    if code == 128:
        return ExitCode(code, None, None, "the runtime could not start the process, or the process exited with an invalid status")
    if 128 < code < 128 + 65:
        n = code - 128
        if n == 9:
            meaning = (
                "killed with SIGKILL from outside: after a failed liveness probe or a deletion outlasted its grace "
                "period, or by the node's OOM killer when the node itself ran out of memory"
            )
        else:
            meaning = _SIGNAL_MEANINGS.get(n, "killed by a signal")
        return ExitCode(code, n, signal_name(n), meaning)
    if 0 <= code <= 255:
        return ExitCode(code, None, None, "an application-specific error code; its meaning is in the app's documentation or logs")
    return ExitCode(code, None, None, "outside the 0–255 range of Linux exit codes (a Windows or runtime status code)")
