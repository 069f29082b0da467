"""`x` in a real terminal: the plan, the confirmation, the PATCH, then the user's terminal attached to the
debug container's shell, a command and its output, `exit`, and the app back on screen, redrawn."""

from __future__ import annotations

import re

import pytest

from tests.pty.conftest import LARGE, SMALL
from tests.pty.screens import main_screen_ready, selected_pod

PROMPT = "/ #"  # the shell's prompt (the screen is read without trailing spaces)


def open_debug_plan(t) -> None:
    """From the main screen, on the first (failing) pod: `x` and wait for the plan."""
    t.wait_text("Enter: add")


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "120x35"])
def test_x_confirm_shell_command_exit_and_the_app_is_back(terminal, size):
    t = terminal("demo", cols=size[0], rows=size[1])
    t.wait_text("problems")
    t.wait_text("Diagnosis")  # the first pod's detail: a failing pod is selected
    t.send("x")
    t.wait_text("Enter: add")
    t.send("enter")
    t.wait_text("Send (y)")
    t.send("y")
    t.wait_text("Attached to debugger-")
    t.wait_text(PROMPT)
    t.type_text("hostname\r")
    screen = t.wait_text(re.compile(r"/ # hostname\n\S+\n/ #"))
    assert "Attached to debugger-" in screen
    t.type_text("exit\r")
    t.wait_text("problems")  # the main screen again
    screen = t.wait_text("Diagnosis")
    assert PROMPT not in screen  # redrawn over the shell
    t.wait_text("session ended")  # the one-line result, as a notification
    t.send("q")
    assert t.wait_exit() == 0
    assert t.mode_restored()


def test_the_connection_dropping_mid_session_brings_the_app_back_with_one_line(terminal, demo_cluster):
    """The API server goes away while the user is in the debug shell: the terminal is handed back to
    the app (not left blank), which says what happened and reconnects when the server is back."""
    t = terminal("--kubeconfig", str(demo_cluster.kubeconfig), "-A")
    t.wait_text("Diagnosis")
    t.send("x")
    t.wait_text("Enter: add")
    t.send("enter")
    t.wait_text("Send (y)")
    t.send("y")
    t.wait_text(PROMPT)
    demo_cluster.server.stop()
    t.wait_text("Diagnosis")  # the app is back
    t.wait_text("debugger-")  # the notification names the container and how the session ended
    t.wait_text("disconnected")
    demo_cluster.server.restart()
    t.wait_text("● live")
    t.send("q")
    assert t.wait_exit() == 0
    assert t.mode_restored()


def test_the_cli_debug_with_yes_attaches_the_terminal_and_exits_0(terminal, demo_cluster):
    t = terminal("--kubeconfig", str(demo_cluster.kubeconfig), "debug", "pod", "kestra-7sx7k2s4th-bvjlm", "--yes", cols=100, rows=30)
    t.wait_text("Attached to debugger-")
    t.wait_text(PROMPT)
    t.type_text("echo hello from the pty\r")
    t.wait_text(re.compile(r"\nhello from the pty\n/ #"))
    t.type_text("exit\r")
    assert t.wait_exit() == 0
    assert "session ended" in t.text()
    assert t.mode_restored()


def test_x_image_and_target_chosen_are_offered_again_and_sent(terminal, demo_cluster):
    """t and i on the debug screen: the target and image picked from menus, the plan redone; esc, x again
    on the same pod shows them again; sent, the container starts with them and the shell comes up."""
    t = terminal("--kubeconfig", str(demo_cluster.kubeconfig), "-A", cols=120, rows=35)
    main_screen_ready(t)
    t.send("/")
    t.type_text("web-frontend-9hj9fvc8t7-kwjqv")
    t.send("enter")
    t.wait(lambda term: (selected_pod(term) or ("", ""))[1] == "web-frontend-9hj9fvc8t7-kwjqv", "the pod selected")
    t.send("x")
    t.wait_text("(busybox:1.36, target frontend), asked first")
    t.send("t")
    t.wait_text("Target of the debug container in web/web-frontend-9hj9fvc8t7-kwjqv")
    t.send("2")
    t.wait_text("(busybox:1.36, target linkerd-proxy), asked first")
    t.send("i")
    t.wait_text("cr.l5d.io/linkerd/proxy:stable-2.14.10")
    t.send("3")
    chosen = "(cr.l5d.io/linkerd/proxy:stable-2.14.10, target linkerd-proxy), asked first"
    t.wait_text(chosen)
    t.send("escape")
    t.wait_text("Diagnosis")
    t.send("x")  # the same pod again: the same choices
    t.wait_text(chosen)
    t.send("enter")
    t.wait_text("Send (y)")
    t.send("y")
    t.wait_text(PROMPT)
    t.type_text("exit\r")
    t.wait_text("session ended")
    (patch,) = [r for r in demo_cluster.server.requests("PATCH") if r.path.endswith("/ephemeralcontainers")]
    (container,) = patch.json()["spec"]["ephemeralContainers"]
    assert (container["image"], container["targetContainerName"]) == ("cr.l5d.io/linkerd/proxy:stable-2.14.10", "linkerd-proxy")
    t.send("q")
    assert t.wait_exit() == 0
    assert t.mode_restored()
