"""kubectl lists and describes the workload kinds the local API server serves (ReplicaSets, StatefulSets,
DaemonSets, Jobs, CronJobs), ResourceQuotas, LimitRanges and webhook configurations, with the columns
a real API server prints for them (printers.go)."""

from __future__ import annotations

import pytest

from k8sdoctor.fakeapi import FakeApiServer

pytestmark = pytest.mark.kubectl

C = [{"name": "app", "image": "registry.example/app:1"}]
TEMPLATE = {"metadata": {"labels": {"app": "app"}}, "spec": {"containers": C}}
SELECTOR = {"matchLabels": {"app": "app"}}
OBJECTS = [
    {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "work"}, "status": {"phase": "Active"}},
    {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {"name": "app-5d8f7b6c9", "namespace": "work", "creationTimestamp": "-2h"},
        "spec": {"replicas": 3, "selector": SELECTOR, "template": TEMPLATE},
        "status": {"replicas": 2, "readyReplicas": 1},
    },
    {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "db", "namespace": "work", "creationTimestamp": "-3h"},
        "spec": {"replicas": 2, "serviceName": "db", "selector": SELECTOR, "template": TEMPLATE},
        "status": {"replicas": 2, "readyReplicas": 1},
    },
    {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"name": "agent", "namespace": "work", "creationTimestamp": "-4h"},
        "spec": {
            "selector": SELECTOR,
            "template": {**TEMPLATE, "spec": {**TEMPLATE["spec"], "nodeSelector": {"kubernetes.io/os": "linux"}}},
        },
        "status": {
            "desiredNumberScheduled": 3,
            "currentNumberScheduled": 3,
            "numberReady": 2,
            "updatedNumberScheduled": 3,
            "numberAvailable": 2,
        },
    },
    {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": "migrate", "namespace": "work", "creationTimestamp": "-1h"},
        "spec": {"completions": 1, "backoffLimit": 2, "template": {**TEMPLATE, "spec": {**TEMPLATE["spec"], "restartPolicy": "Never"}}},
        "status": {"failed": 3, "startTime": "-1h", "conditions": [{"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded"}]},
    },
    {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": "report", "namespace": "work", "creationTimestamp": "-10d"},
        "spec": {"schedule": "0 2 * * *", "timeZone": "Etc/UTC", "suspend": True, "jobTemplate": {"spec": {"template": TEMPLATE}}},
        "status": {"lastScheduleTime": "-3d"},
    },
    {
        "apiVersion": "v1",
        "kind": "ResourceQuota",
        "metadata": {"name": "compute", "namespace": "work", "creationTimestamp": "-5d"},
        "spec": {"hard": {"pods": "10", "requests.cpu": "4", "limits.cpu": "8"}},
        "status": {
            "hard": {"pods": "10", "requests.cpu": "4", "limits.cpu": "8"},
            "used": {"pods": "6", "requests.cpu": "3500m", "limits.cpu": "7"},
        },
    },
    {
        "apiVersion": "v1",
        "kind": "LimitRange",
        "metadata": {"name": "limits", "namespace": "work", "creationTimestamp": "2026-11-01T10:00:00Z"},
        "spec": {"limits": [{"type": "Container", "max": {"cpu": "2"}, "default": {"cpu": "500m"}, "maxLimitRequestRatio": {"cpu": "4"}}]},
    },
    {
        "apiVersion": "admissionregistration.k8s.io/v1",
        "kind": "ValidatingWebhookConfiguration",
        "metadata": {"name": "policy"},
        "webhooks": [
            {
                "name": "a.policy.example",
                "clientConfig": {"service": {"namespace": "work", "name": "policy"}},
                "sideEffects": "None",
                "admissionReviewVersions": ["v1"],
            },
            {
                "name": "b.policy.example",
                "clientConfig": {"service": {"namespace": "work", "name": "policy"}},
                "sideEffects": "None",
                "admissionReviewVersions": ["v1"],
            },
        ],
    },
]


@pytest.fixture
def kubectl(tls_server: FakeApiServer, kubectl_for):
    tls_server.load_scenario({"objects": OBJECTS})
    return kubectl_for(tls_server)


def table(text: str) -> list[list[str]]:
    """Rows of kubectl's table output, cells split on runs of two or more spaces."""
    import re

    return [re.split(r"\s{2,}", line.strip()) for line in text.splitlines() if line.strip()]


def test_get_prints_each_kinds_columns(kubectl):
    assert table(kubectl("get", "rs", "-n", "work").stdout) == [
        ["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
        ["app-5d8f7b6c9", "3", "2", "1", "120m"],
    ]
    assert table(kubectl("get", "sts", "-n", "work").stdout) == [["NAME", "READY", "AGE"], ["db", "1/2", "3h"]]
    assert table(kubectl("get", "ds", "-n", "work").stdout) == [
        ["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"],
        ["agent", "3", "3", "2", "3", "2", "kubernetes.io/os=linux", "4h"],
    ]
    assert table(kubectl("get", "jobs", "-n", "work").stdout) == [
        ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"],
        ["migrate", "Failed", "0/1", "60m", "60m"],
    ]
    assert table(kubectl("get", "cj", "-n", "work").stdout) == [
        ["NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE"],
        ["report", "0 2 * * *", "Etc/UTC", "True", "0", "3d", "10d"],
    ]
    assert table(kubectl("get", "quota", "-n", "work").stdout) == [
        ["NAME", "AGE", "REQUEST", "LIMIT"],
        ["compute", "5d", "pods: 6/10, requests.cpu: 3500m/4", "limits.cpu: 7/8"],
    ]
    assert table(kubectl("get", "limits", "-n", "work").stdout) == [["NAME", "CREATED AT"], ["limits", "2026-11-01T10:00:00Z"]]
    assert table(kubectl("get", "validatingwebhookconfigurations").stdout)[1][:2] == ["policy", "2"]
    wide = table(kubectl("get", "rs", "-n", "work", "-o", "wide").stdout)
    assert wide[1][5:] == ["app", "registry.example/app:1", "app=app"]


@pytest.mark.parametrize(
    ("args", "lines"),
    [
        (("rs", "app-5d8f7b6c9"), ["Replicas: 2 current / 3 desired"]),
        (("sts", "db"), ["Replicas: 2 desired | 2 total"]),
        (("ds", "agent"), ["Desired Number of Nodes Scheduled: 3", "Number of Nodes Scheduled with Available Pods: 2"]),
        (("job", "migrate"), ["Backoff Limit: 2", "Pods Statuses: 0 Active / 0 Succeeded / 3 Failed"]),
        (("cj", "report"), ["Schedule: 0 2 * * *", "Suspend: True"]),
        (("quota", "compute"), ["requests.cpu 3500m 4", "limits.cpu 7 8"]),
        (("limits", "limits"), ["Container cpu - 2 - 500m 4"]),
    ],
)
def test_describe_shows_each_kind(kubectl, args, lines):
    out = kubectl("describe", *args, "-n", "work").stdout
    flat = [" ".join(line.split()) for line in out.splitlines()]
    for line in lines:
        assert line in flat, out


def test_describe_a_webhook_configuration(kubectl):
    out = kubectl("describe", "validatingwebhookconfiguration", "policy").stdout
    flat = [" ".join(line.split()) for line in out.splitlines()]
    assert "Name: a.policy.example" in flat and "Name: b.policy.example" in flat
