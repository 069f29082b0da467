"""`k8sdoctor wait` end to end: the real CLI in a subprocess against the local API server (the demo
cluster, or a small cluster a test changes while wait watches)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

import orjson
import pytest

from k8sdoctor.demo.objects import container_status, pod_status, replica_pods, running, waiting, workload
from tests.integrations.conftest import NS

# The job controller's condition when a Job runs out of retries (pkg/controller/job/job_controller.go).
BACKOFF_MESSAGE = "Job has reached the specified backoff limit"


def flat(text: str) -> str:
    """The text with its line wrapping undone."""
    return " ".join(text.split())


def test_a_failing_deployment_fails_early_with_its_cause(run_cli, demo_kubeconfig, tmp_path):
    junit = tmp_path / "report.xml"
    # A ten-minute timeout: the command returning at all (the subprocess allows 60 s) shows it did not wait for it.
    r = run_cli("wait", "deploy/cloudnative-pg", "--timeout", "10m", "--junit", str(junit), kubeconfig=demo_kubeconfig)
    assert r.code == 1, r.err
    first = r.out.splitlines()[0]
    assert first.startswith("deployment/cloudnative-pg failed after ")
    assert "ImagePullBackOff › image-not-found" in first
    # the diagnosis of its failing pods: the cause, the evidence quoted, the fix
    text = flat(r.out)
    assert "2 of 2 pods fail the same way" in text
    assert "code = NotFound" in text
    assert "$ kubectl -n shop set image deployment/cloudnative-pg manager=ghcr.io/cloudnative-pg/cloudnative-pg:1.20.0" in text
    # progress went to stderr, as plain lines (no terminal)
    assert "\x1b[" not in r.err
    assert "deployment/cloudnative-pg:" in r.err
    case = ET.parse(junit).getroot().find("testsuite/testcase")
    assert case is not None and case.get("name") == "deployment/cloudnative-pg"
    failure = case.find("failure")
    assert failure is not None and failure.get("type") == "image-not-found"
    assert "code = NotFound" in flat(failure.text or "")


def test_a_healthy_deployment_exits_0(run_cli, demo_kubeconfig):
    r = run_cli("wait", "deploy/frontend", kubeconfig=demo_kubeconfig)
    assert r.code == 0, r.err
    assert re.fullmatch(r'deployment/frontend is healthy after \d+\.\ds: deployment "frontend" successfully rolled out', r.out.strip())


def test_a_missing_secret_fails_early(run_cli, demo_kubeconfig):
    r = run_cli("wait", "deployment", "api", "-n", "reportportal", "-o", "json", kubeconfig=demo_kubeconfig)
    assert r.code == 1, r.err
    doc = r.json()
    assert doc["result"] == "failed"
    (obj,) = doc["objects"]
    assert (obj["kind"], obj["name"], obj["result"], obj["cause"]) == ("Deployment", "api", "failed", "missing-secret")
    causes = {f["cause"] for d in obj["diagnoses"] for f in d["findings"]}
    assert "missing-secret" in causes


def test_a_crash_loop_that_might_recover_times_out_with_its_diagnosis(run_cli, demo_kubeconfig, tmp_path):
    junit = tmp_path / "report.xml"
    r = run_cli("wait", "deploy/kestra", "--timeout", "2s", "--junit", str(junit), kubeconfig=demo_kubeconfig)
    assert r.code == 3, r.err
    assert r.out.startswith("deployment/kestra timed out after ")
    assert "CrashLoopBackOff › dependency-unreachable" in flat(r.out)
    failure = ET.parse(junit).getroot().find("testsuite/testcase/failure")
    assert failure is not None and failure.get("type") == "timed-out"


def test_github_actions_annotations_and_no_workflow_commands_from_cluster_text(run_cli, demo_kubeconfig):
    r = run_cli("wait", "deploy/cloudnative-pg", kubeconfig=demo_kubeconfig, env={"GITHUB_ACTIONS": "true"})
    assert r.code == 1
    lines = r.out.splitlines()
    annotations = [line for line in lines if line.startswith("::error ")]
    assert annotations and annotations[0].startswith(
        "::error title=k8sdoctor%3A deployment/cloudnative-pg failed%3A ImagePullBackOff (image-not-found)::"
    )
    assert "%0A" in annotations[0]  # a multi-line message stays on one line
    # the report, which quotes cluster text, is fenced off from the runner's command parser
    stop = next(i for i, line in enumerate(lines) if line.startswith("::stop-commands::"))
    token = lines[stop].split("::")[2]
    assert lines[-1] == f"::{token}::"
    assert len(token) == 32


def test_usage_errors_are_one_line(run_cli, demo_kubeconfig):
    for args, expected in (
        (("wait", "svc/web"), 'cannot wait for "svc"'),
        (("wait", "deploy/web", "--timeout", "soon"), '--timeout "soon"'),
        (("wait", "job/x", "--for", "healthy"), "--for healthy does not apply to jobs"),
        (("wait", "deploy"), "needs a NAME or -l SELECTOR"),
    ):
        r = run_cli(*args, kubeconfig=demo_kubeconfig)
        assert r.code == 2, (args, r.err)
        assert expected in r.err_lines[0]
        assert "Traceback" not in r.err


def test_an_unknown_name_gets_close_names(run_cli, demo_kubeconfig):
    r = run_cli("wait", "deploy/frontnd", kubeconfig=demo_kubeconfig)
    assert r.code == 2
    assert r.err_lines[0] == 'k8sdoctor: error: deployment "frontnd" not found in namespace "shop"'
    assert "frontend" in r.err_lines[1]


# ---- a cluster that changes while wait watches ---------------------------------------------------------
def _rollout(ready: bool) -> list[dict]:
    containers = [{"name": "web", "image": "nginx:1.27.2"}]
    dep, rs, h = workload(NS, "web", replicas=2, containers=containers, ready_replicas=2 if ready else 0)
    if not ready:
        dep["status"]["availableReplicas"] = 0
    state = running() if ready else waiting("ContainerCreating")
    pods = replica_pods(
        dep,
        rs,
        h,
        2,
        status_for=lambda _n: pod_status("Running" if ready else "Pending", [container_status("web", "nginx:1.27.2", state)]),
        nodes=["worker-1"],
    )
    return [dep, rs, *pods]


def _wait_process(kubeconfig, *args: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("KUBECONFIG", "GITHUB_ACTIONS")}
    env["KUBECONFIG"] = str(kubeconfig)
    return subprocess.Popen(
        [sys.executable, "-m", "k8sdoctor", "wait", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )


def _first_progress_line(proc: subprocess.Popen) -> str:
    assert proc.stderr is not None
    return proc.stderr.readline()


def test_a_rollout_that_finishes_while_watched_exits_0_without_polling(cluster, cluster_kubeconfig):
    cluster.apply_all(_rollout(ready=False))
    proc = _wait_process(cluster_kubeconfig, "deploy/web", "--timeout", "60s")
    try:
        line = _first_progress_line(proc)
        assert "0 of 2 updated replicas are available" in line
        time.sleep(1.0)  # wait is watching now; it must not re-read the Deployment meanwhile
        lists_before = len(cluster.requests("GET", f"/apis/apps/v1/namespaces/{NS}/deployments"))
        time.sleep(1.5)
        assert len(cluster.requests("GET", f"/apis/apps/v1/namespaces/{NS}/deployments")) == lists_before
        cluster.apply_all(_rollout(ready=True))
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert out.startswith("deployment/web is healthy")
    watches = [r for r in cluster.requests("GET", f"/apis/apps/v1/namespaces/{NS}/deployments") if r.query.get("watch") == "true"]
    assert watches


def _job(conditions: list[dict]) -> dict:
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": "migrate", "namespace": NS, "creationTimestamp": "-5m", "generation": 1},
        "spec": {
            "backoffLimit": 2,
            "template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "migrate", "image": "migrate:1"}]}},
        },
        "status": {"conditions": conditions, "failed": 3 if conditions else 0, "active": 0 if conditions else 1},
    }


@pytest.mark.parametrize(
    ("conditions", "code", "expected"),
    [
        (
            [{"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded", "message": BACKOFF_MESSAGE}],
            1,
            f"failed: {BACKOFF_MESSAGE}",
        ),
        ([{"type": "Complete", "status": "True"}], 0, 'job "migrate" completed'),
    ],
)
def test_a_job_is_waited_for_until_it_completes(run_cli, cluster, cluster_kubeconfig, conditions, code, expected):
    cluster.apply(_job(conditions))
    r = run_cli("wait", "job/migrate", "--timeout", "30s", kubeconfig=cluster_kubeconfig)
    assert r.code == code, r.err
    assert expected in r.out.splitlines()[0]


def test_pods_by_selector_time_out_in_json(run_cli, demo_kubeconfig):
    r = run_cli("wait", "-l", "app=kestra", "--timeout", "1s", "-o", "json", kubeconfig=demo_kubeconfig)
    assert r.code == 3, r.err
    doc = orjson.loads(r.out)
    assert doc["result"] == "timed-out"
    assert len(doc["objects"]) == 3
    assert {o["kind"] for o in doc["objects"]} == {"Pod"}


def test_the_readme_lists_the_causes_that_fail_at_once():
    from pathlib import Path

    from k8sdoctor.wait.never_resolves import documented

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    table = readme.split("| cause | why waiting will not help |\n|---|---|\n", 1)[1].split("\n\n", 1)[0]
    assert table.splitlines() == [f"| `{cause}` | {why} |" for cause, why in documented()]


def test_on_a_terminal_progress_and_result_show_without_escape_garbage(demo_kubeconfig, tmp_path):
    """The real program on a pseudo-terminal: the spinner draws, the progress line and the verdict read."""
    import pty

    primary, secondary = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "KUBECONFIG", "GITHUB_ACTIONS")}
    env |= {"KUBECONFIG": str(demo_kubeconfig), "TERM": "xterm-256color", "COLUMNS": "160", "HOME": str(tmp_path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "k8sdoctor", "wait", "deploy/cloudnative-pg"], stdin=secondary, stdout=secondary, stderr=secondary, env=env
    )
    os.close(secondary)
    screen = b""
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:
            break
        if not chunk:
            break
        screen += chunk
    assert proc.wait(timeout=60) == 1
    os.close(primary)
    text = screen.decode("utf-8", "replace")
    assert "deployment/cloudnative-pg: ImagePullBackOff › image-not-found" in text
    assert "deployment/cloudnative-pg failed after" in text
    assert "\x1b[" in text  # styled: it knew it was on a terminal
