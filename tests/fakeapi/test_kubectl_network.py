"""The real kubectl lists and describes the kinds on the path to an app, served by the local API server
with the demo's namespace `web` (a Service, an Ingress, a claim, an autoscaler) and, beside it, the kinds
the demo does not use: Endpoints, EndpointSlices, a PersistentVolume, an APIService, a NetworkPolicy."""

from __future__ import annotations

import pytest

from k8sdoctor.demo.cluster import scenario
from k8sdoctor.fakeapi import FakeApiServer

pytestmark = pytest.mark.kubectl

EXTRA = [
    {
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": {"name": "web-frontend", "namespace": "web", "creationTimestamp": "-6d"},
        "subsets": [],
    },
    {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {"name": "web-frontend-hqt89", "namespace": "web", "labels": {"kubernetes.io/service-name": "web-frontend"}},
        "addressType": "IPv4",
        "ports": None,  # a named targetPort the pods do not declare: kubernetes/kubernetes#109627
        "endpoints": [
            {"addresses": ["10.244.0.73"], "conditions": {"ready": True}},
            {"addresses": ["10.244.0.72"], "conditions": {"ready": True}},
        ],
    },
    {
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": {"name": "mongo-pv", "creationTimestamp": "-1h"},
        "spec": {
            "capacity": {"storage": "2Gi"},
            "accessModes": ["ReadWriteOnce"],
            "persistentVolumeReclaimPolicy": "Retain",
            "hostPath": {"path": "/data/mongo"},
        },
        "status": {"phase": "Available"},
    },
    {
        "apiVersion": "apiregistration.k8s.io/v1",
        "kind": "APIService",
        "metadata": {"name": "v1beta1.metrics.k8s.io", "creationTimestamp": "-30d"},
        "spec": {
            "group": "metrics.k8s.io",
            "version": "v1beta1",
            "service": {"namespace": "kube-system", "name": "metrics-server", "port": 443},
            "groupPriorityMinimum": 100,
            "versionPriority": 100,
        },
        "status": {
            "conditions": [
                {
                    "type": "Available",
                    "status": "False",
                    "reason": "MissingEndpoints",
                    "message": "endpoints for service/metrics-server in \"kube-system\" have no addresses with port name \"https\"",
                }
            ]
        },
    },
    {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": "allow-same-namespace", "namespace": "web", "creationTimestamp": "-2d"},
        "spec": {"podSelector": {}, "ingress": [{"from": [{"podSelector": {}}]}], "policyTypes": ["Ingress"]},
    },
]


@pytest.fixture(scope="module")
def server():
    with FakeApiServer(tls=True) as srv:
        srv.load_scenario({"objects": scenario()["objects"] + EXTRA, "logs": []})
        yield srv


def rows(output: str) -> list[list[str]]:
    return [line.split() for line in output.strip().splitlines()]


@pytest.mark.parametrize(
    ("kind", "header", "row"),
    [
        (
            "services",
            ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"],
            ["web-frontend", "ClusterIP", "10.96.41.7", "<none>", "80/TCP", "6d"],
        ),
        ("endpoints", ["NAME", "ENDPOINTS", "AGE"], ["web-frontend", "<none>", "6d"]),
        (
            "endpointslices",
            ["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"],
            ["web-frontend-hqt89", "IPv4", "<unset>", "10.244.0.73,10.244.0.72"],
        ),
        (
            "ingresses",
            ["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"],
            ["storefront", "nginx", "shop.example.com", "203.0.113.10", "80", "6d"],
        ),
        (
            "pvc",
            ["NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS", "MODES", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "AGE"],
            ["uploads", "Pending", "standard", "<unset>", "7h"],
        ),
        (
            "hpa",
            ["NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE"],
            ["web-frontend", "Deployment/web-frontend", "cpu:", "<unknown>/70%", "2", "10", "2", "6d"],
        ),
        ("networkpolicies", ["NAME", "POD-SELECTOR", "AGE"], ["allow-same-namespace", "<none>", "2d"]),
    ],
)
def test_kubectl_lists_each_kind_with_its_columns(server, kubectl_for, kind, header, row):
    got = rows(kubectl_for(server)("get", kind, "-n", "web").stdout)
    assert got[0] == header
    assert got[1][: len(row)] == row


