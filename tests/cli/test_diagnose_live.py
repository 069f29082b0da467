"""`k8sdoctor diagnose` through the live path: the real kubernetes client over HTTPS against the local API
server, compared with the snapshot path on what kubectl itself saved from the same server."""

from __future__ import annotations

import pytest

from tests.cli.conftest import verdicts

pytestmark = pytest.mark.kubectl


def test_live_scan_finds_every_family(run_cli, demo_kubeconfig):
    result = run_cli("diagnose", "pods", "-A", "-o", "json", kubeconfig=demo_kubeconfig)
    assert result.code == 1, result.err
    found = {(v[2], v[3]) for v in verdicts(result.json())}
    assert {
        ("ImagePullBackOff", "image-not-found"),
        ("ImagePullBackOff", "rate-limited"),
        ("CrashLoopBackOff", "dependency-unreachable"),
        ("CrashLoopBackOff", "oom-killed"),
        ("CrashLoopBackOff", "permission-denied"),
        ("Pending", "pod-affinity"),
        ("Pending", "node-selector-mismatch"),
        ("RunContainerError", "missing-secret"),
        ("RunContainerError", "missing-key"),
        ("RunContainerError", "run-as-non-root"),
        ("ContainerCreating", "volume-attach-failure"),
        ("Evicted", "disk-pressure"),
        ("NotReady", "readiness-probe-failure"),
    } <= found


def test_live_and_cluster_info_dump_agree(run_cli, demo_kubeconfig, kubectl, tmp_path):
    live = run_cli("diagnose", "pods", "-A", "-o", "json", kubeconfig=demo_kubeconfig)
    dump = tmp_path / "dump"
    kubectl("cluster-info", "dump", "--all-namespaces", "--output-directory", str(dump), timeout=60)
    offline = run_cli("diagnose", "pods", "-A", "--snapshot", str(dump), "-o", "json")
    assert offline.code == live.code == 1, offline.err
    assert verdicts(offline.json()) == verdicts(live.json())


def test_live_and_kubectl_get_json_agree_except_what_only_logs_show(run_cli, demo_kubeconfig, kubectl, tmp_path):
    """`kubectl get -o json` saves no logs: causes found in logs fall back to app-error, with a note."""
    live = run_cli("diagnose", "pods", "-n", "shop", "-o", "json", kubeconfig=demo_kubeconfig).json()
    saved = tmp_path / "shop.json"
    saved.write_text(kubectl("get", "pods,events", "-n", "shop", "-o", "json").stdout)
    offline = run_cli("diagnose", "pods", "-n", "shop", "--snapshot", str(saved), "-o", "json").json()
    from_logs = {
        (i["name"], f["container"]) for i in live["items"] for f in i["findings"] if f["evidence"][0]["source"].startswith("logs ")
    }
    assert from_logs, "the demo has log-only causes in shop"

    def comparable(payload):
        return {v if (v[1], v[4]) not in from_logs else v[:3] + ("from logs",) + v[4:] for v in verdicts(payload)}

    assert comparable(offline) == comparable(live)
    for item in offline["items"]:
        for finding in item["findings"]:
            if (item["name"], finding["container"]) in from_logs:
                assert finding["cause"] == "app-error"
                assert any(note.startswith(f"no logs were available for container {finding['container']}") for note in item["notes"])


def test_one_pod_quotes_its_log_line_and_says_what_to_do(run_cli, demo_server, demo_kubeconfig):
    pod = next(p["metadata"]["name"] for p in demo_server.list("Pod", "shop") if p["metadata"]["name"].startswith("kestra-"))
    result = run_cli("diagnose", "pod", pod, "-o", "json", kubeconfig=demo_kubeconfig)
    assert result.code == 1
    top = result.json()["findings"][0]
    assert (top["category"], top["cause"], top["container"]) == ("CrashLoopBackOff", "dependency-unreachable", "kestra")
    # https://github.com/kestra-io/helm-charts/issues/8
    assert top["evidence"][0] == {
        "source": "logs kestra (previous) line 3 of 5",
        "text": "Caused by: com.zaxxer.hikari.pool.HikariPool$PoolInitializationException: Failed to initialize pool: "
        "Connection to kestra-postgresql:5432 refused. Check that the hostname and port are correct and that the "
        "postmaster is accepting TCP/IP connections.",
    }
    assert any(step["command"] == "kubectl -n shop get svc,endpointslices" for step in top["remediation"])


