"""PodsNotCreated, live and from a snapshot: workloads whose pods admission refuses (a quota, a LimitRange,
Pod Security, a webhook, a ServiceAccount), reported on the workload the user manages with the chain to
the ReplicaSet's event, the numbers, the containers and the fix; the same verdicts from a snapshot
kubectl saved; a FailedCreate left from before the pods were made raises nothing."""

from __future__ import annotations

import pytest

from tests.analyzers_live.objects import evidence, finding
from tests.analyzers_live.workloads import (
    Verdicts,
    beyond_case,
    case_message,
    deployment,
    job,
    load,
    namespace,
    object_event,
    pod,
    replicaset,
    run_both,
    running,
    template,
)

pytestmark = pytest.mark.kubectl
WORKLOAD_KINDS = ("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob")


def quota_rollout() -> list[dict]:
    """A rolling update whose surge pod the quota refuses: the three old pods use it all."""
    # https://github.com/ministryofjustice/cloud-platform/issues/590
    message = case_message(
        "moj-cloud-platform-590-rs-exceeded-quota-rollout", "https://github.com/ministryofjustice/cloud-platform/issues/590"
    )
    ns, app = "offender-management", "allocation-manager"
    old_c = [{"name": app, "image": "registry.example/allocation-manager:1", "resources": {"limits": {"cpu": "2", "memory": "4Gi"}}}]
    new_c = [{"name": app, "image": "registry.example/allocation-manager:2", "resources": {"limits": {"cpu": "1", "memory": "2Gi"}}}]
    status = {"replicas": 3, "updatedReplicas": 0, "readyReplicas": 3, "availableReplicas": 3}
    objects = [
        namespace(ns),
        deployment(ns, app, template(app, new_c), replicas=3, status=status, generation=2),
        replicaset(
            ns, f"{app}-5b7c9d8f4", template(app, old_c), replicas=3, status={"replicas": 3, "readyReplicas": 3}, owner=app, created="-3d"
        ),
        replicaset(ns, f"{app}-6597bc46dc", template(app, new_c), replicas=1, status={"replicas": 0}, owner=app, revision=2),
        {
            "apiVersion": "v1",
            "kind": "ResourceQuota",
            "metadata": {"name": "namespace-quota", "namespace": ns},
            "spec": {"hard": {"limits.cpu": "6", "limits.memory": "12Gi"}},
            "status": {"hard": {"limits.cpu": "6", "limits.memory": "12Gi"}, "used": {"limits.cpu": "6", "limits.memory": "12Gi"}},
        },
        object_event("ReplicaSet", ns, f"{app}-6597bc46dc", message, reason="FailedCreate", component="replicaset-controller", count=124),
    ]
    for suffix in ("k2j4h", "m5n6b", "q8w9e"):
        objects.append(pod(ns, f"{app}-5b7c9d8f4-{suffix}", ("ReplicaSet", f"{app}-5b7c9d8f4"), old_c, running(old_c), labels={"app": app}))
    return objects


def quota_never_fits() -> list[dict]:
    """A pod asking more memory than the quota allows in total (500m: 'm' for 'Mi'); the API server's
    error sits in the ReplicaSet's ReplicaFailure condition, where the controller copies it."""
    # https://github.com/freqq/ckad-prep/blob/main/bmuschko-crash-course/05-defining-resource-requirements.md
    row = beyond_case("ckad-prep-pod-request-above-quota-hard")
    assert row["source_url"] == "https://github.com/freqq/ckad-prep/blob/main/bmuschko-crash-course/05-defining-resource-requirements.md"
    message = row["kubectl"][0].split('error when creating "pod.yaml": ', 1)[1]
    ns, app = "rq-demo", "busybox"
    tmpl = template(app, [{"name": app, "image": "busybox", "resources": {"requests": {"memory": "1G"}}}])
    condition = {"type": "ReplicaFailure", "status": "True", "reason": "FailedCreate", "message": message}
    return [
        namespace(ns),
        deployment(ns, app, tmpl, replicas=1, status={"replicas": 0}),
        replicaset(ns, f"{app}-7d9c5b8f6", tmpl, replicas=1, status={"replicas": 0, "conditions": [condition]}, owner=app),
        {
            "apiVersion": "v1",
            "kind": "ResourceQuota",
            "metadata": {"name": "app", "namespace": ns},
            "spec": {"hard": {"pods": "2", "requests.cpu": "2", "requests.memory": "500m"}},
            "status": {
                "hard": {"pods": "2", "requests.cpu": "2", "requests.memory": "500m"},
                "used": {"pods": "0", "requests.cpu": "0", "requests.memory": "0"},
            },
        },
    ]


