"""The demo's path to the app, namespace `web`: a storefront whose Service selector has a typo, an Ingress
that also routes to a Service that does not exist, an uploads claim naming a StorageClass the cluster
does not have (its pod Pending on it), an autoscaler whose pods' injected linkerd-proxy sidecar has no
CPU request; and a fifth node, NotReady because its CNI never came up.

Every event and condition message is copied verbatim from the public report cited next to it. The
Service, Ingress and claim failures have no message of their own: their evidence is how the objects
relate, as in the reports cited.
"""

from __future__ import annotations

from k8sdoctor.demo.objects import container_status, event, node, pod_status, replica_pods, running, stable_suffix, workload

NAMESPACE = "web"
LINKERD = "cr.l5d.io/linkerd/proxy:stable-2.14.10"
FRONTEND = "registry.example/web/frontend:4.2.0"


def _frontend() -> list[dict]:
    # The Deployment's template has one container; the pods also carry the linkerd-proxy sidecar the
    # linkerd injector adds at admission, without requests. https://github.com/linkerd/linkerd2/issues/1480
    app: dict = {"name": "frontend", "image": FRONTEND, "ports": [{"name": "http", "containerPort": 8080}]}
    app["resources"] = {"requests": {"cpu": "250m", "memory": "256Mi"}}
    proxy = {"name": "linkerd-proxy", "image": LINKERD, "ports": [{"name": "linkerd-proxy", "containerPort": 4143}]}
    dep, rs, h = workload(NAMESPACE, "web-frontend", replicas=2, containers=[app], created="-6d")
    rs["spec"]["template"]["spec"] = {**rs["spec"]["template"]["spec"], "containers": [app, proxy]}
    statuses = [container_status("frontend", FRONTEND, running("-6d")), container_status("linkerd-proxy", LINKERD, running("-6d"))]
    pods = replica_pods(
        dep, rs, h, 2, nodes=["worker-1", "worker-2"], created="-6d", status_for=lambda _n: pod_status("Running", statuses, started="-6d")
    )
    # Service web-frontend selects app: web-frontnd, a typo: no pod carries it (helm/charts#21515 is the
    # same failure with a label key). https://github.com/helm/charts/issues/21515
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "web-frontend", "namespace": NAMESPACE, "creationTimestamp": "-6d"},
        "spec": {
            "type": "ClusterIP",
            "clusterIP": "10.96.41.7",
            "selector": {"app": "web-frontnd"},
            "ports": [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": "http"}],
        },
    }
    return [dep, rs, *pods, service, *_autoscaler(dep)]


def _autoscaler(deployment: dict) -> list[dict]:
    # https://github.com/airflow-helm/charts/issues/224 (condition) and
    # https://github.com/kubernetes/kubernetes/issues/79365 (events): a sidecar without a CPU request.
    hpa = {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "web-frontend", "namespace": NAMESPACE, "creationTimestamp": "-6d"},
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": deployment["metadata"]["name"]},
            "minReplicas": 2,
            "maxReplicas": 10,
            "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}}],
        },
        "status": {
            "currentReplicas": 2,
            "desiredReplicas": 2,
            "conditions": [
                {
                    "type": "AbleToScale",
                    "status": "True",
                    "reason": "SucceededGetScale",
                    "message": "the HPA controller was able to get the target's current scale",
                    "lastTransitionTime": "-6d",
                },
                {
                    "type": "ScalingActive",
                    "status": "False",
                    "reason": "FailedGetResourceMetric",
                    "message": "the HPA was unable to compute the replica count: missing request for cpu",
                    "lastTransitionTime": "-6d",
                },
            ],
        },
    }
    return [
        hpa,
        _event(hpa, "FailedComputeMetricsReplicas", "failed to get cpu utilization: missing request for cpu", count=12, first="-38m"),
        _event(hpa, "FailedGetResourceMetric", "missing request for cpu", count=136, first="-38m"),
    ]


def _ingress() -> list[dict]:
    # Path / goes to the Service with the selector typo; /api to web-api, which was never created
    # (`kubectl describe ingress` shows `web-api:8080 (<error: endpoints "web-api" not found>)`, as in
    # https://github.com/kubernetes/website/issues/28046).
    def path(prefix: str, service: str, port: int) -> dict:
        return {"path": prefix, "pathType": "Prefix", "backend": {"service": {"name": service, "port": {"number": port}}}}

    return [
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "IngressClass",
            "metadata": {
                "name": "nginx",
                "creationTimestamp": "-30d",
                "annotations": {"ingressclass.kubernetes.io/is-default-class": "true"},
            },
            "spec": {"controller": "k8s.io/ingress-nginx"},
        },
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "Ingress",
            "metadata": {"name": "storefront", "namespace": NAMESPACE, "creationTimestamp": "-6d"},
            "spec": {
                "ingressClassName": "nginx",
                "rules": [{"host": "shop.example.com", "http": {"paths": [path("/", "web-frontend", 80), path("/api", "web-api", 8080)]}}],
            },
            "status": {"loadBalancer": {"ingress": [{"ip": "203.0.113.10"}]}},
        },
    ]


