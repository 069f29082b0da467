"""Clusters for the path to an app (Services, Ingresses, claims, nodes, autoscalers, pod networking), each
built around a real case of tests/beyondcases.py (its `source_url` is cited on the scenario) with the
verdict k8sdoctor must give. Unit tests load a scenario into an Inventory; live tests apply it to the local
API server, diagnose it with the real CLI, and diagnose the same objects read back with `kubectl get -o
json` as a snapshot. Each scenario lives in its own namespace (its id); cluster-scoped objects are named
after it too.

Object names and numbers are made up where the source does not give them; every event, condition and log
message comes verbatim from the row. Times are relative to the real clock, as the CLI reads it.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from k8sdoctor.core.kube.timeutil import format_time, utcnow
from tests.beyondcases import beyond_case, case_event

Verdict = tuple[str, str, str]  # (category, cause, severity)
_SEQ = itertools.count(1)


@dataclass
class Scenario:
    id: str  # the namespace, and the prefix of cluster-scoped names
    source: str  # the cited row's source_url
    subject: tuple[str, str]  # (kind, name) the verdict is about
    verdict: Verdict | None  # None: nothing critical or warning (a control)
    objects: list[dict] = field(default_factory=list)
    logs: list[tuple[str, str, list[str]]] = field(default_factory=list)  # (pod, container, previous log lines)

    @property
    def namespace(self) -> str:
        return "" if self.subject[0] in ("Node",) else self.id


def ago(seconds: float) -> str:
    return format_time(utcnow() - timedelta(seconds=seconds))


def meta(name: str, namespace: str | None, *, age: float = 3600, labels: dict | None = None, **extra) -> dict:
    out = {"name": name, "uid": str(uuid.uuid4()), "creationTimestamp": ago(age), **extra}
    if namespace:
        out["namespace"] = namespace
    if labels:
        out["labels"] = dict(labels)
    return out


def event(about: dict, row_event: dict, *, component: str = "", count: int = 3, age: float = 120) -> dict:
    """The row's event (type, reason, message as the source gave them) about `about`."""
    m = about["metadata"]
    namespace = m.get("namespace") or "default"
    return {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": f"{m['name']}.{next(_SEQ):x}", "namespace": namespace},
        "involvedObject": {
            "kind": about["kind"],
            "apiVersion": about["apiVersion"],
            "name": m["name"],
            "uid": m["uid"],
            **({"namespace": m["namespace"]} if m.get("namespace") else {}),
        },
        "type": row_event.get("type") or "Warning",
        "reason": row_event.get("reason") or "",
        "message": row_event["message"],
        "source": {"component": component or row_event.get("from") or ""},
        "count": count,
        "firstTimestamp": ago(age + 600),
        "lastTimestamp": ago(age),
    }


def container(name: str, image: str = "registry.example/app:1.0", *, ports=(), requests: dict | None = None, **extra) -> dict:
    c = {"name": name, "image": image, **extra}
    if ports:
        c["ports"] = [dict(p) for p in ports]
    if requests:
        c["resources"] = {"requests": dict(requests)}
    return c


def pod(
    name: str,
    namespace: str,
    containers: list[dict],
    *,
    labels=None,
    node="worker-1",
    ready=True,
    owner=None,
    spec=None,
    status=None,
    age=3600,
) -> dict:
    """A pod created `age` seconds ago; a running one has ready (or not ready) container statuses."""
    statuses = [
        {
            "name": c["name"],
            "image": c["image"],
            "ready": ready,
            "restartCount": 0,
            "started": True,
            "state": {"running": {"startedAt": ago(age - 30)}},
        }
        for c in containers
    ]
    conditions = [{"type": "Ready", "status": "True" if ready else "False"}, {"type": "PodScheduled", "status": "True"}]
    body = {"apiVersion": "v1", "kind": "Pod", "metadata": meta(name, namespace, age=age, labels=labels)}
    if owner:
        body["metadata"]["ownerReferences"] = [
            {"apiVersion": "apps/v1", "kind": owner[0], "name": owner[1], "uid": f"{owner[1]}-uid", "controller": True}
        ]
    body["spec"] = {"containers": containers, **({"nodeName": node} if node else {}), **(spec or {})}
    body["status"] = status or {"phase": "Running", "conditions": conditions, "containerStatuses": statuses, "podIP": "10.244.1.7"}
    return body


def service(name: str, namespace: str, selector: dict | None, ports: list[dict], **spec) -> dict:
    body = {"type": "ClusterIP", "clusterIP": "10.96.0.40", "ports": ports, **spec}
    if selector is not None:
        body["selector"] = selector
    return {"apiVersion": "v1", "kind": "Service", "metadata": meta(name, namespace, age=86400), "spec": body}


def node(name: str, conditions: list[dict], *, taints=None, age: float = 86400) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": meta(name, None, age=age, labels={"kubernetes.io/hostname": name, "kubernetes.io/os": "linux"}),
        "spec": {"taints": taints} if taints else {},
        "status": {
            "conditions": [{**c, "lastHeartbeatTime": ago(20), "lastTransitionTime": ago(age / 2)} for c in conditions],
            "allocatable": {"cpu": "4", "memory": "16Gi", "pods": "110"},
            "capacity": {"cpu": "4", "memory": "16Gi", "pods": "110"},
            "nodeInfo": {
                "kubeletVersion": "v1.31.4",
                "containerRuntimeVersion": "containerd://1.7.24",
                "architecture": "amd64",
                "operatingSystem": "linux",
            },
        },
    }


def ingress(name: str, namespace: str, paths: list[tuple[str, str, int | str]], *, host="app.example.com", **spec) -> dict:
    rules = [
        {
            "host": host,
            "http": {
                "paths": [
                    {
                        "path": path,
                        "pathType": "Prefix",
                        "backend": {"service": {"name": svc, "port": {"number": port} if isinstance(port, int) else {"name": port}}},
                    }
                    for path, svc, port in paths
                ]
            },
        }
    ]
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": meta(name, namespace, age=86400),
        "spec": {"rules": rules, **spec},
    }


def claim(name: str, namespace: str, *, storage_class: str | None, size="8Gi", phase="Pending", age=3600, **spec) -> dict:
    body = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": size}}, "volumeMode": "Filesystem", **spec}
    if storage_class is not None:
        body["storageClassName"] = storage_class
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": meta(name, namespace, age=age),
        "spec": body,
        "status": {"phase": phase},
    }


def storage_class(name: str, provisioner: str, *, default=False, mode="Immediate", expansion=None) -> dict:
    annotations = {"storageclass.kubernetes.io/is-default-class": "true"} if default else {}
    body = {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": meta(name, None, age=86400 * 30, annotations=annotations),
        "provisioner": provisioner,
        "reclaimPolicy": "Delete",
        "volumeBindingMode": mode,
    }
    if expansion is not None:
        body["allowVolumeExpansion"] = expansion
    return body


