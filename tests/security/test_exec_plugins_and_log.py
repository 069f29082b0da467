"""Exec credential plugins and k8sdoctor's own log, through the real CLI against the local API server.

* A plugin that hangs is killed after `exec_plugin_timeout` and named in one line (it hung k8sdoctor).
* A failing plugin's stderr never reaches the terminal as `ERROR:root:` lines (the client reports it
  through the root logger); it goes to k8sdoctor's log, escaped.
* The log file is created 0600.
"""

from __future__ import annotations

import os
import stat
import sys
import time
from pathlib import Path

import yaml

from k8sdoctor.fakeapi import FakeApiServer
from tests.cli.test_bad_input import assert_one_line


def exec_kubeconfig(server: FakeApiServer, path: Path, script: Path) -> Path:
    path.write_text(
        yaml.safe_dump(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "clusters": [{"name": "c", "cluster": {"server": server.url}}],
                "users": [
                    {
                        "name": "u",
                        "user": {
                            "exec": {
                                "apiVersion": "client.authentication.k8s.io/v1beta1",
                                "command": sys.executable,
                                "args": [str(script)],
                                "interactiveMode": "Never",
                            }
                        },
                    }
                ],
                "contexts": [{"name": "c", "context": {"cluster": "c", "user": "u", "namespace": "default"}}],
                "current-context": "c",
            }
        )
    )
    return path


def test_a_hanging_exec_plugin_is_killed_and_named(run_cli, tmp_path):
    plugin = tmp_path / "hang.py"
    plugin.write_text("import time\ntime.sleep(600)\n")
    (tmp_path / "config.yaml").write_text("exec_plugin_timeout: 2\n")
    with FakeApiServer(tls=False, auth=True) as server:
        kubeconfig = exec_kubeconfig(server, tmp_path / "kc", plugin)
        started = time.monotonic()
        result = run_cli("diagnose", "pods", kubeconfig=kubeconfig, env={"K8SDOCTOR_CONFIG": str(tmp_path / "config.yaml")}, timeout=60)
    assert time.monotonic() - started < 30
    assert_one_line(result, "exec credential plugin", "did not finish within 2 s")


def test_a_failing_exec_plugin_writes_nothing_raw_on_the_terminal(run_cli, tmp_path):
    plugin = tmp_path / "fail.py"
    plugin.write_text("import sys\nsys.stderr.write('token expired \\x1b]52;c;aWQ=\\x07 run: login\\n')\nsys.exit(1)\n")
    state = tmp_path / "state"
    with FakeApiServer(tls=False, auth=True) as server:
        kubeconfig = exec_kubeconfig(server, tmp_path / "kc", plugin)
        result = run_cli("diagnose", "pods", kubeconfig=kubeconfig, env={"K8SDOCTOR_STATE_DIR": str(state)})
    assert "ERROR:root" not in result.err and "\x1b" not in result.err
    assert_one_line(result, "rejected the credentials (401 Unauthorized)")
    log = (state / "k8sdoctor.log").read_text()
    assert "exec: process returned 1" in log and "token expired \\x1b]52;c;aWQ=\\x07 run: login" in log
    assert stat.S_IMODE((state / "k8sdoctor.log").stat().st_mode) == 0o600  # the log is private
    assert stat.S_IMODE(state.stat().st_mode) == 0o700


def test_a_log_file_left_readable_is_made_private(tmp_path, monkeypatch):
    from k8sdoctor.logfile import log_path

    monkeypatch.setenv("K8SDOCTOR_STATE_DIR", str(tmp_path))
    (tmp_path / "k8sdoctor.log").write_text("old\n")
    os.chmod(tmp_path / "k8sdoctor.log", 0o644)
    assert stat.S_IMODE(log_path().stat().st_mode) == 0o600
