"""The demo cluster: three nodes, healthy workloads, and broken ones from every failure family.

Each broken workload is built around a real failure: the event messages, status messages and log lines
are copied verbatim from the public report cited next to them (most are in ../shared/cases or
tests/fixtures/public-messages.jsonl). Object names follow the report where its text names them.
Kubelet lines that only frame a failure ("Pulling image", "Back-off pulling image") use the kubelet's
own format strings (pkg/kubelet/images/image_manager.go).
"""

from __future__ import annotations

from k8sdoctor.demo.network import network
from k8sdoctor.demo.objects import (
    container_status,
    event,
    node,
    pod,
    pod_status,
    replica_pods,
    running,
    terminated,
    waiting,
    workload,
)
from k8sdoctor.demo.workloads import workloads

WORKERS = ("worker-1", "worker-2", "worker-3")
CNPG_BAD = "ghcr.io/cloudnative-pg/cloudnative-pg:1.20.1"
CNPG_GOOD = "ghcr.io/cloudnative-pg/cloudnative-pg:1.20.0"
ES_NODE_LABEL = {"node-role.example.com/elasticsearch": "true"}

COMMON_IMAGES = [
    ["docker.io/library/nginx:1.27.2", "nginx:1.27.2"],
    [CNPG_GOOD],
    ["registry.k8s.io/coredns/coredns:v1.11.3"],
    ["docker.io/kestra/kestra:v0.4.0"],
]


def _res(cpu: str, memory: str, limit_memory: str | None = None) -> dict:
    r = {"requests": {"cpu": cpu, "memory": memory}}
    if limit_memory:
        r["limits"] = {"memory": limit_memory}
    return r


def nodes() -> list[dict]:
    zones = {"worker-1": "zone-a", "worker-2": "zone-b", "worker-3": "zone-c"}
    return [node(n, labels={"topology.kubernetes.io/zone": zones[n]}, images=COMMON_IMAGES) for n in WORKERS]


def extra_node(created: str) -> dict:
    """The node the timeline adds (at `created`, an RFC 3339 time: objects the timeline applies are
    served as they are, so every timestamp must be one kubectl can parse); it carries the label the
    Elasticsearch client asks for."""
    return node("worker-4", labels={"topology.kubernetes.io/zone": "zone-a", **ES_NODE_LABEL}, images=COMMON_IMAGES, created=created)


def _healthy(namespace: str, name: str, image: str, replicas: int, cpu: str = "250m", memory: str = "256Mi", **kw) -> list[dict]:
    c = [{"name": name, "image": image, "resources": _res(cpu, memory), "ports": [{"containerPort": 8080}]}]
    dep, rs, h = workload(namespace, name, replicas=replicas, containers=c, **kw)
    pods = replica_pods(
        dep,
        rs,
        h,
        replicas,
        status_for=lambda _n: pod_status("Running", [container_status(name, image, running())]),
        nodes=list(WORKERS),
        created="-2d",
    )
    return [dep, rs, *pods]


