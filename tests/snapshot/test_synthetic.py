"""Loading the benchmarks' generated cluster, and the loading-speed target on 10,000 pods."""

from __future__ import annotations

import time

import orjson
import pytest

from bench.clusterdata import as_list_json
from k8sdoctor.cluster.snapshot import load_snapshot


def test_generated_list_loads_with_events_on_their_pods(write):
    inventory, info = load_snapshot(write("synthetic.json", as_list_json(300, failing=0.4)))

    assert info.counts["Pod"] == 300 and info.counts["Node"] == 10  # one node per 30 pods
    assert {"Deployment", "ReplicaSet", "Job", "Service", "EndpointSlice"} <= set(info.counts)
    failing = [p for p in inventory.pods.values() if p["metadata"]["labels"]["bench/failing"] == "true"]
    assert len(failing) == 120
    assert all(inventory.events_for_pod(p) for p in failing if p["status"]["phase"] != "Failed" or p["status"].get("reason"))


@pytest.mark.slow
def test_loading_10k_pods_costs_less_than_twice_a_bare_parse(write, capsys):
    data = as_list_json(10_000)
    path = write("synthetic.json", data)

    def best_of_two(action) -> float:
        times = []
        for _ in range(2):
            started = time.perf_counter()
            action()
            times.append(time.perf_counter() - started)
        return min(times)

    bare = best_of_two(lambda: orjson.loads(data))
    load = best_of_two(lambda: load_snapshot(path))

    with capsys.disabled():
        print(
            f"\n{len(data) / 1e6:.0f} MB, 10,000 pods on a bad day: bare orjson.loads {bare:.3f}s, "
            f"load_snapshot {load:.3f}s ({load / bare:.2f}x)"
        )
    assert load <= 2 * bare
