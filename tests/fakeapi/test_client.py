"""The fake server through the real `kubernetes` client (v37): lists, gets, writes, errors, auth."""

from __future__ import annotations

import base64

import orjson
import pytest
from kubernetes import client
from kubernetes.client.exceptions import ApiException

from k8sdoctor.fakeapi import Rule

METADATA_LIST = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"
METADATA = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1"
TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"


def raw(response) -> dict:
    return orjson.loads(response.data)


def test_list_pages_with_limit_and_continue(core):
    first = raw(core.list_namespaced_pod("shop", _preload_content=False, limit=2))
    assert first["kind"] == "PodList" and first["apiVersion"] == "v1"
    assert "kind" not in first["items"][0] and "apiVersion" not in first["items"][0]  # as in a real list
    assert first["metadata"]["remainingItemCount"] == 4
    names = [p["metadata"]["name"] for p in first["items"]]
    token = first["metadata"]["continue"]
    while token:
        page = raw(core.list_namespaced_pod("shop", _preload_content=False, limit=2, _continue=token))
        assert page["metadata"]["resourceVersion"] == first["metadata"]["resourceVersion"]
        names += [p["metadata"]["name"] for p in page["items"]]
        token = page["metadata"].get("continue")
    assert names == sorted(names)
    assert names == ["db-0", "ebaogi-bff-app-7b9d5c6f4-lx2mk", "es-client-0", "kb-5c7d8f9b6-q4w2e", "memory-demo-2", "web-6d4cf56db6-abcde"]


def test_continued_pages_are_a_consistent_snapshot(server, core):
    first = raw(core.list_namespaced_pod("shop", _preload_content=False, limit=3))
    server.delete("Pod", "shop", "kb-5c7d8f9b6-q4w2e")
    server.apply(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "zz-late", "namespace": "shop"},
            "spec": {"containers": [{"name": "app", "image": "nginx:1.25.4"}]},
        }
    )
    rest = raw(core.list_namespaced_pod("shop", _preload_content=False, limit=3, _continue=first["metadata"]["continue"]))
    assert [p["metadata"]["name"] for p in rest["items"]] == ["kb-5c7d8f9b6-q4w2e", "memory-demo-2", "web-6d4cf56db6-abcde"]


def test_expired_continue_token_is_410_with_an_inconsistent_token(server, core):
    first = raw(core.list_namespaced_pod("shop", _preload_content=False, limit=3))
    server.compact()
    with pytest.raises(ApiException) as caught:
        core.list_namespaced_pod("shop", _preload_content=False, limit=3, _continue=first["metadata"]["continue"])
    body = orjson.loads(caught.value.body)
    assert caught.value.status == 410 and body["reason"] == "Expired"
    assert body["message"].startswith("The provided continue parameter is too old to display a consistent list")
    rest = raw(core.list_namespaced_pod("shop", _preload_content=False, limit=3, _continue=body["metadata"]["continue"]))
    assert [p["metadata"]["name"] for p in rest["items"]] == ["kb-5c7d8f9b6-q4w2e", "memory-demo-2", "web-6d4cf56db6-abcde"]


def test_all_namespaces_and_selectors(core):
    everything = raw(core.list_pod_for_all_namespaces(_preload_content=False))
    assert [(p["metadata"]["namespace"], p["metadata"]["name"]) for p in everything["items"]][:2] == [
        ("myproject", "kafdrop-1-j4969"),
        ("shop", "db-0"),
    ]
    pending = raw(core.list_pod_for_all_namespaces(_preload_content=False, field_selector="status.phase=Pending"))
    assert {p["metadata"]["name"] for p in pending["items"]} == {"db-0", "es-client-0", "kafdrop-1-j4969"}
    labelled = raw(core.list_namespaced_pod("shop", _preload_content=False, label_selector="app in (web,kb)"))
    assert {p["metadata"]["name"] for p in labelled["items"]} == {"web-6d4cf56db6-abcde", "kb-5c7d8f9b6-q4w2e"}
    unscheduled = raw(core.list_namespaced_pod("shop", _preload_content=False, field_selector="spec.nodeName="))
    assert [p["metadata"]["name"] for p in unscheduled["items"]] == ["es-client-0"]


def test_events_for_one_pod_by_field_selector(server, core):
    uid = server.get("Pod", "myproject", "kafdrop-1-j4969")["metadata"]["uid"]
    events = raw(
        core.list_namespaced_event(
            "myproject",
            _preload_content=False,
            field_selector=f"involvedObject.name=kafdrop-1-j4969,involvedObject.namespace=myproject,involvedObject.uid={uid}",
        )
    )
    assert events["kind"] == "EventList"
    assert [e["reason"] for e in events["items"]] == ["Scheduled", "AddedInterface", "Pulling", "Failed", "Failed", "BackOff"]
    warnings = raw(core.list_namespaced_event("myproject", _preload_content=False, field_selector="type=Warning"))
    assert {e["message"] for e in warnings["items"]} == {
        "Error: ErrImagePull",
        # source: https://github.com/red-hat-storage/ocs-ci/issues/4494
        "Failed to pull image \"obsidiandynamics/kafdrop:latest\": rpc error: code = Unknown desc = Error reading "
        "manifest latest in docker.io/obsidiandynamics/kafdrop: toomanyrequests: You have reached your pull rate "
        "limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit",
    }