def test_healthy_selection_exits_zero(run_cli, demo_kubeconfig):
    result = run_cli("diagnose", "pods", "-n", "shop", "-l", "app=frontend", "-o", "json", kubeconfig=demo_kubeconfig)
    assert result.code == 0, result.err
    payload = result.json()
    assert payload["summary"] == {"pods": 3, "objects": 3, "kinds": {"Pod": 3}, "healthy": 3, "critical": 0, "warning": 0, "info": 0}
    assert all(item["healthy"] and item["findings"] == [] for item in payload["items"])


def test_json_schema_of_one_pod(run_cli, demo_kubeconfig):
    payload = run_cli("diagnose", "pod", "memory-demo-2", "-n", "mem-example", "-o", "json", kubeconfig=demo_kubeconfig).json()
    assert {"namespace", "name", "phase", "healthy", "findings"} <= payload.keys()
    assert payload["healthy"] is False
    finding = payload["findings"][0]
    assert {"category", "cause", "container", "severity", "summary", "explanation", "evidence", "remediation", "playbook"} <= finding.keys()
    assert finding["severity"] in ("critical", "warning", "info")


@pytest.mark.parametrize("fmt", ["text", "yaml", "markdown"])
def test_other_formats_carry_the_same_finding(run_cli, demo_kubeconfig, fmt):
    result = run_cli("diagnose", "pod", "memory-demo-2", "-n", "mem-example", "-o", fmt, kubeconfig=demo_kubeconfig)
    assert result.code == 1
    assert "oom-killed" in result.out and "CrashLoopBackOff" in result.out
    assert "lastState.terminated.reason" in result.out and "OOMKilled" in result.out


def test_secret_values_never_appear_in_any_output(run_cli, demo_server, demo_kubeconfig, tmp_path):
    """The demo stores Secrets with values; no output format may ever show one (base64 or decoded)."""
    planted = {"ZGVtby1ub3QtYS1yZWFsLXBhc3N3b3Jk", "demo-not-a-real-password", "ZGVtby12YWx1ZQ==", "demo-value", "ZGVtby1pZA==", "demo-id"}
    state = tmp_path / "state"
    for args in (
        ["diagnose", "pods", "-A"],
        ["diagnose", "pods", "-A", "--show-healthy"],
        ["diagnose", "pod", "aegis-workload-demo", "-n", "default"],
    ):
        for fmt in ("text", "json", "yaml", "markdown"):
            result = run_cli(*args, "-o", fmt, "--debug", kubeconfig=demo_kubeconfig, env={"K8SDOCTOR_STATE_DIR": str(state)})
            assert not any(value in result.out or value in result.err for value in planted), (args, fmt)
    own_log = "".join(p.read_text() for p in state.glob("*.log"))
    assert not any(value in own_log for value in planted)
    # and the values were really there to be leaked
    assert demo_server.get("Secret", "reportportal", "secret-postgresql")["data"]["postgresql-password"] in planted


def test_missing_key_lists_the_keys_that_exist_and_never_the_values(run_cli, demo_kubeconfig):
    """Live, the Secret is read only for its key names (issue 3), then the values are dropped."""
    result = run_cli("diagnose", "pod", "aegis-workload-demo", "-n", "default", "-o", "json", kubeconfig=demo_kubeconfig)
    finding = result.json()["findings"][0]
    assert finding["cause"] == "missing-key"
    # https://github.com/shieldworks/aegis/issues/293
    assert {
        "source": "secret default/aegis-secret-aegis-workload-demo keyNames",
        "text": "keys: SPIFFEID, value. Did you mean value?",
    } in finding["evidence"]
    assert "ZGVtby12YWx1ZQ==" not in result.out and "demo-value" not in result.out
