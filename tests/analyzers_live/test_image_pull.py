"""Image pulls, live: the reference parsed, "did you mean" from node images and from another pod with
the repository's other tags, pull secrets checked against metadata-only Secret lists, the node's
platform, and the way out of Docker Hub's rate limit."""

from __future__ import annotations

import base64
import json

import pytest

from tests.analyzers_live.objects import container, corpus_message, event, evidence, finding, node, pod, step, waiting_pod

IMAGES = "images on nodes (status.images) and in pod specs"
ROBOT_TOKEN = "dckr_pat_2c9f0e7b41"
ZOOKEEPER = "zookeeper:3.9@sha256:" + "5e" * 32


def pulling(name, image, cname, *, reason="ImagePullBackOff", **fields):
    return waiting_pod(name, "shop", [container(cname, image)], reason, **fields)


def pull_failed(target, message):
    return event(target, message, reason="Failed", field_path=f"spec.containers{{{target['spec']['containers'][0]['name']}}}", count=4)


def secret(name, type_, data):
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": name, "namespace": "shop"},
        "type": type_,
        "data": {k: base64.b64encode(v.encode()).decode() for k, v in data.items()},
    }


@pytest.fixture(scope="module", autouse=True)
def cluster(server):
    nodes = [
        node(
            "worker-1",
            images=[
                ["ghcr.io/cloudnative-pg/cloudnative-pg@sha256:" + "a" * 64, "ghcr.io/cloudnative-pg/cloudnative-pg:1.20.0"],
                ["registry.k8s.io/pause:3.9"],
            ],
        ),
        node("worker-2", images=[["ghcr.io/cloudnative-pg/cloudnative-pg:1.19.3"]]),
        node("pi-1", arch="arm64", labels={"node-role.kubernetes.io/edge": ""}),
    ]
    cnpg = pulling(
        "cnpg-controller-manager-5c7d9f8b6-x7k2m",
        "ghcr.io/cloudnative-pg/cloudnative-pg:1.20.1",
        "manager",
        owner=("ReplicaSet", "cnpg-controller-manager-5c7d9f8b6"),
    )
    # https://github.com/cloudnative-pg/cloudnative-pg/issues/2265
    cnpg_failed = pull_failed(
        cnpg, corpus_message("cnpg-ghcr-manifest-not-found", "https://github.com/cloudnative-pg/cloudnative-pg/issues/2265")
    )
    kubectl = pulling(
        "kubectl-runner-6b5d8c7f9-p4q5r",
        "lachlanevenson/k8s-kubectl:v1.18.20",
        "kubectl",
        owner=("ReplicaSet", "kubectl-runner-6b5d8c7f9"),
        node_name="worker-2",
    )
    # worker-2 reports only its 50 largest images, without this one: the running pod still shows it
    report = pod(
        "cluster-report-0",
        "shop",
        node_name="worker-2",
        owner=("StatefulSet", "cluster-report"),
        containers=[container("kubectl", "lachlanevenson/k8s-kubectl:v1.18.19")],
    )
    # https://github.com/lachie83/k8s-kubectl/issues/157
    kubectl_failed = pull_failed(
        kubectl, corpus_message("k8s-kubectl-image-tag-manifest-unknown", "https://github.com/lachie83/k8s-kubectl/issues/157")
    )
    auth = pulling(
        "test-service-5d6c7b8a9-h7j8k",
        "xxxxxxxxxxxxxxxxxxxx/test-service:latest",
        "app",
        owner=("ReplicaSet", "test-service-5d6c7b8a9"),
        spec={"serviceAccountName": "test-service", "imagePullSecrets": [{"name": "regcrd"}]},
    )
    # https://github.com/rancher-archives/rke/issues/167
    auth_failed = pull_failed(
        auth, corpus_message("rke-private-registry-auth-required", "https://github.com/rancher-archives/rke/issues/167")
    )
    docker_config = json.dumps({"auths": {"https://index.docker.io/v1/": {"username": "robot", "password": ROBOT_TOKEN}}})
    secrets = [
        secret("regcred", "kubernetes.io/dockerconfigjson", {".dockerconfigjson": docker_config}),
        secret("dockerhub", "Opaque", {"password": ROBOT_TOKEN}),
    ]
    accounts = [
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default", "namespace": "shop"}},
        {
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": {"name": "test-service", "namespace": "shop"},
            "imagePullSecrets": [{"name": "dockerhub"}],
        },
    ]
    proxy = pulling(
        "controller-manager-7d9f8b6c5-r5t6y",
        "quay.io/brancz/kube-rbac-proxy:v0.10.0",
        "kube-rbac-proxy",
        owner=("ReplicaSet", "controller-manager-7d9f8b6c5"),
        node_name="pi-1",
    )
    # https://github.com/kube-rbac-proxy/kube-rbac-proxy/issues/79
    proxy_failed = pull_failed(
        proxy,
        corpus_message("kube-rbac-proxy-docker-no-matching-manifest-arm64", "https://github.com/kube-rbac-proxy/kube-rbac-proxy/issues/79"),
    )
    kafdrop = pulling(
        "kafdrop-1-j4969", "obsidiandynamics/kafdrop:latest", "kafdrop", owner=("ReplicationController", "kafdrop-1"), reason="ErrImagePull"
    )
    # https://github.com/red-hat-storage/ocs-ci/issues/4494
    kafdrop_failed = pull_failed(
        kafdrop,
        corpus_message(
            "ocs-ci-kafdrop-rate-limit-crio", "https://github.com/red-hat-storage/ocs-ci/issues/4494", contains="toomanyrequests"
        ),
    )
    zookeeper = pulling("zookeeper-0", ZOOKEEPER, "zookeeper", owner=("StatefulSet", "zookeeper"), node_name="worker-2")
    server.apply_all(
        nodes
        + secrets
        + accounts
        + [cnpg, cnpg_failed, kubectl, report, kubectl_failed, auth, auth_failed, proxy, proxy_failed, kafdrop, kafdrop_failed, zookeeper]
    )


