"""`k8sdoctor serve` end to end: the real program against the local API server, scraped over HTTP, the
metrics parsed with prometheus_client's own parser, while the fake cluster changes under it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable

import orjson
import pytest
from prometheus_client.parser import text_string_to_metric_families

from k8sdoctor.demo.cluster import scenario
from k8sdoctor.demo.timeline import DemoTimeline
from k8sdoctor.fakeapi import FakeApiServer

CNPG = "cloudnative-pg"


def _is_cnpg(obj: dict) -> bool:
    name = obj["metadata"]["name"] if obj["kind"] != "Event" else obj["involvedObject"]["name"]
    return name.startswith(CNPG)


class Served:
    """A running `k8sdoctor serve` and its base URL."""

    def __init__(self, kubeconfig, *args: str) -> None:
        env = {k: v for k, v in os.environ.items() if k != "KUBECONFIG"} | {"KUBECONFIG": str(kubeconfig)}
        cmd = [sys.executable, "-m", "k8sdoctor", "serve", "--listen", "127.0.0.1:0", "--interval", "0.2", *args]
        self.proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
        assert self.proc.stderr is not None
        line = self.proc.stderr.readline()
        found = re.search(r"listening on (http://127\.0\.0\.1:\d+)", line)
        assert found, line
        self.url = found.group(1)

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=5) as resp:
                return resp.status, resp.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode()

    def metrics(self) -> dict[str, list]:
        status, text = self.get("/metrics")
        assert status == 200
        return {family.name: family.samples for family in text_string_to_metric_families(text)}

    def findings(self) -> dict[tuple, float]:
        return {
            tuple(s.labels[k] for k in ("namespace", "kind", "name", "category", "cause", "severity")): s.value
            for s in self.metrics()["k8sdoctor_findings"]
        }

    def until(self, condition: Callable[[], object], timeout: float = 20.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = condition()
            if got:
                return got
            time.sleep(0.1)
        raise AssertionError(f"not met in {timeout}s: {condition}")

    def stop(self) -> str:
        self.proc.terminate()
        _out, err = self.proc.communicate(timeout=10)
        return err


@pytest.fixture
def demo_without_cnpg(tmp_path):
    """The demo cluster without the broken cloudnative-pg Deployment (a test adds it while serve runs)."""
    with FakeApiServer(bookmark_interval=0.2) as srv:
        demo = scenario()
        srv.load_scenario({"objects": [o for o in demo["objects"] if not _is_cnpg(o)], "logs": demo["logs"]})
        yield srv, srv.write_kubeconfig(tmp_path / "kubeconfig", namespace="shop")


def test_metrics_track_a_finding_appearing_then_clearing(demo_without_cnpg):
    server, kubeconfig = demo_without_cnpg
    served = Served(kubeconfig)
    try:
        served.until(lambda: served.get("/readyz")[0] == 200)
        assert served.get("/healthz") == (200, "ok\n")
        kestra = ("shop", "Deployment", "kestra", "CrashLoopBackOff", "dependency-unreachable", "critical")
        before = served.until(lambda: (found := served.findings()).get(kestra) and found)  # its cause is in the log tails fetched meanwhile
        assert before[("shop", "Deployment", "kestra", "CrashLoopBackOff", "dependency-unreachable", "critical")] == 3  # 3 pods, 1 series
        assert not any(key[2].startswith(CNPG) for key in before)
        # bounded cardinality: no pod of a known workload is a label value
        pods = {p["metadata"]["name"] for p in server.list("Pod") if (p["metadata"].get("ownerReferences") or [])}
        assert not {key[2] for key in before} & pods

        server.load_scenario({"objects": [o for o in scenario()["objects"] if _is_cnpg(o)]})
        key = ("shop", "Deployment", CNPG, "ImagePullBackOff", "image-not-found", "critical")
        served.until(lambda: served.findings().get(key) == 2)
        metrics = served.metrics()
        by_cause = {(s.labels["cause"]): s.value for s in metrics["k8sdoctor_findings_by_cause"]}
        assert by_cause["image-not-found"] == 2
        assert {s.labels["kind"]: s.value for s in metrics["k8sdoctor_watch_up"]}["Pod"] == 1
        assert next(s for s in metrics["k8sdoctor_diagnosis_duration_seconds"] if s.name.endswith("_count")).value >= 2

        from k8sdoctor.serve.metrics import __doc__ as documented

        for name in set(re.findall(r"k8sdoctor_\w+", documented or "")):  # what the README and the alert rules name is served
            assert name.removesuffix("_total") in metrics, name

        DemoTimeline(server).fix_image()  # the demo's own step: revision 3 with the tag that exists rolls out
        served.until(lambda: key not in served.findings())
    finally:
        served.stop()


def test_events_are_off_by_default_and_sent_as_logged_when_asked(demo_without_cnpg):
    server, kubeconfig = demo_without_cnpg
    quiet = Served(kubeconfig)
    try:
        quiet.until(lambda: quiet.get("/readyz")[0] == 200)
    finally:
        quiet.stop()
    assert not server.requests("POST")  # serve only reads unless asked

    served = Served(kubeconfig, "--emit-events")
    try:
        served.until(lambda: served.get("/readyz")[0] == 200)
        diagnosed = served.until(lambda: [e for e in server.list("Event", "shop") if e.get("reason") == "Diagnosed"])
        kestra = served.until(
            lambda: [e for e in server.list("Event", "shop") if e.get("reason") == "Diagnosed" and e["involvedObject"]["name"] == "kestra"]
        )
        assert diagnosed
        (event,) = kestra
        assert event["involvedObject"]["kind"] == "Deployment" and event["type"] == "Warning"
        assert event["message"].startswith("CrashLoopBackOff/dependency-unreachable: ")
        assert event["source"]["component"] == "k8sdoctor"
        time.sleep(1.0)  # several passes later, the unchanged finding is not sent again
        assert (
            len([e for e in server.list("Event", "shop") if e.get("reason") == "Diagnosed" and e["involvedObject"]["name"] == "kestra"])
            == 1
        )
        sent = {e["value"] for e in [{"value": s.value} for s in served.metrics()["k8sdoctor_events"] if s.labels["result"] == "sent"]}
        assert sent and max(sent) >= 1
    finally:
        err = served.stop()
    posted = [
        r
        for r in server.requests("POST", "/api/v1/namespaces/shop/events")
        if (r.json() or {}).get("involvedObject", {}).get("name") == "kestra"
    ]
    (request,) = posted
    logged = [
        line for line in err.splitlines() if "sending event: POST /api/v1/namespaces/shop/events" in line and '"name": "kestra"' in line
    ]
    assert len(logged) == 1
    assert orjson.loads(logged[0].split("/events ", 1)[1]) == request.json()  # the log shows exactly what was sent


def test_bad_listen_address_is_one_line(run_cli, demo_kubeconfig):
    r = run_cli("serve", "--listen", "nowhere", kubeconfig=demo_kubeconfig)
    assert r.code == 2
    assert r.err_lines == ['k8sdoctor: error: --listen "nowhere": expected HOST:PORT, as in 127.0.0.1:8080 or 0.0.0.0:8080']