def shop() -> list[dict]:
    out = _healthy("shop", "frontend", "nginx:1.27.2", 3, cpu="500m")
    out += _healthy("shop", "payments", "nginx:1.27.2", 2)

    # ImagePullBackOff / image-not-found — containerd's NotFound for a tag that was never pushed.
    # https://github.com/cloudnative-pg/cloudnative-pg/issues/2265
    c = [{"name": "manager", "image": CNPG_BAD, "resources": _res("100m", "128Mi")}]
    dep, rs, h = workload("shop", "cloudnative-pg", replicas=2, containers=c, revision=2, ready_replicas=0)
    pods = replica_pods(
        dep,
        rs,
        h,
        2,
        nodes=["worker-1", "worker-2"],
        created="-25m",
        status_for=lambda _n: pod_status(
            "Pending", [container_status("manager", CNPG_BAD, waiting("ImagePullBackOff", f'Back-off pulling image "{CNPG_BAD}"'))]
        ),
    )
    out += [dep, rs, *pods]
    for p in pods:
        out += [
            event(p, "Normal", "Pulling", f'Pulling image "{CNPG_BAD}"', count=7, first="-25m", last="-3m", container="manager"),
            event(
                p,
                "Warning",
                "Failed",
                'Failed to pull image "ghcr.io/cloudnative-pg/cloudnative-pg:1.20.1": rpc error: code = NotFound desc = failed to pull and unpack image "ghcr.io/cloudnative-pg/cloudnative-pg:1.20.1": failed to copy: httpReadSeeker: failed open: content at https://ghcr.io/v2/cloudnative-pg/cloudnative-pg/manifests/sha256:827429f73ca03211c631aba2c1b0c417a0e57b7b4dbf3c54689c8a9eee5558e9 not found: not found',
                count=7,
                first="-25m",
                last="-3m",
                container="manager",
            ),
            event(p, "Warning", "Failed", "Error: ErrImagePull", count=7, first="-25m", last="-3m", container="manager"),
            event(p, "Normal", "BackOff", f'Back-off pulling image "{CNPG_BAD}"', count=96, first="-25m", last="-20s", container="manager"),
            event(p, "Warning", "Failed", "Error: ImagePullBackOff", count=96, first="-25m", last="-20s", container="manager"),
        ]

    # ImagePullBackOff / rate-limited — CRI-O reading Docker Hub.
    # https://github.com/red-hat-storage/ocs-ci/issues/4494
    image = "obsidiandynamics/kafdrop:latest"
    c = [{"name": "kafdrop", "image": image, "resources": _res("100m", "256Mi")}]
    dep, rs, h = workload("shop", "kafdrop", replicas=1, containers=c, ready_replicas=0)
    pods = replica_pods(
        dep,
        rs,
        h,
        1,
        nodes=["worker-3"],
        created="-12m",
        status_for=lambda _n: pod_status("Pending", [container_status("kafdrop", image, waiting("ErrImagePull"))]),
    )
    out += [dep, rs, *pods]
    p = pods[0]
    out += [
        event(
            p,
            "Normal",
            "Pulling",
            'Pulling image "obsidiandynamics/kafdrop:latest"',
            count=4,
            first="-12m",
            last="-2m",
            container="kafdrop",
        ),
        event(
            p,
            "Warning",
            "Failed",
            'Failed to pull image "obsidiandynamics/kafdrop:latest": rpc error: code = Unknown desc = Error reading manifest latest in docker.io/obsidiandynamics/kafdrop: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit',
            count=4,
            first="-12m",
            last="-2m",
            container="kafdrop",
        ),
        event(p, "Warning", "Failed", "Error: ErrImagePull", count=4, first="-12m", last="-2m", container="kafdrop"),
    ]

    # CrashLoopBackOff / dependency-unreachable — 3 of 3 replicas; Hikari cannot reach PostgreSQL.
    # https://github.com/kestra-io/helm-charts/issues/8
    image = "kestra/kestra:v0.4.0"
    c = [
        {
            "name": "kestra",
            "image": image,
            "resources": _res("500m", "1Gi", "1Gi"),
            "env": [{"name": "KESTRA_CONFIGURATION_DATASOURCES_POSTGRES_URL", "value": "jdbc:postgresql://kestra-postgresql:5432/kestra"}],
        }
    ]
    dep, rs, h = workload("shop", "kestra", replicas=3, containers=c, ready_replicas=0)
    pods = replica_pods(
        dep,
        rs,
        h,
        3,
        nodes=list(WORKERS),
        created="-40m",
        status_for=lambda _n: pod_status(
            "Running",
            [
                container_status(
                    "kestra", image, waiting("CrashLoopBackOff"), ready=False, restarts=11, last=terminated("Error", 1, "-3m", "-2m30s")
                )
            ],
        ),
    )
    out += [dep, rs, *pods]
    for p in pods:
        # The pre-1.26 BackOff wording, as in https://kubernetes.io/docs/tasks/configure-pod-container/assign-memory-resource/
        out.append(
            event(p, "Warning", "BackOff", "Back-off restarting failed container", count=160, first="-38m", last="-10s", container="kestra")
        )
    return out