def test_bad_field_selector_is_400(core):
    with pytest.raises(ApiException) as caught:
        core.list_namespaced_pod("shop", field_selector="spec.containers=app")
    assert caught.value.status == 400
    assert orjson.loads(caught.value.body)["message"] == "field label not supported: spec.containers"


def test_get_typed_and_not_found_status(core):
    assert raw(core.read_namespaced_pod("memory-demo-2", "shop", _preload_content=False))["kind"] == "Pod"
    pod = core.read_namespaced_pod("memory-demo-2", "shop")
    assert pod.status.container_statuses[0].last_state.terminated.reason == "OOMKilled"
    with pytest.raises(ApiException) as caught:
        core.read_namespaced_pod("nope", "shop")
    assert caught.value.status == 404
    assert orjson.loads(caught.value.body) == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": 'pods "nope" not found',
        "reason": "NotFound",
        "details": {"name": "nope", "kind": "pods"},
        "code": 404,
    }


def test_metadata_only_responses_carry_no_secret_values(server, core):
    response = core.list_namespaced_secret("shop", _preload_content=False, _headers={"Accept": METADATA_LIST})
    body = raw(response)
    assert body["kind"] == "PartialObjectMetadataList" and body["apiVersion"] == "meta.k8s.io/v1"
    assert body["items"][0]["metadata"]["name"] == "db-credentials"
    assert all(set(item) == {"kind", "apiVersion", "metadata"} for item in body["items"])
    single = core.read_namespaced_secret("db-credentials", "shop", _preload_content=False, _headers={"Accept": METADATA})
    secret = server.get("Secret", "shop", "db-credentials")
    for value in secret["data"].values():
        for data in (response.data, single.data):
            assert value.encode() not in data
            assert base64.b64decode(value) not in data
    assert raw(single)["kind"] == "PartialObjectMetadata"


def test_table_output(core):
    table = raw(core.list_namespaced_pod("shop", _preload_content=False, _headers={"Accept": TABLE}))
    assert table["kind"] == "Table"
    assert [c["name"] for c in table["columnDefinitions"]][:5] == ["Name", "Ready", "Status", "Restarts", "Age"]
    rows = {r["cells"][0]: r["cells"] for r in table["rows"]}
    assert rows["memory-demo-2"][1:3] == ["0/1", "CrashLoopBackOff"]
    assert rows["memory-demo-2"][3].startswith("4 (2m5") and rows["memory-demo-2"][3].endswith(" ago)")
    assert rows["db-0"][2] == "Init:CreateContainerConfigError"
    assert rows["ebaogi-bff-app-7b9d5c6f4-lx2mk"][2] == "Evicted"
    assert rows["web-6d4cf56db6-abcde"][1:3] == ["2/2", "Running"]
    assert rows["web-6d4cf56db6-abcde"][5:7] == ["10.131.0.21", "compute-0"]
    assert table["rows"][0]["object"]["kind"] == "PartialObjectMetadata"


def test_create_patch_replace_delete(server, core):
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"generateName": "settings-"}, "data": {"LOG_LEVEL": "info"}}
    created = raw(core.create_namespaced_config_map("shop", body, _preload_content=False))
    name = created["metadata"]["name"]
    assert name.startswith("settings-") and len(name) == len("settings-") + 5
    assert created["metadata"]["namespace"] == "shop" and created["metadata"]["uid"]
    with pytest.raises(ApiException) as caught:
        core.create_namespaced_config_map("shop", {**body, "metadata": {"name": name}})
    assert caught.value.status == 409
    assert orjson.loads(caught.value.body)["message"] == f'configmaps "{name}" already exists'
    patched = raw(core.patch_namespaced_config_map(name, "shop", {"data": {"LOG_LEVEL": "debug"}}, _preload_content=False))
    assert patched["data"] == {"LOG_LEVEL": "debug"}
    stale = {**created, "data": {"LOG_LEVEL": "warn"}}
    with pytest.raises(ApiException) as caught:
        core.replace_namespaced_config_map(name, "shop", stale)
    assert caught.value.status == 409 and "the object has been modified" in orjson.loads(caught.value.body)["message"]
    core.replace_namespaced_config_map(name, "shop", {**patched, "data": {"LOG_LEVEL": "warn"}})
    assert server.get("ConfigMap", "shop", name)["data"] == {"LOG_LEVEL": "warn"}
    core.delete_namespaced_config_map(name, "shop")
    assert server.get("ConfigMap", "shop", name) is None