def _uploads() -> list[dict]:
    # The claim names StorageClass "standard" (a GKE default) on a cluster whose class is standard-rwo.
    # https://github.com/kubernetes/kubernetes/issues/81714
    storage_class = {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": {
            "name": "standard-rwo",
            "creationTimestamp": "-30d",
            "annotations": {"storageclass.kubernetes.io/is-default-class": "true"},
        },
        "provisioner": "pd.csi.storage.gke.io",
        "reclaimPolicy": "Delete",
        "volumeBindingMode": "WaitForFirstConsumer",
        "allowVolumeExpansion": True,
    }
    claim = {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": "uploads", "namespace": NAMESPACE, "creationTimestamp": "-7h"},
        "spec": {
            "accessModes": ["ReadWriteOnce"],
            "storageClassName": "standard",
            "resources": {"requests": {"storage": "20Gi"}},
            "volumeMode": "Filesystem",
        },
        "status": {"phase": "Pending"},
    }
    image = "registry.example/web/uploads:1.8.0"
    c = [{"name": "uploads", "image": image, "volumeMounts": [{"name": "data", "mountPath": "/srv/uploads"}]}]
    dep, rs, h = workload(
        NAMESPACE, "web-uploads", replicas=1, containers=c, spec_extra={"volumes": [_volume("uploads")]}, ready_replicas=0
    )
    pending = replica_pods(
        dep, rs, h, 1, nodes=[None], created="-7h", status_for=lambda _n: pod_status("Pending", [], scheduled=False, started="-7h")
    )
    # https://github.com/kubernetes/kubernetes/issues/81714
    message = "pod has unbound immediate PersistentVolumeClaims"
    pending[0]["status"]["conditions"][0].update(reason="Unschedulable", message=message)
    return [
        storage_class,
        claim,
        # https://github.com/kubernetes/kubernetes/issues/81714 (its title quotes the event)
        _event(
            claim,
            "ProvisioningFailed",
            'storageclass.storage.k8s.io "standard" not found',
            count=279,
            first="-7h",
            component="persistentvolume-controller",
        ),
        dep,
        rs,
        *pending,
        event(pending[0], "Warning", "FailedScheduling", message, count=279, first="-7h", last="-1m", component="default-scheduler"),
    ]


def _volume(claim: str) -> dict:
    return {"name": "data", "persistentVolumeClaim": {"claimName": claim}}


def _cni_node() -> list[dict]:
    # worker-5 joined, but the CNI never initialised on it.
    # https://github.com/aws/karpenter-provider-aws/issues/1391
    worker = node("worker-5", labels={"topology.kubernetes.io/zone": "zone-b"}, created="-25m")
    worker["spec"]["taints"] = [{"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"}]
    worker["status"]["conditions"] = [
        {
            "type": "Ready",
            "status": "False",
            "reason": "KubeletNotReady",
            "message": "runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized",
            "lastHeartbeatTime": "-20s",
            "lastTransitionTime": "-25m",
        }
    ]
    return [worker]


def _event(
    obj: dict,
    reason: str,
    message: str,
    *,
    count: int = 1,
    first: str = "-10m",
    last: str = "-1m",
    component: str = "horizontal-pod-autoscaler",
) -> dict:
    """A Warning event about a non-pod object (the demo's `event` builder is for pods)."""
    meta = obj["metadata"]
    return {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {
            "name": f"{meta['name']}.{stable_suffix(meta['name'], reason, length=16)}",
            "namespace": meta["namespace"],
            "creationTimestamp": first,
        },
        "involvedObject": {"kind": obj["kind"], "namespace": meta["namespace"], "name": meta["name"], "apiVersion": obj["apiVersion"]},
        "type": "Warning",
        "reason": reason,
        "message": message,
        "source": {"component": component},
        "count": count,
        "firstTimestamp": first,
        "lastTimestamp": last,
        "reportingComponent": component,
        "reportingInstance": "",
    }


def network() -> list[dict]:
    """Every object of this part of the demo."""
    return _frontend() + _ingress() + _uploads() + _cni_node()