def conditions_of(case_id: str, *types: str) -> list[dict]:
    return [c for c in beyond_case(case_id)["conditions"] if not types or c["type"] in types]


def source(case_id: str) -> str:
    return beyond_case(case_id)["source_url"]


# ---- Services and Ingresses ----------------------------------------------------------------------
def svc_selector() -> Scenario:
    # The Service selects app.kubernetes.io/component; the pods carry component.
    case = "helm-charts-nginx-ingress-default-backend-no-endpoint"
    ns = "svc-selector"
    labels = {"app": "nginx-ingress", "component": "default-backend"}
    backend = container(
        "nginx-ingress-default-backend", "k8s.gcr.io/defaultbackend-amd64:1.5", ports=[{"name": "http", "containerPort": 8080}]
    )
    selector = {"app": "nginx-ingress", "app.kubernetes.io/component": "default-backend"}
    objects = [
        pod("nginx-ingress-default-backend-7d5d7d8d9-x2x7q", ns, [backend], labels=labels),
        service("nginx-ingress-default-backend", ns, selector, [{"name": "http", "port": 80, "targetPort": "http"}]),
    ]
    return Scenario(
        ns, source(case), ("Service", "nginx-ingress-default-backend"), ("NoEndpoints", "selector-mismatch", "critical"), objects
    )


def svc_named_port() -> Scenario:
    case = "k8s-109627-named-targetport-endpoints-none"
    ns = "svc-named-port"
    pods = [
        pod(f"deploy-5d8c7f6b4-{s}", ns, [container("nginx", "nginx", ports=[{"containerPort": 80}])], labels={"app": "deploy"})
        for s in ("a1b2c", "d3e4f")
    ]
    objects = [*pods, service("svc", ns, {"app": "deploy"}, [{"port": 80, "targetPort": "http"}])]
    return Scenario(ns, source(case), ("Service", "svc"), ("NoEndpoints", "target-port-mismatch", "critical"), objects)


def svc_numeric_port() -> Scenario:
    # Control: containerPort 9999, targetPort 3000, and it works.
    case = "k8s-73049-numeric-targetport-undeclared-works"
    ns = "svc-numeric-port"
    objects = [
        pod(
            "client-pod",
            ns,
            [container("client", "stephengrider/multi-client", ports=[{"containerPort": 9999}])],
            labels={"component": "web"},
        ),
        service("client-node-port", ns, {"component": "web"}, [{"port": 3050, "targetPort": 3000, "nodePort": 31515}], type="NodePort"),
    ]
    return Scenario(ns, source(case), ("Service", "client-node-port"), None, objects)


def svc_unready() -> Scenario:
    # The only pod fails its readiness probe. https://github.com/istio/istio/issues/42940
    from tests.analyzers.builders import corpus_message

    ns = "svc-unready"
    message = corpus_message("istio-cni-readiness-503-get-events", "https://github.com/istio/istio/issues/42940")
    gateway = pod(
        "istio-ingressgateway-5b7f8c6d4-k2x9p",
        ns,
        [
            container(
                "istio-proxy",
                "docker.io/istio/proxyv2:1.16.1",
                ports=[{"containerPort": 8080}],
                readinessProbe={"httpGet": {"path": "/healthz/ready", "port": 15021}},
            )
        ],
        labels={"app": "istio-ingressgateway"},
        ready=False,
    )
    objects = [
        gateway,
        event(gateway, {"type": "Warning", "reason": "Unhealthy", "message": message}, component="kubelet", count=40),
        service("istio-ingressgateway", ns, {"app": "istio-ingressgateway"}, [{"port": 80, "targetPort": 8080}]),
    ]
    return Scenario(
        ns,
        "https://github.com/istio/istio/issues/42940",
        ("Service", "istio-ingressgateway"),
        ("NoEndpoints", "pods-not-ready", "critical"),
        objects,
    )


def ing_missing_service() -> Scenario:
    case = "website-28046-ingress-backend-service-missing"
    ns = "ing-missing-svc"
    objects = [
        service("hello", ns, {"app": "hello"}, [{"port": 8080}]),
        pod(
            "hello-7b9d5c6f4-lx2mk",
            ns,
            [container("hello", "gcr.io/google-samples/hello-app:1.0", ports=[{"containerPort": 8080}])],
            labels={"app": "hello"},
        ),
        ingress("example-ingress", ns, [("/", "web", 8080)], host="hello-world.info", ingressClassName=None),
    ]
    del objects[-1]["spec"]["ingressClassName"]
    return Scenario(ns, source(case), ("Ingress", "example-ingress"), ("IngressBackend", "service-missing", "critical"), objects)


def ing_port() -> Scenario:
    case = "rancher-16740-ingress-named-port-on-unnamed-service-port"
    ns = "ing-port"
    objects = [
        pod(
            "leo-test-6c5c75744b-t6fpr",
            ns,
            [container("leo-test", "leodotcloud/swiss-army-knife", ports=[{"containerPort": 80}])],
            labels={"name": "leo-test"},
        ),
        service("svc-leo-test", ns, {"name": "leo-test"}, [{"port": 80, "targetPort": 80}]),
        ingress("ingress-leo-test", ns, [("/", "svc-leo-test", "http")], host="leo-test.mydomain.com"),
    ]
    return Scenario(ns, source(case), ("Ingress", "ingress-leo-test"), ("IngressBackend", "service-port-missing", "critical"), objects)


def ing_no_endpoints() -> Scenario:
    case = "ingress-nginx-6543-tls-secret-missing-and-no-endpoint"
    ns = "ing-no-endpoints"
    objects = [
        service("ingress-demo", ns, {"app": "ingress-demo"}, [{"port": 80, "targetPort": 80}]),
        ingress("ingress-demo", ns, [("/", "ingress-demo", 80)], host="demo.example.com"),
    ]
    return Scenario(ns, source(case), ("Ingress", "ingress-demo"), ("IngressBackend", "backend-no-endpoints", "critical"), objects)


def ing_class() -> Scenario:
    case = "genestack-61-ingressclass-nginx-openstack-missing"
    ns = "ing-class"
    classes = [
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "IngressClass",
            "metadata": meta(n, None, age=86400 * 3),
            "spec": {"controller": "k8s.io/nginx-ingress"},
        }
        for n in ("nginx", "nginx-cluster")
    ]
    objects = [
        *classes,
        service("cinder-api", ns, None, [{"port": 8776}]),
        ingress(
            "cinder-cluster-fqdn",
            ns,
            [("/", "cinder-api", 8776)],
            host="cinder.dfw-ospcv2-staging.ohthree.com",
            ingressClassName="nginx-openstack",
        ),
    ]
    return Scenario(ns, source(case), ("Ingress", "cinder-cluster-fqdn"), ("IngressBackend", "ingress-class-missing", "critical"), objects)


