"""Image pulls: the reference parsed, "did you mean" from node images and other pods, other tags of
the repository, pull secrets checked by name and type, the node platform, and rate-limit steps."""

from __future__ import annotations

from tests.analyzers.builders import cluster, container, corpus_message, diagnose, event, evidence, finding, node, pod, step, waiting_pod

IMAGES = "images on nodes (status.images) and in pod specs"


def pulling(name, image, *, reason="ImagePullBackOff", cname="app", **fields):
    return waiting_pod(name, [container(cname, image)], reason, **fields)


def failed(target, message, type_=None, reason=None):
    return event(
        target, message, type_=type_, reason=reason, field_path="spec.containers{{{}}}".format(target["spec"]["containers"][0]["name"])
    )


def test_missing_tag_suggests_the_closest_tag_on_a_node(engine):
    image = "ghcr.io/cloudnative-pg/cloudnative-pg:1.20.1"
    nodes = [
        node(
            "worker-1",
            images=[
                ["ghcr.io/cloudnative-pg/cloudnative-pg@sha256:" + "a" * 64, "ghcr.io/cloudnative-pg/cloudnative-pg:1.20.0"],
                ["registry.k8s.io/pause:3.9"],
            ],
        ),
        node("worker-2", images=[["ghcr.io/cloudnative-pg/cloudnative-pg:1.19.3"]]),
    ]
    target = pulling(
        "cnpg-controller-manager-5c7d9f8b6-x7k2m", image, owner=("ReplicaSet", "cnpg-controller-manager-5c7d9f8b6"), cname="manager"
    )
    # https://github.com/cloudnative-pg/cloudnative-pg/issues/2265
    message = corpus_message("cnpg-ghcr-manifest-not-found", "https://github.com/cloudnative-pg/cloudnative-pg/issues/2265")
    f = finding(diagnose(engine, cluster(nodes, target, failed(target, message)), target), "image-not-found")
    assert evidence(f, "spec.containers[manager].image, parsed") == [
        "registry ghcr.io, repository cloudnative-pg/cloudnative-pg, tag 1.20.1"
    ]
    assert evidence(f, IMAGES) == [
        "other tags of ghcr.io/cloudnative-pg/cloudnative-pg in the cluster: 1.19.3, 1.20.0",
        "did you mean ghcr.io/cloudnative-pg/cloudnative-pg:1.20.0? It is on node worker-1",
    ]
    fix = f.remediation[0]
    assert (
        fix.text
        == "Use the image that exists in the cluster: ghcr.io/cloudnative-pg/cloudnative-pg:1.20.0 (check it is the version you want)."
    )
    assert (
        fix.command == "kubectl -n shop set image deployment/cnpg-controller-manager manager=ghcr.io/cloudnative-pg/cloudnative-pg:1.20.0"
    )
    assert not any("REGISTRY/REPOSITORY:TAG" in (s.command or "") for s in f.remediation)


def test_repository_typo_suggests_the_image_another_pod_runs(engine):
    # The corpus case shows only the waiting reason; the issue shows the typo nigelpoultron for nigelpoulton.
    # https://github.com/nigelpoulton/pluralsight-docker-CI/issues/11
    typo = "nigelpoultron/pluralsight-docker-ci:latest"
    target = pulling("web-7f9c8d6b5-q2w3e", typo, owner=("ReplicaSet", "web-7f9c8d6b5"), reason="ErrImagePull")
    running = pod(
        "web-legacy-0",
        node_name="worker-2",
        owner=("StatefulSet", "web-legacy"),
        containers=[container("web", "nigelpoulton/pluralsight-docker-ci:latest")],
    )
    unrelated = pod("cache-0", node_name="worker-2", owner=("StatefulSet", "cache"), containers=[container("redis", "redis:7.2")])
    f = finding(diagnose(engine, cluster(node("worker-1"), node("worker-2"), target, running, unrelated), target), "pull-error")
    assert evidence(f, "spec.containers[app].image, parsed") == [
        "registry docker.io, repository nigelpoultron/pluralsight-docker-ci, tag latest"
    ]
    # Another repository: shown as text, unverified, never as a `set image` command (issue 17: a
    # look-alike planted on a node or in another namespace must not become the fix).
    assert evidence(f, IMAGES) == [
        "a similar name is in the cluster: nigelpoulton/pluralsight-docker-ci:latest, in pod shop/web-legacy-0 "
        "(unverified: another repository, which may not be the one meant)"
    ]
    assert f.remediation[0].command is None and "unverified" in f.remediation[0].text
    assert not any("nigelpoulton/pluralsight-docker-ci" in (s.command or "") for s in f.remediation)