def test_reference_is_parsed_with_the_implicit_registry_and_digest(diagnose):
    """No pull event here (zookeeper-0 has only its waiting reason): the reference alone is parsed."""
    f = finding(diagnose("shop", "zookeeper-0"), "pull-error", "zookeeper")
    assert evidence(f, "spec.containers[zookeeper].image, parsed") == [
        f"registry docker.io, repository library/zookeeper, tag 3.9, digest sha256:{'5e' * 32} (the runtime pulls by digest and ignores the tag)"
    ]


def test_missing_tag_suggests_the_closest_tag_on_a_node(diagnose):
    f = finding(diagnose("shop", "cnpg-controller-manager-5c7d9f8b6-x7k2m"), "image-not-found", "manager")
    assert evidence(f, "spec.containers[manager].image, parsed") == [
        "registry ghcr.io, repository cloudnative-pg/cloudnative-pg, tag 1.20.1"
    ]
    assert evidence(f, IMAGES) == [
        "other tags of ghcr.io/cloudnative-pg/cloudnative-pg in the cluster: 1.19.3, 1.20.0",
        "did you mean ghcr.io/cloudnative-pg/cloudnative-pg:1.20.0? It is on node worker-1",
    ]
    assert f["remediation"][0] == {
        "text": "Use the image that exists in the cluster: ghcr.io/cloudnative-pg/cloudnative-pg:1.20.0 (check it is the version you want).",
        "command": "kubectl -n shop set image deployment/cnpg-controller-manager manager=ghcr.io/cloudnative-pg/cloudnative-pg:1.20.0",
    }


def test_namespace_scan_suggests_the_tag_another_pod_runs(k8sdoctor):
    scan = k8sdoctor("diagnose", "pods", "-n", "shop", "-o", "json").json()
    [kubectl] = [i for i in scan["items"] if i["name"] == "kubectl-runner-6b5d8c7f9-p4q5r"]
    f = finding(kubectl, "image-not-found", "kubectl")
    assert evidence(f, "spec.containers[kubectl].image, parsed") == [
        "registry docker.io, repository lachlanevenson/k8s-kubectl, tag v1.18.20"
    ]
    assert evidence(f, IMAGES) == [
        "other tags of lachlanevenson/k8s-kubectl in the cluster: v1.18.19",
        "did you mean lachlanevenson/k8s-kubectl:v1.18.19? It is in pod shop/cluster-report-0",
    ]
    assert (
        f["remediation"][0]["command"] == "kubectl -n shop set image deployment/kubectl-runner kubectl=lachlanevenson/k8s-kubectl:v1.18.19"
    )


def test_one_pod_diagnosis_suggests_the_tag_another_pod_runs(diagnose):
    f = finding(diagnose("shop", "kubectl-runner-6b5d8c7f9-p4q5r"), "image-not-found", "kubectl")
    assert "did you mean lachlanevenson/k8s-kubectl:v1.18.19? It is in pod shop/cluster-report-0" in evidence(f, IMAGES)


