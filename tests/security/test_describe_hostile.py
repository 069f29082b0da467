"""`k8sdoctor describe pod` against what a hostile or restricted API server sends, through the real CLI
and the local API server: values nested a thousand levels deep where text belongs (a server emulator
sent them; `describe` ended in `internal error: RecursionError`), and events it may not read (said
"forbidden", naming the 403, never "<none>")."""

from __future__ import annotations

import orjson

from k8sdoctor.fakeapi import FakeApiServer, Fault, Rule

DEPTH = 1000


def nested(depth: int) -> bytes:
    return b'{"a":' * depth + b'"bottom"' + b"}" * depth


def deep_pod_json() -> bytes:
    """A pod whose annotation, label, env value and waiting message are nested DEPTH levels deep (orjson
    writes at most 255 levels, so the JSON is spelled out)."""
    deep = nested(DEPTH)
    return (
        b'{"apiVersion":"v1","kind":"Pod","metadata":{"name":"deep","namespace":"rt","uid":"u-deep","resourceVersion":"5",'
        b'"creationTimestamp":"2026-01-01T00:00:00Z","annotations":{"note":' + deep + b'},"labels":{"app":' + deep + b"}},"
        b'"spec":{"nodeName":"worker-1","containers":[{"name":"app","image":"nginx:1.27.2","env":[{"name":"MODE","value":'
        + deep
        + b"}]}]},"
        b'"status":{"phase":"Pending","containerStatuses":[{"name":"app","image":"nginx:1.27.2","ready":false,"restartCount":0,'
        b'"state":{"waiting":{"reason":"CreateContainerConfigError","message":' + deep + b"}}}]}}"
    )


def test_values_nested_a_thousand_levels_deep_do_not_crash_describe(run_cli, tmp_path):
    assert orjson.loads(deep_pod_json())["metadata"]["name"] == "deep"
    with FakeApiServer() as server:
        server.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "rt"}})
        server.apply({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "deep", "namespace": "rt"}, "spec": {"containers": []}})
        server.inject(Fault(body=deep_pod_json(), resource="pods", verb="get", name="deep"))
        kubeconfig = server.write_kubeconfig(tmp_path / "kc", namespace="rt")
        described = run_cli("describe", "pod", "deep", kubeconfig=kubeconfig)
        diagnosed = run_cli("diagnose", "pod", "deep", "-o", "json", kubeconfig=kubeconfig)
    assert described.code == 0, described.err
    assert "RecursionError" not in described.err and "internal error" not in described.err
    assert "<nested too deeply to show>" in described.out and "CreateContainerConfigError" in described.out
    assert diagnosed.code == 1, diagnosed.err


def test_events_it_may_not_read_are_said_forbidden(run_cli, tmp_path):
    with FakeApiServer(auth=True) as server:
        server.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "rt"}})
        server.apply(
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {"name": "web-1", "namespace": "rt"},
                "spec": {"nodeName": "worker-1", "containers": [{"name": "web", "image": "nginx:1.27.2"}]},
                "status": {"phase": "Pending"},
            }
        )
        token = server.add_user("dev", [Rule(verbs=("get", "list", "watch"), resources=("pods",), namespaces=("rt",))])
        result = run_cli("describe", "pod", "web-1", kubeconfig=server.write_kubeconfig(tmp_path / "kc", token=token, namespace="rt"))
    assert result.code == 0, result.err
    [events] = [line for line in result.out.splitlines() if line.startswith("Events:")]
    assert "forbidden" in events and 'cannot list resource "events"' in events and "<none>" not in events
