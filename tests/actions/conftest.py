"""Fixtures for the action tests: a fake API server with both scenarios, a client for it."""

from __future__ import annotations

import pytest

from k8sdoctor.cluster.live.client import KubeClient
from k8sdoctor.fakeapi import FakeApiServer
from tests.actions.helpers import CLUSTER, DESCRIBE


@pytest.fixture
def server():
    with FakeApiServer() as srv:
        srv.load_scenario(CLUSTER)
        srv.load_scenario(DESCRIBE)
        yield srv


@pytest.fixture
def kubeconfig(server, tmp_path):
    return server.write_kubeconfig(tmp_path / "kubeconfig")


@pytest.fixture
def client(kubeconfig) -> KubeClient:
    return KubeClient(str(kubeconfig))
