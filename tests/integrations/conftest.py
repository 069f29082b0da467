"""Fixtures for the integration tests: the demo cluster and the real CLI (shared with tests/cli), and a
small fake cluster of their own for tests that change it while k8sdoctor watches."""

from __future__ import annotations

import pytest

from k8sdoctor.fakeapi import FakeApiServer
from tests.cli.conftest import CliResult, demo_kubeconfig, demo_server, run_cli, verdicts  # noqa: F401 - fixtures

NS = "ci"


@pytest.fixture
def cluster():
    """An empty cluster with namespace `ci` (plain HTTP), for tests that build what they wait for."""
    with FakeApiServer(bookmark_interval=0.2) as srv:
        srv.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NS}})
        yield srv


@pytest.fixture
def cluster_kubeconfig(cluster, tmp_path):
    return cluster.write_kubeconfig(tmp_path / "kubeconfig", namespace=NS)
