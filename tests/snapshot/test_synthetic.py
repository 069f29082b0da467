"""Loading the benchmarks' generated cluster, and the loading-speed target on 10,000 pods / 30,000 events."""

from __future__ import annotations

import time

import orjson
import pytest

from bench.clusterdata import as_list_json
from k8sdoctor.cluster.snapshot import load_snapshot


def test_generated_list_loads_with_events_on_their_pods(write):
    inventory, info = load_snapshot(write("synthetic.json", as_list_json(200)))

    assert info.counts == {"Node": 2, "Pod": 200, "Event": 600}
    assert all(len(inventory.events_for_pod(pod)) == 3 for pod in inventory.pods.values())
    assert 10 < sum(1 for pod in inventory.pods.values() if pod["status"]["phase"] != "Running") < 60


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
            f"\n{len(data) / 1e6:.0f} MB, 10,000 pods + 30,000 events: bare orjson.loads {bare:.3f}s, "
            f"load_snapshot {load:.3f}s ({load / bare:.2f}x)"
        )
    assert load <= 2 * bare
