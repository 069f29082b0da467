"""Generated but realistic cluster data for the benchmarks.

Pods are about 4 KB each, with an init container, an app container and a sidecar, labels, annotations,
probes, env and mounts, as typical Deployment pods are. About 88% are healthy; the rest fail across the
families in realistic proportions. Events average three per pod: Normal start-up events for healthy pods,
failure events (more of them) for failing ones. Every failure message is copied verbatim from a public
report, cited next to it; the names inside those messages therefore do not match the generated pods.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import orjson

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)

# (waiting reason, events (type, reason, message), last termination, logs) per failure kind.
FAILURES = {
    # https://github.com/cloudnative-pg/cloudnative-pg/issues/2265
    "image-not-found": (
        "ImagePullBackOff",
        [
            (
                "Warning",
                "Failed",
                'Failed to pull image "ghcr.io/cloudnative-pg/cloudnative-pg:1.20.1": rpc error: code = NotFound desc = failed to pull and unpack image "ghcr.io/cloudnative-pg/cloudnative-pg:1.20.1": failed to copy: httpReadSeeker: failed open: content at https://ghcr.io/v2/cloudnative-pg/cloudnative-pg/manifests/sha256:827429f73ca03211c631aba2c1b0c417a0e57b7b4dbf3c54689c8a9eee5558e9 not found: not found',
            ),
            ("Warning", "Failed", "Error: ErrImagePull"),
        ],
        None,
        None,
    ),
    # https://github.com/kestra-io/helm-charts/issues/8
    "crash-dependency": (
        "CrashLoopBackOff",
        [("Warning", "BackOff", "Back-off restarting failed container")],
        ("Error", 1),
        [
            "Caused by: com.zaxxer.hikari.pool.HikariPool$PoolInitializationException: Failed to initialize pool: Connection to kestra-postgresql:5432 refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections."
        ],
    ),
    # https://kubernetes.io/docs/tasks/configure-pod-container/assign-memory-resource/
    "oom": ("CrashLoopBackOff", [("Warning", "BackOff", "Back-off restarting failed container")], ("OOMKilled", 137), None),
    # https://github.com/reportportal/kubernetes/issues/178
    "missing-secret": ("CreateContainerConfigError", [("Warning", "Failed", 'Error: secret "secretpostgresql" not found')], None, None),
    # https://github.com/istio/istio/issues/42940
    "not-ready": (None, [("Warning", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503")], None, None),
}
# https://github.com/mindwm/mindwm-gitops/issues/31
PENDING = (
    "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."
)
# https://github.com/caoyingjunz/go-learning/issues/55
EVICTED = (
    "The node was low on resource: ephemeral-storage. Container harbor-chart-rsync-client was using 76Ki, which exceeds its request of 0. "
    "Container chartmuseum was using 856Ki, which exceeds its request of 0."
)
MIX = [
    ("healthy", 880),
    ("image-not-found", 25),
    ("crash-dependency", 30),
    ("oom", 10),
    ("missing-secret", 15),
    ("not-ready", 15),
    ("pending", 15),
    ("evicted", 10),
]


def _t(seconds_ago: float) -> str:
    return (NOW - timedelta(seconds=seconds_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _container(name: str, image: str, port: int) -> dict:
    return {
        "name": name,
        "image": image,
        "imagePullPolicy": "IfNotPresent",
        "ports": [{"name": "http", "containerPort": port, "protocol": "TCP"}],
        "env": [{"name": f"{name.upper()}_SETTING_{i}", "value": f"value-{i}"} for i in range(4)]
        + [{"name": "POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}}],
        "resources": {"limits": {"cpu": "500m", "memory": "512Mi"}, "requests": {"cpu": "100m", "memory": "256Mi"}},
        "livenessProbe": {
            "httpGet": {"path": "/healthz", "port": port, "scheme": "HTTP"},
            "periodSeconds": 10,
            "failureThreshold": 3,
            "timeoutSeconds": 1,
        },
        "readinessProbe": {
            "httpGet": {"path": "/ready", "port": port, "scheme": "HTTP"},
            "periodSeconds": 5,
            "failureThreshold": 3,
            "timeoutSeconds": 1,
        },
        "volumeMounts": [
            {"name": "kube-api-access", "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "readOnly": True},
            {"name": "config", "mountPath": "/etc/app"},
        ],
        "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "File",
    }


def _status(name: str, image: str, kind: str, started: str) -> dict:
    if kind in ("healthy", "pending", "evicted", "not-ready"):
        ready = kind == "healthy"
        return {
            "name": name,
            "image": image,
            "imageID": f"docker.io/library/{name}@sha256:{'0' * 64}",
            "ready": ready,
            "started": True,
            "restartCount": 0,
            "state": {"running": {"startedAt": started}},
            "lastState": {},
            "containerID": f"containerd://{'1' * 64}",
        }
    reason, _events, last, _logs = FAILURES[kind]
    status = {
        "name": name,
        "image": image,
        "imageID": "",
        "ready": False,
        "started": False,
        "restartCount": 0,
        "state": {"waiting": {"reason": reason}},
        "lastState": {},
    }
    if last:
        status["restartCount"] = 7
        status["lastState"] = {"terminated": {"reason": last[0], "exitCode": last[1], "startedAt": _t(200), "finishedAt": _t(170)}}
    return status


def generate(pods: int, *, namespaces: int = 20, seed: int = 7) -> tuple[list[dict], list[dict], list[dict], list[dict]]:
    """(nodes, pods, events, logs) for a cluster of `pods` pods."""
    rng = random.Random(seed)
    kinds = [k for k, weight in MIX for _ in range(weight)]
    nodes = [
        {
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": {"name": f"node-{n:03d}", "uid": f"node-uid-{n}", "labels": {"kubernetes.io/hostname": f"node-{n:03d}"}},
            "status": {
                "allocatable": {"cpu": "16", "memory": "64Gi", "pods": "110"},
                "conditions": [{"type": "Ready", "status": "True"}],
                "nodeInfo": {"architecture": "amd64", "operatingSystem": "linux"},
            },
        }
        for n in range(max(1, pods // 80))
    ]
    out_pods, events, logs = [], [], []
    for i in range(pods):
        kind = kinds[rng.randrange(len(kinds))]
        ns = f"team-{i % namespaces:02d}"
        app = f"svc-{(i // 5) % 400:03d}"
        name = f"{app}-7d9f8b6c5d-{i:05d}"
        uid = f"00000000-0000-4000-8000-{i:012d}"
        node = None if kind == "pending" else nodes[i % len(nodes)]["metadata"]["name"]
        started = _t(rng.randint(600, 86400))
        containers = [
            _container("app", f"registry.example.com/team/{app}:1.{i % 30}.0", 8080),
            _container("proxy", "docker.io/envoyproxy/envoy:v1.31.2", 15000),
        ]
        init = [
            {
                "name": "migrate",
                "image": f"registry.example.com/team/{app}-migrate:1.0",
                "command": ["/migrate", "--up"],
                "resources": {"requests": {"cpu": "50m", "memory": "64Mi"}},
            }
        ]
        status: dict = {
            "phase": "Running",
            "hostIP": "10.0.0.7",
            "podIP": f"10.244.{i % 250}.{i % 200}",
            "startTime": started,
            "qosClass": "Burstable",
            "conditions": [
                {
                    "type": t,
                    "status": "True" if kind == "healthy" or t in ("PodScheduled", "Initialized") else "False",
                    "lastTransitionTime": started,
                }
                for t in ("Initialized", "Ready", "ContainersReady", "PodScheduled")
            ],
            "initContainerStatuses": [
                {
                    "name": "migrate",
                    "image": init[0]["image"],
                    "imageID": "",
                    "ready": True,
                    "restartCount": 0,
                    "state": {"terminated": {"reason": "Completed", "exitCode": 0, "startedAt": started, "finishedAt": started}},
                }
            ],
            "containerStatuses": [
                _status("app", containers[0]["image"], kind, started),
                _status("proxy", containers[1]["image"], "healthy", started),
            ],
        }
        if kind == "pending":
            status = {
                "phase": "Pending",
                "qosClass": "Burstable",
                "conditions": [
                    {
                        "type": "PodScheduled",
                        "status": "False",
                        "reason": "Unschedulable",
                        "message": PENDING,
                        "lastTransitionTime": started,
                    }
                ],
            }
        elif kind == "evicted":
            status.update(phase="Failed", reason="Evicted", message=EVICTED)
        elif kind in ("image-not-found", "missing-secret"):
            status["phase"] = "Pending"
        pod = {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
                "name": name,
                "namespace": ns,
                "uid": uid,
                "resourceVersion": str(1000 + i),
                "creationTimestamp": started,
                "generateName": f"{app}-7d9f8b6c5d-",
                "labels": {"app": app, "pod-template-hash": "7d9f8b6c5d", "team": ns},
                "annotations": {"kubectl.kubernetes.io/default-container": "app", "prometheus.io/scrape": "true"},
                "ownerReferences": [
                    {
                        "apiVersion": "apps/v1",
                        "kind": "ReplicaSet",
                        "name": f"{app}-7d9f8b6c5d",
                        "uid": f"rs-{app}",
                        "controller": True,
                        "blockOwnerDeletion": True,
                    }
                ],
            },
            "spec": {
                "initContainers": init,
                "containers": containers,
                "restartPolicy": "Always",
                "serviceAccountName": "default",
                "schedulerName": "default-scheduler",
                "terminationGracePeriodSeconds": 30,
                "dnsPolicy": "ClusterFirst",
                "volumes": [
                    {
                        "name": "kube-api-access",
                        "projected": {"sources": [{"serviceAccountToken": {"path": "token", "expirationSeconds": 3607}}]},
                    },
                    {"name": "config", "configMap": {"name": f"{app}-config"}},
                ],
                "tolerations": [
                    {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}
                ],
            },
            "status": status,
        }
        if node:
            pod["spec"]["nodeName"] = node
        out_pods.append(pod)
        if kind == "healthy":
            texts = [
                ("Normal", "Scheduled", f"Successfully assigned {ns}/{name} to {node}"),
                ("Normal", "Pulled", f'Container image "{containers[0]["image"]}" already present on machine'),
                ("Normal", "Started", "Started container app"),
            ]
        elif kind == "pending":
            texts = [("Warning", "FailedScheduling", PENDING)] * 3
        elif kind == "evicted":
            texts = [("Warning", "Evicted", EVICTED)] * 3
        else:
            texts = (FAILURES[kind][1] * 3)[:3]
            if FAILURES[kind][3]:
                logs.append({"namespace": ns, "pod": name, "container": "app", "previous": True, "lines": FAILURES[kind][3]})
        for j, (type_, reason, message) in enumerate(texts):
            events.append(
                {
                    "apiVersion": "v1",
                    "kind": "Event",
                    "metadata": {
                        "name": f"{name}.{j:016x}",
                        "namespace": ns,
                        "uid": f"ev-{i}-{j}",
                        "resourceVersion": str(50000 + i * 3 + j),
                        "creationTimestamp": started,
                    },
                    "involvedObject": {
                        "kind": "Pod",
                        "namespace": ns,
                        "name": name,
                        "uid": uid,
                        "apiVersion": "v1",
                        **({"fieldPath": "spec.containers{app}"} if reason not in ("FailedScheduling", "Scheduled", "Evicted") else {}),
                    },
                    "reason": reason,
                    "message": message,
                    "type": type_,
                    "source": {
                        "component": "default-scheduler" if reason in ("FailedScheduling", "Scheduled") else "kubelet",
                        **({"host": node} if node else {}),
                    },
                    "firstTimestamp": started,
                    "lastTimestamp": _t(rng.randint(10, 600)),
                    "count": rng.randint(1, 40),
                    "reportingComponent": "kubelet",
                    "reportingInstance": node or "",
                }
            )
    return nodes, out_pods, events, logs


def as_list_json(pods: int) -> bytes:
    """`kubectl get nodes,pods,events -A -o json` for a generated cluster."""
    nodes, pod_list, events, _logs = generate(pods)
    return orjson.dumps(
        {"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""}, "items": nodes + pod_list + events},
        option=orjson.OPT_INDENT_2,
    )