def kube_system() -> list[dict]:
    # Pending / pod-affinity — 4 CoreDNS replicas with a required anti-affinity on 3 nodes.
    # https://github.com/kubernetes-sigs/kubespray/issues/4101
    image = "registry.k8s.io/coredns/coredns:v1.11.3"
    labels = {"k8s-app": "kube-dns"}
    anti = {
        "affinity": {
            "podAntiAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": [
                    {"labelSelector": {"matchLabels": labels}, "topologyKey": "kubernetes.io/hostname"}
                ]
            }
        }
    }
    c = [{"name": "coredns", "image": image, "resources": _res("100m", "70Mi", "170Mi")}]
    dep, rs, h = workload(
        "kube-system", "coredns", replicas=4, containers=c, labels=labels, spec_extra=anti, created="-30d", ready_replicas=3
    )
    healthy = replica_pods(
        dep,
        rs,
        h,
        3,
        nodes=list(WORKERS),
        created="-30d",
        status_for=lambda _n: pod_status("Running", [container_status("coredns", image, running("-30d"))], started="-30d"),
    )
    pending = replica_pods(
        dep, rs, h, 4, nodes=[None], created="-20m", status_for=lambda _n: pod_status("Pending", [], scheduled=False, started="-20m")
    )[3:]
    p = pending[0]
    p["status"]["conditions"][0].update(
        reason="Unschedulable",
        message="0/3 nodes are available: 3 node(s) didn't match pod affinity/anti-affinity, 3 node(s) didn't satisfy existing pods anti-affinity rules.",
    )
    ev = event(
        p,
        "Warning",
        "FailedScheduling",
        "0/3 nodes are available: 3 node(s) didn't match pod affinity/anti-affinity, 3 node(s) didn't satisfy existing pods anti-affinity rules.",
        count=12,
        first="-20m",
        last="-1m",
        component="default-scheduler",
    )
    return [dep, rs, *healthy, p, ev]


def search() -> list[dict]:
    # Pending / node-selector-mismatch, until the timeline adds a node with the label.
    # https://github.com/opendistro-for-elasticsearch/sample-code/issues/115
    image = "amazon/opendistro-for-elasticsearch:1.13.2"
    c = [{"name": "elasticsearch", "image": image, "resources": _res("1", "2Gi", "2Gi")}]
    dep, rs, h = workload("search", "odfe-client", replicas=1, containers=c, spec_extra={"nodeSelector": ES_NODE_LABEL}, ready_replicas=0)
    p = replica_pods(
        dep, rs, h, 1, nodes=[None], created="-8m", status_for=lambda _n: pod_status("Pending", [], scheduled=False, started="-8m")
    )[0]
    msg = "0/3 nodes are available: 3 node(s) didn't match node selector."
    p["status"]["conditions"][0].update(reason="Unschedulable", message=msg)
    return [dep, rs, p, event(p, "Warning", "FailedScheduling", msg, count=5, first="-8m", last="-40s", component="default-scheduler")]


