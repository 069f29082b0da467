"""`k8sdoctor logs pod X` piped writes the bytes `kubectl logs pod X` writes for the same flags, a 1 MB
line and bytes that are not UTF-8 included; on a terminal the same log is made safe and folded."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from datetime import datetime, timedelta, timezone

import pytest

from k8sdoctor.fakeapi import FakeApiServer
from tests.actions.helpers import KUBECTL, has_kubectl

POD, NS = "ingest-0", "logs"
#: A log as containers write it: JSON lines (one of them 1 MB), a line that is not UTF-8, an escape
#: sequence, a CRLF ending, an empty line. None of it is a failure message: it is what the bytes are.
BIG = json.dumps({"level": "info", "msg": "batch", "items": [{"id": i, "payload": "x" * 90} for i in range(10_000)]})
APP_LOG: list[str | bytes] = [
    '{"level":"info","ts":"2024-05-01T10:00:00Z","msg":"listening","addr":":8080"}',
    BIG,
    b"latin-1 bytes: caf\xe9 cr\xe8me, a lone continuation \x80 and a cut sequence \xe2\x82",
    "\x1b[32mready\x1b[0m\r",
    "",
    '{"level":"info","msg":"naïve café ☕ — UTF-8 kept as it is"}',
]
PREVIOUS_LOG = ['{"level":"info","msg":"starting"}', '{"level":"info","msg":"shutting down on SIGTERM"}']


def ingest_pod() -> dict:
    running = {"running": {"startedAt": "-2h"}}
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": POD, "namespace": NS, "annotations": {"kubectl.kubernetes.io/default-container": "app"}},
        "spec": {
            "nodeName": "node-1",
            "initContainers": [
                {"name": "migrate", "image": "busybox:1.36"},
                {"name": "proxy", "image": "envoy", "restartPolicy": "Always"},
            ],
            "containers": [{"name": "app", "image": "ingest:1"}, {"name": "shipper", "image": "fluent-bit:3"}],
        },
        "status": {
            "phase": "Running",
            "initContainerStatuses": [
                {
                    "name": "migrate",
                    "restartCount": 0,
                    "state": {"terminated": {"exitCode": 0, "reason": "Completed", "containerID": "c://m"}},
                },
                {"name": "proxy", "restartCount": 0, "state": running},
            ],
            "containerStatuses": [
                {
                    "name": "app",
                    "restartCount": 1,
                    "state": running,
                    "lastState": {"terminated": {"exitCode": 0, "reason": "Completed", "containerID": "c://a0"}},
                },
                {"name": "shipper", "restartCount": 0, "state": running},
            ],
        },
    }


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The pod, its logs, and a time between older and newer lines (for --since-time)."""
    with FakeApiServer() as srv:
        srv.load_scenario({"objects": [ingest_pod()]})
        srv.set_logs(NS, POD, "app", APP_LOG)
        srv.set_logs(NS, POD, "app", PREVIOUS_LOG, previous=True)
        srv.set_logs(NS, POD, "migrate", ["applied 3 migrations"])
        srv.set_logs(NS, POD, "proxy", ["[info] envoy started", "[info] all clusters initialized"])
        srv.set_logs(NS, POD, "shipper", ["[ info] [engine] started", b"[ warn] bad byte \xff"])
        now = datetime.now(timezone.utc)
        boundary = (now + timedelta(seconds=1)).replace(microsecond=0)
        time.sleep((boundary - now).total_seconds() + 0.05)
        srv.append_log(NS, POD, "app", ['{"level":"info","msg":"after the boundary"}', b"\xc3\x28 still not UTF-8"])
        yield srv, srv.write_kubeconfig(tmp_path_factory.mktemp("logs") / "kubeconfig"), boundary.strftime("%Y-%m-%dT%H:%M:%SZ")


def piped(argv: list[str], home) -> subprocess.CompletedProcess:
    return subprocess.run(argv, capture_output=True, timeout=60, env={**os.environ, "HOME": str(home)})


def both(served, home, *flags: str) -> tuple[bytes, bytes]:
    _srv, kubeconfig, _boundary = served
    kubectl = piped([KUBECTL, "--kubeconfig", str(kubeconfig), "--cache-dir", str(home / "cache"), "logs", POD, "-n", NS, *flags], home)
    ours = piped([sys.executable, "-m", "k8sdoctor", "--kubeconfig", str(kubeconfig), "logs", "pod", POD, "-n", NS, *flags], home)
    assert kubectl.returncode == 0, kubectl.stderr
    assert ours.returncode == 0, ours.stderr
    return kubectl.stdout, ours.stdout


FLAG_SETS = [
    ["-c", "app"],
    ["-c", "app", "--tail", "3"],
    ["-c", "app", "--tail", "0"],
    ["-c", "app", "--timestamps"],
    ["-c", "app", "--limit-bytes", "700000"],
    ["-c", "app", "--since", "1h"],
    ["-c", "app", "--previous"],
    ["-c", "app", "--prefix"],
    ["-c", "app", "--prefix", "--timestamps", "--tail", "2"],
    ["-c", "shipper"],
    ["-c", "proxy", "--prefix"],
]


