"""`diagnose` takes kubectl's forms for StatefulSets, DaemonSets, Jobs and CronJobs (KIND NAME, KIND/NAME,
short names, plural and group-qualified names) against the local API server, each giving that object's
diagnosis; kubectl resolves every form to the same object. A user who may not list one workload kind
still gets every other kind diagnosed, and the refused kind is named once, with its permission.

The workloads and their cited messages are the live tests' own (test_pods_not_created, test_jobs)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from k8sdoctor.fakeapi import Rule
from tests.analyzers_live.test_jobs import cronjobs, failed_jobs
from tests.analyzers_live.test_jobs import node as ready_node
from tests.analyzers_live.test_pods_not_created import pod_security, quota_requires
from tests.analyzers_live.workloads import load

pytestmark = pytest.mark.kubectl
ROLE = Path(__file__).resolve().parents[2] / "deploy" / "rbac" / "readonly-clusterrole.yaml"

STS = ("StatefulSet", "fpl", "fpl-case-service-pr-3308-es-master", "quota-requires-requests")
DS = ("DaemonSet", "csi-proxmox", "proxmox-csi-plugin-node", "pod-security-violation")
JOB = ("Job", "batch", "demo", "backoff-limit-exceeded")
CJ = ("CronJob", "cron", "compass-cleaner", "too-many-missed-starts")

FORMS = [
    (STS, "statefulset {}"),
    (STS, "statefulsets {}"),
    (STS, "sts {}"),
    (STS, "sts/{}"),
    (STS, "statefulset.apps/{}"),
    (DS, "daemonset {}"),
    (DS, "ds {}"),
    (DS, "ds/{}"),
    (DS, "daemonsets.apps/{}"),
    (JOB, "job {}"),
    (JOB, "jobs {}"),
    (JOB, "job/{}"),
    (JOB, "job.batch/{}"),
    (CJ, "cronjob {}"),
    (CJ, "cj {}"),
    (CJ, "cj/{}"),
    (CJ, "cronjobs.batch/{}"),
]


@pytest.fixture(scope="module")
def loaded(server):
    load(server, [ready_node(), *quota_requires(), *pod_security(), *failed_jobs(), *cronjobs()])
    return server


@pytest.mark.parametrize(("want", "form"), FORMS, ids=[f.format("NAME") for _, f in FORMS])
def test_each_kubectl_form_diagnoses_that_object(loaded, kubeconfig, k8sdoctor, tmp_path, want, form):
    kind, ns, name, cause = want
    argv = form.format(name).split()
    result = k8sdoctor("diagnose", *argv, "-n", ns, "-o", "json")
    assert result.code == 1, result.err
    out = result.json()
    assert (out["kind"], out["namespace"], out["name"]) == (kind, ns, name)
    assert [f["cause"] for f in out["findings"]][:1] == [cause]
    # kubectl reads the same form as the same object
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/usr/local/bin:/bin", "KUBECONFIG": str(kubeconfig)}
    got = subprocess.run(["kubectl", "get", *argv, "-n", ns, "-o", "json"], capture_output=True, text=True, env=env, timeout=60)
    assert got.returncode == 0, got.stderr
    obj = yaml.safe_load(got.stdout)
    assert (obj["kind"], obj["metadata"]["name"]) == (kind, name)


def _without(resource: str) -> list[Rule]:
    """The shipped read-only ClusterRole, bound cluster-wide, less one resource."""
    role = yaml.safe_load(ROLE.read_text())
    rules = []
    for r in role["rules"]:
        kept = tuple(x for x in r["resources"] if x != resource)
        if kept:
            rules.append(Rule(tuple(r["verbs"]), kept, api_groups=tuple(r["apiGroups"])))
    return rules


REFUSED = 'statefulsets.apps is forbidden: User "no-sts" cannot list resource "statefulsets" in API group "apps" at the cluster scope'


@pytest.fixture(scope="module")
def no_sts(loaded, tmp_path_factory) -> tuple[str, str]:
    token = loaded.add_user("no-sts", _without("statefulsets"))
    return ("--kubeconfig", str(loaded.write_kubeconfig(tmp_path_factory.mktemp("no-sts") / "kubeconfig", token=token)))


def test_a_kind_the_user_may_not_list_degrades_that_kind_only(k8sdoctor, no_sts):
    result = k8sdoctor("diagnose", "all", "-A", "-o", "json", *no_sts)
    assert result.code == 1, result.err
    items = result.json()["items"]
    causes = {(i["kind"], i["namespace"], i["name"], f["cause"]) for i in items for f in i["findings"]}
    assert {DS, JOB, CJ} <= causes
    assert ("Job", "haproxy", "hap-operator-kubernetes-ingress-crdjob-1", "quota-requires-requests") in causes
    assert "StatefulSet" not in {i["kind"] for i in items}
    assert all(f"could not read statefulsets.apps: forbidden: {REFUSED}" in i["notes"] for i in items)


def test_the_refused_kind_is_named_once_with_its_permission(k8sdoctor, no_sts):
    result = k8sdoctor("diagnose", "all", "-A", *no_sts)
    assert result.code == 1, result.err
    text = " ".join(result.out.split())  # the note wraps at the terminal's width
    assert text.count("could not read statefulsets.apps") == 1, result.out
    assert f"note: could not read statefulsets.apps: forbidden: {REFUSED}" in text
    for kind, ns, name, cause in (DS, JOB, CJ):
        assert f"{ns}/{kind.lower()}/{name}" in text and f"› {cause}" in text


def test_asking_for_the_refused_kind_alone_is_refused_with_its_permission(k8sdoctor, no_sts):
    result = k8sdoctor("diagnose", "sts", "-A", *no_sts)
    assert result.code == 2, result.out
    assert result.out == ""
    assert [line for line in result.err.splitlines() if line.strip()] == [f"k8sdoctor: error: {REFUSED}"]
    assert k8sdoctor("diagnose", "ds", "-A", *no_sts).code == 1  # a kind it may list