def quota_requires() -> list[dict]:
    # https://github.com/hmcts/cnp-flux-config/pull/13765 (StatefulSet, an init container without requests too)
    sts_message = case_message("hmcts-sts-failed-quota-must-specify-requests", "https://github.com/hmcts/cnp-flux-config/pull/13765")
    # https://github.com/haproxytech/helm-charts/issues/236 (Job, newer wording naming the container)
    job_message = case_message("haproxy-job-failed-quota-per-container", "https://github.com/haproxytech/helm-charts/issues/236")
    sts = "fpl-case-service-pr-3308-es-master"
    es = [{"name": "elasticsearch", "image": "docker.elastic.co/elasticsearch/elasticsearch:7.11.1"}]
    init = [{"name": "sysctl", "image": "busybox", "command": ["sysctl", "-w", "vm.max_map_count=262144"]}]
    statefulset = {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": sts, "namespace": "fpl", "generation": 1},
        "spec": {
            "replicas": 1,
            "serviceName": sts,
            "selector": {"matchLabels": {"app": sts}},
            "template": template(sts, es, initContainers=init),
        },
        "status": {"observedGeneration": 1, "replicas": 0, "currentRevision": f"{sts}-6c9b7", "updateRevision": f"{sts}-6c9b7"},
    }
    crd = [{"name": "crd", "image": "haproxytech/kubernetes-ingress:1.7.10"}]
    return [
        namespace("fpl"),
        statefulset,
        object_event("StatefulSet", "fpl", sts, sts_message, reason="FailedCreate", component="statefulset-controller", count=40),
        namespace("haproxy"),
        job(
            "haproxy",
            "hap-operator-kubernetes-ingress-crdjob-1",
            template("crdjob", crd, restartPolicy="Never"),
            status={"active": 0},
            backoffLimit=0,
        ),
        object_event(
            "Job", "haproxy", "hap-operator-kubernetes-ingress-crdjob-1", job_message, reason="FailedCreate", component="job-controller"
        ),
    ]


def limitranges() -> list[dict]:
    # https://github.com/zalando-incubator/kubernetes-on-aws/issues/278 (a bare ReplicaSet, max per container)
    max_message = case_message("zalando-rs-limitrange-max-cpu", "https://github.com/zalando-incubator/kubernetes-on-aws/issues/278")
    # https://github.com/tnozicka/openshift-acme/issues/127 (limit/request ratio per container)
    ratio_message = case_message(
        "openshift-acme-127-rs-limitrange-ratio-container", "https://github.com/tnozicka/openshift-acme/issues/127"
    )
    hj = [{"name": "test", "image": "registry.example/hjacobs/test:1", "resources": {"requests": {"cpu": "17"}}}]
    exposer = [
        {
            "name": "exposer",
            "image": "quay.io/tnozicka/openshift-acme:controller",
            "resources": {"limits": {"cpu": "2500m"}, "requests": {"cpu": "200m"}},
        }
    ]
    rs = "exposer-d51keecnpkmle6n94kvq4cbt0ceqtmp7ogbdtuiu3ldspjhpmokdsmv"
    return [
        namespace("hjacobs"),
        replicaset("hjacobs", "hjacobs-test-1668339668", template("hjacobs-test", hj), replicas=2, status={"replicas": 0}),
        {
            "apiVersion": "v1",
            "kind": "LimitRange",
            "metadata": {"name": "limits", "namespace": "hjacobs"},
            "spec": {"limits": [{"type": "Container", "max": {"cpu": "16", "memory": "64Gi"}}]},
        },
        object_event(
            "ReplicaSet",
            "hjacobs",
            "hjacobs-test-1668339668",
            max_message,
            reason="FailedCreate",
            component="replicaset-controller",
            count=9,
        ),
        namespace("acme"),
        deployment("acme", "exposer", template("exposer", exposer), replicas=1, status={"replicas": 0}),
        replicaset("acme", rs, template("exposer", exposer), replicas=1, status={"replicas": 0}, owner="exposer"),
        {
            "apiVersion": "v1",
            "kind": "LimitRange",
            "metadata": {"name": "resource-limits", "namespace": "acme"},
            "spec": {"limits": [{"type": "Container", "maxLimitRequestRatio": {"cpu": "12"}}]},
        },
        object_event("ReplicaSet", "acme", rs, ratio_message, reason="FailedCreate", component="replicaset-controller", count=7),
    ]


