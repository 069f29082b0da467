"""Issue 14, live and from a snapshot: a node's NodeNotReady finding lists the pods its trouble hits
(evicted there, stuck terminating there, Pending because of the taint it put on the node); a Service
without a selector, whose endpoints someone else manages (hand-made EndpointSlices or Endpoints), is
not reported as broken (docs/playbooks.md: "Services without a selector (their endpoints are someone
else's)")."""

from __future__ import annotations

import pytest

from tests.analyzers.builders import corpus_message
from tests.analyzers_live.objects import evidence, finding
from tests.analyzers_live.pathrun import snapshot
from tests.pathcases import ago, conditions_of, container, meta, node, pod, service

pytestmark = pytest.mark.kubectl
UNREACHABLE = [
    {"key": "node.kubernetes.io/unreachable", "effect": "NoExecute"},
    {"key": "node.kubernetes.io/unreachable", "effect": "NoSchedule"},
]


def unreachable_node() -> list[dict]:
    """The kubelet stopped posting (conditions from https://github.com/kubernetes/kubernetes/issues/36273).
    The taint manager evicted the pod on it, which stays Terminating while no kubelet confirms; a new pod
    does not tolerate the node's taint (the scheduler's message: https://github.com/hystax/optscale/issues/568)."""
    untolerated = corpus_message("optscale-unreachable-node-taint", "https://github.com/hystax/optscale/issues/568")
    app = [container("api", "registry.example/api:1.4")]
    gone = pod("api-6d8f9c7b5-k2j4h", "shop", app, labels={"app": "api"}, node="worker-gone")
    gone["metadata"]["deletionTimestamp"] = ago(1800)
    gone["metadata"]["deletionGracePeriodSeconds"] = 30
    scheduled = {"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": untolerated}
    waiting = pod(
        "api-6d8f9c7b5-q8w9e",
        "shop",
        app,
        labels={"app": "api"},
        node=None,
        status={"phase": "Pending", "conditions": [scheduled]},
        age=1700,
    )
    return [node("worker-gone", conditions_of("k8s-36273-unreachable-node-conditions-partial"), taints=UNREACHABLE), gone, waiting]


def full_disk_node() -> list[dict]:
    """DiskPressure: the kubelet tainted the node and evicted pods
    (https://github.com/canonical/microk8s/issues/3143: nginx-test/deployment-nginx-585449566-td9xx and
    -zdfch Evicted); the eviction message is a kubelet's (https://github.com/cloud-ark/kubeplus/issues/1382)."""
    low = corpus_message("kubeplus-evicted-ephemeral-threshold-quantity", "https://github.com/cloud-ark/kubeplus/issues/1382")
    ready = {"type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status"}
    objects = [node("worker-full", [ready], taints=[{"key": "node.kubernetes.io/disk-pressure", "effect": "NoSchedule"}])]
    nginx = [container("nginx", "nginx:1.21")]
    for suffix in ("td9xx", "zdfch"):
        objects.append(
            pod(
                f"deployment-nginx-585449566-{suffix}",
                "nginx-test",
                nginx,
                labels={"app": "nginx"},
                node="worker-full",
                status={"phase": "Failed", "reason": "Evicted", "message": low},
                age=780,
            )
        )
    return objects


def selectorless_services() -> list[dict]:
    """Services whose endpoints are set by hand. The EndpointSlice form is the Kubernetes documentation's
    (https://kubernetes.io/docs/concepts/services-networking/service/#services-without-selectors); the
    Endpoints form is openshift-qe's test file
    (https://github.com/openshift-qe/v3-testfiles/blob/master/networking/egressnetworkpolicy/service_endpoint.json)."""
    docs = service("my-service", "external", None, [{"name": "http", "protocol": "TCP", "port": 80, "targetPort": 9376}])
    docs_slice = {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": meta("my-service-1", "external", labels={"kubernetes.io/service-name": "my-service"}),
        "addressType": "IPv4",
        "ports": [{"name": "http", "appProtocol": "http", "protocol": "TCP", "port": 9376}],
        "endpoints": [{"addresses": ["10.4.5.6"]}, {"addresses": ["10.1.2.3"]}],
    }
    legacy = service("selector-less-service", "external", None, [{"port": 10086, "protocol": "TCP", "targetPort": 2015}])
    legacy_endpoints = {
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": meta("selector-less-service", "external"),
        "subsets": [{"addresses": [{"ip": "10.3.11.3"}], "ports": [{"port": 2015, "protocol": "TCP"}]}],
    }
    return [docs, docs_slice, legacy, legacy_endpoints]


