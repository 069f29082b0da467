"""Watch semantics through the kubernetes client: replay, expiry, bookmarks, selectors, timeouts, restarts."""

from __future__ import annotations

import threading
import time

import orjson
import pytest
import urllib3
from kubernetes import client

from k8sdoctor.fakeapi import FakeApiServer

METADATA = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1"


def read_events(response, count: int | None = None) -> list[dict]:
    """Watch events from a streaming response, until `count` of them or the end of the stream."""
    events = []
    for line in response:
        events.append(orjson.loads(line))
        if count is not None and len(events) == count:
            response.close()
            break
    return events


def read_until(response, name: str) -> list[dict]:
    """Watch events up to and including the first one about `name` (a sentinel applied last: everything
    the server meant to send before it has arrived)."""
    events = []
    for line in response:
        events.append(orjson.loads(line))
        if events[-1]["object"]["metadata"].get("name") == name:
            response.close()
            break
    return events


def summary(events: list[dict]) -> list[tuple[str, str]]:
    return [(e["type"], e["object"]["metadata"].get("name", "")) for e in events]


def list_rv(core: client.CoreV1Api) -> str:
    return orjson.loads(core.list_namespaced_pod("shop", _preload_content=False).data)["metadata"]["resourceVersion"]


def pod(name: str, **labels: str) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "shop", "labels": labels},
        "spec": {"containers": [{"name": "app", "image": "nginx:1.25.4"}]},
        "status": {"phase": "Pending"},
    }


def test_replay_from_a_resource_version(server, core):
    rv = list_rv(core)
    server.patch("Pod", "shop", "es-client-0", {"status": {"phase": "Running"}})
    server.apply(pod("web-extra", app="web"))
    server.delete("Pod", "shop", "memory-demo-2")
    server.apply(pod("other-ns-pod") | {"metadata": {"name": "x", "namespace": "myproject"}})
    server.apply(pod("sentinel"))
    response = core.list_namespaced_pod("shop", watch=True, _preload_content=False, resource_version=rv, timeout_seconds=5)
    events = read_until(response, "sentinel")
    assert summary(events) == [("MODIFIED", "es-client-0"), ("ADDED", "web-extra"), ("DELETED", "memory-demo-2"), ("ADDED", "sentinel")]
    versions = [int(e["object"]["metadata"]["resourceVersion"]) for e in events]
    assert versions == sorted(versions) and versions[0] > int(rv)


def test_watch_without_resource_version_starts_with_the_current_objects(server, core):
    response = core.list_namespaced_pod("myproject", watch=True, _preload_content=False, timeout_seconds=5)
    server.apply(pod("sentinel") | {"metadata": {"name": "sentinel", "namespace": "myproject"}})
    assert summary(read_until(response, "sentinel")) == [("ADDED", "kafdrop-1-j4969"), ("ADDED", "sentinel")]


def test_live_changes_arrive_while_watching(server, core):
    response = core.list_namespaced_pod("shop", watch=True, _preload_content=False, resource_version=list_rv(core), timeout_seconds=5)
    threading.Timer(0.2, server.apply, [pod("late", app="web")]).start()
    assert summary(read_events(response, 1)) == [("ADDED", "late")]


def test_too_old_resource_version_is_an_expired_error_event(scenario, api_client_for):
    with FakeApiServer(history_size=3) as small:
        small.load_scenario(scenario)
        small_core = client.CoreV1Api(api_client_for(small))
        rv = list_rv(small_core)
        for n in range(5):
            small.apply(pod(f"churn-{n}"))
        response = small_core.list_namespaced_pod("shop", watch=True, _preload_content=False, resource_version=rv, timeout_seconds=2)
        assert response.status == 200
        (event,) = read_events(response)
        oldest = int(small.get("Pod", "shop", "churn-2")["metadata"]["resourceVersion"])
        assert event == {
            "type": "ERROR",
            "object": {
                "kind": "Status",
                "apiVersion": "v1",
                "metadata": {},
                "status": "Failure",
                "message": f"too old resource version: {rv} ({oldest - 1})",
                "reason": "Expired",
                "code": 410,
            },
        }
        recent = str(oldest - 1)
        response = small_core.list_namespaced_pod("shop", watch=True, _preload_content=False, resource_version=recent, timeout_seconds=5)
        assert summary(read_until(response, "churn-4")) == [("ADDED", "churn-2"), ("ADDED", "churn-3"), ("ADDED", "churn-4")]


def test_bookmarks_and_timeout(server, core):
    rv = list_rv(core)
    started = time.monotonic()
    response = core.list_namespaced_pod(
        "shop", watch=True, _preload_content=False, resource_version=rv, allow_watch_bookmarks=True, timeout_seconds=1
    )
    server.apply({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "bump", "namespace": "shop"}})
    events = read_events(response)
    elapsed = time.monotonic() - started
    assert 0.9 <= elapsed < 3
    assert events and {e["type"] for e in events} == {"BOOKMARK"}
    assert events[0]["object"]["kind"] == "Pod" and events[0]["object"]["apiVersion"] == "v1"
    assert int(events[-1]["object"]["metadata"]["resourceVersion"]) > int(rv)