def observability() -> list[dict]:
    # CrashLoopBackOff / permission-denied — Loki cannot create its data directory.
    # https://github.com/observatorium/observatorium/issues/410
    image = "grafana/loki:2.2.1"
    c = [{"name": "loki", "image": image, "resources": _res("250m", "512Mi"), "volumeMounts": [{"name": "data", "mountPath": "/data"}]}]
    dep, rs, h = workload(
        "observability",
        "loki",
        replicas=1,
        containers=c,
        ready_replicas=0,
        spec_extra={"volumes": [{"name": "data", "emptyDir": {}}], "securityContext": {"runAsUser": 10001}},
    )
    pods = replica_pods(
        dep,
        rs,
        h,
        1,
        nodes=["worker-2"],
        created="-1h",
        status_for=lambda _n: pod_status(
            "Running",
            [
                container_status(
                    "loki", image, waiting("CrashLoopBackOff"), ready=False, restarts=17, last=terminated("Error", 1, "-4m", "-4m")
                )
            ],
        ),
    )
    out = [dep, rs, *pods]
    out.append(
        event(pods[0], "Warning", "BackOff", "Back-off restarting failed container", count=250, first="-58m", last="-30s", container="loki")
    )

    # NotReady / readiness-probe-failure — HTTP 503 from the readiness endpoint.
    # https://github.com/istio/istio/issues/42940
    image = "docker.io/istio/proxyv2:1.16.1"
    c = [
        {
            "name": "istio-proxy",
            "image": image,
            "resources": _res("100m", "128Mi"),
            "readinessProbe": {"httpGet": {"path": "/healthz/ready", "port": 15021}, "periodSeconds": 15, "failureThreshold": 4},
        }
    ]
    dep, rs, h = workload("observability", "grafana-gateway", replicas=1, containers=c, ready_replicas=0)
    pods = replica_pods(
        dep,
        rs,
        h,
        1,
        nodes=["worker-3"],
        created="-30m",
        status_for=lambda _n: pod_status("Running", [container_status("istio-proxy", image, running("-29m"), ready=False)]),
    )
    out += [
        dep,
        rs,
        *pods,
        event(
            pods[0],
            "Warning",
            "Unhealthy",
            "Readiness probe failed: HTTP probe failed with statuscode: 503",
            count=115,
            first="-29m",
            last="-15s",
            container="istio-proxy",
        ),
    ]
    return out


def mem_example() -> list[dict]:
    # CrashLoopBackOff / oom-killed — the kubernetes.io memory task's memory-demo-2.
    # https://kubernetes.io/docs/tasks/configure-pod-container/assign-memory-resource/
    image = "polinux/stress"
    c = [
        {
            "name": "memory-demo-2-ctr",
            "image": image,
            "resources": {"requests": {"memory": "50Mi"}, "limits": {"memory": "100Mi"}},
            "command": ["stress"],
            "args": ["--vm", "1", "--vm-bytes", "250M", "--vm-hang", "1"],
        }
    ]
    p = pod(
        "mem-example",
        "memory-demo-2",
        containers=c,
        node_name="worker-1",
        created="-15m",
        status=pod_status(
            "Running",
            [
                container_status(
                    "memory-demo-2-ctr",
                    image,
                    waiting("CrashLoopBackOff"),
                    ready=False,
                    restarts=6,
                    last=terminated("OOMKilled", 137, "-2m10s", "-2m"),
                )
            ],
        ),
    )
    return [
        p,
        event(
            p,
            "Normal",
            "Created",
            "Created container with id 66a3a20aa7980e61be4922780bf9d24d1a1d8b7395c09861225b0eba1b1f8511",
            first="-15m",
            last="-15m",
            container="memory-demo-2-ctr",
        ),
        event(
            p,
            "Warning",
            "OOMKilling",
            "Memory cgroup out of memory: Kill process 4481 (stress) score 1994 or sacrifice child",
            count=6,
            first="-15m",
            last="-2m",
            component="kernel-monitor",
        ),
        event(
            p,
            "Warning",
            "BackOff",
            "Back-off restarting failed container",
            count=40,
            first="-14m",
            last="-20s",
            container="memory-demo-2-ctr",
        ),
    ]


