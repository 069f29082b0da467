"""Create/start errors, live: "did you mean" for a Secret or ConfigMap name from metadata-only lists, the
keys a Secret has (read for their names only), the command a missing executable was run with, and the
securityContext in effect when runAsNonRoot refuses the image."""

from __future__ import annotations

import base64

import pytest

from tests.analyzers_live.objects import container, corpus_message, event, evidence, finding, node, pod, step, waiting_pod, waiting_status

KEY_VALUE = "aegis-key-value-9d2e4f"


def failed(target, message, *, field_path=None):
    return event(target, message, reason="Failed", count=7, field_path=field_path)


def objects(kind, namespace, *names, data=None):
    """Secrets or ConfigMaps with these names (and this `data`)."""
    return [
        {"apiVersion": "v1", "kind": kind, "metadata": {"name": n, "namespace": namespace}, **({"data": data} if data else {})}
        for n in names
    ]


def reportportal():
    env = [
        {"name": "RP_DB_HOST", "value": "postgresql"},
        {"name": "RP_DB_PASS", "valueFrom": {"secretKeyRef": {"name": "secretpostgresql", "key": "postgresql-password"}}},
    ]
    target = waiting_pod(
        "reportportal-api-7d6c5b4a3-l9k8j",
        "reportportal",
        [container("api", "reportportal/service-api:5.7.0", env=env)],
        "CreateContainerConfigError",
    )
    # https://github.com/reportportal/kubernetes/issues/178
    message = corpus_message("reportportal-missing-secret", "https://github.com/reportportal/kubernetes/issues/178")
    return [target, failed(target, message)] + objects("Secret", "reportportal", "secret-postgresql", "reportportal-tls", "rabbitmq-creds")


def cassandra():
    init = container("init-cluster", "rustyrazorblade/easy-db-lab:13", envFrom=[{"configMapRef": {"name": "cluster-config"}}])
    init_status = {"initContainerStatuses": [waiting_status("init-cluster", init["image"], "CreateContainerConfigError")]}
    target = waiting_pod(
        "cassandra-0",
        "cassandra",
        [container("cassandra", "cassandra:4.1")],
        "PodInitializing",
        owner=("StatefulSet", "cassandra"),
        init_containers=[init],
        status=init_status,
    )
    # https://github.com/rustyrazorblade/easy-db-lab/issues/733
    message = corpus_message("easy-db-lab-init-missing-configmap", "https://github.com/rustyrazorblade/easy-db-lab/issues/733")
    return [target, failed(target, message, field_path="spec.initContainers{init-cluster}")] + objects(
        "ConfigMap", "cassandra", "cluster-configs", "kube-root-ca.crt"
    )


def aegis():
    env = [{"name": "SECRET_VALUE", "valueFrom": {"secretKeyRef": {"name": "aegis-secret-aegis-workload-demo", "key": "VALUE"}}}]
    main = container("main", "localhost:5000/aegis-workload-demo-using-init-container:0.15.6", env=env)
    target = waiting_pod("aegis-workload-demo-5c4d3e2f1-o0p9i", "default", [main], "CreateContainerConfigError")
    # https://github.com/shieldworks/aegis/issues/293
    message = corpus_message("aegis-missing-key-in-secret", "https://github.com/shieldworks/aegis/issues/293", contains="couldn't find key")
    data = {
        "SPIFFEID": base64.b64encode(b"spiffe://aegis.ist/workload/aegis-workload-demo").decode(),
        "value": base64.b64encode(KEY_VALUE.encode()).decode(),
    }
    return [target, failed(target, message)] + objects("Secret", "default", "aegis-secret-aegis-workload-demo", data=data)


