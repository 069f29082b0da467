"""No secret value reaches a diagnosis: a recognisable value planted in Secrets (data, stringData,
a docker config) appears nowhere in any finding's text, evidence or remediation."""

from __future__ import annotations

import base64
import json

from tests.analyzers.builders import cluster, container, corpus_message, diagnose, event, node, waiting_pod

PLANTED = "k8sdoctor-PLANTED-s3cr3t-7f3a9c"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def secrets() -> list[dict]:
    docker_config = json.dumps(
        {"auths": {"https://index.docker.io/v1/": {"username": "robot", "password": PLANTED, "auth": b64("robot:" + PLANTED)}}}
    )
    return [
        {
            "kind": "Secret",
            "type": "Opaque",
            "metadata": {"name": "aegis-secret-aegis-workload-demo", "namespace": "default"},
            "data": {"value": b64(PLANTED), "token": b64("x" + PLANTED)},
            "stringData": {"username": PLANTED},
        },
        {
            "kind": "Secret",
            "type": "kubernetes.io/dockerconfigjson",
            "metadata": {"name": "regcred", "namespace": "default"},
            "data": {".dockerconfigjson": b64(docker_config)},
        },
        {
            "kind": "Secret",
            "type": "Opaque",
            "metadata": {"name": "secret-postgresql", "namespace": "default"},
            "stringData": {"postgresql-password": PLANTED},
        },
    ]


def waiting(name, image, reason, **fields):
    return waiting_pod(name, [container("app", image, **fields)], reason, namespace="default")


def test_planted_secret_values_appear_in_no_diagnosis(engine):
    key_env = [{"name": "V", "valueFrom": {"secretKeyRef": {"name": "aegis-secret-aegis-workload-demo", "key": "VALUE"}}}]
    missing_key = waiting("demo-5c4d3e2f1-a1a1a", "registry.example/demo:1", "CreateContainerConfigError", env=key_env)
    pass_env = [{"name": "P", "valueFrom": {"secretKeyRef": {"name": "secretpostgresql", "key": "postgresql-password"}}}]
    missing_secret = waiting("api-7d6c5b4a3-b2b2b", "reportportal/service-api:5.7.0", "CreateContainerConfigError", env=pass_env)
    auth = waiting("test-service-5d6c7b8a9-c3c3c", "xxxxxxxxxxxxxxxxxxxx/test-service:latest", "ImagePullBackOff")
    auth["spec"]["imagePullSecrets"] = [{"name": "regcred"}]
    events = [
        # https://github.com/shieldworks/aegis/issues/293
        event(
            missing_key,
            corpus_message("aegis-missing-key-in-secret", "https://github.com/shieldworks/aegis/issues/293", contains="couldn't find key"),
        ),
        # https://github.com/reportportal/kubernetes/issues/178
        event(missing_secret, corpus_message("reportportal-missing-secret", "https://github.com/reportportal/kubernetes/issues/178")),
        # https://github.com/rancher-archives/rke/issues/167
        event(auth, corpus_message("rke-private-registry-auth-required", "https://github.com/rancher-archives/rke/issues/167")),
    ]
    inv = cluster(node("worker-1"), missing_key, missing_secret, auth, events, listed=[("Secret", "default")])
    planted = secrets()
    inv.put("Secret", planted[0])
    inv.put_secret(planted[1])
    inv.put("Secret", planted[2])
    results = [diagnose(engine, inv, p) for p in (missing_key, missing_secret, auth)]
    assert [f.cause for r in results for f in r.findings if f.category in ("RunContainerError", "ImagePullBackOff")] == [
        "missing-key",
        "missing-secret",
        "registry-auth",
    ]
    # the analyzers did look at these Secrets: key names, names and types are there
    text = json.dumps([r.to_dict() for r in results])
    assert "keys: token, username, value. Did you mean value?" in text
    assert "Did you mean secret-postgresql?" in text
    assert "regcred: exists, type kubernetes.io/dockerconfigjson" in text
    for needle in (PLANTED, b64(PLANTED), b64("x" + PLANTED), b64("robot:" + PLANTED)):
        assert needle not in text
        assert needle not in str([r.to_dict() for r in results])
