"""k8sdoctor works with exactly the permissions deploy/rbac/ grants, enforced by the local API server."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from k8sdoctor.fakeapi import Rule

RBAC = Path(__file__).resolve().parents[2] / "deploy" / "rbac"
pytestmark = pytest.mark.kubectl


def rules_of(manifest: str, namespace: str | None = None) -> list[Rule]:
    """A Role/ClusterRole's rules as the fake server's Rules, bound cluster-wide or in one namespace."""
    role = yaml.safe_load((RBAC / manifest).read_text())
    namespaces = (namespace,) if namespace else None
    return [Rule(tuple(r["verbs"]), tuple(r["resources"]), api_groups=tuple(r["apiGroups"]), namespaces=namespaces) for r in role["rules"]]


def test_readonly_clusterrole_is_enough_for_a_full_diagnosis(run_cli, demo_server, tmp_path):
    token = demo_server.add_user("k8sdoctor-ro", rules_of("readonly-clusterrole.yaml"))
    kubeconfig = demo_server.write_kubeconfig(tmp_path / "kc", token=token, namespace="shop")
    result = run_cli("diagnose", "pods", "-A", "-o", "json", kubeconfig=kubeconfig)
    assert result.code == 1, result.err
    payload = result.json()
    causes = {f["cause"] for item in payload["items"] for f in item["findings"]}
    assert {"image-not-found", "dependency-unreachable", "pod-affinity", "missing-secret", "disk-pressure"} <= causes
    notes = {note for item in payload["items"] for note in item["notes"]}
    assert all("secrets" in note for note in notes), notes  # only the deliberately withheld Secret names


def test_readonly_role_in_one_namespace(run_cli, demo_server, tmp_path):
    token = demo_server.add_user("k8sdoctor-ro-shop", rules_of("readonly-role.yaml", namespace="shop"))
    kubeconfig = demo_server.write_kubeconfig(tmp_path / "kc", token=token, namespace="shop")
    result = run_cli("diagnose", "pods", "-o", "json", kubeconfig=kubeconfig)
    assert result.code == 1, result.err
    causes = {f["cause"] for item in result.json()["items"] for f in item["findings"]}
    assert {"image-not-found", "rate-limited", "dependency-unreachable"} <= causes
    # all namespaces is refused with the exact permission, not a misleading "no pods"
    everywhere = run_cli("diagnose", "pods", "-A", kubeconfig=kubeconfig)
    assert everywhere.code == 2
    assert 'cannot list resource "pods" in API group "" at the cluster scope' in everywhere.err


def test_debug_role_grants_only_the_debug_write():
    rules = yaml.safe_load((RBAC / "debug-role.yaml").read_text())["rules"]
    granted = {(res, verb) for r in rules for res in r["resources"] for verb in r["verbs"]}
    assert granted == {("pods/ephemeralcontainers", "patch"), ("pods/attach", "create"), ("pods/attach", "get")}


def test_readonly_roles_grant_no_writes_and_no_secrets():
    for manifest in ("readonly-clusterrole.yaml", "readonly-role.yaml"):
        for rule in yaml.safe_load((RBAC / manifest).read_text())["rules"]:
            assert set(rule["verbs"]) <= {"get", "list", "watch"}, manifest
            assert "secrets" not in rule["resources"], manifest


#: The kinds on the path to an app and what their diagnosis reads, as `diagnose all` names them in a note
#: when it may not read them.
PATH_TO_APP = ("services", "endpointslices", "ingresses", "ingressclasses", "horizontalpodautoscalers", "apiservices")
PATH_TO_APP += ("persistentvolumeclaims", "persistentvolumes", "storageclasses", "nodes", "events")


def unreadable(result) -> set[str]:
    """The resources (without their API group) a text diagnosis says it could not read."""
    notes = [line.split("could not read ", 1)[1] for line in result.out.splitlines() if "could not read " in line]
    return {note.split(":")[0].split(" in ")[0].split(".")[0] for note in notes}


def test_readonly_clusterrole_reads_the_path_to_the_app(run_cli, demo_server, tmp_path):
    token = demo_server.add_user("k8sdoctor-ro-all", rules_of("readonly-clusterrole.yaml"))
    kubeconfig = demo_server.write_kubeconfig(tmp_path / "kc", token=token, namespace="web")
    result = run_cli("diagnose", "all", "-A", "-o", "json", kubeconfig=kubeconfig)
    assert result.code == 1, result.err
    causes = {(i["kind"], f["cause"]) for i in result.json()["items"] for f in i["findings"]}
    assert {
        ("Service", "selector-mismatch"),
        ("Ingress", "service-missing"),
        ("PersistentVolumeClaim", "storageclass-not-found"),
        ("HorizontalPodAutoscaler", "missing-resource-request"),
        ("Node", "network-not-ready"),
    } <= causes
    text = run_cli("diagnose", "all", "-A", kubeconfig=kubeconfig)
    assert unreadable(text) == {"secrets"}  # withheld on purpose (names only are not grantable); nothing else is missing


def test_readonly_role_reads_the_path_to_the_app_in_its_namespace(run_cli, demo_server, tmp_path):
    token = demo_server.add_user("k8sdoctor-ro-web", rules_of("readonly-role.yaml", namespace="web"))
    kubeconfig = demo_server.write_kubeconfig(tmp_path / "kc", token=token, namespace="web")
    result = run_cli("diagnose", "all", "-o", "json", kubeconfig=kubeconfig)
    assert result.code == 1, result.err
    causes = {(i["kind"], f["cause"]) for i in result.json()["items"] for f in i["findings"]}
    assert {
        ("Service", "selector-mismatch"),
        ("Ingress", "service-missing"),
        ("HorizontalPodAutoscaler", "missing-resource-request"),
    } <= causes
    namespaced = {"services", "endpointslices", "ingresses", "horizontalpodautoscalers", "persistentvolumeclaims", "events"}
    assert not unreadable(run_cli("diagnose", "all", kubeconfig=kubeconfig)) & namespaced


#: What the workload families read (beyond pods), as the notes name them: a note about any of these
#: means a missing grant.
WORKLOAD_EVIDENCE = {
    "deployments.apps",
    "replicasets.apps",
    "statefulsets.apps",
    "daemonsets.apps",
    "jobs.batch",
    "cronjobs.batch",
    "events",
    "resourcequotas",
    "limitranges",
    "services",
    "endpointslices.discovery.k8s.io",
    "mutatingwebhookconfigurations.admissionregistration.k8s.io",
    "validatingwebhookconfigurations.admissionregistration.k8s.io",
    "namespaces",
}


def _workload_notes(payload: dict) -> list[str]:
    notes = {n for item in payload.get("items", [payload]) for n in item["notes"]}
    return sorted(n for n in notes if n.removeprefix("could not read ").split(":")[0].split(" in ")[0] in WORKLOAD_EVIDENCE)


def test_readonly_clusterrole_reads_what_the_workload_families_need(run_cli, demo_server, tmp_path):
    token = demo_server.add_user("k8sdoctor-ro-all", rules_of("readonly-clusterrole.yaml"))
    kubeconfig = demo_server.write_kubeconfig(tmp_path / "kc", token=token, namespace="shop")
    result = run_cli("diagnose", "all", "-A", "-o", "json", kubeconfig=kubeconfig)
    assert result.code == 1, result.err
    payload = result.json()
    causes = {(i["kind"], f["cause"]) for i in payload["items"] for f in i["findings"]}
    assert {("Deployment", "quota-exceeded"), ("Deployment", "pod-security-violation"), ("Job", "deadline-exceeded")} <= causes
    assert ("Deployment", "new-pods-failing") in causes
    assert _workload_notes(payload) == []


def test_readonly_role_diagnoses_a_refused_workload_in_its_namespace(run_cli, demo_server, tmp_path):
    token = demo_server.add_user("k8sdoctor-ro-tekton", rules_of("readonly-role.yaml", namespace="tekton-pipelines"))
    kubeconfig = demo_server.write_kubeconfig(tmp_path / "kc", token=token, namespace="tekton-pipelines")
    result = run_cli("diagnose", "deploy/tekton-triggers-controller", "-o", "json", kubeconfig=kubeconfig)
    assert result.code == 1, result.err
    out = result.json()
    assert [f["cause"] for f in out["findings"]] == ["pod-security-violation"]
    # the Namespace (its Pod Security labels) is cluster-scoped: the Role cannot read it, and the finding says so
    assert any(e["text"] == "could not be read: its Pod Security labels are unknown" for e in out["findings"][0]["evidence"])
