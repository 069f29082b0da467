"""A quick throughput check (printed, not asserted on time): 10,000 pods listed in pages of 500."""

from __future__ import annotations

import time

import orjson
from kubernetes import client

from k8sdoctor.fakeapi import FakeApiServer


def bulk_pod(index: int) -> dict:
    """A ~4 KB pod as a Deployment's ReplicaSet creates it."""
    name = f"web-{index // 500:03d}-{index:05d}"
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": name,
            "namespace": f"team-{index % 20:02d}",
            "generateName": "web-6d4cf56db6-",
            "labels": {"app": "web", "pod-template-hash": "6d4cf56db6", "tier": "frontend"},
            "annotations": {
                "kubectl.kubernetes.io/restartedAt": "2024-05-12T09:00:00Z",
                "prometheus.io/scrape": "true",
                "prometheus.io/port": "9113",
            },
            "ownerReferences": [
                {
                    "apiVersion": "apps/v1",
                    "kind": "ReplicaSet",
                    "name": "web-6d4cf56db6",
                    "uid": "0c1f7d4e-8a55-4d3b-9d6e-3f0c2b7a9e11",
                    "controller": True,
                    "blockOwnerDeletion": True,
                }
            ],
        },
        "spec": {
            "nodeName": f"compute-{index % 50}",
            "restartPolicy": "Always",
            "serviceAccountName": "default",
            "terminationGracePeriodSeconds": 30,
            "dnsPolicy": "ClusterFirst",
            "schedulerName": "default-scheduler",
            "containers": [
                {
                    "name": "app",
                    "image": "nginx:1.25.4",
                    "imagePullPolicy": "IfNotPresent",
                    "ports": [{"containerPort": 80, "protocol": "TCP"}, {"containerPort": 9113, "protocol": "TCP"}],
                    "env": [{"name": f"FEATURE_FLAG_{n}", "value": "enabled"} for n in range(12)],
                    "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"memory": "256Mi"}},
                    "readinessProbe": {
                        "httpGet": {"path": "/healthz", "port": 80, "scheme": "HTTP"},
                        "periodSeconds": 10,
                        "timeoutSeconds": 1,
                        "successThreshold": 1,
                        "failureThreshold": 3,
                    },
                    "volumeMounts": [
                        {"name": "kube-api-access-7x2kq", "readOnly": True, "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"}
                    ],
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File",
                }
            ],
            "volumes": [
                {
                    "name": "kube-api-access-7x2kq",
                    "projected": {
                        "defaultMode": 420,
                        "sources": [
                            {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                            {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
                            {
                                "downwardAPI": {
                                    "items": [{"path": "namespace", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]
                                }
                            },
                        ],
                    },
                }
            ],
            "tolerations": [
                {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
                {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
            ],
        },
        "status": {
            "phase": "Running",
            "hostIP": "10.0.32.7",
            "podIP": f"10.131.{index // 250}.{index % 250}",
            "podIPs": [{"ip": f"10.131.{index // 250}.{index % 250}"}],
            "startTime": "2024-05-12T09:00:00Z",
            "qosClass": "Burstable",
            "conditions": [
                {"type": t, "status": "True", "lastProbeTime": None, "lastTransitionTime": "2024-05-12T09:00:05Z"}
                for t in ("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled")
            ],
            "containerStatuses": [
                {
                    "name": "app",
                    "ready": True,
                    "started": True,
                    "restartCount": 0,
                    "image": "docker.io/library/nginx:1.25.4",
                    "imageID": "docker.io/library/nginx@sha256:9ff236ed47fe39cf1f0acf349d0e5137f8b8a6fd0b46e5117a401010e56222e1",
                    "containerID": f"containerd://{index:064x}",
                    "state": {"running": {"startedAt": "2024-05-12T09:00:03Z"}},
                    "lastState": {},
                }
            ],
        },
    }


def test_ten_thousand_pods_in_pages_of_500(api_client_for):
    with FakeApiServer(record_requests=False) as server:
        started = time.perf_counter()
        server.apply_all(bulk_pod(i) for i in range(10_000))
        loaded = time.perf_counter() - started
        core = client.CoreV1Api(api_client_for(server))
        names, token, pages, size, fetching, parsing = set(), None, 0, 0, 0.0, 0.0
        while True:
            started = time.perf_counter()
            response = core.list_pod_for_all_namespaces(limit=500, _continue=token, _preload_content=False)
            data = response.data
            fetching += time.perf_counter() - started
            started = time.perf_counter()
            page = orjson.loads(data)
            parsing += time.perf_counter() - started
            size += len(data)
            names.update((p["metadata"]["namespace"], p["metadata"]["name"]) for p in page["items"])
            pages += 1
            token = page["metadata"].get("continue")
            if not token:
                break
    assert len(names) == 10_000 and pages == 20
    print(
        f"\n10,000 pods ({size / 10_000 / 1024:.1f} KB each): loaded in {loaded:.2f}s; {pages} pages of 500 "
        f"fetched with the kubernetes client in {fetching:.2f}s, parsed with orjson in {parsing:.2f}s"
    )
