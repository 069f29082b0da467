"""Merge, strategic merge and JSON patches on pod objects."""

from __future__ import annotations

import pytest

from k8sdoctor.fakeapi.patch import PatchError, json_patch, merge_patch, strategic_merge_patch


def web_pod() -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "web-6d4cf56db6-abcde", "namespace": "shop", "labels": {"app": "web"}, "finalizers": ["example.com/protect"]},
        "spec": {
            "containers": [
                {
                    "name": "app",
                    "image": "nginx:1.25.4",
                    "env": [{"name": "MODE", "value": "prod"}],
                    "ports": [{"containerPort": 80, "protocol": "TCP"}],
                },
                {"name": "log-shipper", "image": "fluent/fluent-bit:3.0.4"},
            ],
            "tolerations": [{"key": "a", "operator": "Exists"}],
        },
    }


def test_merge_patch_replaces_lists_and_null_deletes():
    patched = merge_patch(
        web_pod(),
        {"metadata": {"labels": {"app": None, "tier": "frontend"}}, "spec": {"containers": [{"name": "app", "image": "nginx:1.26"}]}},
    )
    assert patched["metadata"]["labels"] == {"tier": "frontend"}
    assert patched["spec"]["containers"] == [{"name": "app", "image": "nginx:1.26"}]


def test_strategic_merge_patch_merges_containers_by_name():
    patched = strategic_merge_patch(
        web_pod(),
        {
            "spec": {
                "containers": [
                    {"name": "app", "image": "nginx:1.26", "env": [{"name": "DEBUG", "value": "1"}]},
                    {"name": "metrics", "image": "prom/statsd-exporter:v0.26.1"},
                ]
            }
        },
    )
    containers = {c["name"]: c for c in patched["spec"]["containers"]}
    assert list(containers) == ["app", "log-shipper", "metrics"]
    assert containers["app"]["image"] == "nginx:1.26"
    assert containers["app"]["env"] == [{"name": "MODE", "value": "prod"}, {"name": "DEBUG", "value": "1"}]
    assert containers["app"]["ports"] == [{"containerPort": 80, "protocol": "TCP"}]
    assert patched["spec"]["tolerations"] == [{"key": "a", "operator": "Exists"}]


def test_strategic_merge_patch_as_kubectl_debug_sends_it():
    # The body kubectl 1.32 `debug --target=app --profile=general` PATCHes to pods/ephemeralcontainers.
    body = {
        "spec": {
            "ephemeralContainers": [
                {
                    "image": "busybox:1.36",
                    "name": "debugger-jx8f9",
                    "resources": {},
                    "securityContext": {"capabilities": {"add": ["SYS_PTRACE"]}},
                    "targetContainerName": "app",
                    "terminationMessagePolicy": "File",
                }
            ]
        }
    }
    once = strategic_merge_patch(web_pod(), body)
    twice = strategic_merge_patch(
        once, {"spec": {"ephemeralContainers": [{"name": "debugger-p2k7q", "image": "busybox:1.36", "targetContainerName": "app"}]}}
    )
    assert [c["name"] for c in twice["spec"]["ephemeralContainers"]] == ["debugger-jx8f9", "debugger-p2k7q"]
    assert len(twice["spec"]["containers"]) == 2


def test_strategic_merge_patch_directives():
    patched = strategic_merge_patch(
        web_pod(),
        {
            "metadata": {"$deleteFromPrimitiveList/finalizers": ["example.com/protect"]},
            "spec": {"$setElementOrder/containers": [{"name": "app"}], "containers": [{"name": "log-shipper", "$patch": "delete"}]},
        },
    )
    assert patched["metadata"]["finalizers"] == []
    assert [c["name"] for c in patched["spec"]["containers"]] == ["app"]
    replaced = strategic_merge_patch(web_pod(), {"metadata": {"labels": {"$patch": "replace", "tier": "web"}}})
    assert replaced["metadata"]["labels"] == {"tier": "web"}


def test_json_patch():
    patched = json_patch(
        web_pod(),
        [
            {"op": "replace", "path": "/spec/containers/0/image", "value": "nginx:1.26"},
            {"op": "add", "path": "/metadata/labels/tier", "value": "frontend"},
            {"op": "remove", "path": "/spec/tolerations"},
            {"op": "test", "path": "/metadata/name", "value": "web-6d4cf56db6-abcde"},
        ],
    )
    assert patched["spec"]["containers"][0]["image"] == "nginx:1.26"
    assert patched["metadata"]["labels"]["tier"] == "frontend"
    assert "tolerations" not in patched["spec"]
    with pytest.raises(PatchError):
        json_patch(web_pod(), [{"op": "test", "path": "/metadata/name", "value": "other"}])