def config_errors() -> list[dict]:
    out: list[dict] = []
    # RunContainerError / missing-secret — and a Secret with a close name exists.
    # https://github.com/reportportal/kubernetes/issues/178
    image = "reportportal/service-api:5.7.0"
    c = [
        {
            "name": "api",
            "image": image,
            "resources": _res("250m", "512Mi"),
            "env": [{"name": "RP_DB_PASS", "valueFrom": {"secretKeyRef": {"name": "secretpostgresql", "key": "postgresql-password"}}}],
        }
    ]
    dep, rs, h = workload("reportportal", "api", replicas=2, containers=c, ready_replicas=0)
    pods = replica_pods(
        dep,
        rs,
        h,
        2,
        nodes=["worker-1", "worker-3"],
        created="-6m",
        status_for=lambda _n: pod_status(
            "Pending", [container_status("api", image, waiting("CreateContainerConfigError", 'secret "secretpostgresql" not found'))]
        ),
    )
    out += [dep, rs, *pods]
    for p in pods:
        out.append(
            event(p, "Warning", "Failed", 'Error: secret "secretpostgresql" not found', count=28, first="-6m", last="-25s", container="api")
        )
    out.append(
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "type": "Opaque",
            "metadata": {"name": "secret-postgresql", "namespace": "reportportal"},
            "data": {"postgresql-password": "ZGVtby1ub3QtYS1yZWFsLXBhc3N3b3Jk"},
        }
    )

    # RunContainerError / missing-key — the Secret exists, the key does not.
    # https://github.com/shieldworks/aegis/issues/293
    image = "localhost:5000/aegis-workload-demo-using-init-container:0.15.6"
    c = [
        {
            "name": "main",
            "image": image,
            "env": [{"name": "SECRET", "valueFrom": {"secretKeyRef": {"name": "aegis-secret-aegis-workload-demo", "key": "VALUE"}}}],
        }
    ]
    p = pod(
        "default",
        "aegis-workload-demo",
        containers=c,
        node_name="worker-2",
        created="-9m",
        status=pod_status(
            "Pending",
            [
                container_status(
                    "main",
                    image,
                    waiting("CreateContainerConfigError", "couldn't find key VALUE in Secret default/aegis-secret-aegis-workload-demo"),
                )
            ],
        ),
    )
    out += [
        p,
        event(
            p,
            "Normal",
            "Pulled",
            'Container image "localhost:5000/aegis-workload-demo-using-init-container:0.15.6" already present on machine',
            count=40,
            first="-9m",
            last="-20s",
            container="main",
        ),
        event(
            p,
            "Warning",
            "Failed",
            "Error: couldn't find key VALUE in Secret default/aegis-secret-aegis-workload-demo",
            count=40,
            first="-9m",
            last="-20s",
            container="main",
        ),
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "type": "Opaque",
            "metadata": {"name": "aegis-secret-aegis-workload-demo", "namespace": "default"},
            "data": {"value": "ZGVtby12YWx1ZQ==", "SPIFFEID": "ZGVtby1pZA=="},
        },
    ]

    # RunContainerError / run-as-non-root — names as in the report.
    # https://github.com/Unleash/unleash-edge/issues/483
    image = "unleashorg/unleash-edge:v19.1"
    c = [{"name": "unleash-edge", "image": image, "securityContext": {"runAsNonRoot": True}}]
    p = pod(
        "runai-backend",
        "runai-backend-unleash-edge-747fc6ccbd-vx9d4",
        containers=c,
        node_name="worker-3",
        created="-7m",
        owner={"kind": "ReplicaSet", "name": "runai-backend-unleash-edge-747fc6ccbd"},
        labels={"app": "unleash-edge", "pod-template-hash": "747fc6ccbd"},
        status=pod_status("Pending", [container_status("unleash-edge", image, waiting("CreateContainerConfigError"))]),
    )
    p["metadata"]["uid"] = "f03e42ed-3150-4c34-96f6-485c1ebbe7b2"
    out += [
        p,
        event(
            p,
            "Normal",
            "Scheduled",
            "Successfully assigned runai-backend/runai-backend-unleash-edge-747fc6ccbd-vx9d4 to runai-cluster-worker4",
            first="-7m",
            last="-7m",
            component="default-scheduler",
        ),
        event(
            p,
            "Normal",
            "Pulled",
            'Container image "unleashorg/unleash-edge:v19.1" already present on machine',
            count=33,
            first="-7m",
            last="-15s",
            container="unleash-edge",
        ),
        event(
            p,
            "Warning",
            "Failed",
            'Error: container has runAsNonRoot and image will run as root (pod: "runai-backend-unleash-edge-747fc6ccbd-vx9d4_runai-backend(f03e42ed-3150-4c34-96f6-485c1ebbe7b2)", container: unleash-edge)',
            count=33,
            first="-7m",
            last="-15s",
            container="unleash-edge",
        ),
    ]
    return out


