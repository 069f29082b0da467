"""Every object the demo serves is valid for kubectl at every moment of its timeline: after the node has
joined, the image has been fixed and the crash loops have turned, `kubectl cluster-info dump` and
`kubectl describe node worker-4` read the demo server without error."""

from __future__ import annotations

import os
import time

import orjson
import pytest

from k8sdoctor.core.kube.timeutil import parse_time
from k8sdoctor.demo.runner import start_demo
from tests.fakeapi.conftest import KUBECTL, Kubectl

TIME_FIELDS = ("creationTimestamp", "lastTransitionTime", "startedAt", "finishedAt", "firstTimestamp", "lastTimestamp", "startTime")


@pytest.fixture
def played(tmp_path):
    """The demo with its whole timeline played in about a second."""
    if not os.access(KUBECTL, os.X_OK):
        pytest.skip("kubectl is not installed")
    demo = start_demo(tick=0.05, crash_every=0.2, node_after=0.3, fix_after=0.5)
    deadline = time.monotonic() + 30
    while not (demo.timeline.node_added and demo.timeline.image_fixed) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # a few more crash-loop turns
    demo.timeline.stop()
    assert demo.timeline.node_added and demo.timeline.image_fixed
    home = tmp_path / "kubectl-home"
    home.mkdir()
    yield demo, Kubectl(demo.kubeconfig, home)
    demo.close()


def times_in(value, path=""):
    if isinstance(value, dict):
        for key, item in value.items():
            if key in TIME_FIELDS and isinstance(item, str):
                yield f"{path}.{key}", item
            else:
                yield from times_in(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from times_in(item, f"{path}[{i}]")


def test_kubectl_reads_everything_after_the_timeline_has_played(played):
    demo, kubectl = played
    dump = kubectl("cluster-info", "dump", "--all-namespaces", timeout=60)
    assert "worker-4" in dump.stdout
    described = kubectl("describe", "node", "worker-4")
    assert "CreationTimestamp:" in described.stdout
    bad = [
        (kind, path, text)
        for kind in ("Node", "Pod", "Event", "Deployment", "ReplicaSet")
        for obj in demo.server.list(kind)
        for path, text in times_in(obj)
        if parse_time(text) is None
    ]
    assert bad == []
    orjson.loads(kubectl("get", "node", "worker-4", "-o", "json").stdout)  # served whole
