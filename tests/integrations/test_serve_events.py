"""`serve --emit-events`: the emitter sends an Event when an object's findings change (not only when they
start), and keeps to its limits: one event per object per 300 s (the latest change goes out when that
time comes) and 30 a minute for all objects together after a burst of 10. Time is the emitter's clock
(a counter here); subjects come from real diagnoses of the demo read over HTTP from the local API
server, and the events are POSTed to it through the real client."""

from __future__ import annotations

import copy
from datetime import datetime, timezone

import pytest

from k8sdoctor.cluster.live.client import KubeClient
from k8sdoctor.cluster.live.fetch import LiveFetcher
from k8sdoctor.cluster.live.fetch_kinds import kinds_into
from k8sdoctor.core.kube.kinds import SUBJECTS
from k8sdoctor.demo.cluster import scenario
from k8sdoctor.demo.objects import container_status, pod_status, terminated, waiting
from k8sdoctor.fakeapi import FakeApiServer
from k8sdoctor.serve.diagnoser import aggregate
from k8sdoctor.serve.events import EventEmitter

CNPG = ("Deployment", "shop", "cloudnative-pg")


class Clock:
    """The emitter's clock, moved by the test."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def demo(tmp_path):
    with FakeApiServer() as srv:
        srv.load_scenario(scenario())
        yield srv, KubeClient(str(srv.write_kubeconfig(tmp_path / "kubeconfig")))


def diagnosed(client: KubeClient, engine):
    """What one serve pass sees: the cluster read over HTTP, every kind diagnosed, the problem subjects."""
    fetcher = LiveFetcher(client)
    inventory = fetcher.scan(None)
    kinds_into(fetcher, inventory, None)
    now = datetime.now(timezone.utc)
    results = [d for kind in SUBJECTS for d in engine.diagnose_kind(inventory, kind, now, None)]
    return inventory, aggregate(results, 10_000)[1]


def sent(server, name: str | None = None) -> list[dict]:
    events = [e for e in server.list("Event") if e.get("reason") == "Diagnosed"]
    return [e for e in events if name is None or e["involvedObject"]["name"] == name]


def crash_instead(server) -> None:
    """cloudnative-pg's pods now pull their image and crash with exit code 1; the pull failures' events
    have expired (the API server keeps events for an hour by default)."""
    for event in server.list("Event", "shop"):
        if event["involvedObject"]["name"].startswith("cloudnative-pg-"):
            server.delete("Event", "shop", event["metadata"]["name"])
    for pod in map(copy.deepcopy, server.list("Pod", "shop")):
        if not pod["metadata"]["name"].startswith("cloudnative-pg-"):
            continue
        image = pod["spec"]["containers"][0]["image"]
        state = waiting("CrashLoopBackOff")
        last = terminated("Error", 1, "-2m", "-1m")
        pod["status"] = pod_status("Running", [container_status("manager", image, state, ready=False, restarts=4, last=last)])
        server.apply(pod)


def test_a_change_of_finding_is_sent_once_its_objects_interval_has_passed(demo, engine):
    server, client = demo
    inventory, subjects = diagnosed(client, engine)
    clock, results = Clock(), []
    emitter = EventEmitter(client, inventory, clock=clock, on_result=results.append)
    emitter.update({CNPG: subjects[CNPG]})
    (first,) = sent(server, "cloudnative-pg")
    assert first["message"] == subjects[CNPG].message
    assert first["message"].startswith("RolloutStuck/new-pods-failing: ") and "image-not-found" in first["message"]
    clock.now += 60
    emitter.update({CNPG: subjects[CNPG]})  # unchanged: nothing new
    assert len(sent(server, "cloudnative-pg")) == 1

    crash_instead(server)
    inventory, changed = diagnosed(client, engine)
    emitter.inventory = inventory
    assert changed[CNPG].signature != subjects[CNPG].signature
    clock.now += 60  # 120 s after the first event
    emitter.update({CNPG: changed[CNPG]})
    assert len(sent(server, "cloudnative-pg")) == 1  # held: one event per object per 300 s
    clock.now += 179
    emitter.flush()
    assert len(sent(server, "cloudnative-pg")) == 1
    clock.now += 1  # 300 s after the first
    emitter.flush()
    second = [e for e in sent(server, "cloudnative-pg") if e["metadata"]["name"] != first["metadata"]["name"]]
    assert [e["message"] for e in second] == [changed[CNPG].message]
    assert "CrashLoopBackOff" in second[0]["message"] and "image-not-found" not in second[0]["message"]
    assert results == ["sent", "sent"]
    clock.now += 600
    emitter.update({CNPG: changed[CNPG]})  # the change went out: not again
    assert len(sent(server, "cloudnative-pg")) == 2


def test_all_objects_together_get_a_burst_of_10_then_30_a_minute(demo, engine):
    server, client = demo
    inventory, subjects = diagnosed(client, engine)
    complete = {ref: s for ref, s in subjects.items() if s.complete}
    assert len(complete) > 11, sorted(complete)  # more than the burst and the next refill
    clock, results = Clock(), []
    emitter = EventEmitter(client, inventory, clock=clock, on_result=results.append)
    emitter.update(complete)
    assert len(sent(server)) == 10
    assert results == ["sent"] * 10 + ["rate_limited"]
    clock.now += 1.9  # 30 a minute is one per 2 s
    emitter.flush()
    assert len(sent(server)) == 10
    clock.now += 0.1
    emitter.flush()
    assert len(sent(server)) == 11
    clock.now += 2 * (len(complete) - 11)
    emitter.flush()
    assert len(sent(server)) == len(complete)
    assert {(e["involvedObject"]["kind"], e["involvedObject"].get("namespace", ""), e["involvedObject"]["name"]) for e in sent(server)} == {
        (kind, ns, name) for kind, ns, name in complete
    }