def storage() -> list[dict]:
    # ContainerCreating / volume-attach-failure — the CSI driver never attaches the volume.
    # https://github.com/wunderio/csi-rclone/issues/20
    image = "nginx:1.27.2"
    c = [{"name": "nginx", "image": image, "volumeMounts": [{"name": "data-rclone-example", "mountPath": "/usr/share/nginx/html"}]}]
    p = pod(
        "storage",
        "nginx-example",
        containers=c,
        node_name="worker-2",
        created="-35m",
        spec_extra={"volumes": [{"name": "data-rclone-example", "persistentVolumeClaim": {"claimName": "data-rclone-example"}}]},
        status=pod_status("Pending", [container_status("nginx", image, waiting("ContainerCreating"))]),
    )
    pvc = {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": "data-rclone-example", "namespace": "storage", "creationTimestamp": "-36m"},
        "spec": {
            "accessModes": ["ReadWriteMany"],
            "storageClassName": "rclone",
            "resources": {"requests": {"storage": "10Gi"}},
            "volumeName": "data-rclone-example",
        },
        "status": {"phase": "Bound", "capacity": {"storage": "10Gi"}, "accessModes": ["ReadWriteMany"]},
    }
    return [
        p,
        pvc,
        {
            "apiVersion": "storage.k8s.io/v1",
            "kind": "StorageClass",
            "metadata": {"name": "rclone"},
            "provisioner": "kubernetes.io/no-provisioner",
            "volumeBindingMode": "Immediate",
        },
        event(
            p,
            "Warning",
            "FailedMount",
            "Unable to attach or mount volumes: unmounted volumes=[data-rclone-example], unattached volumes=[data-rclone-example default-token-75zjw]: timed out waiting for the condition",
            count=15,
            first="-33m",
            last="-2m",
            component="kubelet",
        ),
        event(
            p,
            "Warning",
            "FailedAttachVolume",
            'AttachVolume.Attach failed for volume "data-rclone-example" : attachdetachment timeout for volume data-id',
            count=16,
            first="-34m",
            last="-1m",
            component="attachdetach-controller",
        ),
    ]


