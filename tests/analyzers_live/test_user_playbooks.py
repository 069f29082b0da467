"""User playbooks, live: a playbook that adds one NotReady cause read from logs fires beside the built-in
causes, through the real CLI and the local API server. The container never restarted and its logs are
not among those fetched up front; the diagnosis asks for them and the fetch completes it."""

from __future__ import annotations

import orjson
import yaml

from tests.analyzers_live.objects import ago, container, event, pod
from tests.test_subjects import DB_AUTH_LINE, EXTENSION, READINESS_503

KEYCLOAK = "keycloak-6b7c8d9f5-q2w3e"


def unready_keycloak() -> list[dict]:
    probe = {"httpGet": {"path": "/health", "port": 8080}}
    status = {
        "name": "keycloak",
        "image": "quay.io/keycloak/keycloak:20.0",
        "ready": False,
        "restartCount": 0,
        "state": {"running": {"startedAt": ago(600)}},
    }
    target = pod(
        KEYCLOAK,
        "auth",
        node_name="worker-1",
        owner=("ReplicaSet", "keycloak-6b7c8d9f5"),
        containers=[{**container("keycloak", "quay.io/keycloak/keycloak:20.0"), "readinessProbe": probe}],
        statuses=[status],
    )
    # https://github.com/istio/istio/issues/42940
    return [target, event(target, READINESS_503, reason="Unhealthy", count=20)]


def test_an_added_cause_reads_logs_the_scan_did_not_fetch(server, k8sdoctor, tmp_path):
    server.apply_all(unready_keycloak())
    # https://github.com/keycloak/keycloak-community/issues/307
    server.set_logs("auth", KEYCLOAK, "keycloak", ["Starting Keycloak", DB_AUTH_LINE])
    extra = tmp_path / "playbooks"
    extra.mkdir()
    (extra / "db-login.yaml").write_text(yaml.safe_dump({k: v for k, v in EXTENSION.items() if k != "examples"}))

    plain = k8sdoctor("diagnose", "pod", KEYCLOAK, "-n", "auth", "-o", "json")
    with_extension = k8sdoctor("diagnose", "pod", KEYCLOAK, "-n", "auth", "-o", "json", "--playbooks", str(extra))

    assert plain.code == 1, plain.err
    assert [f["cause"] for f in plain.json()["findings"]] == ["readiness-probe-failure"]
    assert with_extension.code == 1, with_extension.err
    found = orjson.loads(with_extension.out)["findings"]
    assert [(f["category"], f["cause"]) for f in found] == [("NotReady", "database-login-failed")]
    assert found[0]["summary"] == "keycloak cannot log in to its database as keycloak"
    assert {"source": "logs keycloak (current) line 2 of 2", "text": DB_AUTH_LINE} in found[0]["evidence"]
    assert not any("no logs were available" in n for n in orjson.loads(with_extension.out)["notes"])
