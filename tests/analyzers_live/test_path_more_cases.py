"""More real cases on the path to an app, live and from a snapshot (tests/pathcases.py `more()` and
`metrics_available()`; each scenario cites its source): each cause in other wordings and versions (in-tree
provisioners, a default class created after the claim, memory requests and injected sidecars named by the
autoscaler's condition, a metrics API registered but unreachable or reachable but empty, flannel and
calico sandbox errors, names that do not resolve), and more controls (a headless Service without ports,
pods still starting for the autoscaler, a CoreDNS logging upstream timeouts). Two clusters, because the
metrics APIService is cluster-scoped: unreachable in one, Available in the other. Same verdict live and
from what kubectl saves."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from contextlib import ExitStack

import orjson
import pytest

from k8sdoctor.fakeapi import FakeApiServer
from tests.analyzers_live.objects import evidence, finding
from tests.analyzers_live.pathrun import apply, check, item, snapshot, verdicts
from tests.pathcases import metrics_available, more

CLUSTERS = {"more": more(), "metrics-available": metrics_available()}
CASES = [(cluster, s) for cluster, scenarios in CLUSTERS.items() for s in scenarios]


@pytest.fixture(scope="module")
def clusters(tmp_path_factory):
    """`run(cluster, *args)`: the real CLI against that cluster's own API server (started on first use)."""
    with ExitStack() as stack:

        @functools.cache
        def kubeconfig(cluster: str):
            server = stack.enter_context(FakeApiServer(tls=True))
            apply(server, CLUSTERS[cluster])
            return server.write_kubeconfig(tmp_path_factory.mktemp(cluster) / "kubeconfig")

        home = tmp_path_factory.mktemp("home")

        def run(cluster: str, *args: str) -> tuple[int, dict, str]:
            environ = {k: v for k, v in os.environ.items() if k not in ("KUBECONFIG", "NO_COLOR")}
            environ.update(HOME=str(home), COLUMNS="100", KUBECONFIG=str(kubeconfig(cluster)))
            done = subprocess.run([sys.executable, "-m", "k8sdoctor", *args], capture_output=True, text=True, env=environ, timeout=60)
            return done.returncode, (orjson.loads(done.stdout) if done.stdout.strip() else {}), done.stderr

        run.kubeconfig = kubeconfig  # type: ignore[attr-defined]
        yield run


@pytest.fixture(scope="module")
def results(clusters, tmp_path_factory):
    """Each cluster's `diagnose all -A`, live and from its snapshot (computed once per cluster)."""

    @functools.cache
    def of(cluster: str) -> tuple[dict, dict]:
        code, live, err = clusters(cluster, "diagnose", "all", "-A", "-o", "json")
        assert code == 1, err
        home = tmp_path_factory.mktemp(f"{cluster}-kubectl")
        path = snapshot(clusters.kubeconfig(cluster), home, home / "snapshot.json")
        code, offline, err = clusters(cluster, "diagnose", "all", "-A", "-o", "json", "--snapshot", str(path))
        assert code == 1, err
        return live, offline

    return of


@pytest.mark.parametrize(("cluster", "scenario"), CASES, ids=lambda v: v if isinstance(v, str) else v.id)
def test_live_verdict(results, cluster, scenario):
    live, _ = results(cluster)
    check(scenario, item(live, scenario))


@pytest.mark.parametrize(("cluster", "scenario"), CASES, ids=lambda v: v if isinstance(v, str) else v.id)
def test_snapshot_gives_the_same_verdict(results, cluster, scenario):
    live, offline = results(cluster)
    check(scenario, item(offline, scenario))
    assert verdicts(item(offline, scenario)) == verdicts(item(live, scenario))


def by_id(scenario_id: str):
    return next(s for s in CLUSTERS["more"] + CLUSTERS["metrics-available"] if s.id == scenario_id)


def test_which_metrics_api_is_missing_and_why(results):
    # https://github.com/kubernetes/kubernetes/issues/102017 with the APIService of
    # https://github.com/kubernetes-sigs/metrics-server/issues/208; and
    # https://github.com/clearlinux/cloud-native-setup/issues/5 with it Available
    down = finding(item(results("more")[0], by_id("hpa-metrics-down")), "metrics-unavailable")
    text = " ".join(e["text"] for e in down["evidence"])
    assert "registered, served by service kube-system/metrics-server; Available False (FailedDiscoveryCheck" in text
    available = finding(item(results("metrics-available")[0], by_id("hpa-no-metrics")), "metrics-unavailable")
    assert "Available True" in " ".join(e["text"] for e in available["evidence"])


def test_a_default_class_created_after_the_claim_does_not_apply_to_it(results):
    # https://github.com/kubernetes/kubernetes/issues/44370
    f = finding(item(results("more")[0], by_id("pvc-default-later")), "no-default-storageclass")
    assert any("the default is applied only when a claim is created" in e["text"] for e in f["evidence"])


def test_an_in_tree_provisioner_is_the_controller_managers(results):
    # https://github.com/kelseyhightower/kubernetes-the-hard-way/issues/349
    f = finding(item(results("more")[0], by_id("pvc-in-tree-gce")), "provisioning-failed")
    assert evidence(f, "provisioner kubernetes.io/gce-pd") == [
        "in-tree: kube-controller-manager provisions it (cloud ones need its --cloud-provider)"
    ]


def test_the_sidecar_the_condition_names_is_named_as_injected(results):
    # https://github.com/amazon-archives/aws-app-mesh-inject/issues/12
    f = finding(item(results("more")[0], by_id("hpa-envoy-sidecar")), "missing-resource-request")
    assert any(e["text"].startswith("no cpu request: container envoy (injected, not in the pod template)") for e in f["evidence"])


def test_a_name_that_spells_out_the_cluster_domain(results):
    # https://github.com/skupperproject/skupper/issues/1102
    f = finding(item(results("more")[0], by_id("pod-dns-domain")), "dns-failure")
    texts = [e["text"] for e in f["evidence"]]
    assert "Service skupper-router-local exists: the name resolves unless DNS itself fails" in texts
    assert any(t.startswith("spells out the cluster domain cluster.local") for t in texts)
    assert "1 of 1 ready" in texts
