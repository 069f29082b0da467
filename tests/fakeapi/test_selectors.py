"""Label and field selector parsing and matching."""

from __future__ import annotations

import pytest

from k8sdoctor.fakeapi.resources import lookup
from k8sdoctor.fakeapi.selectors import SelectorError, parse_field_selector, parse_label_selector

PODS = lookup("", "v1", "pods")
EVENTS = lookup("", "v1", "events")
CONFIGMAPS = lookup("", "v1", "configmaps")
NODES = lookup("", "v1", "nodes")

WEB = {
    "metadata": {
        "name": "web-6d4cf56db6-abcde",
        "namespace": "shop",
        "labels": {"app": "web", "tier": "frontend", "pod-template-hash": "6d4cf56db6"},
    },
    "spec": {"nodeName": "compute-0", "hostNetwork": False},
    "status": {"phase": "Running"},
}
DB = {
    "metadata": {"name": "db-0", "namespace": "shop", "labels": {"app": "db", "replicas": "3"}},
    "spec": {"nodeName": "compute-1"},
    "status": {"phase": "Pending"},
}


@pytest.mark.parametrize(
    ("selector", "web", "db"),
    [
        ("app=web", True, False),
        ("app==web", True, False),
        ("app!=web", False, True),
        ("tier!=frontend", False, True),  # absent label matches !=
        ("app in (web, db)", True, True),
        ("app notin (web)", False, True),
        ("tier", True, False),
        ("!tier", False, True),
        ("app=web,tier=frontend", True, False),
        ("app in (web,db),!tier", False, True),
        ("replicas>2", False, True),
        ("replicas<2", False, False),
        ("", True, True),
    ],
)
def test_label_selectors(selector, web, db):
    match = parse_label_selector(selector)
    assert (match(WEB), match(DB)) == (web, db)


@pytest.mark.parametrize("selector", ["app in web", "app=web,", "=web", "app in (web"])
def test_malformed_label_selectors_are_rejected(selector):
    with pytest.raises(SelectorError):
        parse_label_selector(selector)


@pytest.mark.parametrize(
    ("selector", "web", "db"),
    [
        ("spec.nodeName=compute-0", True, False),
        ("status.phase!=Running", False, True),
        ("metadata.name==db-0", False, True),
        ("metadata.namespace=shop,status.phase=Pending", False, True),
        ("spec.hostNetwork=false", True, True),
    ],
)
def test_pod_field_selectors(selector, web, db):
    match = parse_field_selector(selector, PODS)
    assert (match(WEB), match(DB)) == (web, db)


def test_event_field_selector_as_kubectl_describe_sends_it():
    event = {
        "metadata": {"name": "db-0.17c8a2c3d4e5f607", "namespace": "shop"},
        "involvedObject": {"kind": "Pod", "name": "db-0", "namespace": "shop", "uid": "0e6a-uid"},
        "reason": "Failed",
        "type": "Warning",
        "source": {"component": "kubelet", "host": "compute-0"},
    }
    match = parse_field_selector("involvedObject.name=db-0,involvedObject.namespace=shop,involvedObject.uid=0e6a-uid", EVENTS)
    assert match(event)
    assert parse_field_selector("type=Warning,reason=Failed,source=kubelet", EVENTS)(event)
    assert not parse_field_selector("involvedObject.uid=another-uid", EVENTS)(event)


def test_escaped_values():
    obj = {"metadata": {"name": "a,b=c", "namespace": "shop"}}
    assert parse_field_selector(r"metadata.name=a\,b\=c", CONFIGMAPS)(obj)


def test_unsupported_field_labels_use_the_real_messages():
    with pytest.raises(SelectorError, match=r"^field label not supported: spec.containers$"):
        parse_field_selector("spec.containers=app", PODS)
    with pytest.raises(
        SelectorError,
        match=r'^"data.key" is not a known field selector: only '
        r'"metadata.name", "metadata.namespace"$',
    ):
        parse_field_selector("data.key=x", CONFIGMAPS)
    with pytest.raises(SelectorError, match=r"field label not supported: metadata\.namespace"):
        parse_field_selector("metadata.namespace=shop", NODES)
