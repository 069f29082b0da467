"""Scenario loading (formats, relative times, uids, event links, namespaces) and the command line."""

from __future__ import annotations

import base64
import subprocess
import sys
import textwrap
from datetime import datetime, timezone

import orjson
import pytest
import urllib3
import yaml

from k8sdoctor.fakeapi import FakeApiServer, ScenarioError
from k8sdoctor.fakeapi.scenario import load

NOW = datetime(2024, 5, 12, 10, 0, 0, tzinfo=timezone.utc)

MULTI_DOC = textwrap.dedent("""\
    apiVersion: v1
    kind: List
    items:
      - apiVersion: v1
        kind: Pod
        metadata: {name: loki-0, namespace: observatorium, creationTimestamp: "-1h30m"}
        spec: {nodeName: compute-0, containers: [{name: loki, image: "grafana/loki:2.2.1"}]}
        status:
          phase: Running
          containerStatuses:
            - name: loki
              restartCount: 2
              ready: false
              state: {waiting: {reason: CrashLoopBackOff}}
              lastState: {terminated: {exitCode: 1, reason: Error, finishedAt: "-2m50s"}}
    ---
    # message: https://kubernetes.io/docs/tasks/configure-pod-container/assign-memory-resource/
    apiVersion: v1
    kind: Event
    metadata: {name: loki-0.17c8a1f0c4a5b6c7, namespace: observatorium}
    involvedObject: {apiVersion: v1, kind: Pod, name: loki-0, namespace: observatorium}
    reason: BackOff
    message: Back-off restarting failed container
    type: Warning
    lastTimestamp: now
    eventTime: "-1s"
    ---
    # source: https://github.com/observatorium/observatorium/issues/410
    logs:
      - namespace: observatorium
        pod: loki-0
        container: loki
        previous: true
        lines:
          - 'level=error ts=2021-05-06T20:07:23.034407503Z caller=log.go:149 msg="error running loki" err="mkdir /data/loki: permission denied'
    """)


def test_multi_document_scenario(tmp_path):
    path = tmp_path / "scenario.yaml"
    path.write_text(MULTI_DOC)
    scenario = load(path, NOW)
    kinds = [(o["kind"], o["metadata"]["name"]) for o in scenario.objects]
    assert kinds == [("Namespace", "observatorium"), ("Pod", "loki-0"), ("Event", "loki-0.17c8a1f0c4a5b6c7")]
    pod, event = scenario.objects[1], scenario.objects[2]
    assert pod["metadata"]["creationTimestamp"] == "2024-05-12T08:30:00Z"
    terminated = pod["status"]["containerStatuses"][0]["lastState"]["terminated"]
    assert terminated["finishedAt"] == "2024-05-12T09:57:10Z"
    assert event["lastTimestamp"] == "2024-05-12T10:00:00Z"
    assert event["eventTime"] == "2024-05-12T09:59:59.000000Z"
    assert event["involvedObject"]["uid"] == pod["metadata"]["uid"]
    assert load(path, NOW).objects[1]["metadata"]["uid"] == pod["metadata"]["uid"]  # stable across loads
    assert scenario.logs[0].previous and scenario.logs[0].container == "loki"
    assert scenario.logs[0].lines[0].endswith('err="mkdir /data/loki: permission denied')


def test_scenario_dict_into_a_server():
    server = FakeApiServer(clock=lambda: NOW)
    server.load_scenario(
        {
            "objects": [
                {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}},
                {
                    "apiVersion": "apps/v1",
                    "kind": "Deployment",
                    "metadata": {"name": "web", "namespace": "shop"},
                    "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}}},
                },
                {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "compute-0", "creationTimestamp": "-30d"}},
            ]
        }
    )
    assert server.get("Deployment", "shop", "web")["spec"]["replicas"] == 2
    assert server.get("Node", "", "compute-0")["metadata"]["creationTimestamp"] == "2024-04-12T10:00:00Z"
    assert [n["metadata"]["name"] for n in server.list("Namespace")] == ["shop"]


@pytest.mark.parametrize(
    ("document", "error"),
    [
        (
            {"objects": [{"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute", "metadata": {"name": "web"}}]},
            "unsupported kind gateway.networking.k8s.io/v1 HTTPRoute",
        ),
        ({"objects": [{"apiVersion": "v1", "kind": "Pod", "metadata": {}}]}, "a Pod without metadata.name"),
        ({"logs": [{"pod": "web"}]}, "each logs entry needs pod, container and lines"),
    ],
)
def test_scenario_errors(document, error):
    with pytest.raises(ScenarioError, match=error):
        load(document, NOW)


def test_command_line_serves_a_scenario_over_tls(scenario, tmp_path):
    kubeconfig = tmp_path / "kubeconfig"
    process = subprocess.Popen(
        [sys.executable, "-m", "k8sdoctor.fakeapi", "--scenario", str(scenario), "--tls", "--kubeconfig-out", str(kubeconfig)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        url = process.stdout.readline().split()[-1]
        assert process.stdout.readline().strip() == f"kubeconfig {kubeconfig}"
        assert url.startswith("https://127.0.0.1:")
        config = yaml.safe_load(kubeconfig.read_text())
        assert config["clusters"][0]["cluster"]["server"] == url
        token = config["users"][0]["user"]["token"]
        ca = tmp_path / "ca.pem"
        ca.write_bytes(base64.b64decode(config["clusters"][0]["cluster"]["certificate-authority-data"]))
        http = urllib3.PoolManager(ca_certs=str(ca))
        response = http.request("GET", url + "/api/v1/namespaces/myproject/pods", headers={"Authorization": f"Bearer {token}"})
        assert [p["metadata"]["name"] for p in orjson.loads(response.data)["items"]] == ["kafdrop-1-j4969"]
        assert http.request("GET", url + "/api/v1/pods").status == 401
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0
