"""Exit codes explained, with signal names and the termination reason taken into account."""

from __future__ import annotations

import pytest

from k8sdoctor.core.kube.exitcodes import explain_exit_code, signal_name


@pytest.mark.parametrize(
    "code, reason, described",
    [
        (0, "Completed", "exit code 0: success: the process finished normally"),
        (1, "Error", "exit code 1: a general error reported by the application itself"),
        (2, "Error", "exit code 2: invalid command-line arguments or a shell builtin misused, or an unrecovered panic in a Go program"),
        (126, "Error", "exit code 126: the command was found but could not be executed (no execute permission, or not a binary)"),
        (127, "Error", "exit code 127: command not found: the executable (or a script's interpreter) is not in the image or not on PATH"),
        (
            128,
            "StartError",
            "exit code 128: the runtime could not start the process (StartError): the entrypoint is missing, not executable, or a mount failed",
        ),
        (
            134,
            "Error",
            "exit code 134 = 128 + 6 (SIGABRT): it aborted itself: abort(), a failed assertion, or a fatal runtime error (glibc, JVM, Go)",
        ),
        (
            137,
            "OOMKilled",
            "exit code 137 = 128 + 9 (SIGKILL): killed by the kernel OOM killer: the container used more memory than its limit",
        ),
        (
            137,
            "Error",
            "exit code 137 = 128 + 9 (SIGKILL): killed with SIGKILL from outside: after a failed liveness probe or a deletion outlasted its grace period, "
            "or by the node's OOM killer when the node itself ran out of memory",
        ),
        (
            139,
            "Error",
            "exit code 139 = 128 + 11 (SIGSEGV): a segmentation fault: invalid memory access in native code (a bug, or a library or architecture mismatch)",
        ),
        (
            143,
            "Error",
            "exit code 143 = 128 + 15 (SIGTERM): it was asked to stop (pod deletion, eviction, rollout, or a failed liveness probe) and exited on the signal",
        ),
        (
            0,
            "OOMKilled",
            "exit code 0: killed by the kernel OOM killer: the container used more memory than its limit (the runtime reported exit code 0, not the usual 137)",
        ),
        (42, "Error", "exit code 42: an application-specific error code; its meaning is in the app's documentation or logs"),
        (3221225477, "Error", "exit code 3221225477: outside the 0–255 range of Linux exit codes (a Windows or runtime status code)"),
    ],
)
def test_explain(code, reason, described):
    assert explain_exit_code(code, reason).describe() == described


def test_signal_names():
    assert [signal_name(n) for n in (6, 9, 11, 15, 34, 40, 99)] == [
        "SIGABRT",
        "SIGKILL",
        "SIGSEGV",
        "SIGTERM",
        "SIGRTMIN",
        "SIGRTMIN+6",
        None,
    ]
    assert explain_exit_code(130).signal_name == "SIGINT"
