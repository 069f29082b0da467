"""429 and 5xx are retried as client-go does (Retry-After, else jittered backoff, a bounded number of
times), and reads that never end stop with one clear line: the real CLI against the local API server."""

from __future__ import annotations

import time

import pytest

from k8sdoctor.cluster.live.client import MAX_PAGES, MAX_RETRIES
from k8sdoctor.fakeapi import FakeApiServer, Fault
from tests.cli.test_bad_input import assert_one_line

PODS = "/api/v1/namespaces/shop/pods"


@pytest.fixture
def server():
    with FakeApiServer() as srv:
        srv.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}})
        srv.apply(
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {"name": "web-1", "namespace": "shop"},
                "spec": {"nodeName": "worker-1", "containers": [{"name": "web", "image": "nginx:1.27.2"}]},
                "status": {
                    "phase": "Running",
                    "containerStatuses": [{"name": "web", "ready": True, "restartCount": 0, "state": {"running": {"startedAt": "-1h"}}}],
                },
            }
        )
        yield srv


def pod_lists(server: FakeApiServer) -> int:
    return len(server.requests("GET", PODS))


def test_one_429_with_retry_after_is_retried_after_that_long(server, run_cli, tmp_path):
    """Issue 17: a single 429 with Retry-After: 1 gave exit 2 and "too many 429 error responses"."""
    server.inject(Fault(code=429, retry_after="1", resource="pods", verb="list", times=1))
    started = time.monotonic()
    result = run_cli("diagnose", "pods", kubeconfig=server.write_kubeconfig(tmp_path / "kc", namespace="shop"))
    assert result.code == 0, result.err
    assert time.monotonic() - started >= 1.0
    assert pod_lists(server) == 2


@pytest.mark.parametrize("code", [500, 503, 504])
def test_a_5xx_to_a_read_is_retried(server, run_cli, tmp_path, code):
    server.inject(Fault(code=code, resource="pods", verb="list", times=2))
    result = run_cli("diagnose", "pods", kubeconfig=server.write_kubeconfig(tmp_path / "kc", namespace="shop"))
    assert result.code == 0, result.err
    assert pod_lists(server) == 3


def test_retries_are_bounded_and_end_in_one_line(server, run_cli, tmp_path):
    server.inject(Fault(code=429, retry_after="0", resource="pods", verb="list"))
    result = run_cli("diagnose", "pods", kubeconfig=server.write_kubeconfig(tmp_path / "kc", namespace="shop"))
    assert_one_line(result, "API server error 429", "Too many requests")
    assert pod_lists(server) == MAX_RETRIES + 1


def test_an_endless_continue_token_stops_with_one_line(server, run_cli, tmp_path):
    """Issue 17: an endless `continue` token looped forever."""
    server.inject(Fault(endless_continue=True, resource="pods", verb="list"))
    result = run_cli("diagnose", "pods", kubeconfig=server.write_kubeconfig(tmp_path / "kc", namespace="shop"), timeout=120)
    assert_one_line(result, "kept sending continue tokens", f"stopped after {MAX_PAGES} pages")
    assert pod_lists(server) == MAX_PAGES


def test_an_endless_list_body_stops_with_one_line(server, run_cli, tmp_path):
    server.inject(Fault(endless=b'{"kind":"PodList","items":[', resource="pods", verb="list"))
    result = run_cli("diagnose", "pods", kubeconfig=server.write_kubeconfig(tmp_path / "kc", namespace="shop"))
    assert_one_line(result, "larger than 64 MiB")


@pytest.mark.parametrize("answer", [b"", b"<html><body>Please log in</body></html>\n"], ids=["empty", "html"])
def test_a_pod_list_that_is_not_json_is_an_error_not_an_empty_namespace(server, run_cli, tmp_path, answer):
    server.inject(Fault(body=answer, resource="pods", verb="list"))
    result = run_cli("diagnose", "pods", kubeconfig=server.write_kubeconfig(tmp_path / "kc", namespace="shop"))
    assert_one_line(result, "not JSON")


def test_log_tails_are_read_with_a_byte_bound(demo_server, demo_kubeconfig, run_cli):
    """A log line can be any size (a 64 MiB line is one line): the evidence read of a crash-looping
    container's previous log asks the server for at most LOG_TAIL_BYTES as well as LOG_TAIL_LINES."""
    from k8sdoctor.core.evidence_plan import LOG_TAIL_BYTES, LOG_TAIL_LINES

    demo_server.clear_requests()
    name = next(p["metadata"]["name"] for p in demo_server.list("Pod", "shop") if p["metadata"]["name"].startswith("kestra-"))
    assert run_cli("diagnose", "pod", name, kubeconfig=demo_kubeconfig).code == 1
    reads = [r for r in demo_server.requests("GET") if r.path.endswith(f"/pods/{name}/log")]
    assert reads, "the previous log was not read"
    assert all(r.query.get("limitBytes") == str(LOG_TAIL_BYTES) and r.query.get("tailLines") == str(LOG_TAIL_LINES) for r in reads), [
        r.query for r in reads
    ]
