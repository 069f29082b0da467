"""Fixtures for the live-path tests: a TLS API server per module, and the real CLI against it."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import orjson
import pytest

from k8sdoctor.fakeapi import FakeApiServer


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> dict:
        return orjson.loads(self.out)


@pytest.fixture(scope="module")
def server():
    with FakeApiServer(tls=True) as srv:
        yield srv


@pytest.fixture(scope="module")
def kubeconfig(server, tmp_path_factory) -> Path:
    return server.write_kubeconfig(tmp_path_factory.mktemp("kube") / "kubeconfig")


@pytest.fixture(scope="module")
def k8sdoctor(kubeconfig, tmp_path_factory):
    """`k8sdoctor(*args, env=None)`: the real CLI in a subprocess, against this module's server."""
    home = tmp_path_factory.mktemp("home")

    def run(*args: str, env: dict | None = None) -> Run:
        environ = {k: v for k, v in os.environ.items() if k not in ("KUBECONFIG", "NO_COLOR")}
        environ.update(HOME=str(home), COLUMNS="100", KUBECONFIG=str(kubeconfig), **(env or {}))
        done = subprocess.run([sys.executable, "-m", "k8sdoctor", *args], capture_output=True, text=True, env=environ, timeout=60)
        return Run(done.returncode, done.stdout, done.stderr)

    return run


@pytest.fixture(scope="module")
def diagnose(k8sdoctor):
    """`diagnose(namespace, pod)`: the JSON diagnosis of one pod, which must have a problem (exit 1);
    run once per module."""

    @functools.cache
    def run(namespace: str, pod: str) -> dict:
        result = k8sdoctor("diagnose", "pod", pod, "-n", namespace, "-o", "json")
        assert result.code == 1, result.err
        return result.json()

    return run
