"""Create/start errors: the existing Secret or ConfigMap a wrong name meant, the keys that exist, the
command the spec runs, and the securityContext in effect when runAsNonRoot refuses the image."""

from __future__ import annotations

from k8sdoctor.core.analyzers.run_container import object_keys
from tests.analyzers.builders import (
    cluster,
    container,
    corpus_message,
    diagnose,
    event,
    evidence,
    finding,
    node,
    pod,
    step,
    waiting_pod,
    waiting_status,
)


def stuck(name, containers, *, reason="CreateContainerConfigError", **fields):
    return waiting_pod(name, containers, reason, **fields)


def names(kind, namespace, *object_names):
    return [{"kind": kind, "metadata": {"name": n, "namespace": namespace}} for n in object_names]


def api_container():
    env = [
        {"name": "RP_DB_HOST", "value": "postgresql"},
        {"name": "RP_DB_PASS", "valueFrom": {"secretKeyRef": {"name": "secretpostgresql", "key": "postgresql-password"}}},
    ]
    return container("api", "reportportal/service-api:5.7.0", env=env)


def test_misspelled_secret_gives_the_existing_name(engine):
    target = stuck("reportportal-api-7d6c5b4a3-l9k8j", [api_container()])
    # https://github.com/reportportal/kubernetes/issues/178
    message = corpus_message("reportportal-missing-secret", "https://github.com/reportportal/kubernetes/issues/178")
    inv = cluster(
        node("worker-1"),
        target,
        event(target, message),
        names("Secret", "shop", "secret-postgresql", "reportportal-tls", "rabbitmq-creds"),
        listed=[("Secret", "shop")],
    )
    f = finding(diagnose(engine, inv, target), "missing-secret")
    assert evidence(f, "spec.containers[api].env[RP_DB_PASS].valueFrom.secretKeyRef") == [
        "Secret secretpostgresql (key postgresql-password)"
    ]
    assert evidence(f, "Secret names in namespace shop") == [
        "Secret secretpostgresql does not exist in namespace shop. Did you mean secret-postgresql?"
    ]
    rename = f.remediation[0]
    path = "/spec/template/spec/containers/0/env/1/valueFrom/secretKeyRef/name"
    assert rename.text == "Point the pod template at the existing Secret secret-postgresql"
    assert rename.command == (
        "kubectl -n shop patch deployment/reportportal-api --type=json -p "
        f"'[{{\"op\":\"test\",\"path\":\"{path}\",\"value\":\"secretpostgresql\"}},{{\"op\":\"replace\",\"path\":\"{path}\",\"value\":\"secret-postgresql\"}}]'"
    )
    create = step(f, "Or create Secret secretpostgresql")
    assert create.command == "kubectl -n shop create secret generic secretpostgresql --from-literal=postgresql-password=..."
    assert not any("KEY=VALUE" in (s.command or "") for s in f.remediation)


def test_secret_names_not_listed_are_not_claimed_absent(engine):
    target = stuck("reportportal-api-7d6c5b4a3-l9k8j", [api_container()])
    # https://github.com/reportportal/kubernetes/issues/178
    message = corpus_message("reportportal-missing-secret", "https://github.com/reportportal/kubernetes/issues/178")
    f = finding(diagnose(engine, cluster(node("worker-1"), target, event(target, message)), target), "missing-secret")
    assert evidence(f, "Secret names in namespace shop") == [
        "Secret secretpostgresql could not be checked (Secret names in namespace shop were not listed)"
    ]
    assert not any(s.text.startswith("Or create Secret") for s in f.remediation)


def test_misspelled_configmap_in_env_from(engine):
    app = container("init-cluster", "rustyrazorblade/easy-db-lab:13", envFrom=[{"configMapRef": {"name": "cluster-config"}}])
    target = stuck("cassandra-0", [container("cassandra", "cassandra:4.1")], init_containers=[app], owner=("StatefulSet", "cassandra"))
    # https://github.com/rustyrazorblade/easy-db-lab/issues/733
    message = corpus_message("easy-db-lab-init-missing-configmap", "https://github.com/rustyrazorblade/easy-db-lab/issues/733")
    inv = cluster(
        node("worker-1"),
        target,
        event(target, message, field_path="spec.initContainers{init-cluster}"),
        names("ConfigMap", "shop", "cluster-configs", "kube-root-ca.crt"),
        listed=[("ConfigMap", "shop")],
    )
    f = finding(diagnose(engine, inv, target), "missing-configmap")
    assert evidence(f, "spec.initContainers[init-cluster].envFrom[0].configMapRef") == ["ConfigMap cluster-config"]
    assert evidence(f, "ConfigMap names in namespace shop") == [
        "ConfigMap cluster-config does not exist in namespace shop. Did you mean cluster-configs?"
    ]
    assert '"path":"/spec/template/spec/initContainers/0/envFrom/0/configMapRef/name","value":"cluster-configs"' in f.remediation[0].command