def cloudflare():
    manager = container("manager", "gcr.io/distroless/static:nonroot", command=["/manager"], args=["--leader-elect"])
    last = {"reason": "StartError", "exitCode": 128}
    target = pod(
        "cloudflare-gateway-6b5c4d3e2-a1s2d",
        "cloudflare-gateway",
        node_name="worker-1",
        owner=("ReplicaSet", "cloudflare-gateway-6b5c4d3e2"),
        containers=[manager],
        statuses=[waiting_status("manager", manager["image"], "CrashLoopBackOff", restarts=3, last=last)],
    )
    # https://github.com/pl4nty/cloudflare-kubernetes-gateway/issues/123
    message = corpus_message(
        "cloudflare-gateway-manager-no-such-file", "https://github.com/pl4nty/cloudflare-kubernetes-gateway/issues/123"
    )
    return [target, failed(target, message, field_path="spec.containers{manager}")]


def unleash():
    edge = container(
        "unleash-edge", "unleashorg/unleash-edge:v19.1", securityContext={"allowPrivilegeEscalation": False, "runAsGroup": 2000}
    )
    target = waiting_pod(
        "runai-backend-unleash-edge-747fc6ccbd-vx9d4",
        "runai-backend",
        [edge],
        "CreateContainerConfigError",
        spec={"securityContext": {"runAsNonRoot": True}},
    )
    # https://github.com/Unleash/unleash-edge/issues/483
    message = corpus_message("unleash-edge-runasnonroot", "https://github.com/Unleash/unleash-edge/issues/483", contains="runAsNonRoot")
    return [target, failed(target, message, field_path="spec.containers{unleash-edge}")]


@pytest.fixture(scope="module", autouse=True)
def cluster(server):
    server.apply_all([node("worker-1")] + reportportal() + cassandra() + aegis() + cloudflare() + unleash())


def test_misspelled_secret_gives_the_existing_name(diagnose):
    f = finding(diagnose("reportportal", "reportportal-api-7d6c5b4a3-l9k8j"), "missing-secret", "api")
    assert evidence(f, "spec.containers[api].env[RP_DB_PASS].valueFrom.secretKeyRef") == [
        "Secret secretpostgresql (key postgresql-password)"
    ]
    assert evidence(f, "Secret names in namespace reportportal") == [
        "Secret secretpostgresql does not exist in namespace reportportal. Did you mean secret-postgresql?"
    ]
    path = "/spec/template/spec/containers/0/env/1/valueFrom/secretKeyRef/name"
    assert f["remediation"][0] == {
        "text": "Point the pod template at the existing Secret secret-postgresql",
        "command": "kubectl -n reportportal patch deployment/reportportal-api --type=json -p "
        f"'[{{\"op\":\"test\",\"path\":\"{path}\",\"value\":\"secretpostgresql\"}},{{\"op\":\"replace\",\"path\":\"{path}\",\"value\":\"secret-postgresql\"}}]'",
    }
    assert (
        step(f, "Or create Secret secretpostgresql")["command"]
        == "kubectl -n reportportal create secret generic secretpostgresql --from-literal=postgresql-password=..."
    )


def test_misspelled_configmap_of_an_init_container_gives_the_existing_name(diagnose):
    f = finding(diagnose("cassandra", "cassandra-0"), "missing-configmap", "init-cluster")
    assert evidence(f, "spec.initContainers[init-cluster].envFrom[0].configMapRef") == ["ConfigMap cluster-config"]
    assert evidence(f, "ConfigMap names in namespace cassandra") == [
        "ConfigMap cluster-config does not exist in namespace cassandra. Did you mean cluster-configs?"
    ]
    path = "/spec/template/spec/initContainers/0/envFrom/0/configMapRef/name"
    assert f["remediation"][0] == {
        "text": "Point the pod template at the existing ConfigMap cluster-configs",
        "command": "kubectl -n cassandra patch statefulset/cassandra --type=json -p "
        f"'[{{\"op\":\"test\",\"path\":\"{path}\",\"value\":\"cluster-config\"}},{{\"op\":\"replace\",\"path\":\"{path}\",\"value\":\"cluster-configs\"}}]'",
    }