def ing_tls() -> Scenario:
    case = "ingress-nginx-6543-tls-secret-missing-and-no-endpoint"
    ns = "ing-tls"
    objects = [
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "type": "kubernetes.io/tls",
            "metadata": meta("sci-driver-test1", ns),
            "data": {"tls.crt": "", "tls.key": ""},
        },
        service("aks-helloworld", ns, None, [{"port": 80}]),
        ingress(
            "hello-world-ingress",
            ns,
            [("/", "aks-helloworld", 80)],
            host="demo.example.com",
            tls=[{"hosts": ["demo.example.com"], "secretName": "aks-ingress-tls"}],
        ),
    ]
    return Scenario(ns, source(case), ("Ingress", "hello-world-ingress"), ("IngressBackend", "tls-secret-missing", "warning"), objects)


def ing_default_backend() -> Scenario:
    # Control: no spec.defaultBackend, so `kubectl describe` prints default-http-backend's error.
    case = "ingress-nginx-5525-default-backend-benign"
    ns = "ing-default-backend"
    objects = [
        pod(
            "kubernetes-dashboard-5b7f8c6d4-k2x9p",
            ns,
            [container("kubernetes-dashboard", "kubernetesui/dashboard:v2.0.0", ports=[{"containerPort": 8443}])],
            labels={"k8s-app": "kubernetes-dashboard"},
        ),
        service("kubernetes-dashboard", ns, {"k8s-app": "kubernetes-dashboard"}, [{"port": 443, "targetPort": 8443}]),
        ingress("k8s-dashboard", ns, [("/", "kubernetes-dashboard", 443)], host="dashboard.example.com"),
    ]
    return Scenario(ns, source(case), ("Ingress", "k8s-dashboard"), None, objects)


SERVICES: list[Callable[[], Scenario]] = [
    svc_selector,
    svc_named_port,
    svc_numeric_port,
    svc_unready,
    ing_missing_service,
    ing_port,
    ing_no_endpoints,
    ing_class,
    ing_tls,
    ing_default_backend,
]


# ---- claims ---------------------------------------------------------------------------------------
def pvc_no_default() -> Scenario:
    case = "kubeblocks-5757-pgsql-no-default-sc"
    ns = "pvc-no-default"
    pvc = claim("data-pg-cluster-postgresql-0", ns, storage_class=None, size="20Gi", age=86400)
    return Scenario(
        ns,
        source(case),
        ("PersistentVolumeClaim", pvc["metadata"]["name"]),
        ("PVCPending", "no-default-storageclass", "critical"),
        [pvc, event(pvc, case_event(case, "FailedBinding"), count=5903)],
    )


def pvc_class_missing() -> Scenario:
    case = "fastdfs-6-storageclass-fast-not-found"
    ns = "pvc-class-missing"
    pvc = claim("storage0-data-fastdfs-group0-storage0-0", ns, storage_class="fast", age=71 * 60)
    classes = [storage_class("pvc-class-missing-fast-ssd", "ebs.csi.aws.com")]
    return Scenario(
        ns,
        source(case),
        ("PersistentVolumeClaim", pvc["metadata"]["name"]),
        ("PVCPending", "storageclass-not-found", "critical"),
        [*classes, pvc, event(pvc, case_event(case, "ProvisioningFailed"), count=39)],
    )


def pvc_provisioning_failed() -> Scenario:
    case = "zfs-localpv-volume-creation-failed"
    ns = "pvc-provisioning-failed"
    pvc = claim("csi-zfspv", ns, storage_class="openebs-zfspv", size="4Gi")
    return Scenario(
        ns,
        source(case),
        ("PersistentVolumeClaim", "csi-zfspv"),
        ("PVCPending", "provisioning-failed", "critical"),
        [
            storage_class("openebs-zfspv", "zfs.csi.openebs.io"),
            pvc,
            event(pvc, case_event(case, "ProvisioningFailed"), component="zfs.csi.openebs.io"),
        ],
    )


def pvc_no_provisioner() -> Scenario:
    case = "external-storage-754-no-provisioner-answers"
    ns = "pvc-no-provisioner"
    pvc = claim("test-claim", ns, storage_class="managed-nfs-storage", size="1Mi", age=37 * 60, accessModes=["ReadWriteMany"])
    return Scenario(
        ns,
        source(case),
        ("PersistentVolumeClaim", "test-claim"),
        ("PVCPending", "provisioning-failed", "critical"),
        [storage_class("managed-nfs-storage", "fuserim.pri/ifs"), pvc, event(pvc, case_event(case, "ExternalProvisioning"), count=143)],
    )


def pvc_first_consumer() -> Scenario:
    case = "oteemo-nexus-wffc-no-pv-to-bind"
    ns = "pvc-first-consumer"
    pvc = claim("nexus-data", ns, storage_class="pvc-first-consumer-local", size="8Gi")
    scheduling = case_event(case, "FailedScheduling")["message"]
    nexus = pod(
        "nexus1-sonatype-nexus-5b7f8c6d4-q2w3e",
        ns,
        [container("nexus", "quay.io/travelaudience/docker-nexus:3.15.2")],
        node=None,
        spec={"volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": "nexus-data"}}]},
        status={
            "phase": "Pending",
            "conditions": [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": scheduling}],
        },
        age=1800,
    )
    objects = [
        storage_class("pvc-first-consumer-local", "kubernetes.io/no-provisioner", mode="WaitForFirstConsumer"),
        pvc,
        event(pvc, case_event(case, "WaitForFirstConsumer"), count=120),
        nexus,
        event(nexus, case_event(case, "FailedScheduling"), count=30),
    ]
    return Scenario(
        ns, source(case), ("PersistentVolumeClaim", "nexus-data"), ("PVCPending", "waiting-for-first-consumer", "critical"), objects
    )


def pvc_resize_failed() -> Scenario:
    case = "rbd-resize-failed-rbd-binary-missing"
    ns = "pvc-resize-failed"
    pvc = claim(
        "backend-mariadb-pvc-platform-ui-db-0",
        ns,
        storage_class="pvc-resize-failed-rbd",
        size="20Gi",
        phase="Bound",
        volumeName="pvc-3a5f1c2e",
    )
    pvc["status"]["capacity"] = {"storage": "10Gi"}
    objects = [
        storage_class("pvc-resize-failed-rbd", "kubernetes.io/rbd", expansion=True),
        pvc,
        event(pvc, case_event(case, "VolumeResizeFailed")),
    ]
    return Scenario(
        ns, source(case), ("PersistentVolumeClaim", pvc["metadata"]["name"]), ("PVCPending", "resize-failed", "warning"), objects
    )