def test_configmap_volume_in_container_creating(engine):
    volumes = [{"name": "config-volume", "configMap": {"name": "grafana-import-dashboards"}}]
    target = stuck(
        "grafana-5b4c3d2e1-t6y7u",
        [container("grafana", "grafana/grafana:10.4.2")],
        reason="ContainerCreating",
        owner=("ReplicaSet", "grafana-5b4c3d2e1"),
        spec={"volumes": volumes},
    )
    # https://github.com/cuishuaigit/k8s-monitor/issues/2
    message = corpus_message("k8s-monitor-grafana-configmap-volume-not-found", "https://github.com/cuishuaigit/k8s-monitor/issues/2")
    inv = cluster(
        node("worker-1"),
        target,
        event(target, message, reason="FailedMount", type_="Warning"),
        names("ConfigMap", "shop", "grafana-import-dashboard", "grafana-ini"),
        listed=[("ConfigMap", "shop")],
    )
    f = finding(diagnose(engine, inv, target), "missing-configmap")
    assert f.category == "ContainerCreating"
    assert evidence(f, "spec.volumes[config-volume].configMap") == ["ConfigMap grafana-import-dashboards"]
    assert evidence(f, "ConfigMap names in namespace shop") == [
        "ConfigMap grafana-import-dashboards does not exist in namespace shop. Did you mean grafana-import-dashboard?"
    ]
    assert f.remediation[0].command == (
        "kubectl -n shop patch deployment/grafana --type=json -p "
        "'[{\"op\":\"test\",\"path\":\"/spec/template/spec/volumes/0/configMap/name\",\"value\":\"grafana-import-dashboards\"},"
        "{\"op\":\"replace\",\"path\":\"/spec/template/spec/volumes/0/configMap/name\",\"value\":\"grafana-import-dashboard\"}]'"
    )


def test_secret_volume_in_container_creating(engine):
    volumes = [{"name": "auth-proxy-certs", "secret": {"secretName": "auth-proxy-certs"}}]
    target = stuck(
        "kuill-6a5b4c3d2-y8u9i",
        [container("kuill", "mattdeboer/kuill:latest")],
        reason="ContainerCreating",
        owner=("ReplicaSet", "kuill-6a5b4c3d2"),
        spec={"volumes": volumes},
    )
    # https://github.com/matt-deboer/kuill/issues/83
    message = corpus_message("kuill-secrets-plural-volume-not-found", "https://github.com/matt-deboer/kuill/issues/83")
    inv = cluster(node("worker-1"), target, event(target, message), names("Secret", "shop", "auth-proxy-cert"), listed=[("Secret", "shop")])
    f = finding(diagnose(engine, inv, target), "missing-secret")
    assert evidence(f, "Secret names in namespace shop") == [
        "Secret auth-proxy-certs does not exist in namespace shop. Did you mean auth-proxy-cert?"
    ]
    assert '"path":"/spec/template/spec/volumes/0/secret/secretName","value":"auth-proxy-cert"' in f.remediation[0].command


def test_secret_created_after_the_error(engine):
    target = stuck("reportportal-api-7d6c5b4a3-l9k8j", [api_container()])
    # https://github.com/reportportal/kubernetes/issues/178
    message = corpus_message("reportportal-missing-secret", "https://github.com/reportportal/kubernetes/issues/178")
    inv = cluster(
        node("worker-1"), target, event(target, message), names("Secret", "shop", "secretpostgresql"), listed=[("Secret", "shop")]
    )
    f = finding(diagnose(engine, inv, target), "missing-secret")
    assert evidence(f, "Secret names in namespace shop") == [
        "Secret secretpostgresql exists now: it was created after the error, and the kubelet picks it up on its next retry"
    ]
    assert f.remediation[0].command == "kubectl -n shop delete pod -- reportportal-api-7d6c5b4a3-l9k8j"