def test_kubectl_lists_the_cluster_scoped_kinds(server, kubectl_for):
    kubectl = kubectl_for(server)
    classes = rows(kubectl("get", "storageclasses").stdout)
    assert classes[0] == ["NAME", "PROVISIONER", "RECLAIMPOLICY", "VOLUMEBINDINGMODE", "ALLOWVOLUMEEXPANSION", "AGE"]
    assert ["standard-rwo", "(default)", "pd.csi.storage.gke.io", "Delete", "WaitForFirstConsumer", "true", "30d"] in classes
    assert rows(kubectl("get", "ingressclasses").stdout)[1][:3] == ["nginx", "k8s.io/ingress-nginx", "<none>"]
    volumes = rows(kubectl("get", "pv").stdout)
    assert volumes[1][:5] == ["mongo-pv", "2Gi", "RWO", "Retain", "Available"]
    services = rows(kubectl("get", "apiservices").stdout)
    assert services[0] == ["NAME", "SERVICE", "AVAILABLE", "AGE"]
    assert services[1][:4] == ["v1beta1.metrics.k8s.io", "kube-system/metrics-server", "False", "(MissingEndpoints)"]
    nodes = {r[0]: r[1] for r in rows(kubectl("get", "nodes").stdout)[1:]}
    assert nodes["worker-5"] == "NotReady"


def test_kubectl_describes_a_service_an_ingress_and_a_claim(server, kubectl_for):
    kubectl = kubectl_for(server)
    svc = kubectl("describe", "service", "web-frontend", "-n", "web").stdout
    assert "Selector:          app=web-frontnd" in svc and "TargetPort:        http/TCP" in svc
    ing = kubectl("describe", "ingress", "storefront", "-n", "web").stdout
    assert 'web-api:8080 (<error: services "web-api" not found>)' in ing
    pvc = kubectl("describe", "pvc", "uploads", "-n", "web").stdout
    assert "StorageClass:  standard" in pvc and "Used By:       web-uploads-" in pvc
    # https://github.com/kubernetes/kubernetes/issues/81714
    assert 'ProvisioningFailed  ' in pvc and 'storageclass.storage.k8s.io "standard" not found' in pvc


def test_kubectl_describes_an_autoscaler_and_a_node(server, kubectl_for):
    kubectl = kubectl_for(server)
    hpa = kubectl("describe", "hpa", "web-frontend", "-n", "web").stdout
    # https://github.com/airflow-helm/charts/issues/224
    assert "the HPA was unable to compute the replica count: missing request for cpu" in hpa
    assert "FailedGetResourceMetric" in hpa and "resource cpu on pods  (as a percentage of request):  <unknown> / 70%" in hpa
    node = kubectl("describe", "node", "worker-5").stdout
    assert "node.kubernetes.io/not-ready:NoSchedule" in node
    # https://github.com/aws/karpenter-provider-aws/issues/1391
    assert "cni plugin not initialized" in node


@pytest.mark.parametrize(
    ("what", "expect"),
    [
        (("storageclass", "standard-rwo"), "IsDefaultClass:        Yes"),
        (("ingressclass", "nginx"), "Controller:   k8s.io/ingress-nginx"),
        (("endpointslice", "web-frontend-hqt89", "-n", "web"), "AddressType:  IPv4"),
        (("endpoints", "web-frontend", "-n", "web"), "Subsets:"),
        (("pv", "mongo-pv"), "Status:          Available"),
        (("apiservice", "v1beta1.metrics.k8s.io"), "MissingEndpoints"),
        (
            ("networkpolicy", "allow-same-namespace", "-n", "web"),
            "PodSelector:     <none> (Allowing the specific traffic to all pods in this namespace)",
        ),
    ],
)
def test_kubectl_describes_the_other_kinds(server, kubectl_for, what, expect):
    assert expect in kubectl_for(server)("describe", *what).stdout
