"""`k8sdoctor describe pod X` writes what `kubectl describe pod X` (1.32) writes, byte for byte, for every
pod of a varied set served by the local API server (tests/parity/cluster.py says which pods and why)."""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
import time

import pytest

from k8sdoctor.actions.describe_volumes import TYPE_LINES
from k8sdoctor.cli.main import main
from k8sdoctor.core.inventory import MIRROR_ANNOTATION
from k8sdoctor.fakeapi import FakeApiServer
from tests.actions.helpers import KUBECTL, has_kubectl
from tests.parity.cluster import SCENARIOS, generated

pytestmark = pytest.mark.kubectl


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    with FakeApiServer() as srv:
        for scenario in SCENARIOS:
            srv.load_scenario(scenario)
        srv.load_scenario(generated())
        yield srv, srv.write_kubeconfig(tmp_path_factory.mktemp("parity") / "kubeconfig")


@pytest.fixture
def utc(monkeypatch):
    """kubectl and k8sdoctor print times in the reader's zone: the same one for both."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def kubectl_describe(kubeconfig, home, namespace: str, name: str) -> bytes:
    result = subprocess.run(
        [KUBECTL, "--kubeconfig", str(kubeconfig), "--cache-dir", str(home / "cache"), "describe", "pod", name, "-n", namespace],
        capture_output=True,
        timeout=30,
        env={"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin"), "TZ": "UTC"},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _diff(expected: bytes, got: bytes) -> str:
    lines = difflib.unified_diff(
        expected.decode(errors="backslashreplace").splitlines(),
        got.decode(errors="backslashreplace").splitlines(),
        "kubectl",
        "k8sdoctor",
        lineterm="",
    )
    return "\n".join(list(lines)[:40])


def test_the_set_is_varied(cluster):
    """At least 40 pods, every volume type kubectl describes, static pods with events under their hash,
    native sidecars, probes with query strings, many events with one timestamp."""
    srv, _kubeconfig = cluster
    pods = srv.list("Pod")
    assert len(pods) >= 40
    kinds = {key for pod in pods for vol in pod["spec"].get("volumes") or [] for key in vol if key in TYPE_LINES}
    assert kinds == set(TYPE_LINES)
    mirrors = {
        p["metadata"]["annotations"][MIRROR_ANNOTATION] for p in pods if MIRROR_ANNOTATION in (p["metadata"].get("annotations") or {})
    }
    assert mirrors and mirrors <= {e["involvedObject"].get("uid") for e in srv.list("Event")}
    assert any(c.get("restartPolicy") == "Always" for p in pods for c in p["spec"].get("initContainers") or [])
    paths = [
        probe["httpGet"].get("path", "")
        for p in pods
        for c in p["spec"]["containers"]
        for k, probe in c.items()
        if k.endswith("Probe") and "httpGet" in probe
    ]
    assert any("?" in path for path in paths)
    stamps: dict[tuple[str, str], int] = {}
    for event in srv.list("Event"):
        key = (event["involvedObject"]["name"], event.get("lastTimestamp", ""))
        stamps[key] = stamps.get(key, 0) + 1
    assert max(stamps.values()) >= 40


def test_every_pod_describes_byte_for_byte_as_kubectl(cluster, tmp_path, capsysbinary, utc):
    """The CLI's own output (stdout is not a terminal here), compared with kubectl's; kubectl is asked
    again when they differ, so an age that ticks over between the two reads is not a difference."""
    if not has_kubectl():
        pytest.skip("kubectl is not installed")
    srv, kubeconfig = cluster
    pods = sorted((p["metadata"]["namespace"], p["metadata"]["name"]) for p in srv.list("Pod"))
    differ = []
    for namespace, name in pods:
        before = kubectl_describe(kubeconfig, tmp_path, namespace, name)
        assert main(["--kubeconfig", str(kubeconfig), "describe", "pod", name, "-n", namespace]) == 0
        ours = capsysbinary.readouterr().out
        if ours != before and ours != (after := kubectl_describe(kubeconfig, tmp_path, namespace, name)):
            differ.append(f"{namespace}/{name}:\n{_diff(after, ours)}")
    print(f"describe parity: {len(pods) - len(differ)} of {len(pods)} pods identical")
    assert not differ, "\n\n".join(differ)


@pytest.mark.parametrize(
    ("namespace", "name"),
    [("kube-system", "kube-apiserver-kubemaster"), ("parity", "annotations-unicode"), ("parity", "same-second-43")],
)
def test_piped_through_a_shell_diff_is_empty(cluster, tmp_path, namespace, name):
    """The acceptance line itself: `k8sdoctor describe pod X | diff - <(kubectl describe pod X)`."""
    if not has_kubectl():
        pytest.skip("kubectl is not installed")
    _srv, kubeconfig = cluster
    k8sdoctor = f"{sys.executable} -m k8sdoctor --kubeconfig {kubeconfig} describe pod {name} -n {namespace}"
    kubectl = f"{KUBECTL} --kubeconfig {kubeconfig} --cache-dir {tmp_path}/cache describe pod {name} -n {namespace}"
    result = subprocess.run(
        ["bash", "-c", f"{k8sdoctor} | diff - <({kubectl})"],
        capture_output=True,
        timeout=60,
        env={**os.environ, "HOME": str(tmp_path), "TZ": "UTC"},
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, b"", b"")


def test_events_it_may_not_read_are_the_one_line_that_differs(tmp_path, capsysbinary, utc):
    """kubectl prints `Events: <none>` when it may not list events; k8sdoctor says it could not read
    them. Every other line is kubectl's."""
    if not has_kubectl():
        pytest.skip("kubectl is not installed")
    from k8sdoctor.fakeapi import Rule

    with FakeApiServer(tls=True) as srv:  # kubectl sends a token over TLS only
        srv.load_scenario(SCENARIOS[0])
        token = srv.add_user("viewer", [Rule(("get", "list"), ("pods",))])
        kubeconfig = srv.write_kubeconfig(tmp_path / "viewer", token=token)
        theirs = kubectl_describe(kubeconfig, tmp_path, "shop", "memory-demo-2")
        assert main(["--kubeconfig", str(kubeconfig), "describe", "pod", "memory-demo-2", "-n", "shop"]) == 0
    ours = capsysbinary.readouterr().out
    (*theirs_before, theirs_events), (*ours_before, ours_events) = theirs.splitlines(), ours.splitlines()
    assert theirs_before == ours_before
    column, none = theirs_events.split(b"<", 1)
    assert column.rstrip() == b"Events:" and none == b"none>"
    assert ours_events.startswith(column + b"<could not read: ") and b'cannot list resource "events"' in ours_events