def pvc_resize_unsupported() -> Scenario:
    case = "vsphere-csi-333-external-expanding-forever"
    ns = "pvc-resize-unsupported"
    pvc = claim("data", ns, storage_class="pvc-resize-unsupported-vsphere", size="20Gi", phase="Bound", volumeName="pvc-9d1e")
    pvc["status"]["capacity"] = {"storage": "10Gi"}
    objects = [
        storage_class("pvc-resize-unsupported-vsphere", "csi.vsphere.vmware.com", expansion=True),
        pvc,
        event(pvc, case_event(case, "ExternalExpanding"), age=26 * 60),
    ]
    return Scenario(ns, source(case), ("PersistentVolumeClaim", "data"), ("PVCPending", "resize-unsupported", "warning"), objects)


def pvc_unbound_pod() -> Scenario:
    # The pod Pending on its claim carries the claim's cause (no default StorageClass) into its finding.
    case = "k8s-website-26943-jhub-unbound-immediate"
    ns = "pvc-unbound-pod"
    pvc = claim("hub-db-dir", ns, storage_class=None, size="1Gi")
    scheduling = next(e for e in beyond_case(case)["events"] if e.get("reason") == "FailedScheduling")
    binding = next(e for e in beyond_case(case)["events"] if e["message"].startswith("no persistent volumes"))
    hub = pod(
        "hub-5b8d96f64b-qk86l",
        ns,
        [container("hub", "jupyterhub/k8s-hub:0.9.0")],
        node=None,
        spec={"volumes": [{"name": "hub-db-dir", "persistentVolumeClaim": {"claimName": "hub-db-dir"}}]},
        status={
            "phase": "Pending",
            "conditions": [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": scheduling["message"]}],
        },
    )
    objects = [
        pvc,
        event(pvc, {**binding, "type": "Normal", "reason": "FailedBinding"}, component="persistentvolume-controller"),
        hub,
        event(hub, scheduling),
    ]
    return Scenario(ns, source(case), ("Pod", "hub-5b8d96f64b-qk86l"), ("Pending", "unbound-pvc", "critical"), objects)


STORAGE: list[Callable[[], Scenario]] = [
    pvc_no_default,
    pvc_class_missing,
    pvc_provisioning_failed,
    pvc_no_provisioner,
    pvc_first_consumer,
    pvc_resize_failed,
    pvc_resize_unsupported,
    pvc_unbound_pod,
]


# ---- nodes, static volumes, autoscalers -----------------------------------------------------------
def node_scenario(ns: str, case: str, verdict: Verdict | None, conditions: list[dict], **kw) -> Scenario:
    return Scenario(ns, source(case), ("Node", ns), verdict, [node(ns, conditions, **kw)])


def nodes() -> list[Scenario]:
    ready = {"type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status"}
    return [
        node_scenario(
            "node-cni-dockershim",
            "kubeadm-1031-docker-cni-config-uninitialized",
            ("NodeNotReady", "network-not-ready", "critical"),
            conditions_of("kubeadm-1031-docker-cni-config-uninitialized"),
            taints=[{"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"}],
        ),
        node_scenario(
            "node-cni-containerd",
            "rke2-4476-container-runtime-network-not-ready",
            ("NodeNotReady", "network-not-ready", "critical"),
            conditions_of("rke2-4476-container-runtime-network-not-ready"),
        ),
        node_scenario(
            "node-unreachable",
            "k8s-36273-unreachable-node-conditions-partial",
            ("NodeNotReady", "kubelet-not-posting", "critical"),
            conditions_of("k8s-36273-unreachable-node-conditions-partial"),
            taints=[
                {"key": "node.kubernetes.io/unreachable", "effect": "NoExecute"},
                {"key": "node.kubernetes.io/unreachable", "effect": "NoSchedule"},
            ],
        ),
        node_scenario(
            "node-disk",
            "microk8s-3143-disk-pressure-eviction-loop",
            ("NodeNotReady", "disk-pressure", "warning"),
            [ready],
            taints=[{"key": "node.kubernetes.io/disk-pressure", "effect": "NoSchedule"}],
        ),
        node_scenario(
            "node-memory",
            "k8s-52386-memory-pressure-condition",
            ("NodeNotReady", "memory-pressure", "warning"),
            [*conditions_of("k8s-52386-memory-pressure-condition"), ready],
        ),
        node_scenario(
            "node-pid",
            "kubelet-setters-pid-pressure-condition",
            ("NodeNotReady", "pid-pressure", "warning"),
            [*conditions_of("kubelet-setters-pid-pressure-condition", "PIDPressure"), ready],
        ),
        node_scenario(
            "node-stale-outofdisk",
            "gardener-mcm-214-stale-outofdisk",
            None,
            [
                {
                    "type": "OutOfDisk",
                    "status": "Unknown",
                    "reason": "NodeStatusNeverUpdated",
                    "message": "Kubelet never posted node status.",
                },
                ready,
            ],
        ),
    ]


def pvc_static_too_small() -> Scenario:
    case = "helm-charts-21573-static-pv-too-small"
    ns = "pvc-static-too-small"
    pvc = claim("my-release-mongodb", ns, storage_class="", size="8Gi", age=16 * 60)
    volume = {
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": meta("pvc-static-too-small-pv", None, age=3600),
        "spec": {
            "capacity": {"storage": "2Gi"},
            "accessModes": ["ReadWriteOnce"],
            "hostPath": {"path": "/data/mongo"},
            "persistentVolumeReclaimPolicy": "Retain",
        },
        "status": {"phase": "Available"},
    }
    return Scenario(
        ns,
        source(case),
        ("PersistentVolumeClaim", "my-release-mongodb"),
        ("PVCPending", "no-matching-pv", "critical"),
        [volume, pvc, event(pvc, case_event(case, "FailedBinding"), count=63)],
    )


def deployment(name: str, namespace: str, containers: list[dict], *, replicas: int = 2) -> list[dict]:
    """A Deployment, its ReplicaSet and its running pods, labelled app=NAME."""
    labels = {"app": name}
    dep = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {**meta(name, namespace, age=86400, labels=labels), "uid": f"{name}-uid"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels}, "spec": {"containers": containers}},
        },
        "status": {"replicas": replicas, "readyReplicas": replicas},
    }
    rs_name = f"{name}-6d5c4b3a2"
    rs = {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            **meta(rs_name, namespace, age=86400, labels={**labels, "pod-template-hash": "6d5c4b3a2"}),
            "uid": f"{rs_name}-uid",
            "annotations": {"deployment.kubernetes.io/revision": "1"},
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": name, "uid": f"{name}-uid", "controller": True}],
        },
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels}, "spec": {"containers": containers}},
        },
        "status": {"replicas": replicas, "readyReplicas": replicas},
    }
    return [dep, rs]