def test_create_in_a_missing_namespace_is_404(core):
    with pytest.raises(ApiException) as caught:
        core.create_namespaced_config_map("nowhere", {"metadata": {"name": "x"}})
    assert orjson.loads(caught.value.body)["message"] == 'namespaces "nowhere" not found'


def test_ephemeral_container_patch_is_recorded_and_applied(server, core):
    body = {
        "spec": {
            "ephemeralContainers": [
                {
                    "name": "debugger-jx8f9",
                    "image": "busybox:1.36",
                    "targetContainerName": "app",
                    "stdin": True,
                    "tty": True,
                    "terminationMessagePolicy": "File",
                    "resources": {},
                }
            ]
        }
    }
    core.patch_namespaced_pod_ephemeralcontainers("web-6d4cf56db6-abcde", "shop", body)
    sent = server.requests("PATCH", "/api/v1/namespaces/shop/pods/web-6d4cf56db6-abcde/ephemeralcontainers")
    assert len(sent) == 1
    assert sent[0].headers["Content-Type"] == "application/strategic-merge-patch+json"
    assert sent[0].json() == body
    pod = server.get("Pod", "shop", "web-6d4cf56db6-abcde")
    assert [c["name"] for c in pod["spec"]["ephemeralContainers"]] == ["debugger-jx8f9"]
    assert [c["name"] for c in pod["spec"]["containers"]] == ["app", "log-shipper"]


def test_status_is_only_written_through_the_status_subresource(server, core):
    core.patch_namespaced_pod("es-client-0", "shop", {"status": {"phase": "Running"}})
    assert server.get("Pod", "shop", "es-client-0")["status"]["phase"] == "Pending"
    core.patch_namespaced_pod_status("es-client-0", "shop", {"status": {"phase": "Running"}})
    assert server.get("Pod", "shop", "es-client-0")["status"]["phase"] == "Running"


def test_events_k8s_io_is_a_view_of_core_events(tls_server, api_client_for):
    events = client.EventsV1Api(api_client_for(tls_server))
    body = raw(events.list_namespaced_event("shop", _preload_content=False, field_selector="regarding.name=es-client-0"))
    assert body["kind"] == "EventList" and body["apiVersion"] == "events.k8s.io/v1"
    (event,) = body["items"]
    assert event["regarding"]["name"] == "es-client-0" and event["deprecatedCount"] == 4
    assert event["note"] == "0/5 nodes are available: 5 Insufficient cpu"


def test_forbidden_is_an_api_exception_with_the_real_message(tls_server, api_client_for):
    token = tls_server.add_user("alice", [Rule(verbs=("get", "list", "watch"), resources=("pods",), namespaces=("shop",))])
    core = client.CoreV1Api(api_client_for(tls_server, token))
    assert len(core.list_namespaced_pod("shop").items) == 6
    with pytest.raises(ApiException) as caught:
        core.list_namespaced_event("shop")
    assert caught.value.status == 403
    assert orjson.loads(caught.value.body) == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": 'events is forbidden: User "alice" cannot list resource "events" in API group "" in the namespace "shop"',
        "reason": "Forbidden",
        "details": {"kind": "events"},
        "code": 403,
    }
    with pytest.raises(ApiException) as caught:
        core.read_namespaced_pod_log("memory-demo-2", "shop")
    assert orjson.loads(caught.value.body)["message"] == (
        'pods "memory-demo-2" is forbidden: User "alice" cannot get resource "pods/log" in API group "" in the namespace "shop"'
    )
    with pytest.raises(ApiException) as caught:
        core.list_pod_for_all_namespaces()
    assert orjson.loads(caught.value.body)["message"].endswith('in API group "" at the cluster scope')


def test_selfsubjectaccessreview_uses_the_same_rules(tls_server, api_client_for):
    token = tls_server.add_user("alice", [Rule(verbs=("get",), resources=("pods/log",), namespaces=("shop",))])
    authz = client.AuthorizationV1Api(api_client_for(tls_server, token))

    def allowed(**attrs: str) -> bool:
        review = {"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview", "spec": {"resourceAttributes": attrs}}
        return raw(authz.create_self_subject_access_review(review, _preload_content=False))["status"]["allowed"]

    assert allowed(namespace="shop", verb="get", resource="pods", subresource="log")
    assert not allowed(namespace="myproject", verb="get", resource="pods", subresource="log")
    assert not allowed(namespace="shop", verb="list", resource="pods")


def test_unknown_token_is_401(tls_server, api_client_for):
    core = client.CoreV1Api(api_client_for(tls_server, "not-a-token"))
    with pytest.raises(ApiException) as caught:
        core.list_namespaced_pod("shop")
    assert caught.value.status == 401
    assert orjson.loads(caught.value.body)["reason"] == "Unauthorized"
