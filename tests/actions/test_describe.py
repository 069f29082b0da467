"""describe: the same text as kubectl describe pod (1.32) for the same pods, section by section."""

from __future__ import annotations

import time
from datetime import datetime, timezone

import pytest

from k8sdoctor.actions.describe import describe_pod, qos_class
from k8sdoctor.cluster.live.fetch import LiveFetcher
from k8sdoctor.core.inventory import Inventory
from tests.actions.helpers import FIXED_NOW, PLANTED, PLANTED_B64, has_kubectl, kubectl, scenario_inventory


def _sections(text: str) -> dict[str, list[str]]:
    """kubectl's output cut at its top-level headings (lines that start at column 0 with a label)."""
    out: dict[str, list[str]] = {}
    title = "Pod"
    for line in text.splitlines():
        head = line.split(":", 1)[0]
        if head in (
            "Init Containers",
            "Containers",
            "Ephemeral Containers",
            "Readiness Gates",
            "Conditions",
            "Volumes",
            "QoS Class",
            "Events",
        ):
            title = head
        out.setdefault(title, []).append(line)
    return out


@pytest.mark.kubectl
def test_every_pod_reads_as_kubectl_describes_it(server, kubeconfig, client, tmp_path):
    """Field by field, section by section: kubectl and k8sdoctor read the same server."""
    if not has_kubectl():
        pytest.skip("kubectl is not installed")
    pods = [(p["metadata"]["namespace"], p["metadata"]["name"]) for p in server.list("Pod")]
    assert len(pods) == 10
    for namespace, name in pods:
        inventory = LiveFetcher(client).pod(namespace, name)
        before = datetime.now(timezone.utc)
        result = kubectl(kubeconfig, tmp_path / "home", "describe", "pod", name, "-n", namespace)
        after = datetime.now(timezone.utc)
        assert result.returncode == 0, result.stderr
        # Ages are computed at two instants; kubectl's ran between them.
        ours = {describe_pod(inventory, namespace, name, at, timezone.utc).text(extras=False) for at in (before, after)}
        expected = _sections(result.stdout)
        assert any(_sections(text) == expected for text in ours), f"{namespace}/{name}"
        assert result.stdout in ours, f"{namespace}/{name}: same sections, different bytes"


def test_sections_come_in_kubectl_order():
    doc = describe_pod(scenario_inventory(), "lab", "kitchen-sink-0", FIXED_NOW, timezone.utc)
    assert [s.title for s in doc.sections] == [
        "Pod",
        "Init Containers",
        "Containers",
        "Ephemeral Containers",
        "Readiness Gates",
        "Conditions",
        "Volumes",
        "Scheduling",
        "Events",
    ]
    lines = {line.text.strip() for line in doc.lines}
    assert "Liveness:   http-get http://:8080/healthz delay=10s timeout=1s period=10s #success=1 #failure=3" in lines
    assert "Readiness:  tcp-socket :http delay=0s timeout=2s period=5s #success=1 #failure=3" in lines
    assert "Startup:    exec [cat /tmp/ready] delay=0s timeout=1s period=2s #success=1 #failure=30" in lines
    assert "Readiness:           grpc <pod>:9901 envoy delay=0s timeout=1s period=10s #success=1 #failure=3" in lines
    assert "/work from work (rw,path=\"app\")" in lines
    assert (
        "Status:                    Terminating (lasts <invalid>)\nTermination Grace Period:  30s\n"
        in describe_pod(scenario_inventory(), "lab", "leaving", FIXED_NOW, timezone.utc).text()
    )


def test_secret_references_show_names_and_keys_never_values(server, client):
    """The planted Secret value is stored in the server; describe reads everything around the pod."""
    inventory = LiveFetcher(client).pod("lab", "kitchen-sink-0")
    text = describe_pod(inventory, "lab", "kitchen-sink-0", datetime.now(timezone.utc)).text()
    assert "API_TOKEN:     <set to the key 'token' in secret 'planted-secret'>     Optional: false" in text
    assert "planted-secret  Secret                            Optional: true" in text
    assert PLANTED not in text and PLANTED_B64 not in text
    assert all(PLANTED not in repr(obj) for objs in inventory.objects.values() for obj in objs.values())


def test_plain_env_values_show_as_kubectl_shows_them():
    text = describe_pod(scenario_inventory(), "lab", "kitchen-sink-0", FIXED_NOW, timezone.utc).text()
    assert "      PLAIN:         hello\n" in text
    assert "      MULTI:         line one\n                     line two\n" in text
    assert "      POD_NAME:      kitchen-sink-0 (v1:metadata.name)\n" in text
    assert "      MEM_LIMIT_MI:  512 (limits.memory)\n" in text
    assert "      CPU_LIMIT:  node allocatable (limits.cpu)\n" in text


