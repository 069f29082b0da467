"""Generated cluster data for the benchmarks: a cluster on a bad day.

The shape is what an outage on a large cluster looks like, not a tidy demo:

* every Deployment has its own image repository (`registry.example.com/team-07/app-0123`), and the nodes
  list the images their pods pulled (`status.images`), so the cluster holds thousands of repositories;
* one node per 30 pods, in a few machine shapes, some tainted for a dedicated pool;
* replicas of a workload fail together, the same way (a bad rollout, a missing Secret), with what differs
  between real replicas: their names, nodes, restart counts and event times;
* a chosen share of the pods fails (`failing`: 0, 0.01, 0.12, 0.40 or 1.0 in the benchmarks), across the
  families in realistic proportions; the rest run healthy;
* pods of about 3 KB (`size="3k"`) or about 13 KB (`size="13k"`: more env and annotations, and the
  `managedFields` the API server keeps, mirroring the object as server-side apply records it);
* Deployments with their ReplicaSets, Jobs, Services with EndpointSlices, PVCs and Nodes, so
  `diagnose all -A` runs on the same cluster as `diagnose pods -A`.

Every failure message is copied verbatim from a public report, cited next to it. The names inside those
messages therefore do not match the generated objects, except where a kubelet writes the pod's own name
into a message whose form is cited (the BackOff event).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import orjson

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)
PODS_PER_NODE = 30
NAMESPACES = 20
SIZES = ("3k", "13k")

# ---- failure messages, verbatim, with their sources ---------------------------------------------
# https://github.com/cloudnative-pg/cloudnative-pg/issues/2265
TAG_NOT_FOUND = (
    'Failed to pull image "ghcr.io/cloudnative-pg/cloudnative-pg:1.20.1": rpc error: code = NotFound desc = failed to pull and unpack '
    'image "ghcr.io/cloudnative-pg/cloudnative-pg:1.20.1": failed to copy: httpReadSeeker: failed open: content at '
    "https://ghcr.io/v2/cloudnative-pg/cloudnative-pg/manifests/sha256:827429f73ca03211c631aba2c1b0c417a0e57b7b4dbf3c54689c8a9eee5558e9 "
    "not found: not found"
)
# https://github.com/StevenACoffman/logsink/issues/4
REPOSITORY_NOT_FOUND = (
    'Failed to pull image "docker.io/stevenacoffman/node-echo-server": rpc error: code = Unknown desc = Error response from daemon: '
    "pull access denied for stevenacoffman/node-echo-server, repository does not exist or may require 'docker login'"
)
# https://github.com/robusta-dev/holmesgpt (tests/llm/fixtures/test_ask_holmes/02_what_is_wrong_with_pod): the
# current kubelet's BackOff event names the container and the pod, `..._<namespace>(<uid>)`.
BACKOFF = "Back-off restarting failed container {container} in pod {pod}_{namespace}({uid})"
# https://github.com/kestra-io/helm-charts/issues/8
DEPENDENCY_LOG = (
    "Caused by: com.zaxxer.hikari.pool.HikariPool$PoolInitializationException: Failed to initialize pool: Connection to "
    "kestra-postgresql:5432 refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections."
)
# https://github.com/reportportal/kubernetes/issues/178
MISSING_SECRET = 'Error: secret "secretpostgresql" not found'
# https://github.com/istio/istio/issues/42940
READINESS = "Readiness probe failed: HTTP probe failed with statuscode: 503"
# https://github.com/mindwm/mindwm-gitops/issues/31
INSUFFICIENT_CPU = (
    "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."
)
# https://github.com/red-hat-storage/ocs-operator/pull/4163
UNTOLERATED_TAINT = (
    "0/6 nodes are available: 1 node(s) had untolerated taint {unschedulable: true}, 2 node(s) didn't match pod topology spread "
    "constraints, 3 node(s) had untolerated taint {node-role.kubernetes.io/master: }. preemption: 0/6 nodes are available: 6 "
    "Preemption is not helpful for scheduling."
)
# https://github.com/klothoplatform/klotho/issues/553
SELECTOR_MISMATCH = (
    "0/4 nodes are available: 4 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are available: 4 "
    "Preemption is not helpful for scheduling."
)
# https://github.com/caoyingjunz/go-learning/issues/55
EVICTED = (
    "The node was low on resource: ephemeral-storage. Container harbor-chart-rsync-client was using 76Ki, which exceeds its request of 0. "
    "Container chartmuseum was using 856Ki, which exceeds its request of 0."
)
# https://github.com/kubernetes/kubernetes/issues/62382 (the wording since 1.11, "has reached")
JOB_BACKOFF = "Job has reached the specified backoff limit"

#: How Deployments fail, with their weights (replicas of one Deployment fail together).
DEPLOYMENT_FAILURES = [
    ("tag-not-found", 16),  # a rollout to a tag that was never pushed; the previous tag is on the nodes
    ("repository-typo", 6),  # a one-letter typo in the repository; the right one runs elsewhere
    ("crash-dependency", 16),
    ("oom", 8),
    ("missing-secret", 8),
    ("not-ready", 12),
    ("pending-cpu", 6),
    ("pending-taint", 3),
    ("pending-selector", 3),
    ("evicted", 4),
    ("scheduler-silent", 1),  # pods for a custom scheduler that does not place them: no verdict, no event
]
REPLICAS = [1, 2, 2, 3, 3, 3, 5, 5, 8, 10, 20]
JOB_SHARE = 0.05  # of the pods, each its own Job
SHAPES = [  # (instance type, cpu, memory, weight)
    ("m5.4xlarge", "16", "64Gi", 6),
    ("m5.2xlarge", "8", "32Gi", 3),
    ("r5.8xlarge", "32", "256Gi", 1),
]


def _t(seconds_ago: float) -> str:
    return (NOW - timedelta(seconds=seconds_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _fields(value: object) -> object:
    """The `fieldsV1` a field manager records for a value: the object's structure, keyed as the API
    server keys it (`f:name` for fields, `k:{"name":"app"}` for list items merged by name)."""
    if isinstance(value, dict):
        out: dict = {".": {}}
        for key, item in value.items():
            out[f"f:{key}"] = _fields(item)
        return out
    if isinstance(value, list) and value and all(isinstance(v, dict) and "name" in v for v in value):
        return {f'k:{{"name":"{v["name"]}"}}': _fields(v) for v in value}
    return {}


def _managed_fields(pod: dict) -> list[dict]:
    meta = {k: v for k, v in pod["metadata"].items() if k in ("generateName", "labels", "annotations", "ownerReferences")}
    return [
        {
            "manager": "kube-controller-manager",
            "operation": "Update",
            "apiVersion": "v1",
            "time": pod["metadata"]["creationTimestamp"],
            "fieldsType": "FieldsV1",
            "fieldsV1": {"f:metadata": _fields(meta), "f:spec": _fields(pod["spec"])},
        },
        {
            "manager": "kubelet",
            "operation": "Update",
            "apiVersion": "v1",
            "time": pod["metadata"]["creationTimestamp"],
            "fieldsType": "FieldsV1",
            "fieldsV1": {"f:status": _fields(pod["status"])},
            "subresource": "status",
        },
    ]


@dataclass
class Workload:
    kind: str  # Deployment or Job
    namespace: str
    name: str
    replicas: int
    failure: str | None = None  # None: healthy
    image: str = ""
    previous_image: str = ""  # the tag the nodes still hold (a rollout to a missing tag)
    pvc: str | None = None


@dataclass
class Cluster:
    nodes: list[dict]
    pods: list[dict]
    events: list[dict]
    logs: list[dict]
    #: Deployments, ReplicaSets, Jobs, Services, EndpointSlices, PersistentVolumeClaims
    objects: list[dict] = field(default_factory=list)

    @property
    def items(self) -> list[dict]:
        return self.nodes + self.objects + self.pods + self.events

    def failing_pods(self) -> int:
        return sum(1 for p in self.pods if p["metadata"]["labels"].get("bench/failing") == "true")


def _workloads(pods: int, failing: float, rng: random.Random, *, target: int) -> list[Workload]:
    """Deployments (and one-pod Jobs) adding up to `pods`, the failing ones chosen so that `target` pods
    fail (`failing`: the share asked for)."""
    workloads: list[Workload] = []
    total = 0
    jobs = int(pods * JOB_SHARE)
    while total < pods - jobs:
        replicas = min(rng.choice(REPLICAS), pods - jobs - total)
        n = len(workloads)
        workloads.append(Workload("Deployment", f"team-{n % NAMESPACES:02d}", f"app-{n:05d}", replicas))
        total += replicas
    for j in range(pods - total):
        workloads.append(Workload("Job", f"team-{j % NAMESPACES:02d}", f"batch-{j:05d}", 1))
    order = list(range(len(workloads)))
    rng.shuffle(order)
    kinds = [k for k, weight in DEPLOYMENT_FAILURES for _ in range(weight)]
    failed = 0
    for i in order:
        if failed >= target:
            break
        w = workloads[i]
        if failed + w.replicas > target and failing < 1.0 and w.replicas > 1:
            continue  # keep the share close to the target
        w.failure = "job-failed" if w.kind == "Job" else kinds[rng.randrange(len(kinds))]
        failed += w.replicas
    for w in workloads:
        repo = f"registry.example.com/{w.namespace}/{w.name}"
        version = rng.randrange(1, 40)
        w.image = f"{repo}:1.{version}.0"
        w.previous_image = w.image
        if w.failure == "tag-not-found":
            w.image = f"{repo}:1.{version + 1}.0"
        elif w.failure == "repository-typo":
            w.image = f"registry.example.com/{w.namespace}/{w.name[:-1]}x:1.{version}.0"  # app-00123 → app-0012x
        if w.kind == "Deployment" and rng.random() < 0.1:
            w.pvc = f"{w.name}-data"
    return workloads


def _nodes(count: int, rng: random.Random) -> list[dict]:
    shapes = [s for s in SHAPES for _ in range(s[3])]
    nodes = []
    for n in range(count):
        instance, cpu, memory, _w = shapes[n % len(shapes)]
        name = f"ip-10-0-{n // 250}-{n % 250}.ec2.internal"
        node = {
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": {
                "name": name,
                "uid": f"node-uid-{n}",
                "labels": {
                    "kubernetes.io/hostname": name,
                    "kubernetes.io/os": "linux",
                    "kubernetes.io/arch": "amd64",
                    "node.kubernetes.io/instance-type": instance,
                    "topology.kubernetes.io/zone": f"us-east-1{'abc'[n % 3]}",
                    "disktype": "nvme" if n % 2 else "ebs",
                },
            },
            "spec": {"providerID": f"aws:///us-east-1a/i-{n:017x}"},
            "status": {
                "capacity": {"cpu": cpu, "memory": memory, "pods": "110", "ephemeral-storage": "100Gi"},
                "allocatable": {"cpu": cpu, "memory": memory, "pods": "110", "ephemeral-storage": "95Gi"},
                "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status"}],
                "nodeInfo": {
                    "architecture": "amd64",
                    "operatingSystem": "linux",
                    "kubeletVersion": "v1.30.4",
                    "containerRuntimeVersion": "containerd://1.7.20",
                },
                "images": [
                    {"names": ["docker.io/envoyproxy/envoy:v1.31.2"], "sizeBytes": 60_000_000},
                    {"names": ["registry.k8s.io/pause:3.9"], "sizeBytes": 300_000},
                ],
            },
        }
        if n % 10 == 9:  # a dedicated pool
            node["spec"]["taints"] = [{"key": "dedicated", "value": "infra", "effect": "NoSchedule"}]
            node["metadata"]["labels"]["dedicated"] = "infra"
        nodes.append(node)
    rng.shuffle(nodes)
    return nodes


def _container(w: Workload, name: str, image: str, port: int, size: str) -> dict:
    env_count = 0 if size == "3k" else 24
    container = {
        "name": name,
        "image": image,
        "imagePullPolicy": "IfNotPresent",
        "ports": [{"name": "http", "containerPort": port, "protocol": "TCP"}],
        "env": [{"name": f"{name.upper()}_SETTING_{i}", "value": f"value-{i}"} for i in range(env_count)]
        + [{"name": "POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}}],
        "resources": {"limits": {"cpu": "500m", "memory": "512Mi"}, "requests": {"cpu": "100m", "memory": "256Mi"}},
        "readinessProbe": {"httpGet": {"path": "/ready", "port": port, "scheme": "HTTP"}, "periodSeconds": 5, "failureThreshold": 3},
        "volumeMounts": [{"name": "kube-api-access", "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "readOnly": True}],
        "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "File",
    }
    if size == "3k" and name == "proxy":  # a lean sidecar
        for key in ("env", "readinessProbe", "volumeMounts", "terminationMessagePath", "terminationMessagePolicy"):
            container.pop(key)
    if size != "3k":
        container["livenessProbe"] = {
            "httpGet": {"path": "/healthz", "port": port, "scheme": "HTTP"},
            "periodSeconds": 10,
            "failureThreshold": 3,
        }
        container["volumeMounts"].append({"name": "config", "mountPath": "/etc/app"})
    if name == "app" and w.failure == "missing-secret":
        container["env"].append({"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "secretpostgresql", "key": "password"}}})
    if name == "app" and w.failure == "pending-cpu":
        container["resources"] = {"limits": {"cpu": "40", "memory": "8Gi"}, "requests": {"cpu": "40", "memory": "8Gi"}}
    return container


def _running(name: str, image: str, started: str, ready: bool = True) -> dict:
    return {
        "name": name,
        "image": image,
        "imageID": f"{image.split(':')[0]}@sha256:{'0' * 64}",
        "ready": ready,
        "started": True,
        "restartCount": 0,
        "state": {"running": {"startedAt": started}},
        "lastState": {},
        "containerID": f"containerd://{'1' * 64}",
    }


def _event(
    pod: dict, j: int, type_: str, reason: str, message: str, node: str | None, first: str, last: str, count: int, container: str | None
) -> dict:
    meta = pod["metadata"]
    ns, name = meta["namespace"], meta["name"]
    component = "default-scheduler" if reason in ("FailedScheduling", "Scheduled") else "kubelet"
    return {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {
            "name": f"{name}.{j:016x}",
            "namespace": ns,
            "uid": f"ev-{meta['uid'][-12:]}-{j}",
            "resourceVersion": "1",
            "creationTimestamp": first,
        },
        "involvedObject": {
            "kind": "Pod",
            "namespace": ns,
            "name": name,
            "uid": meta["uid"],
            "apiVersion": "v1",
            **({"fieldPath": f"spec.containers{{{container}}}"} if container else {}),
        },
        "reason": reason,
        "message": message,
        "type": type_,
        "source": {"component": component, **({"host": node} if node and component == "kubelet" else {})},
        "firstTimestamp": first,
        "lastTimestamp": last,
        "count": count,
        "reportingComponent": component,
        "reportingInstance": node if component == "kubelet" and node else "",
    }


def cluster(pods: int, *, failing: float = 0.12, size: str = "3k", seed: int = 7) -> Cluster:
    """A bad day on a cluster of `pods` pods, `failing` of them failing (see the module docstring)."""
    if size not in SIZES:
        raise ValueError(f"size must be one of {SIZES}")
    rng = random.Random(seed)
    nodes = _nodes(max(1, pods // PODS_PER_NODE), rng)
    system = _system_pods(nodes) if pods > 2 * len(nodes) + 3 else []
    workloads = _workloads(pods - len(system), failing, rng, target=round(pods * failing))
    schedulable = [n for n in nodes if "taints" not in n["spec"]]
    node_images: dict[str, set[str]] = {n["metadata"]["name"]: set() for n in nodes}
    out = Cluster(nodes, list(system), [], [])
    serial = 0
    for w in workloads:
        created_ago = rng.randint(3600, 30 * 86400)
        rollout_ago = rng.randint(300, 3000) if w.failure else created_ago
        template_hash = f"{rng.getrandbits(40):010x}"
        rs_name = f"{w.name}-{template_hash}"
        labels = {"app": w.name, "team": w.namespace}
        ips = []
        for r in range(w.replicas):
            serial += 1
            uid = f"00000000-0000-4000-8000-{serial:012d}"
            name = f"{rs_name}-{serial:05x}" if w.kind == "Deployment" else f"{w.name}-{serial:05x}"
            node = schedulable[serial % len(schedulable)]["metadata"]["name"]
            started = _t(rollout_ago - r * 2)
            failure = w.failure
            pending = failure in ("pending-cpu", "pending-taint", "pending-selector", "scheduler-silent")
            app = _container(w, "app", w.image, 8080, size)
            containers = [app, _container(w, "proxy", "docker.io/envoyproxy/envoy:v1.31.2", 15000, size)]
            spec: dict = {
                "containers": containers,
                "restartPolicy": "Never" if w.kind == "Job" else "Always",
                "serviceAccountName": "default",
                "schedulerName": "default-scheduler",
                "terminationGracePeriodSeconds": 30,
                "dnsPolicy": "ClusterFirst",
                "volumes": [
                    {
                        "name": "kube-api-access",
                        "projected": {"sources": [{"serviceAccountToken": {"path": "token", "expirationSeconds": 3607}}]},
                    },
                    {"name": "config", "configMap": {"name": f"{w.name}-config"}},
                ],
                "tolerations": [
                    {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
                    {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
                ],
            }
            if w.pvc:
                spec["volumes"].append({"name": "data", "persistentVolumeClaim": {"claimName": w.pvc}})
            if failure == "scheduler-silent":
                spec["schedulerName"] = "batch-scheduler"
            if failure == "pending-taint":
                spec["nodeSelector"] = {"dedicated": "infra"}
            elif failure == "pending-selector":
                spec["nodeSelector"] = {"disktype": "nvmee"}
            cond_ok = failure is None
            status: dict = {
                "phase": "Running",
                "hostIP": "10.0.0.7",
                "podIP": f"10.{serial // 65536 % 256}.{serial // 256 % 256}.{serial % 256}",
                "startTime": started,
                "qosClass": "Burstable",
                "conditions": [
                    {
                        "type": t,
                        "status": "True" if cond_ok or t in ("PodScheduled", "Initialized") else "False",
                        "lastTransitionTime": started,
                    }
                    for t in ("Initialized", "Ready", "ContainersReady", "PodScheduled")
                ],
                "containerStatuses": [_running("app", w.image, started), _running("proxy", containers[1]["image"], started)],
            }
            events: list[tuple[str, str, str, str | None]] = []
            logs: list[str] | None = None
            app_status = status["containerStatuses"][0]
            restarts = 7 + (serial % 3)  # replicas crash at about the same rate
            if failure in ("tag-not-found", "repository-typo"):
                status["phase"] = "Pending"
                app_status.update(ready=False, started=False, imageID="", state={"waiting": {"reason": "ImagePullBackOff"}})
                app_status.pop("containerID")
                message = TAG_NOT_FOUND if failure == "tag-not-found" else REPOSITORY_NOT_FOUND
                events = [
                    ("Warning", "Failed", message, "app"),
                    ("Warning", "Failed", "Error: ErrImagePull", "app"),
                    ("Normal", "BackOff", f'Back-off pulling image "{w.image}"', "app"),
                ]
            elif failure in ("crash-dependency", "oom"):
                reason, code = ("Error", 1) if failure == "crash-dependency" else ("OOMKilled", 137)
                app_status.update(
                    ready=False,
                    started=False,
                    restartCount=restarts,
                    state={
                        "waiting": {
                            "reason": "CrashLoopBackOff",
                            "message": f"back-off 5m0s restarting failed container=app pod={name}_{w.namespace}({uid})",
                        }
                    },
                    lastState={"terminated": {"reason": reason, "exitCode": code, "startedAt": _t(200), "finishedAt": _t(170)}},
                )
                events = [("Warning", "BackOff", BACKOFF.format(container="app", pod=name, namespace=w.namespace, uid=uid), "app")]
                if failure == "crash-dependency":
                    logs = [DEPENDENCY_LOG]
            elif failure == "missing-secret":
                status["phase"] = "Pending"
                app_status.update(
                    ready=False,
                    started=False,
                    imageID="",
                    state={"waiting": {"reason": "CreateContainerConfigError", "message": 'secret "secretpostgresql" not found'}},
                )
                app_status.pop("containerID")
                events = [("Warning", "Failed", MISSING_SECRET, "app")]
            elif failure == "not-ready":
                app_status["ready"] = False
                events = [("Warning", "Unhealthy", READINESS, "app")]
            elif failure == "scheduler-silent":
                status = {"phase": "Pending", "qosClass": "Burstable"}
            elif pending:
                message = {"pending-cpu": INSUFFICIENT_CPU, "pending-taint": UNTOLERATED_TAINT, "pending-selector": SELECTOR_MISMATCH}[
                    failure
                ]
                status = {
                    "phase": "Pending",
                    "qosClass": "Burstable",
                    "conditions": [
                        {
                            "type": "PodScheduled",
                            "status": "False",
                            "reason": "Unschedulable",
                            "message": message,
                            "lastTransitionTime": started,
                        }
                    ],
                }
                events = [("Warning", "FailedScheduling", message, None)]
            elif failure == "evicted":
                status.update(phase="Failed", reason="Evicted", message=EVICTED)
                for cs in status["containerStatuses"]:
                    cs.update(
                        ready=False,
                        started=False,
                        state={
                            "terminated": {"reason": "ContainerStatusUnknown", "exitCode": 137, "startedAt": started, "finishedAt": _t(120)}
                        },
                    )
                events = [("Warning", "Evicted", EVICTED, None)]
            elif failure == "job-failed":
                status["phase"] = "Failed"
                status["containerStatuses"] = [
                    {
                        **_running("app", w.image, started, ready=False),
                        "state": {"terminated": {"reason": "Error", "exitCode": 1, "startedAt": started, "finishedAt": _t(60)}},
                        "started": False,
                    },
                    {
                        **_running("proxy", containers[1]["image"], started, ready=False),
                        "state": {"terminated": {"reason": "Completed", "exitCode": 0, "startedAt": started, "finishedAt": _t(60)}},
                        "started": False,
                    },
                ]
                logs = [DEPENDENCY_LOG]
            elif w.kind == "Job":
                status["phase"] = "Succeeded"
                status["conditions"][1]["status"] = status["conditions"][2]["status"] = "False"
                for cs in status["containerStatuses"]:
                    cs.update(
                        ready=False,
                        started=False,
                        state={"terminated": {"reason": "Completed", "exitCode": 0, "startedAt": started, "finishedAt": _t(60)}},
                    )
            if pending:
                node_name = None
            else:
                spec["nodeName"] = node_name = node
                node_images[node].add(w.previous_image if failure in ("tag-not-found", "repository-typo") else w.image)
                if failure is None and status["phase"] == "Running":
                    ips.append((name, status["podIP"], node))
            owner_kind, owner_name = ("ReplicaSet", rs_name) if w.kind == "Deployment" else ("Job", w.name)
            pod = {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {
                    "name": name,
                    "namespace": w.namespace,
                    "uid": uid,
                    "resourceVersion": str(1000 + serial),
                    "creationTimestamp": started,
                    "generateName": f"{rs_name}-" if w.kind == "Deployment" else f"{w.name}-",
                    "labels": {
                        **labels,
                        **({"pod-template-hash": template_hash} if w.kind == "Deployment" else {"job-name": w.name}),
                        "bench/failing": "true" if failure else "false",
                    },
                    "annotations": {"kubectl.kubernetes.io/default-container": "app"},
                    "ownerReferences": [
                        {
                            "apiVersion": "apps/v1" if w.kind == "Deployment" else "batch/v1",
                            "kind": owner_kind,
                            "name": owner_name,
                            "uid": f"{owner_kind.lower()}-{w.namespace}-{owner_name}",
                            "controller": True,
                            "blockOwnerDeletion": True,
                        }
                    ],
                },
                "spec": spec,
                "status": status,
            }
            if size != "3k":
                pod["metadata"]["annotations"].update(
                    {
                        "prometheus.io/scrape": "true",
                        "prometheus.io/port": "9090",
                        "checksum/config": f"{serial:064x}",
                        "kubectl.kubernetes.io/restartedAt": _t(created_ago),
                    }
                )
                pod["metadata"]["managedFields"] = _managed_fields(pod)
            out.pods.append(pod)
            if logs:
                out.logs.append({"namespace": w.namespace, "pod": name, "container": "app", "previous": w.kind != "Job", "lines": logs})
            recent = rng.randint(5, 60)  # the kubelet repeats its events in the same order: the last one is the newest
            for j, (type_, reason, message, container) in enumerate(events):
                last = recent + 5 * (len(events) - 1 - j)
                out.events.append(_event(pod, j, type_, reason, message, node_name, started, _t(last), rng.randint(3, 40), container))
        out.objects += _workload_objects(w, labels, rs_name, template_hash, created_ago, ips)
    for node in nodes:
        node["status"]["images"] += [
            {"names": [image], "sizeBytes": 100_000_000} for image in sorted(node_images[node["metadata"]["name"]])
        ]
    return out


def _system_pods(nodes: list[dict]) -> list[dict]:
    """kube-system: kube-proxy on every node (a DaemonSet), two CoreDNS replicas and a custom batch
    scheduler, all running."""
    pods = []
    for i, node in enumerate(nodes):
        name = node["metadata"]["name"]
        pods.append(
            _system_pod(
                f"kube-proxy-{i:05x}", "DaemonSet", "kube-proxy", "registry.k8s.io/kube-proxy:v1.30.4", name, {"k8s-app": "kube-proxy"}
            )
        )
    for i in range(2):
        name = nodes[i % len(nodes)]["metadata"]["name"]
        pods.append(
            _system_pod(
                f"coredns-5d78c9869d-{i:05x}",
                "ReplicaSet",
                "coredns-5d78c9869d",
                "registry.k8s.io/coredns/coredns:v1.11.1",
                name,
                {"k8s-app": "kube-dns", "pod-template-hash": "5d78c9869d"},
            )
        )
    name = nodes[0]["metadata"]["name"]
    pods.append(
        _system_pod(
            "batch-scheduler-7c6b5d4f8-00000",
            "ReplicaSet",
            "batch-scheduler-7c6b5d4f8",
            "registry.k8s.io/kube-scheduler:v1.30.4",
            name,
            {"component": "batch-scheduler"},
        )
    )
    return pods


def _system_pod(name: str, owner_kind: str, owner: str, image: str, node: str, labels: dict) -> dict:
    started = _t(40 * 86400)
    container = {
        "name": owner.rsplit("-", 1)[0] if owner_kind == "ReplicaSet" else owner,
        "image": image,
        "resources": {"requests": {"cpu": "100m", "memory": "70Mi"}},
        "securityContext": {"privileged": owner_kind == "DaemonSet"},
    }
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": name,
            "namespace": "kube-system",
            "uid": f"kube-system-{name}",
            "creationTimestamp": started,
            "labels": {**labels, "bench/failing": "false"},
            "ownerReferences": [
                {
                    "apiVersion": "apps/v1",
                    "kind": owner_kind,
                    "name": owner,
                    "uid": f"{owner_kind.lower()}-kube-system-{owner}",
                    "controller": True,
                }
            ],
        },
        "spec": {
            "containers": [container],
            "nodeName": node,
            "priorityClassName": "system-node-critical",
            "tolerations": [{"operator": "Exists"}],
        },
        "status": {
            "phase": "Running",
            "startTime": started,
            "conditions": [
                {"type": t, "status": "True", "lastTransitionTime": started}
                for t in ("Initialized", "Ready", "ContainersReady", "PodScheduled")
            ],
            "containerStatuses": [_running(container["name"], image, started)],
        },
    }


def _workload_objects(w: Workload, labels: dict, rs_name: str, template_hash: str, created_ago: int, ips: list) -> list[dict]:
    """The Deployment and its ReplicaSet (or the Job), its Service with one EndpointSlice, and its PVC."""
    meta = {"namespace": w.namespace, "creationTimestamp": _t(created_ago), "labels": labels}
    ready = 0 if w.failure else w.replicas
    template = {"metadata": {"labels": labels}, "spec": {"containers": [{"name": "app", "image": w.image}]}}
    objects: list[dict] = []
    if w.kind == "Job":
        failed = w.failure == "job-failed"
        cond = (
            {"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded", "message": JOB_BACKOFF}
            if failed
            else {"type": "Complete", "status": "True"}
        )
        objects.append(
            {
                "apiVersion": "batch/v1",
                "kind": "Job",
                "metadata": {**meta, "name": w.name, "uid": f"job-{w.namespace}-{w.name}"},
                "spec": {
                    "backoffLimit": 0,
                    "completions": 1,
                    "parallelism": 1,
                    "template": {**template, "spec": {**template["spec"], "restartPolicy": "Never"}},
                },
                "status": {"failed": 1, "conditions": [cond]} if failed else {"succeeded": 1, "conditions": [cond]},
            }
        )
        return objects
    objects.append(
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {
                **meta,
                "name": w.name,
                "uid": f"deploy-{w.namespace}-{w.name}",
                "generation": 2,
                "annotations": {"deployment.kubernetes.io/revision": "2"},
            },
            "spec": {"replicas": w.replicas, "selector": {"matchLabels": labels}, "template": template},
            "status": {
                "observedGeneration": 2,
                "replicas": w.replicas,
                "updatedReplicas": w.replicas,
                "readyReplicas": ready,
                "availableReplicas": ready,
                "conditions": [
                    {
                        "type": "Available",
                        "status": "True" if ready else "False",
                        "reason": "MinimumReplicasAvailable" if ready else "MinimumReplicasUnavailable",
                    }
                ],
            },
        }
    )
    objects.append(
        {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": {
                **meta,
                "name": rs_name,
                "uid": f"replicaset-{w.namespace}-{rs_name}",
                "labels": {**labels, "pod-template-hash": template_hash},
                "annotations": {"deployment.kubernetes.io/revision": "2"},
                "ownerReferences": [
                    {
                        "apiVersion": "apps/v1",
                        "kind": "Deployment",
                        "name": w.name,
                        "uid": f"deploy-{w.namespace}-{w.name}",
                        "controller": True,
                    }
                ],
            },
            "spec": {
                "replicas": w.replicas,
                "selector": {"matchLabels": {**labels, "pod-template-hash": template_hash}},
                "template": template,
            },
            "status": {"replicas": w.replicas, "readyReplicas": ready, "availableReplicas": ready},
        }
    )
    objects.append(
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {**meta, "name": w.name, "uid": f"svc-{w.namespace}-{w.name}"},
            "spec": {
                "selector": labels,
                "ports": [{"name": "http", "port": 80, "targetPort": 8080, "protocol": "TCP"}],
                "type": "ClusterIP",
            },
        }
    )
    objects.append(
        {
            "apiVersion": "discovery.k8s.io/v1",
            "kind": "EndpointSlice",
            "metadata": {**meta, "name": f"{w.name}-{template_hash[:5]}", "labels": {"kubernetes.io/service-name": w.name}},
            "addressType": "IPv4",
            "endpoints": [
                {
                    "addresses": [ip],
                    "conditions": {"ready": True},
                    "nodeName": node,
                    "targetRef": {"kind": "Pod", "namespace": w.namespace, "name": pod},
                }
                for pod, ip, node in ips
            ],
            "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}],
        }
    )
    if w.pvc:
        objects.append(
            {
                "apiVersion": "v1",
                "kind": "PersistentVolumeClaim",
                "metadata": {**meta, "name": w.pvc, "uid": f"pvc-{w.namespace}-{w.pvc}"},
                "spec": {
                    "accessModes": ["ReadWriteOnce"],
                    "resources": {"requests": {"storage": "10Gi"}},
                    "storageClassName": "gp3",
                    "volumeName": f"pvc-{w.namespace}-{w.pvc}",
                },
                "status": {"phase": "Bound", "accessModes": ["ReadWriteOnce"], "capacity": {"storage": "10Gi"}},
            }
        )
    return objects


def generate(pods: int, *, failing: float = 0.12, size: str = "3k", seed: int = 7) -> tuple[list[dict], list[dict], list[dict], list[dict]]:
    """(nodes, pods, events, logs) of `cluster(...)`."""
    c = cluster(pods, failing=failing, size=size, seed=seed)
    return c.nodes, c.pods, c.events, c.logs


def as_list_json(pods: int, *, failing: float = 0.12, size: str = "3k", kinds: bool = True, seed: int = 7) -> bytes:
    """`kubectl get nodes,deploy,rs,jobs,svc,endpointslices,pvc,pods,events -A -o json` for a generated
    cluster (`kinds=False`: nodes, pods and events only)."""
    c = cluster(pods, failing=failing, size=size, seed=seed)
    items = c.items if kinds else c.nodes + c.pods + c.events
    return orjson.dumps(
        {"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""}, "items": items}, option=orjson.OPT_INDENT_2
    )
