"""Analyzers never raise on odd or partial objects: realistic objects with random fields replaced by
values of the wrong type, run through every analyzer for every cause of its family."""

from __future__ import annotations

import copy
import random

import pytest

from k8sdoctor.core.analyzers import analyzers_for
from k8sdoctor.core.facts import build_pod_facts
from k8sdoctor.core.findings import Evidence, Finding
from k8sdoctor.core.inventory import Inventory
from tests.analyzers.builders import NOW, container, corpus_message, event, node, pod, system_pods, waiting_status

ODD = [None, True, 0, -1, 1.5, "", "x", "1e999", [], {}, [None], {"": None}, "sha256:zz", "-5m"]
#: One real message for each text the analyzers parse.
MESSAGES = [
    # https://github.com/red-hat-storage/ocs-operator/pull/4163
    corpus_message("ocs-operator-topology-spread-taints", "https://github.com/red-hat-storage/ocs-operator/pull/4163"),
    # https://github.com/reportportal/kubernetes/issues/178
    corpus_message("reportportal-missing-secret", "https://github.com/reportportal/kubernetes/issues/178"),
    # https://github.com/rustyrazorblade/easy-db-lab/issues/733
    corpus_message("easy-db-lab-init-missing-configmap", "https://github.com/rustyrazorblade/easy-db-lab/issues/733"),
    # https://github.com/shieldworks/aegis/issues/293
    corpus_message("aegis-missing-key-in-secret", "https://github.com/shieldworks/aegis/issues/293", contains="couldn't find key"),
    # https://github.com/pl4nty/cloudflare-kubernetes-gateway/issues/123
    corpus_message("cloudflare-gateway-manager-no-such-file", "https://github.com/pl4nty/cloudflare-kubernetes-gateway/issues/123"),
    # https://github.com/kube-rbac-proxy/kube-rbac-proxy/issues/79
    corpus_message("kube-rbac-proxy-docker-no-matching-manifest-arm64", "https://github.com/kube-rbac-proxy/kube-rbac-proxy/issues/79"),
    # https://github.com/Unleash/unleash-edge/issues/483
    corpus_message("unleash-edge-runasnonroot", "https://github.com/Unleash/unleash-edge/issues/483", contains="runAsNonRoot"),
]


