"""The logs screen's `a` (every container, prefixed as kubectl --prefix) and ctrl+s (save) in a real
terminal, on the demo cluster: the file is written where the program runs, with the bytes read."""

from __future__ import annotations

import pytest

from tests.pty.screens import main_screen_ready
from tests.pty.terminal import PtyTerminal, k8sdoctor
from tests.pty.test_keys import select

NS, POD = "web", "web-frontend-9hj9fvc8t7-kwjqv"
#: https://github.com/rancher/rke2/issues/10640 (the nginx image's start-up line, as the demo logs it)
FRONTEND = "/docker-entrypoint.sh: Configuration complete; ready for start up"
#: https://github.com/linkerd/linkerd2/issues/8033 (a linkerd-proxy log line)
PROXY = "[  2339.392755s] DEBUG ThreadId(02) daemon:admin{listen.addr=0.0.0.0:4191}:accept{client.addr=10.140.9.27:61618}: linkerd_app_core::serve: Connection closed"
CTRL_S = b"\x13"


@pytest.fixture
def logs_app(demo_cluster, tmp_path):
    demo_cluster.server.set_logs(NS, POD, "frontend", [FRONTEND])
    demo_cluster.server.set_logs(NS, POD, "linkerd-proxy", [PROXY])
    t = PtyTerminal(k8sdoctor("--kubeconfig", str(demo_cluster.kubeconfig), "-A"), cols=160, rows=35, cwd=tmp_path)
    yield t
    t.close()


def test_a_prefixes_every_container_and_ctrl_s_saves_the_bytes(logs_app, tmp_path):
    t = logs_app
    main_screen_ready(t)
    select(t, POD)
    t.send("l")
    t.wait_text(f"logs {NS}/{POD} · container frontend")
    t.wait_text(FRONTEND)
    t.send("?")
    t.wait_text("every container at once, each line prefixed")  # the screen's own help
    t.send("escape")
    t.wait_gone("every container at once, each line prefixed")
    t.send("a")
    t.wait_text(f"logs {NS}/{POD} · all containers (current run)")
    t.wait_text(f"[pod/{POD}/frontend] {FRONTEND}")
    t.wait_text(f"[pod/{POD}/linkerd-proxy] [  2339.392755s] DEBUG ThreadId(02)")
    t.send(CTRL_S)
    t.wait_text(f"./{NS}_{POD}_all-containers.log")
    t.send("enter")
    t.wait_text("Saved 2 lines")
    saved = tmp_path / f"{NS}_{POD}_all-containers.log"
    assert sorted(saved.read_bytes().splitlines(keepends=True)) == [
        f"[pod/{POD}/frontend] {FRONTEND}\n".encode(),
        f"[pod/{POD}/linkerd-proxy] {PROXY}\n".encode(),
    ]
    t.send(CTRL_S)  # again: the file is there, so it asks
    t.wait_text(f"./{NS}_{POD}_all-containers.log")
    t.send("enter")
    t.wait_text("exists: enter again to replace it")
    t.send("escape")
    t.wait_gone("exists: enter again to replace it")
    t.send("a")  # back to one container
    t.wait_text(f"logs {NS}/{POD} · container frontend")
    t.send("S")
    t.wait_text("Read the log since")
    t.send("3")
    t.wait_text("· since 1h")
    t.send("q")
    main_screen_ready(t)
