"""Fixtures for the fakeapi tests: servers loaded with data/cluster.yaml, the kubernetes client, kubectl."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from kubernetes import client, config

from k8sdoctor.fakeapi import FakeApiServer

SCENARIO = Path(__file__).parent / "data" / "cluster.yaml"
KUBECTL = shutil.which("kubectl") or "/usr/bin/kubectl"


@pytest.fixture
def scenario() -> Path:
    return SCENARIO


@pytest.fixture
def server():
    """Plain HTTP, no authentication, loaded with the test cluster."""
    with FakeApiServer(bookmark_interval=0.2) as srv:
        srv.load_scenario(SCENARIO)
        yield srv


@pytest.fixture
def tls_server():
    """HTTPS with a throw-away CA and bearer tokens, loaded with the test cluster."""
    with FakeApiServer(tls=True) as srv:
        srv.load_scenario(SCENARIO)
        yield srv


@pytest.fixture
def api_client_for(tmp_path):
    """`api_client_for(server, token=None)` → an ApiClient loaded from a kubeconfig the server wrote."""
    made = itertools.count()

    def make(srv: FakeApiServer, token: str | None = None) -> client.ApiClient:
        path = srv.write_kubeconfig(tmp_path / f"kubeconfig-{next(made)}", token=token)
        cfg = client.Configuration()
        config.load_kube_config(config_file=str(path), client_configuration=cfg)
        return client.ApiClient(cfg)

    return make


@pytest.fixture
def core(server, api_client_for) -> client.CoreV1Api:
    return client.CoreV1Api(api_client_for(server))


class Kubectl:
    """Runs the real kubectl against one kubeconfig, with a private HOME and discovery cache."""

    def __init__(self, kubeconfig: Path, home: Path) -> None:
        self.kubeconfig = kubeconfig
        self.home = home

    def command(self, *args: str) -> list[str]:
        return [KUBECTL, "--kubeconfig", str(self.kubeconfig), "--cache-dir", str(self.home / "cache"), *args]

    def env(self) -> dict[str, str]:
        return {"HOME": str(self.home), "PATH": os.environ.get("PATH", "/usr/bin")}

    def __call__(self, *args: str, check: bool = True, timeout: float = 20, input: str | None = None) -> subprocess.CompletedProcess:
        result = subprocess.run(self.command(*args), capture_output=True, text=True, timeout=timeout, env=self.env(), input=input)
        if check and result.returncode != 0:
            raise AssertionError(f"kubectl {' '.join(args)} failed ({result.returncode}): {result.stderr}")
        return result


@pytest.fixture
def kubectl_for(tmp_path):
    """`kubectl_for(server, token=None)` → a Kubectl bound to a fresh kubeconfig for that user."""
    if not os.access(KUBECTL, os.X_OK):
        pytest.skip("kubectl is not installed")

    def make(srv: FakeApiServer, token: str | None = None) -> Kubectl:
        home = tmp_path / f"home-{token or 'admin'}"[:40]
        home.mkdir(exist_ok=True)
        return Kubectl(srv.write_kubeconfig(home / "kubeconfig", token=token), home)

    return make
