"""Fixtures for CLI tests: the demo cluster on a TLS fake API server, and a runner for the real CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import orjson
import pytest

from k8sdoctor.demo.cluster import scenario
from k8sdoctor.fakeapi import FakeApiServer
from tests.fakeapi.conftest import Kubectl


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    def json(self) -> dict:
        return orjson.loads(self.out)

    @property
    def err_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


@pytest.fixture
def run_cli(tmp_path):
    """`run_cli(*args, kubeconfig=None, env=None)`: the real k8sdoctor in a subprocess."""

    def run(*args: str, kubeconfig: Path | None = None, env: dict | None = None, timeout: float = 60) -> CliResult:
        environ = {k: v for k, v in os.environ.items() if k not in ("KUBECONFIG", "NO_COLOR")}
        environ.update(HOME=str(tmp_path), COLUMNS="100")
        if kubeconfig is not None:
            environ["KUBECONFIG"] = str(kubeconfig)
        environ.update(env or {})
        done = subprocess.run([sys.executable, "-m", "k8sdoctor", *args], capture_output=True, text=True, env=environ, timeout=timeout)
        return CliResult(done.returncode, done.stdout, done.stderr)

    return run


@pytest.fixture(scope="module")
def demo_server():
    """The demo cluster (no timeline: it does not change) on HTTPS with bearer tokens."""
    with FakeApiServer(tls=True) as srv:
        srv.load_scenario(scenario())
        yield srv


@pytest.fixture
def demo_kubeconfig(demo_server, tmp_path) -> Path:
    return demo_server.write_kubeconfig(tmp_path / "kubeconfig", namespace="shop")


@pytest.fixture
def kubectl(demo_kubeconfig, tmp_path) -> Kubectl:
    return Kubectl(demo_kubeconfig, tmp_path / "kubectl-home")


def verdicts(payload: dict) -> set[tuple]:
    """What a diagnosis says, without the volatile parts (ages, counts): pod, category, cause, container, severity."""
    items = payload.get("items", [payload])
    return {(i["namespace"], i["name"], f["category"], f["cause"], f["container"], f["severity"]) for i in items for f in i["findings"]}
