"""A shell in a container for real: a pseudo-terminal, the client's exec websocket, the fake server's
shell; which containers can have one; the kubectl command that opens the same."""

from __future__ import annotations

import os
import pty
import termios
import threading

from k8sdoctor.actions.exec import TerminalExec, exec_command, running_containers
from tests.actions.helpers import scenario_inventory
from tests.actions.test_attach import set_size, wait_for

WEB = ("shop", "web-6d4cf56db6-abcde")  # app and log-shipper running
KB = ("shop", "kb-5c7d8f9b6-q4w2e")  # crash-looping


def session(server, client, container: str, shell: str, typed: list[bytes]):
    """Run TerminalExec on a fresh pty, typing each of `typed` after the prompt that precedes it."""
    master, slave = pty.openpty()
    set_size(slave, 24, 80)
    terminal = os.fdopen(slave, "r+b", buffering=0)
    before = termios.tcgetattr(slave)
    seen: list[bytes] = []

    def screen() -> None:
        while True:
            try:
                data = os.read(master, 1024)
            except OSError:
                return
            if not data:
                return
            seen.append(data)

    def user() -> None:
        for i, line in enumerate(typed, start=1):
            wait_for(lambda i=i: b"".join(seen).count(b"# ") >= i)
            os.write(master, line)

    threading.Thread(target=screen, daemon=True).start()
    typing = threading.Thread(target=user, daemon=True)
    typing.start()
    try:
        result = TerminalExec(shell, terminal, terminal)(client, *WEB, container)
        typing.join(5)
        wait_for(lambda: b"".join(seen).endswith(typed[-1] + b"\n"))  # the echo of the last line
    finally:
        after = termios.tcgetattr(slave)
        terminal.close()
        os.close(master)
    assert after == before  # raw mode undone
    return result, b"".join(seen)


def test_bash_in_a_container_a_command_and_its_output_then_exit(server, client):
    result, screen = session(server, client, "log-shipper", "bash", [b"hostname\r", b"exit\r"])
    assert result.attached and result.message == "session ended"
    prompt = f"root@{WEB[1]}:/# ".encode()
    banner = f"bash in log-shipper of shop/{WEB[1]}: exit the shell to come back.\r\n".encode()
    assert screen == banner + prompt + b"hostname\r\n" + WEB[1].encode() + b"\r\n" + prompt + b"exit\r\n"
    (session_,) = server.exec_sessions()
    assert (session_.container, session_.command, session_.tty, session_.exit_code) == ("log-shipper", ["bash"], True, 0)
    assert session_.resizes == [{"Width": 80, "Height": 24}]
    (request,) = [r for r in server.requests("GET") if r.path.endswith("/exec")]
    assert request.path == f"/api/v1/namespaces/shop/pods/{WEB[1]}/exec"
    assert request.query == {
        "command": "bash",
        "container": "log-shipper",
        "stdin": "true",
        "stdout": "true",
        "stderr": "false",
        "tty": "true",
    }


def test_the_shells_exit_status_is_the_one_line_result(server, client):
    result, _ = session(server, client, "app", "sh", [b"exit 3\r"])
    assert result.attached and result.message == "session ended: exit status 3"
    assert server.exec_sessions()[0].exit_code == 3


def test_a_container_that_does_not_run_says_why_and_the_command(server, client):
    master, slave = pty.openpty()
    terminal = os.fdopen(slave, "r+b", buffering=0)
    try:
        result = TerminalExec("sh", terminal, terminal)(client, *KB, "kb")
    finally:
        terminal.close()
        os.close(master)
    assert not result.attached
    assert result.message == f'could not open a shell (container not found ("kb")); run: kubectl exec -it -n shop {KB[1]} -c kb -- sh'


def test_running_containers_come_default_first_then_app_init_ephemeral():
    inventory = scenario_inventory()
    pod = inventory.pods[WEB]
    assert [c.name for c in running_containers(pod)] == ["app", "log-shipper"]
    pod = {**pod, "metadata": {**pod["metadata"], "annotations": {"kubectl.kubernetes.io/default-container": "log-shipper"}}}
    assert [c.name for c in running_containers(pod)] == ["log-shipper", "app"]
    assert running_containers(inventory.pods[KB]) == []
    hostile = {
        "metadata": {"annotations": "x"},
        "spec": {"containers": [{"name": "a"}]},
        "status": {"containerStatuses": [{"name": "a", "state": "running"}]},
    }
    assert running_containers(hostile) == []  # malformed status: nothing runs, nothing raises


def test_the_kubectl_command_quotes_every_name_for_the_shell():
    assert exec_command("shop", "web-1", "app", "sh") == "kubectl exec -it -n shop web-1 -c app -- sh"
    assert exec_command("shop", "a;b", "c $(x)", "bash") == "kubectl exec -it -n shop 'a;b' -c 'c $(x)' -- bash"
