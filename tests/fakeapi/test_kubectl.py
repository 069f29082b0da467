"""The real kubectl (1.32) against the fake server, over HTTPS with bearer tokens."""

from __future__ import annotations

import json
import re
import subprocess
import time

import pytest

from k8sdoctor.fakeapi import Rule

pytestmark = pytest.mark.kubectl

AGGREGATED = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"


def rows(output: str) -> list[list[str]]:
    return [line.split() for line in output.strip().splitlines()]


def test_get_pods_all_namespaces_prints_kubectl_columns(tls_server, kubectl_for):
    output = kubectl_for(tls_server)("get", "pods", "-A").stdout
    header, *lines = rows(output)
    assert header == ["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    status = {line[1]: line[2:4] for line in lines}
    assert status == {
        "kafdrop-1-j4969": ["0/1", "ImagePullBackOff"],
        "db-0": ["0/1", "Init:CreateContainerConfigError"],
        "ebaogi-bff-app-7b9d5c6f4-lx2mk": ["0/1", "Evicted"],
        "es-client-0": ["0/1", "Pending"],
        "kb-5c7d8f9b6-q4w2e": ["0/1", "CrashLoopBackOff"],
        "memory-demo-2": ["0/1", "CrashLoopBackOff"],
        "web-6d4cf56db6-abcde": ["2/2", "Running"],
    }
    memory = next(line for line in lines if line[1] == "memory-demo-2")  # RESTARTS "4 (2m50s ago)"
    assert memory[4] == "4" and re.fullmatch(r"\(2m5\ds", memory[5]) and memory[6:] == ["ago)", "40m"]
    # kubectl asked for aggregated discovery, got the legacy documents, and fell back to per-group lists.
    discovery = {r.path: r.headers.get("Accept", "") for r in tls_server.requests("GET")}
    assert discovery["/apis"].startswith(AGGREGATED)
    assert {"/api/v1", "/apis/apps/v1", "/apis/batch/v1"} <= set(discovery)


def test_get_pods_wide_nodes_and_deployments(tls_server, kubectl_for):
    kubectl = kubectl_for(tls_server)
    header, *lines = rows(kubectl("get", "pods", "-n", "shop", "-o", "wide").stdout)
    assert header[5:] == ["IP", "NODE", "NOMINATED", "NODE", "READINESS", "GATES"]
    web = next(line for line in lines if line[0] == "web-6d4cf56db6-abcde")
    assert web[5:] == ["10.131.0.21", "compute-0", "<none>", "<none>"]
    assert rows(kubectl("get", "nodes").stdout)[1][:3] == ["compute-0", "Ready", "worker"]
    assert rows(kubectl("get", "deploy", "-n", "shop", "-o", "wide").stdout) == [
        ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"],
        ["web", "1/1", "1", "1", "30d", "app,log-shipper", "nginx:1.25.4,fluent/fluent-bit:3.0.4", "app=web"],
    ]
    assert rows(kubectl("get", "configmaps", "-n", "shop").stdout) == []  # "No resources found" is on stderr


def test_get_events(tls_server, kubectl_for):
    output = kubectl_for(tls_server)("get", "events", "-n", "myproject").stdout
    header, *lines = output.strip().splitlines()
    assert header.split() == ["LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
    assert any(
        line.split()[1:4] == ["Warning", "Failed", "pod/kafdrop-1-j4969"]
        and line.endswith(
            # source: https://github.com/red-hat-storage/ocs-ci/issues/4494
            "toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating "
            "and upgrading: https://www.docker.com/increase-rate-limit"
        )
        for line in lines
    )
    assert len(lines) == 6


def test_logs_previous(tls_server, kubectl_for):
    output = kubectl_for(tls_server)("logs", "kb-5c7d8f9b6-q4w2e", "-n", "shop", "-c", "kb", "--previous").stdout
    # source: https://github.com/kubeedge/sedna/issues/320
    assert output.splitlines()[-1] == "ModuleNotFoundError: No module named 'cv2'"
    (request,) = tls_server.requests("GET", "/api/v1/namespaces/shop/pods/kb-5c7d8f9b6-q4w2e/log")
    assert request.query == {"container": "kb", "previous": "true"}


def test_logs_errors_come_from_the_server(tls_server, kubectl_for):
    result = kubectl_for(tls_server)("logs", "kafdrop-1-j4969", "-n", "myproject", check=False)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        'Error from server (BadRequest): container "kafdrop" in pod "kafdrop-1-j4969" is waiting to start: trying and failing to pull image'
    )


def test_describe_pod_shows_its_events(tls_server, kubectl_for):
    output = kubectl_for(tls_server)("describe", "pod", "memory-demo-2", "-n", "shop").stdout
    assert "Reason:       OOMKilled" in output and "Exit Code:    137" in output
    events = output[output.index("Events:") :].splitlines()
    assert events[1].split() == ["Type", "Reason", "Age", "From", "Message"]
    assert events[3].split()[:2] == ["Normal", "Created"]
    # source: https://kubernetes.io/docs/tasks/configure-pod-container/assign-memory-resource/
    assert events[4].split()[:2] == ["Warning", "BackOff"] and events[4].endswith("kubelet  Back-off restarting failed container")
    uid = tls_server.get("Pod", "shop", "memory-demo-2")["metadata"]["uid"]
    (request,) = tls_server.requests("GET", "/api/v1/namespaces/shop/events")
    assert set(request.query["fieldSelector"].split(",")) == {
        "involvedObject.name=memory-demo-2",
        "involvedObject.namespace=shop",
        f"involvedObject.uid={uid}",
    }


def test_cluster_info_dump(tls_server, kubectl_for, tmp_path):
    out = tmp_path / "dump"
    kubectl_for(tls_server)("cluster-info", "dump", "--output-directory", str(out), "--namespaces", "shop")
    nodes = json.loads((out / "nodes.json").read_text())
    assert [n["metadata"]["name"] for n in nodes["items"]] == ["compute-0"]
    pods = json.loads((out / "shop" / "pods.json").read_text())
    assert len(pods["items"]) == 6
    events = json.loads((out / "shop" / "events.json").read_text())
    assert {e["reason"] for e in events["items"]} == {"Created", "BackOff", "Failed", "FailedScheduling"}
    web_logs = (out / "shop" / "web-6d4cf56db6-abcde" / "logs.txt").read_text()
    assert "==== START logs for container app of pod shop/web-6d4cf56db6-abcde ====" in web_logs
    assert '"GET /healthz HTTP/1.1" 200' in web_logs
    kb_logs = (out / "shop" / "kb-5c7d8f9b6-q4w2e" / "logs.txt").read_text()
    assert "ModuleNotFoundError: No module named 'cv2'" in kb_logs


def test_get_pods_watch_receives_a_pushed_change(tls_server, kubectl_for):
    kubectl = kubectl_for(tls_server)
    process = subprocess.Popen(
        kubectl.command("get", "pods", "-n", "myproject", "-w"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=kubectl.env(),
    )
    try:
        assert process.stdout.readline().split()[:3] == ["NAME", "READY", "STATUS"]
        assert process.stdout.readline().split()[:3] == ["kafdrop-1-j4969", "0/1", "ImagePullBackOff"]
        deadline = time.monotonic() + 10
        while tls_server.watch_count("pods") == 0:
            assert time.monotonic() < deadline, "kubectl never started watching"
            time.sleep(0.02)
        tls_server.patch(
            "Pod",
            "myproject",
            "kafdrop-1-j4969",
            {
                "status": {
                    "containerStatuses": [
                        {
                            "name": "kafdrop",
                            "ready": True,
                            "started": True,
                            "restartCount": 0,
                            "image": "obsidiandynamics/kafdrop:latest",
                            "imageID": "",
                            "state": {"running": {"startedAt": "now"}},
                        }
                    ],
                    "phase": "Running",
                }
            },
        )
        assert process.stdout.readline().split()[:3] == ["kafdrop-1-j4969", "1/1", "Running"]
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_limited_user_gets_kubectls_forbidden_message(tls_server, kubectl_for):
    token = tls_server.add_user("alice", [Rule(verbs=("get", "list", "watch"), resources=("pods", "pods/log"), namespaces=("shop",))])
    kubectl = kubectl_for(tls_server, token)
    assert len(rows(kubectl("get", "pods", "-n", "shop").stdout)) == 7
    result = kubectl("get", "events", "-n", "shop", check=False)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        'Error from server (Forbidden): events is forbidden: User "alice" cannot list '
        'resource "events" in API group "" in the namespace "shop"'
    )
    result = kubectl("get", "pods", "-A", check=False)
    assert result.stderr.strip() == (
        'Error from server (Forbidden): pods is forbidden: User "alice" cannot list resource "pods" in API group "" at the cluster scope'
    )
    assert kubectl("auth", "can-i", "get", "pods", "--subresource=log", "-n", "shop").stdout.strip() == "yes"
    assert kubectl("auth", "can-i", "list", "secrets", "-n", "shop", check=False).stdout.strip() == "no"


def test_kubectl_debug_adds_an_ephemeral_container(tls_server, kubectl_for):
    kubectl_for(tls_server)("debug", "web-6d4cf56db6-abcde", "-n", "shop", "--image=busybox:1.36", "--target=app", "--profile=general")
    (patch,) = tls_server.requests("PATCH")
    assert patch.path == "/api/v1/namespaces/shop/pods/web-6d4cf56db6-abcde/ephemeralcontainers"
    assert patch.headers["Content-Type"] == "application/strategic-merge-patch+json"
    (added,) = patch.json()["spec"]["ephemeralContainers"]
    assert added["image"] == "busybox:1.36" and added["targetContainerName"] == "app"
    pod = tls_server.get("Pod", "shop", "web-6d4cf56db6-abcde")
    assert [c["name"] for c in pod["spec"]["ephemeralContainers"]] == [added["name"]]
