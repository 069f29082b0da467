"""`k8sdoctor capture` end to end, what goes in: with `-l SELECTOR`, only the objects the selector matches
and what the selected pods lead to (their controllers, events about them), diagnosed offline as live; a
Secret a diagnosis reads keeps its key names and loses every value (its data and the copy `kubectl
apply` leaves in an annotation)."""

from __future__ import annotations

import base64
import json

import orjson
import pytest

from k8sdoctor.fakeapi import FakeApiServer
from tests.analyzers_live.objects import container, corpus_message, event, finding, node, waiting_pod
from tests.integrations.test_capture import members

PLANTED = "k8sdoctor-PLANTED-s3cr3t-5b1e0d"


def objects_in(bundle) -> list[dict]:
    return orjson.loads(members(bundle)["k8sdoctor-capture/objects.json"])["items"]


def test_a_selector_takes_only_the_objects_it_matches_and_what_their_pods_lead_to(run_cli, demo_server, demo_kubeconfig, tmp_path):
    bundle = tmp_path / "kafdrop.tar.gz"
    r = run_cli("capture", "-n", "shop", "-l", "app=kafdrop", "-f", str(bundle), kubeconfig=demo_kubeconfig)
    assert r.code == 0, r.err
    objects = objects_in(bundle)
    names = {(o["kind"], o["metadata"]["name"]) for o in objects if o["metadata"].get("namespace") == "shop"}
    pods = {p["metadata"]["name"] for p in demo_server.list("Pod", "shop") if (p["metadata"].get("labels") or {}).get("app") == "kafdrop"}
    assert pods and {n for k, n in names if k == "Pod"} == pods
    (rs,) = [n for k, n in names if k == "ReplicaSet"]
    assert rs.startswith("kafdrop-")
    assert {n for k, n in names if k == "Deployment"} == {"kafdrop"}
    kept = {(k, n) for k, n in names if k != "Event"}
    about = {(o["involvedObject"]["kind"], o["involvedObject"]["name"]) for o in objects if o["kind"] == "Event"}
    assert about and about <= kept, about - kept
    manifest = orjson.loads(members(bundle)["k8sdoctor-capture/manifest.json"])
    assert manifest["scope"]["selector"] == "app=kafdrop"
    # what is in the bundle diagnoses as live
    live = run_cli("diagnose", "deploy/kafdrop", "-o", "json", kubeconfig=demo_kubeconfig)
    offline = run_cli("diagnose", "deploy/kafdrop", "-n", "shop", "-o", "json", "--snapshot", str(bundle))
    assert offline.code == live.code == 1, offline.err

    def quoted(payload: dict) -> list:
        return [(p["name"], f["cause"], [e["text"] for e in f["evidence"]]) for p in payload["pods"] for f in p["findings"]]

    assert quoted(offline.json()) == quoted(live.json()) != []
    everything = run_cli("diagnose", "all", "-n", "shop", "-o", "json", "--snapshot", str(bundle)).json()
    assert {(i["kind"], i["name"]) for i in everything["items"] if i["namespace"] == "shop"} == kept


def secret(name: str, data: dict[str, str]) -> dict:
    """A Secret as `kubectl apply` leaves it: its manifest, values included, in an annotation."""
    encoded = {k: base64.b64encode(v.encode()).decode() for k, v in data.items()}
    manifest = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name, "namespace": "default"}, "data": encoded}
    annotations = {"kubectl.kubernetes.io/last-applied-configuration": json.dumps(manifest)}
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": name, "namespace": "default", "annotations": annotations},
        "data": encoded,
    }


@pytest.fixture
def missing_key(tmp_path):
    """A pod whose env reads a key its Secret does not have (https://github.com/shieldworks/aegis/issues/293)."""
    with FakeApiServer() as srv:
        pod = waiting_pod(
            "aegis-workload-demo-5c4d3e2f1-a1a1a",
            "default",
            [
                container(
                    "main",
                    "localhost:5000/aegis-workload-demo-using-init-container:0.15.6",
                    env=[{"name": "V", "valueFrom": {"secretKeyRef": {"name": "aegis-secret-aegis-workload-demo", "key": "VALUE"}}}],
                )
            ],
            "CreateContainerConfigError",
        )
        message = corpus_message(
            "aegis-missing-key-in-secret", "https://github.com/shieldworks/aegis/issues/293", contains="couldn't find key"
        )
        srv.apply_all(
            [
                {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default"}},
                node("worker-1"),
                secret("aegis-secret-aegis-workload-demo", {"value": PLANTED, "SPIFFEID": "spiffe://aegis.ist/workload/demo"}),
                pod,
                event(pod, message, reason="Failed"),
            ]
        )
        yield srv, srv.write_kubeconfig(tmp_path / "kubeconfig", namespace="default")


def test_a_secret_keeps_its_key_names_and_no_value(run_cli, missing_key, tmp_path):
    server, kubeconfig = missing_key
    bundle = tmp_path / "aegis.tar.gz"
    r = run_cli("capture", "-f", str(bundle), kubeconfig=kubeconfig)
    assert r.code == 0, r.err
    blob = b"".join(members(bundle).values())
    encoded = base64.b64encode(PLANTED.encode())
    assert PLANTED.encode() not in blob and encoded not in blob
    assert b"spiffe://aegis.ist" not in blob  # the other value too
    (kept,) = [o for o in objects_in(bundle) if o["kind"] == "Secret" and o["metadata"]["name"] == "aegis-secret-aegis-workload-demo"]
    assert kept["keyNames"] == ["SPIFFEID", "value"]
    assert "data" not in kept and "stringData" not in kept and "annotations" not in kept["metadata"]
    # the key names are what the offline diagnosis needs to say which key exists
    offline = run_cli("diagnose", "pod", "aegis-workload-demo-5c4d3e2f1-a1a1a", "-n", "default", "-o", "json", "--snapshot", str(bundle))
    live = run_cli("diagnose", "pod", "aegis-workload-demo-5c4d3e2f1-a1a1a", "-o", "json", kubeconfig=kubeconfig)
    assert offline.code == live.code == 1, offline.err
    texts = finding(offline.json(), "missing-key", "main")["evidence"][-1]["text"]
    assert texts == finding(live.json(), "missing-key", "main")["evidence"][-1]["text"] == "keys: SPIFFEID, value. Did you mean value?"
    assert server.get("Secret", "default", "aegis-secret-aegis-workload-demo")["data"]["value"] == encoded.decode()  # it was there to leak


def test_owners_that_name_each_other_end_the_walk_up_the_chain():
    """ownerReferences are tenant-written: a ReplicaSet and a Deployment that own each other must not
    send capture -l round the loop for ever."""
    from k8sdoctor.capture.collect import _related
    from k8sdoctor.core.inventory import Inventory

    def owned(kind: str, name: str, owner_kind: str, owner: str) -> dict:
        ref = {"kind": owner_kind, "name": owner, "controller": True}
        return {"kind": kind, "metadata": {"namespace": "shop", "name": name, "ownerReferences": [ref]}}

    inv = Inventory()
    inv.put_pod(owned("Pod", "web-1", "ReplicaSet", "web-rs"))
    inv.put("ReplicaSet", owned("ReplicaSet", "web-rs", "Deployment", "web"))
    inv.put("Deployment", owned("Deployment", "web", "ReplicaSet", "web-rs"))
    assert {("ReplicaSet", "shop", "web-rs"), ("Deployment", "shop", "web")} <= _related(inv)