def pod_security() -> list[dict]:
    # https://github.com/tektoncd/triggers/pull/1477 (restricted, a Deployment's ReplicaSet)
    restricted = case_message("tekton-triggers-rs-psa-restricted", "https://github.com/tektoncd/triggers/pull/1477")
    # https://github.com/sergelogvinov/proxmox-csi-plugin/issues/241 (baseline, a DaemonSet)
    baseline = case_message("proxmox-csi-241-ds-psa-baseline", "https://github.com/sergelogvinov/proxmox-csi-plugin/issues/241")
    app = "tekton-triggers-controller"
    ctrl = [{"name": app, "image": "gcr.io/tekton-releases/github.com/tektoncd/triggers/cmd/controller:v0.20.0"}]
    node = [
        {"name": "proxmox-csi-plugin-node", "image": "ghcr.io/sergelogvinov/proxmox-csi-node:edge", "securityContext": {"privileged": True}}
    ]
    ds = {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"name": "proxmox-csi-plugin-node", "namespace": "csi-proxmox", "generation": 1},
        "spec": {"selector": {"matchLabels": {"app": "proxmox-csi-plugin-node"}}, "template": template("proxmox-csi-plugin-node", node)},
        "status": {
            "observedGeneration": 1,
            "desiredNumberScheduled": 3,
            "currentNumberScheduled": 0,
            "numberReady": 0,
            "updatedNumberScheduled": 0,
        },
    }
    return [
        namespace(
            "tekton-pipelines", {"pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/enforce-version": "latest"}
        ),
        deployment("tekton-pipelines", app, template(app, ctrl), replicas=1, status={"replicas": 0}),
        replicaset("tekton-pipelines", f"{app}-7887549bc5", template(app, ctrl), replicas=1, status={"replicas": 0}, owner=app),
        object_event(
            "ReplicaSet",
            "tekton-pipelines",
            f"{app}-7887549bc5",
            restricted,
            reason="FailedCreate",
            component="replicaset-controller",
            count=15,
        ),
        namespace("csi-proxmox", {"pod-security.kubernetes.io/enforce": "baseline"}),
        ds,
        object_event(
            "DaemonSet",
            "csi-proxmox",
            "proxmox-csi-plugin-node",
            baseline,
            reason="FailedCreate",
            component="daemonset-controller",
            count=3,
        ),
    ]