def test_send_initial_events_ends_with_an_annotated_bookmark(core):
    response = core.list_namespaced_pod(
        "myproject",
        watch=True,
        _preload_content=False,
        send_initial_events=True,
        resource_version_match="NotOlderThan",
        allow_watch_bookmarks=True,
        timeout_seconds=1,
    )
    events = read_events(response, 2)
    assert summary(events)[0] == ("ADDED", "kafdrop-1-j4969")
    assert events[1]["type"] == "BOOKMARK"
    assert events[1]["object"]["metadata"]["annotations"] == {"k8s.io/initial-events-end": "true"}


def test_label_selector_turns_transitions_into_added_and_deleted(server, core):
    response = core.list_namespaced_pod(
        "shop", watch=True, _preload_content=False, resource_version=list_rv(core), label_selector="tier=canary", timeout_seconds=5
    )
    server.apply(pod("outside", app="web"))
    server.patch("Pod", "shop", "outside", {"metadata": {"labels": {"tier": "canary"}}})
    server.patch("Pod", "shop", "outside", {"status": {"phase": "Running"}})
    server.patch("Pod", "shop", "outside", {"metadata": {"labels": {"tier": None}}})
    server.apply(pod("sentinel", tier="canary"))
    events = read_until(response, "sentinel")
    assert summary(events) == [("ADDED", "outside"), ("MODIFIED", "outside"), ("DELETED", "outside"), ("ADDED", "sentinel")]
    assert events[2]["object"]["metadata"]["labels"] == {"app": "web", "tier": "canary"}


def test_field_selector_applies_to_watches(server, core):
    response = core.list_pod_for_all_namespaces(
        watch=True, _preload_content=False, resource_version=list_rv(core), field_selector="status.phase=Running", timeout_seconds=5
    )
    server.patch("Pod", "shop", "es-client-0", {"status": {"phase": "Running"}})
    server.patch("Pod", "myproject", "kafdrop-1-j4969", {"metadata": {"labels": {"seen": "yes"}}})
    server.patch("Pod", "shop", "memory-demo-2", {"metadata": {"labels": {"seen": "yes"}}})
    assert summary(read_until(response, "memory-demo-2")) == [("ADDED", "es-client-0"), ("MODIFIED", "memory-demo-2")]


def test_metadata_only_watch(server, core):
    response = core.list_namespaced_pod("myproject", watch=True, _preload_content=False, timeout_seconds=5, _headers={"Accept": METADATA})
    (event,) = read_events(response, 1)
    assert event["object"]["kind"] == "PartialObjectMetadata" and set(event["object"]) == {"kind", "apiVersion", "metadata"}


def test_close_break_and_garbage(server, core):
    rv = list_rv(core)
    closed = core.list_namespaced_pod("shop", watch=True, _preload_content=False, resource_version=rv)
    _wait_for_watches(server, 1)
    assert server.close_watches("pods") == 1
    assert read_events(closed) == []
    _wait_for_watches(server, 0)

    garbled = core.list_namespaced_pod("shop", watch=True, _preload_content=False, resource_version=rv)
    _wait_for_watches(server, 1)
    server.send_watch_line(b'{"type":"ADDED","object":{"kind":\n')
    server.apply(pod("after-garbage"))
    lines = [next(garbled), next(garbled)]
    garbled.close()
    assert lines[0] == b'{"type":"ADDED","object":{"kind":\n'
    _wait_for_watches(server, 0)
    assert orjson.loads(lines[1])["object"]["metadata"]["name"] == "after-garbage"

    broken = core.list_namespaced_pod("shop", watch=True, _preload_content=False, resource_version=rv)
    _wait_for_watches(server, 1)
    server.break_watches()
    with pytest.raises(urllib3.exceptions.ProtocolError):
        list(broken)


def _wait_for_watches(server: FakeApiServer, count: int) -> None:
    deadline = time.monotonic() + 5
    while server.watch_count() != count:
        assert time.monotonic() < deadline, "the watch never registered"
        time.sleep(0.01)


def test_restart_keeps_port_and_state_and_history(server, core):
    url, rv = server.url, list_rv(core)
    server.stop()
    with pytest.raises(urllib3.exceptions.MaxRetryError):
        urllib3.PoolManager(retries=0).request("GET", url + "/version")
    server.apply(pod("added-while-down"))
    assert server.start() == url
    response = core.list_namespaced_pod("shop", watch=True, _preload_content=False, resource_version=rv, timeout_seconds=5)
    assert summary(read_events(response, 1)) == [("ADDED", "added-while-down")]
    assert server.restart(compact=True) == url
    response = core.list_namespaced_pod("shop", watch=True, _preload_content=False, resource_version=rv, timeout_seconds=5)
    (event,) = read_events(response)
    assert event["type"] == "ERROR" and event["object"]["code"] == 410
    assert event["object"]["message"] == f"too old resource version: {rv} ({server.store.rv})"