def harbor() -> list[dict]:
    # Evicted / disk-pressure — two containers over their (zero) ephemeral-storage requests.
    # https://github.com/caoyingjunz/go-learning/issues/55
    msg = (
        "The node was low on resource: ephemeral-storage. Container harbor-chart-rsync-client was using 76Ki, which exceeds its request of 0. "
        "Container chartmuseum was using 856Ki, which exceeds its request of 0."
    )
    containers = [
        {"name": "chartmuseum", "image": "goharbor/chartmuseum-photon:v2.1.0"},
        {"name": "harbor-chart-rsync-client", "image": "goharbor/harbor-core:v2.1.0"},
    ]
    dep, rs, h = workload("harbor", "harbor-chartmuseum", replicas=1, containers=containers)
    lost = terminated("ContainerStatusUnknown", 137, "-5h", "-2h", "The container could not be located when the pod was terminated")
    statuses = [container_status(c["name"], c["image"], lost, ready=False) for c in containers]
    evicted = replica_pods(
        dep,
        rs,
        h,
        2,
        nodes=["worker-1"],
        created="-5h",
        status_for=lambda _n: {
            "phase": "Failed",
            "reason": "Evicted",
            "message": msg,
            "containerStatuses": statuses,
            "startTime": "-5h",
            "qosClass": "BestEffort",
        },
    )[:1]
    fresh = replica_pods(
        dep,
        rs,
        h,
        2,
        nodes=["worker-3"],
        created="-2h",
        status_for=lambda _n: pod_status("Running", [container_status(c["name"], c["image"], running("-2h")) for c in containers]),
    )[1:]
    return [dep, rs, *evicted, *fresh, event(evicted[0], "Warning", "Evicted", msg, first="-2h", last="-2h")]


def scenario() -> dict:
    """The objects and logs the demo's API server starts with."""
    objects = nodes() + shop() + kube_system() + search() + observability() + mem_example() + config_errors() + storage() + harbor()
    objects += workloads()  # workloads that fail beyond their pods (demo/workloads.py)
    objects += network()  # the path to the app: Services, Ingresses, claims, nodes, autoscalers (demo/network.py)
    logs = [
        # https://github.com/rancher/rke2/issues/10640 (the start-up line of the nginx image)
        *(
            {
                "namespace": o["metadata"]["namespace"],
                "pod": o["metadata"]["name"],
                "container": o["spec"]["containers"][0]["name"],
                "lines": ["/docker-entrypoint.sh: Configuration complete; ready for start up"],
            }
            for o in objects
            if o["kind"] == "Pod" and o["spec"]["containers"][0]["image"] == "nginx:1.27.2"
        ),
    ]
    for o in objects:
        if o["kind"] != "Pod":
            continue
        ns, name = o["metadata"]["namespace"], o["metadata"]["name"]
        if name.startswith("kestra-"):
            # https://github.com/kestra-io/helm-charts/issues/8
            logs.append(
                {
                    "namespace": ns,
                    "pod": name,
                    "container": "kestra",
                    "previous": True,
                    "lines": [
                        "\tat io.micronaut.context.DefaultBeanContext.initializeContext(DefaultBeanContext.java:1915)",
                        "\t... 8 more",
                        "Caused by: com.zaxxer.hikari.pool.HikariPool$PoolInitializationException: Failed to initialize pool: Connection to kestra-postgresql:5432 refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections.",
                        "\tat com.zaxxer.hikari.pool.HikariPool.throwPoolInitializationException(HikariPool.java:596)",
                        "\tat com.zaxxer.hikari.pool.HikariPool.checkFailFast(HikariPool.java:582)",
                    ],
                }
            )
        elif name.startswith("loki-"):
            # https://github.com/observatorium/observatorium/issues/410
            logs.append(
                {
                    "namespace": ns,
                    "pod": name,
                    "container": "loki",
                    "previous": True,
                    "lines": [
                        'level=error ts=2021-05-06T20:07:23.034407503Z caller=log.go:149 msg="error running loki" err="mkdir /data/loki: permission denied',
                    ],
                }
            )
    return {"objects": objects, "logs": logs}


def demo_inventory(now):
    """The demo cluster as an Inventory, loaded as its API server loads it: relative times resolved
    against `now`, uids filled in, events bound to their pods (for screenshots and tests)."""
    from k8sdoctor.core.inventory import Inventory
    from k8sdoctor.fakeapi.scenario import load

    loaded = load(scenario(), now)
    inventory = Inventory()
    for obj in loaded.objects:
        inventory.put(obj.get("kind", ""), obj)
    for spec in loaded.logs:
        inventory.put_logs(spec.namespace, spec.pod, spec.container, spec.previous, list(spec.lines))
    return inventory