def webhooks() -> list[dict]:
    # https://github.com/cruise-automation/k-rail/blob/master/README.md (a policy webhook denies)
    denied = case_message("k-rail-readme-rs-webhook-denied", "https://github.com/cruise-automation/k-rail/blob/master/README.md")
    # https://github.com/aws-samples/amazon-eks-gmsa/issues/6 (the webhook's Service has no endpoints: its own
    # pods cannot start); the message is a status.conditions message of the refused ReplicaSet
    unreachable = beyond_case("eks-gmsa-6-rs-webhook-no-endpoints")
    assert unreachable["source_url"] == "https://github.com/aws-samples/amazon-eks-gmsa/issues/6"
    # https://github.com/stackrox/admission-controller-webhook-demo/issues/2 (a timeout that names no webhook)
    timeout = case_message(
        "stackrox-webhook-demo-2-rs-timeout-30s", "https://github.com/stackrox/admission-controller-webhook-demo/issues/2"
    )
    bad = [{"name": "bad", "image": "docker:dind", "volumeMounts": [{"name": "sock", "mountPath": "/var/run/docker.sock"}]}]
    gmsa = [{"name": "webhook", "image": "sigwindowstools/k8s-gmsa-webhook:latest"}]
    server = [{"name": "server", "image": "stackrox/admission-controller-webhook-demo:latest"}]
    condition = {"type": "ReplicaFailure", "status": "True", "reason": "FailedCreate", "message": unreachable["conditions"][0]["message"]}

    def webhook_config(kind: str, name: str, hook: str, svc_ns: str, svc: str, **extra) -> dict:
        webhook = {
            "name": hook,
            "clientConfig": {"service": {"namespace": svc_ns, "name": svc, "port": 443}},
            "rules": [{"apiGroups": [""], "apiVersions": ["v1"], "operations": ["CREATE"], "resources": ["pods"]}],
            "failurePolicy": "Fail",
            "sideEffects": "None",
            "admissionReviewVersions": ["v1"],
            **extra,
        }
        return {"apiVersion": "admissionregistration.k8s.io/v1", "kind": kind, "metadata": {"name": name}, "webhooks": [webhook]}

    def service(ns: str, name: str, app: str, ready: int) -> list[dict]:
        endpoints = [{"addresses": [f"10.244.1.{i + 10}"], "conditions": {"ready": True}} for i in range(ready)]
        return [
            {
                "apiVersion": "v1",
                "kind": "Service",
                "metadata": {"name": name, "namespace": ns},
                "spec": {"selector": {"app": app}, "ports": [{"port": 443, "targetPort": 8443}]},
            },
            {
                "apiVersion": "discovery.k8s.io/v1",
                "kind": "EndpointSlice",
                "metadata": {"name": f"{name}-x7k2p", "namespace": ns, "labels": {"kubernetes.io/service-name": name}},
                "addressType": "IPv4",
                "endpoints": endpoints,
                "ports": [{"port": 8443, "protocol": "TCP"}],
            },
        ]

    krail = [{"name": "k-rail", "image": "cruise/k-rail:v3.6.1"}]
    return [
        namespace("default"),
        replicaset("default", "bad-pod-5f7cd9bf45", template("bad-pod", bad), replicas=1, status={"replicas": 0}),
        object_event("ReplicaSet", "default", "bad-pod-5f7cd9bf45", denied, reason="FailedCreate", component="replicaset-controller"),
        namespace("k-rail"),
        webhook_config("ValidatingWebhookConfiguration", "k-rail", "k-rail.cruise-automation.github.com", "k-rail", "k-rail"),
        *service("k-rail", "k-rail", "k-rail", ready=1),
        pod("k-rail", "k-rail-6c7d8b9f5-h2k4m", ("ReplicaSet", "k-rail-6c7d8b9f5"), krail, running(krail), labels={"app": "k-rail"}),
        namespace("gmsa", {"gmsa-webhook": "enabled"}),
        replicaset("gmsa", "webhook-svc", template("gmsa-webhook", gmsa), replicas=1, status={"replicas": 0, "conditions": [condition]}),
        *service("gmsa", "webhook-svc", "gmsa-webhook", ready=0),
        webhook_config(
            "MutatingWebhookConfiguration",
            "gmsa-webhook",
            "admission-webhook.windows-gmsa.sigs.k8s.io",
            "gmsa",
            "webhook-svc",
            namespaceSelector={"matchLabels": {"gmsa-webhook": "enabled"}},
        ),
        namespace("webhook-demo"),
        *service("webhook-demo", "webhook-server", "webhook-server", ready=0),
        deployment("webhook-demo", "webhook-server", template("webhook-server", server), replicas=1, status={"replicas": 0}),
        replicaset(
            "webhook-demo",
            "webhook-server-5d8b6c7f9",
            template("webhook-server", server),
            replicas=1,
            status={"replicas": 0},
            owner="webhook-server",
        ),
        object_event("ReplicaSet", "webhook-demo", "webhook-server-5d8b6c7f9", timeout, reason="FailedCreate", count=6),
        webhook_config("MutatingWebhookConfiguration", "demo-webhook", "webhook-server.webhook-demo.svc", "webhook-demo", "webhook-server"),
    ]


def service_accounts() -> list[dict]:
    # https://github.com/giantswarm/kube-stresscheck/issues/7 (the ServiceAccount went to another namespace)
    message = case_message(
        "kube-stresscheck-7-rs-serviceaccount-other-namespace", "https://github.com/giantswarm/kube-stresscheck/issues/7"
    )
    app = "kube-stresscheck"
    c = [{"name": app, "image": "quay.io/giantswarm/kube-stresscheck:latest"}]
    tmpl = template(app, c, serviceAccountName=app)
    return [
        namespace("kube-system"),
        deployment("kube-system", app, tmpl, replicas=1, status={"replicas": 0}),
        replicaset("kube-system", f"{app}-7f75dbbcb7", tmpl, replicas=1, status={"replicas": 0}, owner=app),
        object_event(
            "ReplicaSet", "kube-system", f"{app}-7f75dbbcb7", message, reason="FailedCreate", component="replicaset-controller", count=17
        ),
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": app, "namespace": "default"}},
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "kube-stress-check", "namespace": "kube-system"}},
    ]