@pytest.fixture(scope="module", autouse=True)
def cluster(server):
    objects = unreachable_node() + full_disk_node() + selectorless_services()
    namespaces = sorted({o["metadata"]["namespace"] for o in objects if o["metadata"].get("namespace")})
    server.apply_all(
        [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}, "status": {"phase": "Active"}} for ns in namespaces]
    )
    server.apply_all(objects)


@pytest.fixture(scope="module")
def everything(k8sdoctor, kubeconfig, tmp_path_factory) -> dict[str, dict]:
    live = k8sdoctor("diagnose", "all", "-A", "-o", "json")
    assert live.code == 1, live.err
    home = tmp_path_factory.mktemp("kubectl-home")
    path = snapshot(kubeconfig, home, home / "snapshot.txt")
    offline = k8sdoctor("diagnose", "all", "-A", "-o", "json", "--snapshot", str(path))
    assert offline.code == 1, offline.err
    return {"live": live.json(), "snapshot": offline.json()}


def item(payload: dict, kind: str, namespace: str, name: str) -> dict:
    found = [i for i in payload["items"] if (i["kind"], i["namespace"], i["name"]) == (kind, namespace, name)]
    assert found, f"no {kind} {namespace}/{name}"
    return found[0]


@pytest.mark.parametrize("path", ["live", "snapshot"])
def test_an_unreachable_node_lists_the_pod_stuck_on_it_and_the_pod_its_taint_keeps_out(everything, path):
    f = finding(item(everything[path], "Node", "", "worker-gone"), "kubelet-not-posting")
    assert evidence(f, "pods on node worker-gone") == ["1 stuck terminating: shop/api-6d8f9c7b5-k2j4h"]
    assert evidence(f, "pods not tolerating node.kubernetes.io/unreachable") == ["1 Pending: shop/api-6d8f9c7b5-q8w9e"]


@pytest.mark.parametrize("path", ["live", "snapshot"])
def test_a_node_under_disk_pressure_lists_the_pods_it_evicted(everything, path):
    f = finding(item(everything[path], "Node", "", "worker-full"), "disk-pressure")
    assert evidence(f, "pods on node worker-full") == [
        "2 evicted: nginx-test/deployment-nginx-585449566-td9xx, nginx-test/deployment-nginx-585449566-zdfch"
    ]
    assert evidence(f, "pods not tolerating node.kubernetes.io/disk-pressure") == []  # no pod waits on this taint


def test_one_node_by_name_lists_the_same_pods(k8sdoctor):
    result = k8sdoctor("diagnose", "node/worker-gone", "-o", "json")
    assert result.code == 1, result.err
    f = finding(result.json(), "kubelet-not-posting")
    assert evidence(f, "pods on node worker-gone") == ["1 stuck terminating: shop/api-6d8f9c7b5-k2j4h"]
    assert evidence(f, "pods not tolerating node.kubernetes.io/unreachable") == ["1 Pending: shop/api-6d8f9c7b5-q8w9e"]


@pytest.mark.parametrize("path", ["live", "snapshot"])
@pytest.mark.parametrize("name", ["my-service", "selector-less-service"])
def test_a_service_without_a_selector_is_not_reported_broken(everything, path, name):
    entry = item(everything[path], "Service", "external", name)
    assert entry["healthy"] and entry["findings"] == [], entry["findings"]


@pytest.mark.parametrize("name", ["my-service", "selector-less-service"])
def test_one_service_without_a_selector_by_name(k8sdoctor, name):
    result = k8sdoctor("diagnose", "svc", name, "-n", "external")
    assert result.code == 0, result.out + result.err
    assert result.out.startswith(f"external/service/{name}  ") and "no problems found" in result.out