def test_missing_key_lists_the_keys_that_exist(engine):
    env = [{"name": "SECRET_VALUE", "valueFrom": {"secretKeyRef": {"name": "aegis-secret-aegis-workload-demo", "key": "VALUE"}}}]
    target = stuck(
        "aegis-workload-demo-5c4d3e2f1-o0p9i",
        [container("main", "localhost:5000/aegis-workload-demo-using-init-container:0.15.6", env=env)],
        namespace="default",
        owner=("ReplicaSet", "aegis-workload-demo-5c4d3e2f1"),
    )
    demo_secret = {
        "kind": "Secret",
        "type": "Opaque",
        "metadata": {"name": "aegis-secret-aegis-workload-demo", "namespace": "default"},
        "data": {"value": "c2VjcmV0", "username": "YWRtaW4="},
    }
    # https://github.com/shieldworks/aegis/issues/293
    message = corpus_message("aegis-missing-key-in-secret", "https://github.com/shieldworks/aegis/issues/293", contains="couldn't find key")
    inv = cluster(
        node("worker-1"), target, event(target, message, reason="Failed", type_="Warning"), demo_secret, listed=[("Secret", "default")]
    )
    f = finding(diagnose(engine, inv, target), "missing-key")
    assert evidence(f, "secret default/aegis-secret-aegis-workload-demo keyNames") == ["keys: username, value. Did you mean value?"]
    path = "/spec/template/spec/containers/0/env/0/valueFrom/secretKeyRef/key"
    fix = f.remediation[0]
    assert fix.text == "Read the existing key value instead of VALUE."
    assert fix.command == (
        "kubectl -n default patch deployment/aegis-workload-demo --type=json -p "
        f"'[{{\"op\":\"test\",\"path\":\"{path}\",\"value\":\"VALUE\"}},{{\"op\":\"replace\",\"path\":\"{path}\",\"value\":\"value\"}}]'"
    )


def test_configmap_keys_come_from_data_and_binary_data():
    cm = {
        "kind": "ConfigMap",
        "metadata": {"name": "web", "namespace": "shop"},
        "data": {"MODE": "demo"},
        "binaryData": {"logo.png": "iVBORw0KGgo="},
    }
    assert object_keys("ConfigMap", cm) == ["MODE", "logo.png"]
    assert object_keys("ConfigMap", {"kind": "ConfigMap", "metadata": {"name": "web"}}) is None  # listed by name only
    assert object_keys("Secret", {"kind": "Secret", "keyNames": ["tls.crt", "tls.key"]}) == ["tls.crt", "tls.key"]
    assert object_keys("Secret", {"kind": "Secret", "metadata": {"name": "web"}}) is None


def test_command_not_found_shows_the_command_and_the_distroless_caveat(engine):
    manager = container("manager", "gcr.io/distroless/static:nonroot", command=["/manager"], args=["--leader-elect"])
    last = {"reason": "StartError", "exitCode": 128}
    target = pod(
        "cloudflare-gateway-6b5c4d3e2-a1s2d",
        node_name="worker-1",
        owner=("ReplicaSet", "cloudflare-gateway-6b5c4d3e2"),
        containers=[manager],
        statuses=[waiting_status("manager", manager["image"], "CrashLoopBackOff", restarts=3, last=last)],
    )
    # https://github.com/pl4nty/cloudflare-kubernetes-gateway/issues/123
    message = corpus_message(
        "cloudflare-gateway-manager-no-such-file", "https://github.com/pl4nty/cloudflare-kubernetes-gateway/issues/123"
    )
    f = finding(diagnose(engine, cluster(node("worker-1"), target, event(target, message)), target), "command-not-found")
    assert evidence(f, "spec.containers[manager].command, .args") == ['command ["/manager"], args ["--leader-elect"]']
    assert evidence(f, "spec.containers[manager].image") == [
        "gcr.io/distroless/static:nonroot has no shell: use an ephemeral debug container to look inside"
    ]
    inspect = f.remediation[0]
    assert inspect.command == (
        "docker pull gcr.io/distroless/static:nonroot && docker image inspect gcr.io/distroless/static:nonroot "
        "--format '{{json .Config.Entrypoint}} {{json .Config.Cmd}}'"
    )