def no_reason_and_controls() -> list[dict]:
    # https://github.com/redhat-openshift-ecosystem/community-operators-prod/issues/1801: ReplicaFailure, no message
    row = beyond_case("community-operators-replicafailure-no-events-in-artifacts")
    assert row["source_url"] == "https://github.com/redhat-openshift-ecosystem/community-operators-prod/issues/1801"
    cond = {k: v for k, v in row["conditions"][0].items() if v is not None}
    op = [{"name": "manager", "image": "quay.io/example/operator:0.1.0"}]
    status = {"replicas": 0, "conditions": [cond]}
    # https://github.com/operate-first/support/issues/1135: the quota refused a pod once, then the
    # ReplicaSet got its pod; the old FailedCreate remains and must raise nothing
    old = case_message("operate-first-1135-rs-exceeded-quota-small", "https://github.com/operate-first/support/issues/1135")
    one = [{"name": "one", "image": "registry.example/one:1", "resources": {"limits": {"cpu": "500m"}}}]
    return [
        namespace("operators"),
        deployment("operators", "example-operator", template("example-operator", op), replicas=1, status=status),
        namespace("smaug"),
        deployment(
            "smaug",
            "one",
            template("one", one),
            replicas=1,
            status={"replicas": 1, "updatedReplicas": 1, "readyReplicas": 1, "availableReplicas": 1},
        ),
        replicaset("smaug", "one-7b498b4b4", template("one", one), replicas=1, status={"replicas": 1, "readyReplicas": 1}, owner="one"),
        pod("smaug", "one-7b498b4b4-zs4g7", ("ReplicaSet", "one-7b498b4b4"), one, running(one), labels={"app": "one"}),
        object_event("ReplicaSet", "smaug", "one-7b498b4b4", old, reason="FailedCreate", component="replicaset-controller", last="-20m"),
    ]


@pytest.fixture(scope="module")
def verdicts(server, kubeconfig, k8sdoctor, tmp_path_factory) -> Verdicts:
    load(
        server,
        quota_rollout()
        + quota_never_fits()
        + quota_requires()
        + limitranges()
        + pod_security()
        + webhooks()
        + service_accounts()
        + no_reason_and_controls(),
    )
    return run_both(server, kubeconfig, k8sdoctor, tmp_path_factory.mktemp("snapshot"))


EXPECTED = {
    ("Deployment", "offender-management", "allocation-manager", "PodsNotCreated", "quota-exceeded"),
    ("Deployment", "rq-demo", "busybox", "PodsNotCreated", "quota-exceeded"),
    ("StatefulSet", "fpl", "fpl-case-service-pr-3308-es-master", "PodsNotCreated", "quota-requires-requests"),
    ("Job", "haproxy", "hap-operator-kubernetes-ingress-crdjob-1", "PodsNotCreated", "quota-requires-requests"),
    ("ReplicaSet", "hjacobs", "hjacobs-test-1668339668", "PodsNotCreated", "limitrange-violation"),
    ("Deployment", "acme", "exposer", "PodsNotCreated", "limitrange-violation"),
    ("Deployment", "tekton-pipelines", "tekton-triggers-controller", "PodsNotCreated", "pod-security-violation"),
    ("DaemonSet", "csi-proxmox", "proxmox-csi-plugin-node", "PodsNotCreated", "pod-security-violation"),
    ("ReplicaSet", "default", "bad-pod-5f7cd9bf45", "PodsNotCreated", "webhook-denied"),
    ("ReplicaSet", "gmsa", "webhook-svc", "PodsNotCreated", "webhook-unreachable"),
    ("Deployment", "webhook-demo", "webhook-server", "PodsNotCreated", "webhook-unreachable"),
    ("Deployment", "kube-system", "kube-stresscheck", "PodsNotCreated", "serviceaccount-missing"),
    ("Deployment", "operators", "example-operator", "PodsNotCreated", "create-error"),
}


def test_every_refused_workload_gets_its_cause_live_and_from_a_snapshot(verdicts):
    assert verdicts.causes(WORKLOAD_KINDS) == EXPECTED
    assert verdicts.causes(WORKLOAD_KINDS, snapshot=True) == EXPECTED


