"""deploy/in-cluster: applied with kubectl against the local API server (server-side dry run), checked
against Kubernetes' schemas, and kept consistent with what `serve` needs and exposes."""

from __future__ import annotations

import re
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from k8sdoctor.cli.main import build_parser
from k8sdoctor.core.kube.kinds import KINDS
from k8sdoctor.fakeapi import FakeApiServer
from tests.fakeapi.conftest import Kubectl

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "in-cluster"
OPT_IN = ("rbac-events.yaml", "rbac-secret-names.yaml")
K8S_VERSION = "1.32"  # the kubectl the tests run


def documents(name: str) -> list[dict]:
    return [d for d in yaml.safe_load_all((DEPLOY / name).read_text()) if d]


def manifests() -> list[str]:
    return sorted(p.name for p in DEPLOY.glob("*.yaml") if p.name not in ("kustomization.yaml", "deployment-events-patch.yaml"))


@pytest.mark.kubectl
def test_kubectl_applies_every_manifest_with_a_server_dry_run(tmp_path):
    with FakeApiServer() as server:
        server.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "k8sdoctor"}})
        kubectl = Kubectl(server.write_kubeconfig(tmp_path / "kubeconfig"), tmp_path / "home")
        # --validate=false: the local server serves no OpenAPI documents; the schema check is below
        default = kubectl("apply", "-k", str(DEPLOY), "--dry-run=server", "--validate=false")
        opt_in = kubectl("apply", *(a for name in OPT_IN for a in ("-f", str(DEPLOY / name))), "--dry-run=server", "--validate=false")
        created = (default.stdout + opt_in.stdout).splitlines()
        assert "deployment.apps/k8sdoctor created (server dry run)" in created
        assert "prometheusrule.monitoring.coreos.com/k8sdoctor created (server dry run)" in created
        assert "servicemonitor.monitoring.coreos.com/k8sdoctor created (server dry run)" in created
        assert "clusterrole.rbac.authorization.k8s.io/k8sdoctor-serve-events created (server dry run)" in created
        assert len(created) == sum(len(documents(n)) for n in manifests())
        writes = [r for r in server.requests() if r.method in ("POST", "PATCH", "PUT")]
        assert writes and all(r.query.get("dryRun") == "All" for r in writes)
        assert server.get("Deployment", "k8sdoctor", "k8sdoctor") is None  # a dry run stores nothing
        assert not server.list("ClusterRole")


@pytest.mark.parametrize("name", manifests())
def test_built_in_kinds_match_the_kubernetes_schema(name):
    for doc in documents(name):
        if doc["apiVersion"].startswith("monitoring.coreos.com/"):
            continue  # a CRD: checked against what serve exposes below
        assert kubernetes_validate.validate(doc, K8S_VERSION, strict=True) == K8S_VERSION


def test_the_read_only_role_covers_every_kind_serve_watches():
    granted = {
        (group, resource, verb)
        for doc in documents("rbac.yaml")
        if doc["kind"] == "ClusterRole"
        for rule in doc["rules"]
        for group in rule["apiGroups"]
        for resource in rule["resources"]
        for verb in rule["verbs"]
    }
    for info in KINDS:
        if info.kind == "Secret":
            assert ("", "secrets", "list") not in granted  # only in the opt-in file
            continue
        assert {(info.group, info.plural, "list"), (info.group, info.plural, "watch")} <= granted, info.kind
    assert ("", "pods/log", "get") in granted
    assert not {v for _g, _r, v in granted} - {"get", "list", "watch"}  # read-only
    (events_role,) = [d for d in documents("rbac-events.yaml") if d["kind"] == "ClusterRole"]
    assert events_role["rules"] == [{"apiGroups": [""], "resources": ["events"], "verbs": ["create"]}]


def test_the_deployment_runs_serve_as_the_cli_parses_it():
    (deployment,) = documents("deployment.yaml")
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    args = build_parser().parse_args(container["args"])
    assert args.command == "serve" and args.listen == "0.0.0.0:8080" and args.all_namespaces and not args.emit_events
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    (patch,) = yaml.safe_load((DEPLOY / "deployment-events-patch.yaml").read_text())
    assert build_parser().parse_args([*container["args"], patch["value"]]).emit_events


def test_alert_rules_use_the_metrics_serve_exposes():
    from k8sdoctor.serve.metrics import __doc__ as exposed

    names = set(re.findall(r"k8sdoctor_\w+", exposed or ""))
    (rule,) = documents("prometheusrule.yaml")
    exprs = [r["expr"] for group in rule["spec"]["groups"] for r in group["rules"]]
    used = {name for expr in exprs for name in re.findall(r"k8sdoctor_\w+", expr)}
    assert used and used <= names
    labels = {"namespace", "kind", "name", "category", "cause", "severity"}
    for expr in exprs:
        for by in re.findall(r"by \(([^)]*)\)", expr):
            assert {b.strip() for b in by.split(",")} <= labels
