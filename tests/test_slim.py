"""Healthy pods kept in their slim form diagnose the same and feed the same cluster-wide indexes."""

from __future__ import annotations

from datetime import datetime, timezone

import orjson

from bench.clusterdata import generate
from k8sdoctor.core.analyzers.capacity import capacity
from k8sdoctor.core.analyzers.cluster_images import collect
from k8sdoctor.core.engine import is_plainly_healthy
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.core.slim import slim_pod

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)


def test_slim_pods_change_nothing_a_diagnosis_reads(engine):
    nodes, pods, events, _logs = generate(600)
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
