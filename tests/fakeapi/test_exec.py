"""`pods/NAME/exec` over a websocket: the channel protocol with the simulated shell behind it, the exit
status kubectl turns into its own, the checks before it, and the real kubectl (exec, exec -i, exec -it in
a pseudo-terminal) against it."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
import websocket

from k8sdoctor.fakeapi import Rule
from tests.fakeapi.test_attach import connect, frames
from tests.pty.terminal import PtyTerminal

POD = "/api/v1/namespaces/shop/pods/web-6d4cf56db6-abcde/exec"


def exec_path(*command: str, container: str = "app", tty: bool = False, stdin: bool = False) -> str:
    words = "&".join(f"command={quote(c, safe='')}" for c in command)
    flags = f"&stdout=true&stderr={'false' if tty else 'true'}&stdin={'true' if stdin else 'false'}&tty={'true' if tty else 'false'}"
    return f"{POD}?{words}&container={container}{flags}"


def channel(received: list[bytes], number: int) -> bytes:
    return b"".join(f[1:] for f in received if f[:1] == bytes([number]))


def test_an_interactive_shell_on_a_terminal(server):
    ws = connect(server, exec_path("sh", tty=True, stdin=True))
    assert ws.subprotocol == "v5.channel.k8s.io"
    assert ws.recv() == b"\x01/ # "
    ws.send_binary(b"\x04" + json.dumps({"Width": 80, "Height": 24}).encode())
    ws.send_binary(b"\x00hostname\r")
    ws.send_binary(b"\x00exit\r")
    received = frames(ws)
    assert channel(received, 1) == b"hostname\r\nweb-6d4cf56db6-abcde\r\n/ # exit\r\n"
    assert received[-1] == b'\x03{"metadata":{},"status":"Success"}'
    (session,) = server.exec_sessions()
    assert (session.container, session.command, session.tty, session.exit_code) == ("app", ["sh"], True, 0)
    assert session.resizes == [{"Width": 80, "Height": 24}]


def test_bash_has_its_own_prompt_and_words(server):
    ws = connect(server, exec_path("bash", tty=True, stdin=True))
    assert ws.recv() == b"\x01root@web-6d4cf56db6-abcde:/# "
    ws.send_binary(b"\x00nosuch\rexit 2\r")
    received = frames(ws)
    assert b"bash: nosuch: command not found\r\n" in channel(received, 1)
    status = json.loads(received[-1][1:])
    assert (status["status"], status["reason"], status["details"]["causes"]) == (
        "Failure",
        "NonZeroExitCode",
        [{"reason": "ExitCode", "message": "2"}],
    )


def test_one_command_without_a_terminal_writes_stdout_and_stderr_apart(server):
    received = frames(connect(server, exec_path("sh", "-c", "echo hello")))
    assert channel(received, 1) == b"hello\n" and received[-1][:1] == b"\x03"
    received = frames(connect(server, exec_path("sh", "-c", "nosuch")))
    assert channel(received, 2) == b"sh: nosuch: not found\n" and channel(received, 1) == b""
    assert json.loads(received[-1][1:])["details"]["causes"] == [{"reason": "ExitCode", "message": "127"}]


def test_closing_stdin_ends_a_shell_without_a_terminal(server):
    """v5: the client sends [255, 0] when its stdin ends; the shell runs what is left and exits."""
    ws = connect(server, exec_path("sh", stdin=True))
    ws.send_binary(b"\x00echo one\necho two")
    ws.send_binary(b"\xff\x00")
    received = frames(ws)
    assert channel(received, 1) == b"one\ntwo\n"
    assert received[-1] == b'\x03{"metadata":{},"status":"Success"}'


def test_what_the_api_server_refuses(server):
    with pytest.raises(websocket.WebSocketBadStatusException) as raised:
        connect(server, exec_path("sh", container=""))
    assert raised.value.status_code == 400
    assert b"a container name must be specified for pod web-6d4cf56db6-abcde, choose one of: [app log-shipper]" in raised.value.resp_body
    with pytest.raises(websocket.WebSocketBadStatusException) as raised:
        connect(server, f"{POD}?container=app&stdout=true")
    assert b"you must specify at least one command for the container" in raised.value.resp_body


def test_exec_needs_create_on_pods_exec():
    from k8sdoctor.fakeapi import FakeApiServer
    from tests.fakeapi.conftest import SCENARIO

    with FakeApiServer(auth=True) as srv:
        srv.load_scenario(SCENARIO)
        reader = srv.add_user("reader", [Rule(("get", "list", "watch"), ("pods",))])
        with pytest.raises(websocket.WebSocketBadStatusException) as raised:
            connect(srv, exec_path("sh", tty=True, stdin=True), token=reader)
        assert raised.value.status_code == 403
        execer = srv.add_user("execer", [Rule(("create",), ("pods/exec",))])
        ws = connect(srv, exec_path("sh", tty=True, stdin=True), token=execer)
        assert ws.recv() == b"\x01/ # "
        ws.close()


def test_kubectl_exec_runs_commands_and_exits_with_their_status(server, kubectl_for):
    kubectl = kubectl_for(server)
    done = kubectl("exec", "-n", "shop", "web-6d4cf56db6-abcde", "-c", "app", "--", "hostname")
    assert done.stdout == "web-6d4cf56db6-abcde\n"
    failed = kubectl("exec", "-n", "shop", "web-6d4cf56db6-abcde", "-c", "app", "--", "sh", "-c", "exit 3", check=False)
    assert (failed.returncode, failed.stderr) == (3, "command terminated with exit code 3\n")
    piped = kubectl("exec", "-i", "-n", "shop", "web-6d4cf56db6-abcde", "-c", "app", "--", "sh", check=False, input="echo hi\nexit 4\n")
    assert (piped.returncode, piped.stdout) == (4, "hi\n")
    assert [s.protocol for s in server.exec_sessions()] == ["v5.channel.k8s.io"] * 3


def test_kubectl_exec_it_in_a_terminal(server, kubectl_for):
    kubectl = kubectl_for(server)
    argv = kubectl.command("exec", "-it", "-n", "shop", "web-6d4cf56db6-abcde", "-c", "app", "--", "sh")
    with PtyTerminal(argv, cols=90, rows=20, env=kubectl.env()) as t:
        t.wait_text("/ #")
        t.type_text("echo typed in a terminal\r")
        t.wait_text("typed in a terminal\n/ #")
        t.type_text("exit\r")
        assert t.wait_exit() == 0
    (session,) = server.exec_sessions()
    assert session.tty and session.resizes and session.resizes[0] == {"Width": 90, "Height": 20}