def test_image_that_exists_on_a_node_but_is_gone_from_the_registry(engine):
    image = "lachlanevenson/k8s-kubectl:v1.18.20"
    nodes = [node("worker-1"), node("worker-2", images=[["docker.io/lachlanevenson/k8s-kubectl:v1.18.20"]])]
    target = pulling("kubectl-runner-6b5d8c7f9-p4q5r", image, owner=("ReplicaSet", "kubectl-runner-6b5d8c7f9"), cname="kubectl")
    # https://github.com/lachie83/k8s-kubectl/issues/157
    message = corpus_message("k8s-kubectl-image-tag-manifest-unknown", "https://github.com/lachie83/k8s-kubectl/issues/157")
    f = finding(diagnose(engine, cluster(nodes, target, failed(target, message)), target), "image-not-found")
    assert evidence(f, IMAGES) == [
        "lachlanevenson/k8s-kubectl:v1.18.20 itself is on node worker-2: it existed when they pulled it (deleted or re-tagged since, or this node may not pull it)"
    ]


def service_account(name="default", secrets=()):
    return {"kind": "ServiceAccount", "metadata": {"name": name, "namespace": "shop"}, "imagePullSecrets": [{"name": s} for s in secrets]}


def secret(name, type_=None, namespace="shop", data=None):
    obj = {"kind": "Secret", "metadata": {"name": name, "namespace": namespace}}
    if type_:
        obj["type"] = type_
    if data:
        obj["data"] = data
    return obj


AUTH_IMAGE = "xxxxxxxxxxxxxxxxxxxx/test-service:latest"


def auth_failure(engine, *objects, spec=None, listed=(("Secret", "shop"),)):
    target = pulling("test-service-5d6c7b8a9-h7j8k", AUTH_IMAGE, owner=("ReplicaSet", "test-service-5d6c7b8a9"), spec=spec)
    # https://github.com/rancher-archives/rke/issues/167
    message = corpus_message("rke-private-registry-auth-required", "https://github.com/rancher-archives/rke/issues/167")
    return finding(
        diagnose(engine, cluster(node("worker-1"), target, failed(target, message), *objects, listed=listed), target), "registry-auth"
    )


def test_pull_secret_typo_and_a_service_account_secret_of_the_wrong_type(engine):
    f = auth_failure(
        engine,
        secret("regcred", "kubernetes.io/dockerconfigjson"),
        secret("dockerhub", "Opaque"),
        service_account(secrets=["dockerhub"]),
        spec={"imagePullSecrets": [{"name": "regcrd"}]},
    )
    assert evidence(f, "spec.imagePullSecrets") == ["regcrd: does not exist in namespace shop. Did you mean regcred?"]
    assert evidence(f, "serviceaccount shop/default imagePullSecrets") == [
        "dockerhub: exists but has type Opaque; the kubelet only uses kubernetes.io/dockerconfigjson or kubernetes.io/dockercfg secrets for pulls"
    ]
    fix = f.remediation[0]
    assert fix.text == "Reference the existing secret regcred instead of regcrd."
    path = "/spec/template/spec/imagePullSecrets/0/name"
    assert fix.command == (
        "kubectl -n shop patch deployment/test-service --type=json -p "
        f"'[{{\"op\":\"test\",\"path\":\"{path}\",\"value\":\"regcrd\"}},{{\"op\":\"replace\",\"path\":\"{path}\",\"value\":\"regcred\"}}]'"
    )


def test_pull_secret_that_exists_gets_a_host_check(engine):
    f = auth_failure(
        engine, secret("regcred", "kubernetes.io/dockerconfigjson"), service_account(), spec={"imagePullSecrets": [{"name": "regcred"}]}
    )
    assert evidence(f, "spec.imagePullSecrets") == ["regcred: exists, type kubernetes.io/dockerconfigjson"]
    check = f.remediation[0]
    assert check.text.startswith("Check that regcred holds credentials for docker.io (the host must match)")
    assert (
        check.command
        == "kubectl -n shop get secret -o jsonpath='{.data.\\.dockerconfigjson}' -- regcred | base64 -d | jq -r '.auths | keys[]'"
    )


