"""Healthy pods kept in their slim form diagnose the same and feed the same cluster-wide indexes; shared
strings change no value, only how many copies of it are held."""

from __future__ import annotations

from datetime import datetime, timezone

import orjson

from bench.clusterdata import generate
from k8sdoctor.core.analyzers.capacity import capacity
from k8sdoctor.core.analyzers.cluster_images import collect
from k8sdoctor.core.engine import is_plainly_healthy
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.core.kube.slim import SharedStrings, slim_pod

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)


def test_slim_pods_change_nothing_a_diagnosis_reads(engine):
    nodes, pods, events, _logs = generate(600, size="13k")
    full, slim = Inventory(), Inventory()
    for inv, shrink in ((full, False), (slim, True)):
        for n in nodes:
            inv.put("Node", n)
        for p in pods:
            inv.put_pod(slim_pod(p) if shrink and is_plainly_healthy(p) else p)
        for e in events:
            inv.put_event(e)
    assert len(orjson.dumps(list(slim.pods.values()))) < 0.7 * len(orjson.dumps(list(full.pods.values())))
    for key in full.pods:
        a = engine.diagnose_pod(full, full.pods[key], NOW).to_dict()
        b = engine.diagnose_pod(slim, slim.pods[key], NOW).to_dict()
        assert a == b, key
    assert {n: (r.allocatable, r.requested) for n, r in capacity(full).rooms.items()} == {
        n: (r.allocatable, r.requested) for n, r in capacity(slim).rooms.items()
    }
    assert collect(full, ("", "")).repos.keys() == collect(slim, ("", "")).repos.keys()


def _parsed(objs: list[dict]) -> list[dict]:
    """Fresh objects, as a JSON parser makes them: every string value its own copy."""
    return [orjson.loads(orjson.dumps(o)) for o in objs]


def test_shared_strings_keep_every_value_and_share_the_repeated_ones():
    _nodes, pods, events, _logs = generate(40, failing=0.5)
    pods, events = _parsed(pods), _parsed(events)
    before = orjson.dumps([pods, events])
    strings = SharedStrings()
    shared_pods = [strings.share(p) for p in pods]
    shared_events = [strings.share(e) for e in events]
    assert shared_pods[0] is pods[0] and orjson.dumps([pods, events]) == before  # in place, and nothing changed
    namespace = shared_events[0]["involvedObject"]["namespace"]
    a, b = [e for e in shared_events if e["involvedObject"]["namespace"] == namespace and e["type"] == "Warning"][:2]
    assert a is not b
    assert a["involvedObject"]["namespace"] is b["involvedObject"]["namespace"] and a["type"] is b["type"]  # one copy across objects
    images = [c["image"] for p in pods for c in p["spec"]["containers"] if c["name"] == "proxy"]
    assert len(images) > 1 and len({id(i) for i in images}) == 1
    times = [c["lastTransitionTime"] for c in pods[0]["status"]["conditions"]]
    assert len(set(times)) < len(times) and len({id(t) for t in times}) == len(set(times))  # one copy within a pod


def test_shared_strings_leave_long_values_and_names_alone():
    event = generate(40)[2][0]
    twins = _parsed([event, event])
    strings = SharedStrings()
    for e in twins:
        strings.share(e)
    assert twins[0]["message"] == twins[1]["message"] and twins[0]["message"] is not twins[1]["message"]  # long: per object
    assert twins[0]["metadata"]["name"] is not twins[1]["metadata"]["name"]  # names are not in the shared table


def test_the_shared_table_is_bounded():
    strings = SharedStrings(capacity=3)
    events = _parsed([{"kind": "Event", "metadata": {"namespace": f"team-{i}"}} for i in range(10)])
    for e in events:
        strings.share(e)
    assert len(strings) == 3
    assert [e["metadata"]["namespace"] for e in events] == [f"team-{i}" for i in range(10)]