def hpa(name: str, namespace: str, target: tuple[str, str], *, conditions=(), metrics=None) -> dict:
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": meta(name, namespace, age=86400),
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": target[0], "name": target[1]},
            "minReplicas": 1,
            "maxReplicas": 10,
            "metrics": metrics
            or [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}}],
        },
        "status": {"currentReplicas": 2, "desiredReplicas": 2, "conditions": [{**c, "lastTransitionTime": ago(3600)} for c in conditions]},
    }


def hpa_missing_request() -> Scenario:
    # The app container has a request; the linkerd-proxy sidecar injected into the pods has none.
    case = "k8s-79365-hpa-missing-request-for-cpu"
    ns = "hpa-missing-request"
    app = container("web", "registry.example/web:2.1", requests={"cpu": "250m"})
    proxy = container("linkerd-proxy", "cr.l5d.io/linkerd/proxy:stable-2.14.10")
    objects = deployment("web", ns, [app])
    objects += [
        pod(
            f"web-6d5c4b3a2-{s}",
            ns,
            [app, proxy],
            labels={"app": "web", "pod-template-hash": "6d5c4b3a2"},
            owner=("ReplicaSet", "web-6d5c4b3a2"),
        )
        for s in ("k2j4h", "m5n6b")
    ]
    scaler = hpa("web", ns, ("Deployment", "web"))
    del scaler["status"]["conditions"]
    objects += [
        scaler,
        event(scaler, case_event(case, "FailedComputeMetricsReplicas"), count=12),
        event(scaler, case_event(case, "FailedGetResourceMetric"), count=136, age=60),
    ]
    return Scenario(
        ns, source(case), ("HorizontalPodAutoscaler", "web"), ("AutoscalerFailing", "missing-resource-request", "warning"), objects
    )


def hpa_metrics_api() -> Scenario:
    case = "openstudio-hpa-metrics-api-not-found"
    ns = "hpa-metrics-api"
    objects = [*deployment("openstudio-server", ns, [container("web", "nrel/openstudio-server:3.4.0", requests={"cpu": "1"})], replicas=1)]
    objects.append(hpa("openstudio-server", ns, ("Deployment", "openstudio-server"), conditions=conditions_of(case)))
    return Scenario(
        ns, source(case), ("HorizontalPodAutoscaler", "openstudio-server"), ("AutoscalerFailing", "metrics-unavailable", "warning"), objects
    )


def hpa_target_kind() -> Scenario:
    case = "sc4s-1289-hpa-targets-deployment-of-statefulset"
    ns = "hpa-target-kind"
    name = "sc4s-splunk-connect-for-syslog"
    labels = {"app": name}
    sts = {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": meta(name, ns, age=86400, labels=labels),
        "spec": {
            "replicas": 2,
            "serviceName": name,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [container("sc4s", "ghcr.io/splunk/splunk-connect-for-syslog/container2:1.96.0")]},
            },
        },
        "status": {"replicas": 2, "readyReplicas": 2},
    }
    return Scenario(
        ns,
        source(case),
        ("HorizontalPodAutoscaler", name),
        ("AutoscalerFailing", "target-missing", "warning"),
        [sts, hpa(name, ns, ("Deployment", name), conditions=conditions_of(case))],
    )


def hpa_controls() -> list[Scenario]:
    out = []
    for ns, case in (
        ("hpa-scaling-limited", "k8s-79773-scalinglimited-reason-message-mismatch"),
        ("hpa-backoff", "k8s-56165-hpa-backoffboth"),
    ):
        objects = deployment("web", ns, [container("web", "registry.example/web:2.1", requests={"cpu": "250m"})])
        conditions = conditions_of(case)
        out.append(
            Scenario(
                ns,
                source(case),
                ("HorizontalPodAutoscaler", "web"),
                None,
                [*objects, hpa("web", ns, ("Deployment", "web"), conditions=conditions)],
            )
        )
    return out


def cluster_wide() -> list[Scenario]:
    return [*nodes(), pvc_static_too_small(), hpa_missing_request(), hpa_metrics_api(), hpa_heapster(), hpa_target_kind(), *hpa_controls()]


# ---- pod networking -------------------------------------------------------------------------------
def coredns(ready: bool = True) -> dict:
    return pod(
        "coredns-5dd5756b68-gt7xt",
        "kube-system",
        [container("coredns", "registry.k8s.io/coredns/coredns:v1.11.3", ports=[{"name": "dns", "containerPort": 53, "protocol": "UDP"}])],
        labels={"k8s-app": "kube-dns"},
        node="pod-net-node",
        ready=ready,
    )


def pod_cni() -> Scenario:
    # Calico's CNI plugin is refused by the API server; calico-node on the node is not ready.
    case = "calico-9215-sandbox-unauthorized-new-format"
    ns = "pod-cni"
    ready = {"type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status"}
    agent = pod(
        "calico-node-x2x7q",
        "kube-system",
        [container("calico-node", "docker.io/calico/node:v3.26.1")],
        labels={"k8s-app": "calico-node"},
        node="pod-net-node",
        ready=False,
        owner=("DaemonSet", "calico-node"),
    )
    web = pod(
        "web-7d9f8b6c5d-x2x7q",
        ns,
        [container("web", "nginx:1.27.2")],
        node="pod-net-node",
        status={
            "phase": "Pending",
            "conditions": [{"type": "PodScheduled", "status": "True"}, {"type": "Ready", "status": "False"}],
            "containerStatuses": [
                {
                    "name": "web",
                    "image": "nginx:1.27.2",
                    "ready": False,
                    "restartCount": 0,
                    "state": {"waiting": {"reason": "ContainerCreating"}},
                }
            ],
        },
        age=900,
    )
    objects = [
        node("pod-net-node", [ready]),
        agent,
        coredns(),
        web,
        event(web, case_event(case, "FailedCreatePodSandBox"), component="kubelet", count=40),
    ]
    return Scenario(ns, source(case), ("Pod", web["metadata"]["name"]), ("ContainerCreating", "network-setup-failure", "critical"), objects)


