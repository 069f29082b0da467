"""No secret value in any output, live: a recognisable value planted in the Secrets k8sdoctor reads
(whole, for a missing key's names; by name, for "did you mean" and pull secrets) and in the
last-applied annotation `kubectl apply` leaves on them, then every output format searched for it."""

from __future__ import annotations

import base64
import json

import pytest

from tests.analyzers_live.objects import container, corpus_message, event, finding, node, waiting_pod

PLANTED = "k8sdoctor-PLANTED-s3cr3t-7f3a9c"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


NEEDLES = [PLANTED, b64(PLANTED), b64("robot:" + PLANTED)]


def secret(name, data, type_="Opaque"):
    """A Secret as `kubectl apply` leaves it: its manifest, values included, in an annotation."""
    encoded = {k: b64(v) for k, v in data.items()}
    manifest = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name, "namespace": "default"}, "type": type_, "data": encoded}
    meta = {"name": name, "namespace": "default", "annotations": {"kubectl.kubernetes.io/last-applied-configuration": json.dumps(manifest)}}
    return {"apiVersion": "v1", "kind": "Secret", "metadata": meta, "type": type_, "data": encoded}


def stuck(name, image, reason, **fields):
    return waiting_pod(name, "default", [container("app", image, **fields)], reason)


@pytest.fixture(scope="module", autouse=True)
def cluster(server):
    docker_config = json.dumps(
        {"auths": {"https://index.docker.io/v1/": {"username": "robot", "password": PLANTED, "auth": b64("robot:" + PLANTED)}}}
    )
    secrets = [
        secret("aegis-secret-aegis-workload-demo", {"value": PLANTED, "SPIFFEID": "spiffe://aegis.ist/workload/demo"}),
        secret("secret-postgresql", {"postgresql-password": PLANTED}),
        secret("regcred", {".dockerconfigjson": docker_config}, "kubernetes.io/dockerconfigjson"),
    ]
    missing_key = stuck(
        "aegis-workload-demo-5c4d3e2f1-a1a1a",
        "localhost:5000/aegis-workload-demo-using-init-container:0.15.6",
        "CreateContainerConfigError",
        env=[{"name": "V", "valueFrom": {"secretKeyRef": {"name": "aegis-secret-aegis-workload-demo", "key": "VALUE"}}}],
    )
    missing_secret = stuck(
        "reportportal-api-7d6c5b4a3-b2b2b",
        "reportportal/service-api:5.7.0",
        "CreateContainerConfigError",
        env=[{"name": "P", "valueFrom": {"secretKeyRef": {"name": "secretpostgresql", "key": "postgresql-password"}}}],
    )
    auth = stuck("test-service-5d6c7b8a9-c3c3c", "xxxxxxxxxxxxxxxxxxxx/test-service:latest", "ImagePullBackOff")
    auth["spec"]["imagePullSecrets"] = [{"name": "regcred"}]
    events = [
        # https://github.com/shieldworks/aegis/issues/293
        event(
            missing_key,
            corpus_message("aegis-missing-key-in-secret", "https://github.com/shieldworks/aegis/issues/293", contains="couldn't find key"),
            reason="Failed",
        ),
        # https://github.com/reportportal/kubernetes/issues/178
        event(
            missing_secret,
            corpus_message("reportportal-missing-secret", "https://github.com/reportportal/kubernetes/issues/178"),
            reason="Failed",
        ),
        # https://github.com/rancher-archives/rke/issues/167
        event(
            auth,
            corpus_message("rke-private-registry-auth-required", "https://github.com/rancher-archives/rke/issues/167"),
            reason="Failed",
        ),
    ]
    server.apply_all([node("worker-1")] + secrets + [missing_key, missing_secret, auth] + events)


def test_the_diagnoses_did_read_those_secrets(server, k8sdoctor):
    """The key names, the suggested name and the pull secret's presence come from the planted Secrets,
    which the server holds with their values."""
    assert server.get("Secret", "default", "secret-postgresql")["data"]["postgresql-password"] == b64(PLANTED)
    items = {i["name"]: i for i in k8sdoctor("diagnose", "pods", "-n", "default", "-o", "json").json()["items"]}
    assert (
        finding(items["aegis-workload-demo-5c4d3e2f1-a1a1a"], "missing-key")["evidence"][-1]["text"]
        == "keys: SPIFFEID, value. Did you mean value?"
    )
    assert "Did you mean secret-postgresql?" in finding(items["reportportal-api-7d6c5b4a3-b2b2b"], "missing-secret")["evidence"][-1]["text"]
    assert any(
        e["text"] == "regcred: exists, type kubernetes.io/dockerconfigjson"
        for e in finding(items["test-service-5d6c7b8a9-c3c3c"], "registry-auth")["evidence"]
    )


@pytest.mark.parametrize("fmt", ["text", "json", "yaml", "markdown"])
def test_no_planted_value_in_any_output_format(k8sdoctor, fmt):
    runs = [("pods", "-A"), ("pods", "-n", "default", "--show-healthy")] + [
        ("pod", name, "-n", "default")
        for name in ("aegis-workload-demo-5c4d3e2f1-a1a1a", "reportportal-api-7d6c5b4a3-b2b2b", "test-service-5d6c7b8a9-c3c3c")
    ]
    for args in runs:
        result = k8sdoctor("diagnose", *args, "-o", fmt)
        assert result.code == 1, result.err
        assert not [n for n in NEEDLES if n in result.out or n in result.err], args
