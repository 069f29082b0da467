"""A large synthetic snapshot (`kubectl get pods,events,nodes -A -o json` shape) for benchmarks and tests.

Every event and status message below is copied verbatim from ../shared/cases/real-failures.jsonl, with its
source cited; the names inside those messages therefore do not match the synthetic pods.
"""

from __future__ import annotations

import orjson

# Case ocs-ci-kafdrop-rate-limit-crio, source: https://github.com/red-hat-storage/ocs-ci/issues/4494
_IMAGE = "obsidiandynamics/kafdrop:latest"
_PULL_EVENTS = (
    ("Normal", "Scheduled", "Successfully assigned myproject/kafdrop-1-j4969 to compute-0"),
    ("Normal", "Pulling", 'Pulling image "obsidiandynamics/kafdrop:latest"'),
    (
        "Warning",
        "Failed",
        'Failed to pull image "obsidiandynamics/kafdrop:latest": rpc error: code = Unknown desc = Error reading '
        "manifest latest in docker.io/obsidiandynamics/kafdrop: toomanyrequests: You have reached your pull rate "
        "limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit",
    ),
    ("Warning", "Failed", "Error: ErrImagePull"),
    ("Normal", "BackOff", 'Back-off pulling image "obsidiandynamics/kafdrop:latest"'),
)
_BACKOFF_MESSAGE = _PULL_EVENTS[4][2]  # the waiting message during back-off: the BackOff event's text

_PROBE = {"httpGet": {"path": "/actuator/health", "port": "http"}, "periodSeconds": 10}
_TOKEN_MOUNT = {"name": "kube-api-access", "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                "readOnly": True}
_TOLERATIONS = [
    {"key": f"node.kubernetes.io/{taint}", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}
    for taint in ("not-ready", "unreachable")
]


def _pod(namespace: str, name: str, uid: str, node: str, failing: bool) -> dict:
    owner = name.rsplit("-", 1)[0]
    state = (
        {"waiting": {"reason": "ImagePullBackOff", "message": _BACKOFF_MESSAGE}}
        if failing
        else {"running": {"startedAt": "2024-05-01T10:00:05Z"}}
    )
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "uid": uid,
            "resourceVersion": "123456",
            "creationTimestamp": "2024-05-01T10:00:00Z",
            "generateName": f"{owner}-",
            "labels": {"app.kubernetes.io/name": "kafdrop", "app.kubernetes.io/instance": owner},
            "annotations": {"kubectl.kubernetes.io/restartedAt": "2024-05-01T09:59:00Z"},
            "ownerReferences": [
                {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": owner, "uid": f"rs-{uid}",
                 "controller": True, "blockOwnerDeletion": True}
            ],
        },
        "spec": {
            "containers": [
                {
                    "name": "kafdrop",
                    "image": _IMAGE,
                    "imagePullPolicy": "Always",
                    "ports": [{"name": "http", "containerPort": 9000, "protocol": "TCP"}],
                    "env": [{"name": f"KAFDROP_SETTING_{i}", "value": f"value-{i}"} for i in range(5)],
                    "resources": {"limits": {"cpu": "500m", "memory": "512Mi"},
                                  "requests": {"cpu": "100m", "memory": "256Mi"}},
                    "livenessProbe": _PROBE,
                    "readinessProbe": _PROBE,
                    "volumeMounts": [_TOKEN_MOUNT],
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File",
                }
            ],
            "volumes": [{"name": "kube-api-access",
                         "projected": {"sources": [{"serviceAccountToken": {"path": "token"}}]}}],
            "nodeName": node,
            "serviceAccountName": "default",
            "restartPolicy": "Always",
            "schedulerName": "default-scheduler",
            "tolerations": _TOLERATIONS,
        },
        "status": {
            "phase": "Pending" if failing else "Running",
            "conditions": [
                {"type": condition, "status": "False" if failing and condition != "PodScheduled" else "True",
                 "lastTransitionTime": "2024-05-01T10:00:01Z"}
                for condition in ("Initialized", "Ready", "ContainersReady", "PodScheduled")
            ],
            "hostIP": "10.0.0.7",
            "podIP": "10.131.0.86",
            "startTime": "2024-05-01T10:00:01Z",
            "containerStatuses": [
                {"name": "kafdrop", "state": state, "lastState": {}, "ready": not failing, "restartCount": 0,
                 "image": _IMAGE, "imageID": "", "started": not failing}
            ],
            "qosClass": "Burstable",
        },
    }


def _event(pod: dict, index: int, type_: str, reason: str, message: str) -> dict:
    meta = pod["metadata"]
    node = pod["spec"]["nodeName"]
    return {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {
            "name": f"{meta['name']}.17c{index:013x}",
            "namespace": meta["namespace"],
            "uid": f"ev-{index}",
            "resourceVersion": "123457",
            "creationTimestamp": "2024-05-01T10:00:02Z",
        },
        "involvedObject": {
            "kind": "Pod",
            "namespace": meta["namespace"],
            "name": meta["name"],
            "uid": meta["uid"],
            "apiVersion": "v1",
            "resourceVersion": "123456",
            "fieldPath": "spec.containers{kafdrop}",
        },
        "reason": reason,
        "message": message,
        "source": {"component": "kubelet", "host": node},
        "firstTimestamp": "2024-05-01T10:00:02Z",
        "lastTimestamp": "2024-05-01T10:05:02Z",
        "count": 1,
        "type": type_,
        "eventTime": None,
        "reportingComponent": "kubelet",
        "reportingInstance": node,
    }


def synthetic_cluster_list(pods: int = 10_000, events_per_pod: int = 3, namespaces: int = 20) -> bytes:
    """A kubectl-style `List` (2-space indented JSON) of nodes, `pods` pods (~4 KB each, one in ten in
    ImagePullBackOff) and `events_per_pod` events about each pod."""
    nodes = [
        {"apiVersion": "v1", "kind": "Node", "metadata": {"name": f"node-{n}", "uid": f"node-uid-{n}"},
         "status": {"conditions": [{"type": "Ready", "status": "True"}]}}
        for n in range(max(1, pods // 100))
    ]
    items = list(nodes)
    for i in range(pods):
        node = nodes[i % len(nodes)]["metadata"]["name"]
        pod = _pod(f"team-{i % namespaces}", f"kafdrop-{i:06d}-x{i % 9973:04d}", f"pod-uid-{i}", node, i % 10 == 0)
        items.append(pod)
        for j in range(events_per_pod):
            items.append(_event(pod, i * events_per_pod + j, *_PULL_EVENTS[j % len(_PULL_EVENTS)]))
    cluster = {"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}}
    return orjson.dumps(cluster, option=orjson.OPT_INDENT_2)