def pod_dns() -> Scenario:
    # keycloak looks up keycloak-postgresql; in replication mode the chart names its Services otherwise.
    case = "bitnami-9885-keycloak-postgresql-renamed"
    ns = "pod-dns"
    image = "docker.io/bitnami/keycloak:17.0.1-debian-10-r13"
    keycloak = pod(
        "keycloak-0",
        ns,
        [container("keycloak", image)],
        node="pod-net-node",
        status={
            "phase": "Running",
            "conditions": [{"type": "PodScheduled", "status": "True"}, {"type": "Ready", "status": "False"}],
            "containerStatuses": [
                {
                    "name": "keycloak",
                    "image": image,
                    "ready": False,
                    "restartCount": 7,
                    "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                    "lastState": {
                        "terminated": {
                            "reason": "Error",
                            "exitCode": 1,
                            "startedAt": ago(400),
                            "finishedAt": ago(280),
                            "containerID": "containerd://6e0a1d7b4c2f9e8d3a5b7c1f0e2d4a6b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5",
                        }
                    },
                }
            ],
        },
    )
    services = [
        service("keycloak-postgresql-primary", ns, {"app.kubernetes.io/component": "primary"}, [{"name": "tcp-postgresql", "port": 5432}]),
        service("keycloak-postgresql-read", ns, {"app.kubernetes.io/component": "read"}, [{"name": "tcp-postgresql", "port": 5432}]),
    ]
    logs = [("keycloak-0", "keycloak", beyond_case(case)["logs"])]
    return Scenario(ns, source(case), ("Pod", "keycloak-0"), ("CrashLoopBackOff", "dns-failure", "critical"), [keycloak, *services], logs)


PODS: list[Callable[[], Scenario]] = [pod_cni, pod_dns]


# ---- more real cases: each cause in more wordings, and more controls --------------------------------
# Scenarios of `more()` share one cluster; `metrics_available()` is a cluster of its own (its metrics
# APIService is Available, where `more()`'s is not).
def metrics_apiservice(condition: dict) -> dict:
    """The APIService metrics-server registers, with an Available condition."""
    return {
        "apiVersion": "apiregistration.k8s.io/v1",
        "kind": "APIService",
        "metadata": meta("v1beta1.metrics.k8s.io", None, age=86400 * 10, labels={"k8s-app": "metrics-server"}),
        "spec": {
            "service": {"name": "metrics-server", "namespace": "kube-system", "port": 443},
            "group": "metrics.k8s.io",
            "version": "v1beta1",
            "insecureSkipTLSVerify": True,
            "groupPriorityMinimum": 100,
            "versionPriority": 100,
        },
        "status": {"conditions": [{**condition, "lastTransitionTime": ago(3600)}]},
    }


def svc_headless() -> Scenario:
    # Control: a headless Service without ports whose Running pod matches (Kubernetes 1.3 created no
    # endpoints for it; since kubernetes#67622 it gets them).
    case = "k8s-32766-headless-service-no-ports"
    ns = "svc-headless"
    labels = {"service": "front-end", "app": "sockshop"}
    objects = [
        pod("front-end-1567472915-tei91", ns, [container("front-end", "weaveworksdemos/front-end:0.3.12")], labels=labels),
        service("front-end", ns, {"service": "front-end"}, None, clusterIP="None"),
    ]
    del objects[-1]["spec"]["ports"]
    return Scenario(ns, source(case), ("Service", "front-end"), None, objects)


def pvc_class_standard_missing() -> Scenario:
    # prometheus-data-prometheus-0 asks for StorageClass standard (a GCE default) on a cluster that has none.
    case = "k8s-81714-storageclass-standard-not-found"
    ns = "pvc-class-standard"
    pvc = claim("prometheus-data-prometheus-0", ns, storage_class="standard", size="16Gi", age=7 * 3600)
    prometheus = pod(
        "prometheus-0",
        ns,
        [container("prometheus-server", "prom/prometheus:v2.2.1")],
        node=None,
        spec={"volumes": [{"name": "prometheus-data", "persistentVolumeClaim": {"claimName": pvc["metadata"]["name"]}}]},
        status={"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable"}]},
        age=7 * 3600,
    )
    return Scenario(
        ns,
        source(case),
        ("PersistentVolumeClaim", pvc["metadata"]["name"]),
        ("PVCPending", "storageclass-not-found", "critical"),
        [pvc, prometheus, event(prometheus, case_event(case, "FailedScheduling"), count=800)],
    )


def pvc_in_tree_provisioner() -> Scenario:
    # The in-tree GCE provisioner on a control plane without --cloud-provider.
    case = "k8s-the-hard-way-gce-cloudprovider-missing"
    ns = "pvc-in-tree-gce"
    pvc = claim("mongodb-pvc", ns, storage_class="default", size="1Gi")
    return Scenario(
        ns,
        source(case),
        ("PersistentVolumeClaim", "mongodb-pvc"),
        ("PVCPending", "provisioning-failed", "critical"),
        [storage_class("default", "kubernetes.io/gce-pd"), pvc, event(pvc, case_event(case, "ProvisioningFailed"), count=12)],
    )


def pvc_selector_dynamic() -> Scenario:
    # A claim with a selector on a dynamically provisioned class.
    case = "helm-1911-aws-claim-selector-provisioning-failed"
    ns = "pvc-selector-dynamic"
    pvc = claim("jenkins", ns, storage_class="gp2", size="8Gi", selector={"matchLabels": {"app": "jenkins"}})
    return Scenario(
        ns,
        source(case),
        ("PersistentVolumeClaim", "jenkins"),
        ("PVCPending", "provisioning-failed", "critical"),
        [storage_class("gp2", "kubernetes.io/aws-ebs"), pvc, event(pvc, case_event(case, "ProvisioningFailed"), count=20)],
    )


def pvc_default_came_later() -> Scenario:
    # No class and no default when the claim was created; a default exists now (nfs), which does not
    # apply to an existing claim: it must be created again.
    case = "k8s-44370-default-class-after-claim"
    ns = "pvc-default-later"
    pvc = claim("test-postgresql", ns, storage_class=None, size="8Gi", age=2 * 86400)
    nfs = storage_class("nfs", "local.net/nfs", default=True)
    nfs["metadata"]["creationTimestamp"] = ago(86400)
    failed = next(e for e in beyond_case(case)["events"] if e["reason"] == "FailedBinding")
    return Scenario(
        ns,
        source(case),
        ("PersistentVolumeClaim", "test-postgresql"),
        ("PVCPending", "no-default-storageclass", "critical"),
        [nfs, pvc, event(pvc, failed, count=400)],
    )


def more_nodes() -> list[Scenario]:
    return [
        node_scenario(
            "node-cni-karpenter",
            "karpenter-1391-new-nodes-cni-not-initialized",
            ("NodeNotReady", "network-not-ready", "critical"),
            conditions_of("karpenter-1391-new-nodes-cni-not-initialized"),
            taints=[{"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"}],
        ),
        node_scenario(
            # Only the conditions the issue shows (no Ready condition): the node lifecycle controller's
            # "stopped posting" on OutOfDisk, with the unreachable taint it adds.
            "node-kubeadm-v14",
            "k8s-34314-kubeadm-notready-v1.4",
            ("NodeNotReady", "kubelet-not-posting", "critical"),
            conditions_of("k8s-34314-kubeadm-notready-v1.4"),
            taints=[{"key": "node.kubernetes.io/unreachable", "effect": "NoSchedule"}],
        ),
    ]