def test_metadata_only_secret_has_unknown_type(engine):
    f = auth_failure(engine, {"kind": "Secret", "metadata": {"name": "regcred", "namespace": "shop"}}, service_account(secrets=["regcred"]))
    assert evidence(f, "serviceaccount shop/default imagePullSecrets") == ["regcred: exists, type unknown (listed by name only)"]


def test_no_pull_secrets_creates_one_for_the_registry(engine):
    f = auth_failure(engine, service_account("builder"), spec={"serviceAccountName": "builder"})
    assert evidence(f, "spec.imagePullSecrets") == ["none, and ServiceAccount builder has none: the pull is anonymous"]
    create, attach = f.remediation[0], f.remediation[1]
    assert (
        create.command
        == "kubectl -n shop create secret docker-registry regcred --docker-server=https://index.docker.io/v1/ --docker-username=USER --docker-password=TOKEN"
    )
    assert attach.command == "kubectl -n shop patch serviceaccount -p '{\"imagePullSecrets\":[{\"name\":\"regcred\"}]}' -- builder"
    assert not any("--docker-server=REGISTRY" in (s.command or "") for s in f.remediation)


def test_new_pull_secret_keeps_the_service_accounts_others(engine):
    f = auth_failure(engine, service_account(secrets=["quay-robot"]))
    assert evidence(f, "serviceaccount shop/default imagePullSecrets") == ["quay-robot: does not exist in namespace shop"]
    attach = step(f, "Let the pod's ServiceAccount default use it")
    assert (
        attach.command
        == "kubectl -n shop patch serviceaccount -p '{\"imagePullSecrets\":[{\"name\":\"quay-robot\"},{\"name\":\"regcred\"}]}' -- default"
    )


def test_secrets_never_listed_cannot_be_checked(engine):
    f = auth_failure(engine, spec={"imagePullSecrets": [{"name": "regcred"}]}, listed=())
    assert evidence(f, "spec.imagePullSecrets") == ["regcred: could not be checked (Secret names in namespace shop were not listed)"]


def test_platform_mismatch_points_at_nodes_of_another_architecture(engine):
    image = "quay.io/brancz/kube-rbac-proxy:v0.10.0"
    nodes = [node("pi-1", arch="arm64")] + [node(f"x86-{i}") for i in range(3)]
    target = pulling(
        "controller-manager-7d9f8b6c5-r5t6y",
        image,
        owner=("ReplicaSet", "controller-manager-7d9f8b6c5"),
        node_name="pi-1",
        cname="kube-rbac-proxy",
    )
    # https://github.com/kube-rbac-proxy/kube-rbac-proxy/issues/79
    message = corpus_message(
        "kube-rbac-proxy-docker-no-matching-manifest-arm64", "https://github.com/kube-rbac-proxy/kube-rbac-proxy/issues/79"
    )
    f = finding(diagnose(engine, cluster(nodes, target, failed(target, message)), target), "platform-mismatch")
    assert evidence(f, "node pi-1 status.nodeInfo") == ["node pi-1 is linux/arm64; the image has no linux/arm64/v8 variant"]
    assert evidence(f, "nodes' status.nodeInfo") == ["other platforms in the cluster: linux/amd64 (3 nodes)"]
    fix = f.remediation[0]
    assert (
        fix.text
        == "If the image is built for linux/amd64, pin the pod to those nodes (kubernetes.io/arch=amd64); otherwise build a multi-arch image."
    )
    assert (
        fix.command
        == "kubectl -n shop patch deployment/controller-manager -p '{\"spec\":{\"template\":{\"spec\":{\"nodeSelector\":{\"kubernetes.io/arch\":\"amd64\"}}}}}'"
    )