def test_command_not_found_with_escaped_quotes(engine):
    operator = container(
        "mongodb-kubernetes-operator", "quay.io/mongodb/mongodb-kubernetes-operator:0.7.0", command=["mongodb-kubernetes-operator"]
    )
    target = stuck(
        "mongodb-kubernetes-operator-7f6e5d4c3-f4g5h",
        [operator],
        reason="CreateContainerError",
        owner=("ReplicaSet", "mongodb-kubernetes-operator-7f6e5d4c3"),
    )
    # https://github.com/mongodb/mongodb-kubernetes-operator/issues/699
    message = corpus_message(
        "mongodb-operator-crio-executable-not-found", "https://github.com/mongodb/mongodb-kubernetes-operator/issues/699"
    )
    f = finding(
        diagnose(engine, cluster(node("worker-1"), target, event(target, message, reason="Failed", type_="Warning")), target),
        "command-not-found",
    )
    assert evidence(f, "spec.containers[mongodb-kubernetes-operator].command, .args") == ['command ["mongodb-kubernetes-operator"]']


def test_run_as_non_root_shows_the_context_in_effect_and_a_numeric_user(engine):
    edge = container(
        "unleash-edge", "unleashorg/unleash-edge:v19.1", securityContext={"allowPrivilegeEscalation": False, "runAsGroup": 2000}
    )
    target = stuck(
        "runai-backend-unleash-edge-747fc6ccbd-vx9d4",
        [edge],
        owner=("ReplicaSet", "runai-backend-unleash-edge-747fc6ccbd"),
        spec={"securityContext": {"runAsNonRoot": True}},
    )
    # https://github.com/Unleash/unleash-edge/issues/483
    message = corpus_message("unleash-edge-runasnonroot", "https://github.com/Unleash/unleash-edge/issues/483", contains="runAsNonRoot")
    f = finding(
        diagnose(engine, cluster(node("worker-1"), target, event(target, message, reason="Failed", type_="Warning")), target),
        "run-as-non-root",
    )
    assert evidence(f, "spec.securityContext + spec.containers[unleash-edge].securityContext") == [
        "runAsNonRoot: true (pod), runAsUser: not set, runAsGroup: 2000 (container) — the image's USER decides, and it is root"
    ]
    fix = f.remediation[0]
    assert fix.command == (
        "kubectl -n shop patch deployment/runai-backend-unleash-edge -p "
        "'{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"unleash-edge\",\"securityContext\":{\"runAsUser\":10001}}]}}}}'"
    )
    assert not any("/containers/0/securityContext/runAsUser" in (s.command or "") for s in f.remediation)


def test_run_as_non_root_in_an_init_container(engine):
    init = container("cmk-cluster-init-pod", "intel/cmk:v1.5.2", securityContext={"runAsNonRoot": True, "runAsUser": 0})
    statuses = {"initContainerStatuses": [waiting_status("cmk-cluster-init-pod", init["image"], "CreateContainerConfigError")]}
    target = pod(
        "cmk-cluster-init-pod",
        namespace="cmk-namespace",
        node_name="worker-1",
        phase="Pending",
        owner=None,
        containers=[container("pause", "registry.k8s.io/pause:3.9")],
        init_containers=[init],
        statuses=[],
        status=statuses,
    )
    # https://github.com/intel/CPU-Manager-for-Kubernetes/issues/299
    message = corpus_message("cmk-init-pod-runasnonroot", "https://github.com/intel/CPU-Manager-for-Kubernetes/issues/299")
    f = finding(
        diagnose(engine, cluster(node("worker-1"), target, event(target, message, reason="Failed", type_="Warning")), target),
        "run-as-non-root",
    )
    assert evidence(f, "spec.securityContext + spec.initContainers[cmk-cluster-init-pod].securityContext") == [
        "runAsNonRoot: true (container), runAsUser: 0 (container), runAsGroup: not set — runAsUser 0 is root, which runAsNonRoot forbids"
    ]
    # a bare pod's securityContext cannot change in place: no patch, the text says where to fix it
    assert f.remediation[0].command is None