def test_init_container_failure_is_the_only_finding(diagnose):
    assert [f["cause"] for f in diagnose("cassandra", "cassandra-0")["findings"]] == ["missing-configmap"]


def test_names_are_listed_metadata_only(server, diagnose):
    diagnose("reportportal", "reportportal-api-7d6c5b4a3-l9k8j")
    lists = server.requests("GET", "/api/v1/namespaces/reportportal/secrets")
    assert lists and all(r.headers["Accept"].startswith("application/json;as=PartialObjectMetadataList") for r in lists)


def test_missing_key_lists_the_keys_that_exist_never_their_values(server, k8sdoctor):
    result = k8sdoctor("diagnose", "pod", "aegis-workload-demo-5c4d3e2f1-o0p9i", "-n", "default", "-o", "json")
    f = finding(result.json(), "missing-key", "main")
    # https://github.com/shieldworks/aegis/issues/293
    assert evidence(f, "event Warning/Failed from kubelet (x7 over 6m, 12m ago)") == [
        "Error: couldn't find key VALUE in Secret default/aegis-secret-aegis-workload-demo"
    ]
    assert evidence(f, "secret default/aegis-secret-aegis-workload-demo keyNames") == ["keys: SPIFFEID, value. Did you mean value?"]
    path = "/spec/template/spec/containers/0/env/0/valueFrom/secretKeyRef/key"
    assert f["remediation"][0] == {
        "text": "Read the existing key value instead of VALUE.",
        "command": "kubectl -n default patch deployment/aegis-workload-demo --type=json -p "
        f"'[{{\"op\":\"test\",\"path\":\"{path}\",\"value\":\"VALUE\"}},{{\"op\":\"replace\",\"path\":\"{path}\",\"value\":\"value\"}}]'",
    }
    # the one Secret was read whole for its key names; its values went nowhere
    assert server.requests("GET", "/api/v1/namespaces/default/secrets/aegis-secret-aegis-workload-demo")
    assert KEY_VALUE not in result.out and base64.b64encode(KEY_VALUE.encode()).decode() not in result.out


def test_command_not_found_shows_the_command_and_the_distroless_note(diagnose):
    f = finding(diagnose("cloudflare-gateway", "cloudflare-gateway-6b5c4d3e2-a1s2d"), "command-not-found", "manager")
    assert evidence(f, "spec.containers[manager].command, .args") == ['command ["/manager"], args ["--leader-elect"]']
    assert evidence(f, "spec.containers[manager].image") == [
        "gcr.io/distroless/static:nonroot has no shell: use an ephemeral debug container to look inside"
    ]
    assert f["remediation"][0]["command"] == (
        "docker pull gcr.io/distroless/static:nonroot && docker image inspect gcr.io/distroless/static:nonroot --format '{{json .Config.Entrypoint}} {{json .Config.Cmd}}'"
    )
    assert step(f, "Look inside the image with an ephemeral debug container")["command"] == (
        "kubectl -n cloudflare-gateway debug -it cloudflare-gateway-6b5c4d3e2-a1s2d --image=busybox:1.36 --target=manager"
    )


def test_run_as_non_root_shows_the_context_in_effect_and_a_numeric_user(diagnose):
    f = finding(diagnose("runai-backend", "runai-backend-unleash-edge-747fc6ccbd-vx9d4"), "run-as-non-root", "unleash-edge")
    assert evidence(f, "spec.securityContext + spec.containers[unleash-edge].securityContext") == [
        "runAsNonRoot: true (pod), runAsUser: not set, runAsGroup: 2000 (container) — the image's USER decides, and it is root"
    ]
    assert f["remediation"][0] == {
        "text": "Run unleash-edge as a numeric non-root user: runAsUser 10001 (or the UID that owns the image's files; add fsGroup if it writes to volumes).",
        "command": "kubectl -n runai-backend patch deployment/runai-backend-unleash-edge -p "
        "'{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"unleash-edge\",\"securityContext\":{\"runAsUser\":10001}}]}}}}'",
    }