def test_windows_node_pins_to_linux(engine):
    image = "foundationdb/fdb-kubernetes-operator:v2.6.0"
    nodes = [node("win-1", os="windows"), node("linux-1")]
    target = pulling(
        "fdb-operator-6c5b4a3d2-w1e2r", image, owner=("ReplicaSet", "fdb-operator-6c5b4a3d2"), node_name="win-1", cname="manager"
    )
    # https://github.com/FoundationDB/fdb-kubernetes-operator/issues/2294
    message = corpus_message(
        "fdb-operator-kind-no-match-for-platform",
        "https://github.com/FoundationDB/fdb-kubernetes-operator/issues/2294",
        contains="no match for platform",
    )
    f = finding(diagnose(engine, cluster(nodes, target, failed(target, message, "Warning", "Failed")), target), "platform-mismatch")
    assert evidence(f, "node win-1 status.nodeInfo") == ["node win-1 is windows/amd64; the image has no variant for it"]
    assert '"kubernetes.io/os":"linux"' in f.remediation[0].command


def test_rate_limit_counts_other_pulls_hitting_the_limit_and_offers_auth_and_a_mirror(engine):
    image = "obsidiandynamics/kafdrop:latest"
    target = pulling(
        "kafdrop-1-j4969",
        image,
        owner=("ReplicationController", "kafdrop-1"),
        reason="ErrImagePull",
        node_name="compute-0",
        cname="kafdrop",
    )
    other = pulling("zookeeper-0", "zookeeper:3.9", owner=("StatefulSet", "zookeeper"), node_name="compute-1", cname="zookeeper")
    # https://github.com/red-hat-storage/ocs-ci/issues/4494
    message = corpus_message(
        "ocs-ci-kafdrop-rate-limit-crio", "https://github.com/red-hat-storage/ocs-ci/issues/4494", contains="toomanyrequests"
    )
    unrelated = pulling(
        "web-0", "nginx:1.27.2", owner=("StatefulSet", "web"), node_name="compute-1", cname="web"
    )  # fails, but not on the limit
    inv = cluster(
        node("compute-0"),
        node("compute-1"),
        target,
        other,
        unrelated,
        service_account(),
        failed(target, message, "Warning", "Failed"),
        failed(other, message, "Warning", "Failed"),
    )
    f = finding(diagnose(engine, inv, target), "rate-limited")
    assert evidence(f, "other pods' containerStatuses") == [
        "1 more container(s) in 1 other pod(s) also hit the rate limit pulling from docker.io: every node behind the same address shares the limit"
    ]
    assert evidence(f, "spec.imagePullSecrets") == [
        "none, and ServiceAccount default has none: the pull is anonymous, with the lowest limit"
    ]
    assert evidence(f, "spec.containers[kafdrop].imagePullPolicy") == [
        "Always (the default for :latest): every container start pulls again"
    ]
    commands = [s.command for s in f.remediation]
    assert commands[:2] == [
        "kubectl -n shop create secret docker-registry regcred --docker-server=https://index.docker.io/v1/ --docker-username=USER --docker-password=TOKEN",
        "kubectl -n shop patch serviceaccount -p '{\"imagePullSecrets\":[{\"name\":\"regcred\"}]}' -- default",
    ]
    mirror = step(f, "Or pull Docker Hub images through a mirror")
    assert mirror.command.endswith("| sudo tee /etc/containerd/certs.d/docker.io/hosts.toml")
    assert "https://mirror.gcr.io" in mirror.command
    pin = step(f, "Pin a version tag and use imagePullPolicy IfNotPresent")
    assert (
        pin.command
        == "kubectl -n shop patch replicationcontroller/kafdrop-1 -p '{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"kafdrop\",\"imagePullPolicy\":\"IfNotPresent\"}]}}}}'"
    )


def test_invalid_reference_says_why(engine):
    image = "gcr.io/balmy-ground-195100/dark-gcp:gcr.io/balmy-ground-195100/dark-gcp:8e3213495373"
    target = pulling("dark-7c6b5a4d3-z9x8c", image, owner=("ReplicaSet", "dark-7c6b5a4d3"), reason="InvalidImageName")
    f = finding(diagnose(engine, cluster(node("worker-1"), target), target), "invalid-image-name")
    assert evidence(f, "spec.containers[app].image") == [
        f"{image!r} is not a valid image reference: invalid repository name component 'dark-gcp:gcr.io'"
    ]