def injected(app: dict, ns: str, name: str, sidecar: dict, suffixes=("k2j4h", "m5n6b")) -> list[dict]:
    """A Deployment of `app` whose pods also run `sidecar` (injected at admission, not in the template)."""
    objects = deployment(name, ns, [app])
    objects += [
        pod(
            f"{name}-6d5c4b3a2-{s}",
            ns,
            [app, sidecar],
            labels={"app": name, "pod-template-hash": "6d5c4b3a2"},
            owner=("ReplicaSet", f"{name}-6d5c4b3a2"),
        )
        for s in suffixes
    ]
    return objects


def hpa_memory_request() -> Scenario:
    case = "k8s-88333-hpa-missing-request-memory"
    ns = "hpa-memory-request"
    app = container("api", "registry.example/api:1.4", requests={"cpu": "100m", "memory": "128Mi"})
    proxy = container("istio-proxy", "docker.io/istio/proxyv2:1.4.3", requests={"cpu": "10m"})
    memory = [{"type": "Resource", "resource": {"name": "memory", "target": {"type": "Utilization", "averageUtilization": 80}}}]
    scaler = hpa("api", ns, ("Deployment", "api"), metrics=memory)
    del scaler["status"]["conditions"]
    objects = [
        *injected(app, ns, "api", proxy),
        scaler,
        event(scaler, case_event(case, "FailedComputeMetricsReplicas"), count=30),
        event(scaler, case_event(case, "FailedGetResourceMetric"), count=30, age=60),
    ]
    return Scenario(
        ns, source(case), ("HorizontalPodAutoscaler", "api"), ("AutoscalerFailing", "missing-resource-request", "warning"), objects
    )


def hpa_condition_names_container(ns: str, case: str, name: str, app: dict, sidecar: dict | None) -> Scenario:
    objects = injected(app, ns, name, sidecar) if sidecar else deployment(name, ns, [app])
    if not sidecar:
        objects += [
            pod(
                f"{name}-5cdb678c48-8bgbm",
                ns,
                [app],
                labels={"app": name, "pod-template-hash": "5cdb678c48"},
                owner=("ReplicaSet", f"{name}-6d5c4b3a2"),
            )
        ]
    conditions = [{**c, "status": c.get("status") or "False"} for c in conditions_of(case)]
    objects.append(hpa(name, ns, ("Deployment", name), conditions=conditions))
    return Scenario(
        ns, source(case), ("HorizontalPodAutoscaler", name), ("AutoscalerFailing", "missing-resource-request", "warning"), objects
    )


def hpa_envoy_sidecar() -> Scenario:
    # The App Mesh injector adds envoy without a CPU request (the issue does not show the condition's status).
    return hpa_condition_names_container(
        "hpa-envoy-sidecar",
        "app-mesh-inject-12-envoy-missing-cpu-request",
        "frontend-primary",
        container("frontend", "registry.example/frontend:1.0", requests={"cpu": "100m"}),
        container("envoy", "111345817488.dkr.ecr.us-west-2.amazonaws.com/aws-appmesh-envoy:v1.8.0.2-beta"),
    )


def hpa_owncloud() -> Scenario:
    # The chart's only container has no CPU request.
    return hpa_condition_names_container(
        "hpa-owncloud",
        "k3s-8287-missing-request-in-container-of-pod",
        "my-cloud-owncloud",
        container("owncloud", "owncloud/server:10.12"),
        None,
    )


def hpa_heapster() -> Scenario:
    # Kubernetes 1.9 reads metrics.k8s.io; only Heapster runs, so the API is not registered.
    case = "handbook-hpa-heapster-vs-metrics-api"
    ns = "hpa-heapster"
    scaler = hpa("nginx", ns, ("Deployment", "nginx"))
    del scaler["status"]["conditions"]
    objects = [
        *deployment("nginx", ns, [container("nginx", "nginx:1.13", requests={"cpu": "100m"})]),
        scaler,
        event(scaler, case_event(case, "FailedGetResourceMetric"), count=40),
        event(scaler, case_event(case, "FailedComputeMetricsReplicas"), count=40, age=60),
    ]
    return Scenario(
        ns, source(case), ("HorizontalPodAutoscaler", "nginx"), ("AutoscalerFailing", "metrics-unavailable", "warning"), objects
    )


def hpa_metrics_not_available() -> Scenario:
    # metrics.k8s.io is registered, but its APIService is not Available (see `more()`).
    case = "k8s-102017-metrics-api-unable-to-handle"
    ns = "hpa-metrics-down"
    memory = [{"type": "Resource", "resource": {"name": "memory", "target": {"type": "Utilization", "averageUtilization": 80}}}]
    scaler = hpa("web", ns, ("Deployment", "web"), metrics=memory)
    del scaler["status"]["conditions"]
    objects = [
        *deployment("web", ns, [container("web", "registry.example/web:2.1", requests={"cpu": "250m", "memory": "256Mi"})]),
        scaler,
        event(scaler, case_event(case, "FailedGetResourceMetric"), count=25),
    ]
    return Scenario(ns, source(case), ("HorizontalPodAutoscaler", "web"), ("AutoscalerFailing", "metrics-unavailable", "warning"), objects)


def hpa_pods_starting() -> Scenario:
    # Control: no metrics yet for pods that are starting; the autoscaler says so itself (info at most).
    case = "metrics-server-1641-did-not-receive-metrics"
    ns = "hpa-pods-starting"
    scaler = hpa("web", ns, ("Deployment", "web"))
    del scaler["status"]["conditions"]
    objects = [
        *deployment("web", ns, [container("web", "registry.example/web:2.1", requests={"cpu": "250m"})]),
        scaler,
        event(scaler, case_event(case, "FailedGetResourceMetric"), count=2, age=60),
    ]
    return Scenario(ns, source(case), ("HorizontalPodAutoscaler", "web"), None, objects)


def sandbox_pod(name: str, ns: str, node_name: str, image: str = "nginx:1.27.2", age: float = 900) -> dict:
    """A pod on `node_name` whose container waits in ContainerCreating (its sandbox has no network)."""
    return pod(
        name,
        ns,
        [container("app", image)],
        node=node_name,
        status={
            "phase": "Pending",
            "conditions": [{"type": "PodScheduled", "status": "True"}, {"type": "Ready", "status": "False"}],
            "containerStatuses": [
                {"name": "app", "image": image, "ready": False, "restartCount": 0, "state": {"waiting": {"reason": "ContainerCreating"}}}
            ],
        },
        age=age,
    )


