"""`s` in a real terminal, on the demo: the menu of running containers and shells, the shell (kubectl exec
-it's path: the app suspended, the terminal handed to an exec websocket), a command and its output,
`exit`, and the app back on screen with one line saying how the session ended. Refused under
--read-only; a pod with no running container says so."""

from __future__ import annotations

import re

import pytest

from tests.pty.conftest import LARGE, SMALL
from tests.pty.screens import main_screen_ready, selected_pod

FRONTEND = ("web", "web-frontend-9hj9fvc8t7-kwjqv")  # two running containers: the app and a sidecar


def select(t, name: str) -> None:
    t.send("/")
    t.type_text(name)
    t.send("enter")
    t.wait(lambda term: (selected_pod(term) or ("", ""))[1] == name, f"{name} selected")


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "120x35"])
def test_s_opens_a_shell_in_the_demo_and_comes_back(terminal, size, tmp_path):
    t = terminal("demo", cols=size[0], rows=size[1], env={"K8SDOCTOR_STATE_DIR": str(tmp_path)})
    main_screen_ready(t)
    select(t, FRONTEND[1])
    t.send("s")
    t.wait_text(f"Shell into {FRONTEND[0]}/{FRONTEND[1]}")
    screen = t.wait_text("bash in linkerd-proxy")  # every running container, each shell
    assert "sh in frontend" in screen and "bash in frontend" in screen
    t.send("b")  # bash in the first container
    t.wait_text("bash in frontend of web/")
    prompt = f"root@{FRONTEND[1]}:/#"
    t.wait_text(prompt)
    t.type_text("hostname\r")
    t.wait_text(re.compile(rf"{prompt} hostname\n{FRONTEND[1]}\n{prompt}"))
    t.type_text("exit\r")
    t.wait_text("session ended")  # the one-line result, as a notification
    screen = t.wait_text("Diagnosis")
    assert prompt not in screen  # redrawn over the shell
    assert selected_pod(t) == FRONTEND
    t.send("s")  # the shell chosen last time is offered first
    t.wait_text(f"Shell into {FRONTEND[0]}/{FRONTEND[1]}")
    t.send("enter")
    # the terminal's main screen still shows the first session: wait for the second banner's prompt
    t.wait(lambda term: term.text().count("bash in frontend of web/") == 2 and term.text().rstrip().endswith(prompt), "a second bash")
    t.type_text("exit 3\r")
    t.wait_text("exit status 3")
    t.send("q")
    assert t.wait_exit() == 0
    assert t.mode_restored()


def test_s_is_refused_under_read_only_and_without_a_running_container(terminal, demo_cluster):
    t = terminal("--kubeconfig", str(demo_cluster.kubeconfig), "-A", "--read-only", cols=100, rows=30)
    main_screen_ready(t)
    t.send("s")
    t.wait_text("Shell is off: k8sdoctor runs with --read-only")
    t.send("q")
    assert t.wait_exit() == 0
    t = terminal("--kubeconfig", str(demo_cluster.kubeconfig), "-A", cols=100, rows=30)
    main_screen_ready(t)
    select(t, "kafdrop-dhkfzbqsvm-dfxdq")
    t.send("s")
    screen = t.wait_text("No container of kafdrop-dhkfzbqsvm-dfxdq is")  # a toast: the line wraps
    assert "Shell into" not in screen  # no menu
    t.send("q")
    assert t.wait_exit() == 0


def test_the_connection_dropping_in_the_shell_brings_the_app_back_with_one_line(terminal, demo_cluster):
    """The API server goes away while the user is in the shell: the terminal is handed back to the app
    (not left blank), which says how the session ended and reconnects when the server is back."""
    t = terminal("--kubeconfig", str(demo_cluster.kubeconfig), "-A", cols=120, rows=35)
    main_screen_ready(t)
    select(t, FRONTEND[1])
    t.send("s", "s")  # sh in the first container, in one burst: the menu takes the second key
    t.wait_text("/ #")
    demo_cluster.server.stop()
    t.wait_text("Diagnosis")  # the app is back
    screen = t.wait_text("connection lost")  # the notification: how the session ended, how to open it again
    assert "/ #" not in screen
    t.wait_text("disconnected")
    demo_cluster.server.restart()
    t.wait_text("● live")
    t.send("q")
    assert t.wait_exit() == 0
    assert t.mode_restored()