@pytest.mark.kubectl
@pytest.mark.parametrize("flags", FLAG_SETS, ids=" ".join)
def test_piped_logs_are_kubectls_bytes(served, tmp_path, flags):
    if not has_kubectl():
        pytest.skip("kubectl is not installed")
    kubectl, ours = both(served, tmp_path, *flags)
    assert ours == kubectl
    if flags == ["-c", "app"]:
        assert BIG.encode() + b"\n" in ours and b"caf\xe9 cr\xe8me" in ours  # the 1 MB line whole, the bytes as they are


@pytest.mark.kubectl
def test_since_time_reads_from_the_same_second(served, tmp_path):
    if not has_kubectl():
        pytest.skip("kubectl is not installed")
    kubectl, ours = both(served, tmp_path, "-c", "app", "--since-time", served[2])
    assert ours == kubectl == b'{"level":"info","msg":"after the boundary"}\n\xc3\x28 still not UTF-8\n'


@pytest.mark.kubectl
@pytest.mark.parametrize("extra", [[], ["--prefix"], ["--prefix", "--timestamps", "--since", "1h"]], ids=" ".join)
def test_all_containers_give_each_containers_bytes(served, tmp_path, extra):
    """kubectl reads the containers in Go's map order, which changes from run to run; k8sdoctor reads
    them init, app, ephemeral. So: k8sdoctor's output is each container's kubectl output in that
    order, and kubectl's is the same blocks in some order."""
    if not has_kubectl():
        pytest.skip("kubectl is not installed")
    kubectl, ours = both(served, tmp_path, "--all-containers", *extra)
    blocks = [both(served, tmp_path, "-c", c, *extra)[0] for c in ("migrate", "proxy", "app", "shipper")]
    assert ours == b"".join(blocks)
    assert len(kubectl) == len(ours) and sorted(kubectl.splitlines(keepends=True)) == sorted(ours.splitlines(keepends=True))


def test_a_terminal_gets_safe_folded_lines(served, tmp_path):
    """In a pseudo-terminal 100 columns wide: escapes shown as text, bad bytes as U+FFFD, the 1 MB line
    cut and folded, nothing that would drive the terminal."""
    _srv, kubeconfig, _boundary = served
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    env = {**os.environ, "HOME": str(tmp_path)}
    env.pop("COLUMNS", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "k8sdoctor", "--kubeconfig", str(kubeconfig), "logs", "pod", POD, "-n", NS, "-c", "app"],
        stdin=slave,
        stdout=slave,
        stderr=subprocess.PIPE,
        env=env,
    )
    os.close(slave)
    screen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        screen += chunk
    proc.wait(timeout=30)
    os.close(master)
    assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
    rows = screen.decode().split("\r\n")
    assert b"\x1b" not in screen and "\\x1b[32mready\\x1b[0m" in rows
    assert all(len(row) <= 100 for row in rows)
    assert "latin-1 bytes: caf\ufffd cr\ufffdme, a lone continuation \ufffd and a cut sequence \ufffd" in rows
    shown = f"{BIG[:16384]}… ({len(BIG) - 16384} more characters)"
    folded = [shown[i : i + 100] for i in range(0, len(shown), 100)]
    start = rows.index(folded[0])
    assert rows[start : start + len(folded)] == folded


def test_help_says_what_a_pipe_gets(capsys):
    from k8sdoctor.cli.main import main

    with pytest.raises(SystemExit):
        main(["logs", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "Piped or redirected, the output is exactly the bytes kubectl writes for the same flags" in text
    assert "On a terminal, each line is made safe" in text and "folded to the terminal's width" in text


@pytest.mark.kubectl
def test_following_every_container_streams_the_same_lines_as_kubectl(served, tmp_path):
    """kubectl follows the containers in parallel, whole lines interleaved as they come; so does
    k8sdoctor. Lines appended while both follow reach both."""
    if not has_kubectl():
        pytest.skip("kubectl is not installed")
    srv, kubeconfig, _boundary = served
    flags = ["-n", NS, "--all-containers", "--prefix", "-f", "--tail", "1"]
    env = {**os.environ, "HOME": str(tmp_path)}
    procs = [
        subprocess.Popen([KUBECTL, "--kubeconfig", str(kubeconfig), "logs", POD, *flags], stdout=subprocess.PIPE, env=env),
        subprocess.Popen(
            [sys.executable, "-m", "k8sdoctor", "--kubeconfig", str(kubeconfig), "logs", "pod", POD, *flags],
            stdout=subprocess.PIPE,
            env=env,
        ),
    ]
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(srv.logbook.followers()) < 2 * 3:  # proxy, app, shipper run
            time.sleep(0.1)
        srv.append_log(NS, POD, "app", ['{"level":"info","msg":"followed"}'])
        srv.append_log(NS, POD, "shipper", [b"[ info] followed \xfe"])
        time.sleep(1.5)
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGINT)
    kubectl, ours = (proc.communicate(timeout=20)[0] for proc in procs)
    assert sorted(ours.splitlines(keepends=True)) == sorted(kubectl.splitlines(keepends=True))
    assert b'[pod/ingest-0/app] {"level":"info","msg":"followed"}\n' in ours and b"[pod/ingest-0/shipper] [ info] followed \xfe\n" in ours