def test_a_deployments_replicasets_are_reported_on_the_deployment_only(verdicts):
    rs = verdicts.item("ReplicaSet", "offender-management", "allocation-manager-6597bc46dc")
    assert rs["findings"] == [] and rs["healthy"]


def test_a_leftover_failedcreate_raises_nothing(verdicts):
    for kind, name in (("Deployment", "one"), ("ReplicaSet", "one-7b498b4b4")):
        assert verdicts.item(kind, "smaug", name)["findings"] == []


def test_quota_used_up_names_what_is_used_and_what_freeing_would_do(verdicts):
    f = finding(verdicts.item("Deployment", "offender-management", "allocation-manager"), "quota-exceeded")
    assert f["object"] == {"kind": "ReplicaSet", "namespace": "offender-management", "name": "allocation-manager-6597bc46dc"}
    assert f["summary"] == "ResourceQuota namespace-quota is used up: not enough limits.cpu, limits.memory left for another pod"
    assert evidence(f, "quota namespace-quota limits.cpu") == ["the pod asks 1; 6 of 6 used, 0 left"]
    assert evidence(f, "resourcequota namespace-quota status (used/hard)") == ["limits.cpu=6/6, limits.memory=12Gi/12Gi"]
    steps = [s["text"] for s in f["remediation"]]
    assert steps[0].startswith("Free limits.cpu: the namespace's pods that hold it, largest first: allocation-manager-5b7c9d8f4-k2j4h (2)")
    assert f["remediation"][1]["command"] == (
        "kubectl -n offender-management patch deployment/allocation-manager -p '{\"spec\":{\"strategy\":{\"rollingUpdate\":{\"maxSurge\":0,\"maxUnavailable\":1}}}}'"
    )


def test_a_request_above_the_quota_can_never_fit(verdicts):
    f = finding(verdicts.item("Deployment", "rq-demo", "busybox"), "quota-exceeded")
    assert f["summary"] == "ResourceQuota app can never admit the pod: it asks more requests.memory than the quota allows in total"
    assert evidence(f, "quota app requests.memory") == [
        "the pod asks 1G; 0 of 500m used, 0.5 left: more than the quota allows at all",
        "500m of memory means 500 thousandths of a byte; 500Mi was probably meant",
    ]
    assert f["remediation"][0]["text"].startswith("Freeing usage cannot help")


def test_quota_requires_requests_names_every_container_init_included(verdicts):
    f = finding(verdicts.item("StatefulSet", "fpl", "fpl-case-service-pr-3308-es-master"), "quota-requires-requests")
    assert evidence(f, "spec.template.spec containers") == [
        "requests.cpu is not set on 2 containers (sysctl (init container), elasticsearch)",
        "requests.memory is not set on 2 containers (sysctl (init container), elasticsearch)",
    ]
    commands = [s["command"] for s in f["remediation"] if s["command"]]
    assert (
        "kubectl -n fpl set resources statefulset/fpl-case-service-pr-3308-es-master -c sysctl --requests=cpu=100m,memory=128Mi" in commands
    )


def test_a_jobs_template_cannot_change_so_it_is_recreated(verdicts):
    f = finding(verdicts.item("Job", "haproxy", "hap-operator-kubernetes-ingress-crdjob-1"), "quota-requires-requests")
    assert f["summary"] == "The quota requires limits.cpu, limits.memory, requests.cpu, requests.memory, which container crd do not set"
    assert not any("set resources" in (s["command"] or "") for s in f["remediation"])
    assert f["remediation"][-1]["text"].startswith("A Job's pod template cannot change")


def test_limitrange_names_the_bound_the_container_and_the_fix(verdicts):
    f = finding(verdicts.item("ReplicaSet", "hjacobs", "hjacobs-test-1668339668"), "limitrange-violation")
    assert evidence(f, "limitrange limits spec.limits[0] (type Container) max.cpu") == ["16"]
    assert f["summary"] == "A LimitRange refuses container test: cpu at most 16, the pod's request is 17"
    assert f["remediation"][0]["command"] == "kubectl -n hjacobs set resources replicaset/hjacobs-test-1668339668 -c test --requests=cpu=16"
    ratio = finding(verdicts.item("Deployment", "acme", "exposer"), "limitrange-violation")
    assert ratio["remediation"][0]["command"] == "kubectl -n acme set resources deployment/exposer -c exposer --requests=cpu=209m"