def pod_network_case(ns: str, case: str, agent: dict | None, *, reason: str | None = None) -> Scenario:
    """A pod whose sandbox gets no network (the row's event), on a Ready node with the CNI's agent pod."""
    ready = {"type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status"}
    row_event = case_event(case, reason) if reason else beyond_case(case)["events"][0]
    web = sandbox_pod(f"{ns}-7d9f8b6c5d-x2x7q", ns, ns)
    objects = [node(ns, [ready]), web, event(web, row_event, component="kubelet", count=30)]
    if agent:
        objects.insert(1, agent)
    return Scenario(ns, source(case), ("Pod", web["metadata"]["name"]), ("ContainerCreating", "network-setup-failure", "critical"), objects)


def flannel_agent(ns_node: str, ready: bool) -> dict:
    return pod(
        "kube-flannel-ds-8xk2p",
        "kube-flannel",
        [container("kube-flannel", "docker.io/flannel/flannel:v0.26.1")],
        labels={"app": "flannel"},
        node=ns_node,
        ready=ready,
        owner=("DaemonSet", "kube-flannel-ds"),
    )


def more_pod_networks() -> list[Scenario]:
    calico = pod(
        "calico-node-7h2kd",
        "kube-system",
        [container("calico-node", "calico/node:v3.14.0")],
        labels={"k8s-app": "calico-node"},
        node="pod-cni-calico-rbac",
        ready=True,
        owner=("DaemonSet", "calico-node"),
    )
    return [
        pod_network_case("pod-cni-calico-rbac", "calico-3538-cni-rbac-v3.14", calico),
        pod_network_case(
            "pod-cni-flannel", "flannel-2253-subnet-env-missing", flannel_agent("pod-cni-flannel", False), reason="FailedCreatePodSandBox"
        ),
        pod_network_case("pod-cni-flannel-old", "k8s-65526-flannel-dockershim-subnet-env", None),
    ]


def crashing(name: str, ns: str, image: str, container_name: str, *, restarts: int = 6) -> dict:
    """A pod whose only container exits with an error and is restarted (CrashLoopBackOff)."""
    return pod(
        name,
        ns,
        [container(container_name, image)],
        status={
            "phase": "Running",
            "conditions": [{"type": "PodScheduled", "status": "True"}, {"type": "Ready", "status": "False"}],
            "containerStatuses": [
                {
                    "name": container_name,
                    "image": image,
                    "ready": False,
                    "restartCount": restarts,
                    "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                    "lastState": {
                        "terminated": {
                            "reason": "Error",
                            "exitCode": 1,
                            "startedAt": ago(400),
                            "finishedAt": ago(340),
                            "containerID": f"containerd://{uuid.uuid5(uuid.NAMESPACE_DNS, name).hex}",
                        }
                    },
                }
            ],
        },
    )


def more_dns() -> list[Scenario]:
    out = []
    for ns, case, name, image, container_name in (
        # the app looks up mysql; the chart's Services are named after the release
        ("pod-dns-mysql", "docker-pdns-151-unknown-server-host-mysql", "pdns-admin-6f7d9c8b5-q2w3e", "pschiffe/pdns-admin", "pdns-admin"),
        ("pod-dns-keycloak", "codecentric-49-keycloak-unknownhost-mysql", "keycloak-0", "jboss/keycloak:4.5.0.Final", "keycloak"),
        # the controller builds a cluster.local name on a cluster whose domain is another
        (
            "pod-dns-domain",
            "skupper-no-such-host-cluster-domain",
            "skupper-service-controller-5b7f8c6d4-k2x9p",
            "quay.io/skupper/service-controller:1.4.2",
            "service-controller",
        ),
    ):
        app = crashing(name, ns, image, container_name)
        services = [service("mysql-release-mysql", ns, {"app": "mysql"}, [{"port": 3306}])] if "mysql" in case else []
        if "skupper" in case:  # the Service is there; the name spells out a domain the cluster does not use
            services = [service("skupper-router-local", "skupper", {"application": "skupper-router"}, [{"name": "amqp", "port": 5672}])]
        out.append(
            Scenario(
                ns,
                source(case),
                ("Pod", name),
                ("CrashLoopBackOff", "dns-failure", "critical"),
                [app, *services],
                [(name, container_name, beyond_case(case)["logs"])],
            )
        )
    return out


def coredns_upstream_timeouts() -> Scenario:
    # Control: a ready CoreDNS logs that an upstream resolver did not answer; CoreDNS itself is healthy.
    case = "coredns-5179-upstream-timeout-explained"
    ns = "coredns-upstream"
    dns = pod(
        "coredns-558bd4d5db-7mx2q",
        ns,
        [container("coredns", "registry.k8s.io/coredns/coredns:v1.8.6", ports=[{"name": "dns", "containerPort": 53, "protocol": "UDP"}])],
        labels={"k8s-app": "kube-dns"},
    )
    return Scenario(
        ns,
        source(case),
        ("Pod", "coredns-558bd4d5db-7mx2q"),
        None,
        [dns],
        [("coredns-558bd4d5db-7mx2q", "coredns", beyond_case(case)["logs"])],
    )


def more() -> list[Scenario]:
    """One cluster: the metrics API registered but not Available, and what does not depend on it."""
    scenarios = [
        svc_headless(),
        pvc_class_standard_missing(),
        pvc_in_tree_provisioner(),
        pvc_selector_dynamic(),
        pvc_default_came_later(),
        *more_nodes(),
        hpa_memory_request(),
        hpa_envoy_sidecar(),
        hpa_owncloud(),
        hpa_metrics_not_available(),
        hpa_pods_starting(),
        *more_pod_networks(),
        *more_dns(),
        coredns_upstream_timeouts(),
    ]
    # https://github.com/kubernetes-sigs/metrics-server/issues/208 (the API server cannot reach metrics-server)
    scenarios[0].objects.append(metrics_apiservice(conditions_of("metrics-server-208-apiservice-no-route")[0]))
    scenarios[0].objects.append(coredns())  # the cluster's DNS runs and is ready
    return scenarios


def metrics_available() -> list[Scenario]:
    """Another cluster: metrics-server registered and Available, returning no metrics for the pods."""
    case = "clearlinux-5-no-metrics-returned"
    ns = "hpa-no-metrics"
    # The issue does not show the APIService: registered and Available as kube-aggregator reports it
    # (https://github.com/faudeltn/Kubernetes/blob/HEAD/HorizontalPodAutoscaler/README.md).
    objects = [
        metrics_apiservice(conditions_of("hpa-readme-metrics-apiservice-available")[0]),
        *deployment("php-apache", ns, [container("php-apache", "k8s.gcr.io/hpa-example", requests={"cpu": "200m"})], replicas=1),
        hpa("php-apache", ns, ("Deployment", "php-apache"), conditions=conditions_of(case)),
    ]
    return [
        Scenario(
            ns, source(case), ("HorizontalPodAutoscaler", "php-apache"), ("AutoscalerFailing", "metrics-unavailable", "warning"), objects
        )
    ]