def test_a_waiting_containers_message_is_shown_as_an_extra_line():
    doc = describe_pod(scenario_inventory(), "shop", "db-0", FIXED_NOW, timezone.utc)
    extra = [line for line in doc.lines if line.extra]
    # source: https://github.com/rustyrazorblade/easy-db-lab/issues/733
    assert [line.text for line in extra] == ['      Message:      configmap "cluster-config" not found']
    assert extra[0].paths == ("status.initContainerStatuses[setup-config].state.waiting.message",)
    assert "Message:" not in doc.text(extras=False).split("Init Containers:")[1].split("Containers:")[0]


def test_events_read_as_kubectl_reads_them():
    doc = describe_pod(scenario_inventory(), "myproject", "kafdrop-1-j4969", FIXED_NOW, timezone.utc)
    rows = [line for line in doc.lines if line.event is not None]
    assert [(r.event.type, r.event.reason) for r in rows] == [
        ("Normal", "Scheduled"),
        ("Normal", "AddedInterface"),
        ("Normal", "Pulling"),
        ("Warning", "Failed"),
        ("Warning", "Failed"),
        ("Normal", "BackOff"),
    ]
    assert rows[-1].text.split()[:6] == ["Normal", "BackOff", "20s", "(x31", "over", "9m)"]
    assert rows[-1].text.endswith('kubelet            Back-off pulling image "obsidiandynamics/kafdrop:latest"')


def test_unreadable_events_say_so():
    inventory = scenario_inventory()
    inventory.mark_unreadable("events", "shop", 'forbidden: User "dev" cannot list resource "events"')
    doc = describe_pod(inventory, "shop", "memory-demo-2", FIXED_NOW, timezone.utc)
    assert doc.lines[-1].text == 'Events:          <could not read: forbidden: User "dev" cannot list resource "events">'


def test_hostile_text_is_made_visible_not_sent_to_the_terminal():
    """Escape sequences in labels, annotations and event messages would move the cursor or retitle the
    window; they show as \\x1b."""
    inventory = Inventory()
    inventory.put_pod(
        {
            "metadata": {
                "name": "evil",
                "namespace": "x",
                "uid": "u1",
                "labels": {"app": "\x1b]0;pwned\x07"},
                "annotations": {"note": "\x1b[2Jcleared"},
            },
            "spec": {"containers": [{"name": "c\x1b[31m", "image": "i"}]},
            "status": {"phase": "Running"},
        }
    )
    inventory.put_event(
        {
            "metadata": {"name": "e1", "namespace": "x", "uid": "e1"},
            "type": "Warning",
            "reason": "Odd",
            "involvedObject": {"kind": "Pod", "name": "evil", "namespace": "x", "uid": "u1"},
            "message": "\x1b[1;1Hhello\rthere",
            "count": 1,
            "lastTimestamp": "2026-11-26T11:59:00Z",
            "firstTimestamp": "2026-11-26T11:59:00Z",
            "source": {"component": "kubelet"},
        }
    )
    text = describe_pod(inventory, "x", "evil", FIXED_NOW, timezone.utc).text()
    assert "\x1b" not in text and "\r" not in text and "\x07" not in text
    assert "app=\\x1b]0;pwned\\x07" in text and "note: \\x1b[2Jcleared" in text
    assert "\\x1b[1;1Hhello\\x0dthere" in text


def test_qos_is_computed_when_the_status_lacks_it():
    """As kubectl computes it from the pod as served: requests are not defaulted to limits here (a real
    API server has done that already)."""

    def pod(*resources):
        return {"spec": {"containers": [{"name": str(i), "resources": r} for i, r in enumerate(resources)]}}

    both = {"cpu": "1", "memory": "1Gi"}
    assert qos_class(pod({})) == "BestEffort"
    assert qos_class(pod({"limits": both, "requests": both})) == "Guaranteed"
    assert qos_class(pod({"limits": both, "requests": {"cpu": "1000m", "memory": "1024Mi"}})) == "Guaranteed"
    assert qos_class(pod({"limits": both})) == "Burstable"
    assert qos_class(pod({"limits": both, "requests": {"cpu": "500m"}})) == "Burstable"
    assert qos_class(pod({"limits": both, "requests": both}, {})) == "Burstable"
    assert qos_class({"spec": {"containers": [], "resources": {"limits": both, "requests": both}}}) == "Guaranteed"


def test_start_time_prints_in_the_readers_zone(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    time.tzset()
    try:
        doc = describe_pod(scenario_inventory(), "shop", "memory-demo-2", FIXED_NOW)
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()
    assert "Start Time:   Thu, 26 Nov 2026 16:50:00 +0530" in doc.text()


def test_a_pod_that_is_not_there_is_a_one_line_error():
    from k8sdoctor.errors import NotFoundError

    with pytest.raises(NotFoundError, match='pod "gone" not found in namespace "shop"'):
        describe_pod(scenario_inventory(), "shop", "gone", FIXED_NOW)