def cluster_objects() -> list[tuple[str, dict]]:
    nodes = [
        node("n1", labels={"disk": "ssd"}, taints=[{"key": "a", "value": "b", "effect": "NoSchedule"}], images=[["nginx:1.25"]]),
        node("n2", arch="arm64"),
    ]
    env = [{"name": "P", "valueFrom": {"secretKeyRef": {"name": "secretpostgresql", "key": "VALUE"}}}]
    app = container(
        "app",
        "nginx:1.26",
        cpu="2",
        memory="1Gi",
        limits={"memory": "1Gi"},
        env=env,
        command=["/manager"],
        livenessProbe={"httpGet": {"path": "/", "port": 80}},
        securityContext={"runAsNonRoot": True},
    )
    last = {"reason": "OOMKilled", "exitCode": 137, "startedAt": "2026-11-26T11:00:00Z", "finishedAt": "2026-11-26T11:00:31Z"}
    statuses = [waiting_status("app", "nginx:1.26", "CrashLoopBackOff", restarts=3, last=last)]
    spec = {
        "nodeSelector": {"disk": "ssdd"},
        "imagePullSecrets": [{"name": "regcrd"}],
        "volumes": [
            {"name": "v", "persistentVolumeClaim": {"claimName": "data"}},
            {"name": "c", "configMap": {"name": "cfg", "items": [{"key": "k"}]}},
        ],
        "affinity": {
            "nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {
                    "nodeSelectorTerms": [{"matchExpressions": [{"key": "zone", "operator": "In", "values": ["x"]}]}]
                }
            }
        },
        "overhead": {"cpu": "100m"},
        "schedulerName": "volcano",
        "schedulingGates": [{"name": "g"}],
        "tolerations": [{"operator": "Exists", "effect": "NoExecute"}],
    }
    target = pod(
        "web-6b5c4d3e2-a1s2d",
        node_name="n1",
        owner=("ReplicaSet", "web-6b5c4d3e2"),
        containers=[app],
        init_containers=[container("init", "busybox", restartPolicy="Always")],
        statuses=statuses,
        spec=spec,
    )
    rs = [
        {
            "kind": "ReplicaSet",
            "metadata": {
                "name": name,
                "namespace": "shop",
                "annotations": {"deployment.kubernetes.io/revision": rev},
                "ownerReferences": [{"kind": "Deployment", "name": "web", "controller": True}],
            },
            "spec": {"template": {"spec": {"containers": [{"name": "app", "image": image}]}}},
            "status": {"readyReplicas": 1},
        }
        for name, rev, image in (("web-6b5c4d3e2", "2", "nginx:1.26"), ("web-5a4b3c2d1", "1", "nginx:1.25"))
    ]
    others = [
        (
            "StorageClass",
            {
                "kind": "StorageClass",
                "metadata": {"name": "std", "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
                "volumeBindingMode": "WaitForFirstConsumer",
            },
        ),
        (
            "PersistentVolumeClaim",
            {
                "kind": "PersistentVolumeClaim",
                "metadata": {"name": "data", "namespace": "shop"},
                "spec": {"storageClassName": "fast"},
                "status": {"phase": "Pending"},
            },
        ),
        (
            "ServiceAccount",
            {"kind": "ServiceAccount", "metadata": {"name": "default", "namespace": "shop"}, "imagePullSecrets": [{"name": "regcred"}]},
        ),
        (
            "Secret",
            {"kind": "Secret", "type": "Opaque", "metadata": {"name": "secret-postgresql", "namespace": "shop"}, "data": {"value": "eA=="}},
        ),
        (
            "ConfigMap",
            {"kind": "ConfigMap", "metadata": {"name": "cfgs", "namespace": "shop"}, "data": {"a": "b"}, "binaryData": {"c": "ZA=="}},
        ),
    ]
    objects = (
        [("Node", n) for n in nodes]
        + [("Pod", target)]
        + [("Pod", p) for p in system_pods(nodes)]
        + [("ReplicaSet", r) for r in rs]
        + others
    )
    objects.append(("Event", event(target, MESSAGES[0], reason="FailedScheduling")))
    return objects


def mutate(value, rng: random.Random, rate: float):
    """A copy of `value` where each dict value or list item is replaced by an odd value with `rate`."""
    if isinstance(value, dict):
        return {k: rng.choice(ODD) if rng.random() < rate else mutate(v, rng, rate) for k, v in value.items()}
    if isinstance(value, list):
        return [rng.choice(ODD) if rng.random() < rate else mutate(v, rng, rate) for v in value]
    return value


CAUSES = {
    "Pending": [
        "insufficient-resources",
        "untolerated-taint",
        "node-selector-mismatch",
        "unbound-pvc",
        "unschedulable",
        "scheduling-gated",
    ],
    "ImagePullBackOff": ["image-not-found", "pull-error", "registry-auth", "platform-mismatch", "rate-limited", "invalid-image-name"],
    "CrashLoopBackOff": ["oom-killed", "liveness-probe-failure", "command-not-found", "app-error"],
    "RunContainerError": ["missing-secret", "missing-configmap", "missing-key", "command-not-found", "run-as-non-root"],
    "ContainerCreating": ["missing-secret", "missing-configmap"],
    "NotReady": ["readiness-probe-failure"],
}


@pytest.fixture(scope="module")
def captures(engine):
    """What the built-in playbooks capture from the cited messages (a Secret's name, a missing key...),
    as findings carry it to the analyzers: each message diagnosed as the event of a waiting container."""
    out: dict[str, str] = {}
    for reason in ("CreateContainerConfigError", "ErrImagePull", "ContainerCreating"):
        for i, message in enumerate(MESSAGES):
            pod = {
                "metadata": {"name": f"p{i}", "namespace": "shop", "uid": f"u{i}"},
                "spec": {"containers": [{"name": "app", "image": "registry.example/app:1"}]},
                "status": {"phase": "Pending", "containerStatuses": [{"name": "app", "state": {"waiting": {"reason": reason}}}]},
            }
            inv = Inventory()
            inv.put_pod(pod)
            inv.put_event(event(pod, message, type_="Warning", reason="Failed"))
            for f in engine.diagnose_pod(inv, pod, NOW).findings:
                for key, value in f.captures.items():
                    out.setdefault(key, value)
    assert {"secret", "configmap", "key", "ref_name"} <= set(out)
    return out


@pytest.mark.parametrize("seed", range(60))
def test_analyzers_survive_odd_objects(seed, captures):
    rng = random.Random(seed)
    inv = Inventory()
    target = None
    for kind, obj in cluster_objects():
        odd = mutate(copy.deepcopy(obj), rng, rate=0.15)
        if kind == "Pod" and obj["metadata"]["name"].startswith("web-"):
            odd["metadata"] = obj["metadata"]  # keep it findable
            target = odd
        if isinstance(odd, dict):
            inv.put(kind, odd)
    inv.listed_names.update({("Secret", "shop"), ("ConfigMap", "shop")})
    facts = build_pod_facts(inv, target, NOW)
    for category, causes in CAUSES.items():
        for cause in causes:
            for container_name in ("app", None, "missing"):
                evidence = [Evidence("event", m) for m in MESSAGES]
                f = Finding(category, cause, container_name, "critical", "s", "e", evidence, [], "test", captures=dict(captures))
                for analyzer in analyzers_for(category, cause):
                    analyzer(f, facts, inv)
