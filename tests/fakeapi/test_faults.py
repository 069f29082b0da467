"""Fault injection: errors N times, slow and hanging responses, expired watches and lists."""

from __future__ import annotations

import time

import orjson
import pytest
import urllib3
from kubernetes.client.exceptions import ApiException


def status_of(call) -> dict:
    with pytest.raises(ApiException) as caught:
        call()
    body = orjson.loads(caught.value.body)
    assert body["code"] == caught.value.status
    return body


def test_error_a_number_of_times_then_recover(server, core):
    server.fail("pods", 500, times=2, verb="list")
    for _ in range(2):
        body = status_of(lambda: core.list_namespaced_pod("shop"))
        assert body["reason"] == "InternalError"
        assert body["message"] == "Internal error occurred: injected fault"
    assert len(core.list_namespaced_pod("shop").items) == 6
    assert core.read_namespaced_pod("db-0", "shop").metadata.name == "db-0"


def test_forbidden_fault_uses_the_callers_identity(server, core):
    server.fail("events", 403, namespace="shop")
    body = status_of(lambda: core.list_namespaced_event("shop"))
    assert body["message"] == (
        'events is forbidden: User "system:admin" cannot list resource "events" in API group "" in the namespace "shop"'
    )
    assert len(core.list_namespaced_event("myproject").items) == 6
    server.clear_faults()
    assert len(core.list_namespaced_event("shop").items) == 4


def test_subresource_fault(server, core):
    server.fail("pods/log", 403, times=1)
    body = status_of(lambda: core.read_namespaced_pod_log("kb-5c7d8f9b6-q4w2e", "shop", previous=True))
    assert body["message"].startswith('pods "kb-5c7d8f9b6-q4w2e" is forbidden: User "system:admin" cannot get resource "pods/log"')
    assert core.read_namespaced_pod_log("kb-5c7d8f9b6-q4w2e", "shop", previous=True)


def test_expired_list_and_watch(server, core):
    server.fail("pods", 410, verb="list", times=1)
    body = status_of(lambda: core.list_namespaced_pod("shop", limit=2))
    assert body["reason"] == "Expired" and body["message"].startswith("The provided continue parameter is too old")
    server.fail("pods", 410, verb="watch", times=1)
    response = core.list_namespaced_pod("shop", watch=True, resource_version="3", _preload_content=False)
    assert response.status == 200
    (event,) = [orjson.loads(line) for line in response]
    assert event["type"] == "ERROR" and event["object"]["reason"] == "Expired"
    assert event["object"]["message"] == f"too old resource version: 3 ({server.store.rv})"


def test_slow_responses(server, core):
    server.slow(0.3, "pods", times=1)
    started = time.monotonic()
    core.list_namespaced_pod("shop")
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    core.list_namespaced_pod("shop")
    assert time.monotonic() - started < 0.3


def test_hanging_requests_time_out_on_the_client(server, core):
    server.hang("pods", verb="get")
    with pytest.raises(urllib3.exceptions.MaxRetryError) as caught:
        core.read_namespaced_pod("db-0", "shop", _request_timeout=0.2)  # the client retries, then gives up
    assert isinstance(caught.value.reason, urllib3.exceptions.ReadTimeoutError)
    server.clear_faults()
    assert core.read_namespaced_pod("db-0", "shop", _request_timeout=2).metadata.name == "db-0"


def test_fault_on_every_request_including_discovery(server):
    server.fail(None, 503, times=1)
    response = urllib3.PoolManager().request("GET", server.url + "/version")
    assert response.status == 503
    assert orjson.loads(response.data)["message"] == "the server is currently unable to handle the request"
    assert urllib3.PoolManager().request("GET", server.url + "/version").status == 200


# ---- misbehaving: what proxies and broken servers send ------------------------------------------------
def test_a_fault_body_answers_200_with_exactly_those_bytes(server, core):
    from k8sdoctor.fakeapi import Fault

    server.inject(Fault(body=b"<html>login</html>\n", resource="pods", verb="list", times=1))
    response = core.list_namespaced_pod("shop", _preload_content=False)
    assert response.status == 200 and response.data == b"<html>login</html>\n"
    server.inject(Fault(body=b"", resource="pods", verb="watch", times=1))
    response = core.list_namespaced_pod("shop", watch=True, _preload_content=False)
    assert response.status == 200 and response.data == b""
    assert len(core.list_namespaced_pod("shop").items) == 6


def test_an_endless_body_keeps_coming_until_the_client_leaves(server, core):
    from k8sdoctor.fakeapi import Fault

    server.inject(Fault(body=b'{"items":[', endless=b"{},", resource="pods", verb="list", times=1))
    response = core.list_namespaced_pod("shop", _preload_content=False)
    received = 0
    for chunk in response.stream(65536):
        received += len(chunk)
        if received > 8 << 20:
            break
    response.release_conn()
    assert received > 8 << 20
    assert len(core.list_namespaced_pod("shop").items) == 6  # the server still serves others


def test_an_endless_continue_token_asks_for_one_more_page_each_time(server, core):
    from k8sdoctor.fakeapi import Fault

    server.inject(Fault(endless_continue=True, resource="pods", verb="list"))
    token = None
    for i in range(1, 4):
        page = core.list_namespaced_pod("shop", limit=2, _continue=token)
        token = page.metadata._continue
        assert page.items == [] and token == f"again-{i}"


def test_retry_after_is_sent_with_the_error(server, core):
    from k8sdoctor.fakeapi import Fault

    server.inject(Fault(code=503, retry_after="7", resource="pods", verb="list", times=1))
    response = urllib3.PoolManager().request("GET", f"{server.url}/api/v1/namespaces/shop/pods", retries=False)
    assert response.status == 503 and response.headers["Retry-After"] == "7"
    assert orjson.loads(response.data)["reason"] == "ServiceUnavailable"