def test_pod_security_gives_a_patch_per_container_and_the_namespace_level(verdicts):
    f = finding(verdicts.item("Deployment", "tekton-pipelines", "tekton-triggers-controller"), "pod-security-violation")
    assert evidence(f, "namespace tekton-pipelines metadata.labels") == [
        "pod-security.kubernetes.io/enforce=restricted, pod-security.kubernetes.io/enforce-version=latest"
    ]
    assert f["remediation"][0]["command"] == (
        "kubectl -n tekton-pipelines patch deployment/tekton-triggers-controller -p "
        "'{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"tekton-triggers-controller\",\"securityContext\":"
        "{\"capabilities\":{\"drop\":[\"ALL\"]},\"runAsNonRoot\":true,\"seccompProfile\":{\"type\":\"RuntimeDefault\"}}}]}}}}'"
    )
    baseline = finding(verdicts.item("DaemonSet", "csi-proxmox", "proxmox-csi-plugin-node"), "pod-security-violation")
    assert [s["text"] for s in baseline["remediation"][:3]] == [
        'Remove from the pod template what the level forbids: non-default capabilities: container proxmox-csi-plugin-node must not include "SYS_ADMIN" in securityContext.capabilities.add.',
        'Remove from the pod template what the level forbids: hostPath volumes: volumes "socket", "registration", "kubelet", "dev", "sys".',
        "Remove from the pod template what the level forbids: privileged: container proxmox-csi-plugin-node must not set securityContext.privileged=true.",
    ]


def test_webhooks_denied_and_unreachable(verdicts):
    denied = finding(verdicts.item("ReplicaSet", "default", "bad-pod-5f7cd9bf45"), "webhook-denied")
    assert denied["summary"] == (
        "Admission webhook k-rail.cruise-automation.github.com denies the pods: "
        "bad-pod-5f7cd9bf45-rbhsb had violation: Docker Sock Mount: mounting the Docker socket is forbidden"
    )
    assert evidence(denied, "validatingwebhookconfiguration k-rail webhooks[0] (k-rail.cruise-automation.github.com)") == [
        "failurePolicy Fail; calls service k-rail/k-rail"
    ]
    down = finding(verdicts.item("ReplicaSet", "gmsa", "webhook-svc"), "webhook-unreachable")
    assert (
        down["summary"]
        == "Admission webhook admission-webhook.windows-gmsa.sigs.k8s.io cannot be reached (failurePolicy Fail): its Service has no ready endpoints"
    )
    assert evidence(down, "service gmsa/webhook-svc endpointslices") == ["0 ready of 0 endpoints"]
    assert evidence(down, "service gmsa/webhook-svc pods") == ["no pod matches its selector"]
    timeout = finding(verdicts.item("Deployment", "webhook-demo", "webhook-server"), "webhook-unreachable")
    assert (
        timeout["summary"]
        == "Pod creation timed out: webhook webhook-server.webhook-demo.svc intercepts pods here, with no ready endpoints"
    )
    assert timeout["remediation"][-1]["command"] == "kubectl -n webhook-demo rollout restart deployment/webhook-server"


def test_serviceaccount_missing_says_where_it_is(verdicts):
    f = finding(verdicts.item("Deployment", "kube-system", "kube-stresscheck"), "serviceaccount-missing")
    assert evidence(f, "serviceaccounts") == ["a ServiceAccount named kube-stresscheck exists in namespace default, not in kube-system"]
    assert evidence(f, "serviceaccounts in namespace kube-system") == ["did you mean kube-stress-check?"]
    assert f["remediation"][0]["command"] == "kubectl -n kube-system set serviceaccount deployment/kube-stresscheck kube-stress-check"


def test_one_workload_from_both_paths(k8sdoctor, verdicts):
    live = k8sdoctor("diagnose", "deploy/allocation-manager", "-n", "offender-management", "-o", "json")
    assert live.code == 1
    offline = k8sdoctor(
        "diagnose", "deploy/allocation-manager", "-n", "offender-management", "-o", "json", "--snapshot", str(verdicts.snapshot_path)
    )
    assert offline.code == 1, offline.err
    for out in (live.json(), offline.json()):
        assert [(f["category"], f["cause"]) for f in out["findings"]] == [("PodsNotCreated", "quota-exceeded")]
    text = k8sdoctor("diagnose", "deploy/busybox", "-n", "rq-demo")
    assert "PodsNotCreated › quota-exceeded" in text.out and "no problems" not in text.out