def test_pull_secret_typo_gets_the_existing_name(diagnose):
    f = finding(diagnose("shop", "test-service-5d6c7b8a9-h7j8k"), "registry-auth", "app")
    # https://github.com/rancher-archives/rke/issues/167
    assert evidence(f, "event Warning/Failed from kubelet (x4 over 3m, 12m ago)") == [
        'Failed to pull image "xxxxxxxxxxxxxxxxxxxx/test-service:latest": rpc error: code = Unknown desc = unauthorized: authentication required'
    ]
    assert evidence(f, "spec.imagePullSecrets") == ["regcrd: does not exist in namespace shop. Did you mean regcred?"]
    path = "/spec/template/spec/imagePullSecrets/0/name"
    assert f["remediation"][0] == {
        "text": "Reference the existing secret regcred instead of regcrd.",
        "command": "kubectl -n shop patch deployment/test-service --type=json -p "
        f"'[{{\"op\":\"test\",\"path\":\"{path}\",\"value\":\"regcrd\"}},{{\"op\":\"replace\",\"path\":\"{path}\",\"value\":\"regcred\"}}]'",
    }


def test_pull_secret_of_the_wrong_type_is_flagged_without_reading_it(server, diagnose):
    """Secrets are listed metadata-only; lists filtered by the registry types tell which names are pull
    credentials, so an Opaque secret is flagged and no value is ever requested."""
    f = finding(diagnose("shop", "test-service-5d6c7b8a9-h7j8k"), "registry-auth", "app")
    assert evidence(f, "serviceaccount shop/test-service imagePullSecrets") == [
        "dockerhub: exists but is not of type kubernetes.io/dockerconfigjson or kubernetes.io/dockercfg (checked by listing the "
        "namespace's Secrets of those types; no value was read); the kubelet only uses those for pulls"
    ]
    secret_reads = server.requests("GET", "/api/v1/namespaces/shop/secrets")
    assert secret_reads and all(r.headers["Accept"].startswith("application/json;as=PartialObjectMetadataList") for r in secret_reads)
    assert {r.query.get("fieldSelector") for r in secret_reads} >= {"type=kubernetes.io/dockerconfigjson", "type=kubernetes.io/dockercfg"}


def test_platform_mismatch_names_the_nodes_architecture(diagnose):
    f = finding(diagnose("shop", "controller-manager-7d9f8b6c5-r5t6y"), "platform-mismatch", "kube-rbac-proxy")
    assert evidence(f, "node pi-1 status.nodeInfo") == ["node pi-1 is linux/arm64; the image has no linux/arm64/v8 variant"]
    assert evidence(f, "nodes' status.nodeInfo") == ["other platforms in the cluster: linux/amd64 (2 nodes)"]
    assert f["remediation"][0] == {
        "text": "If the image is built for linux/amd64, pin the pod to those nodes (kubernetes.io/arch=amd64); otherwise build a multi-arch image.",
        "command": "kubectl -n shop patch deployment/controller-manager -p '{\"spec\":{\"template\":{\"spec\":{\"nodeSelector\":{\"kubernetes.io/arch\":\"amd64\"}}}}}'",
    }


def test_rate_limit_offers_authenticated_pulls_and_a_mirror(diagnose):
    f = finding(diagnose("shop", "kafdrop-1-j4969"), "rate-limited", "kafdrop")
    assert evidence(f, "spec.imagePullSecrets") == [
        "none, and ServiceAccount default has none: the pull is anonymous, with the lowest limit"
    ]
    assert evidence(f, "spec.containers[kafdrop].imagePullPolicy") == [
        "Always (the default for :latest): every container start pulls again"
    ]
    assert [s["command"] for s in f["remediation"][:2]] == [
        "kubectl -n shop create secret docker-registry regcred --docker-server=https://index.docker.io/v1/ --docker-username=USER --docker-password=TOKEN",
        "kubectl -n shop patch serviceaccount -p '{\"imagePullSecrets\":[{\"name\":\"regcred\"}]}' -- default",
    ]
    mirror = step(f, "Or pull Docker Hub images through a mirror")
    assert mirror["command"] == (
        "sudo mkdir -p /etc/containerd/certs.d/docker.io && printf '[host.\"https://mirror.gcr.io\"]\\n  capabilities = [\"pull\", \"resolve\"]\\n' "
        "| sudo tee /etc/containerd/certs.d/docker.io/hosts.toml"
    )
    assert step(f, "Pin a version tag and use imagePullPolicy IfNotPresent")["command"] == (
        "kubectl -n shop patch replicationcontroller/kafdrop-1 -p '{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"kafdrop\",\"imagePullPolicy\":\"IfNotPresent\"}]}}}}'"
    )
