"""The synthetic snapshot generator, and the loading-speed target on a 10,000-pod / 30,000-event List."""

from __future__ import annotations

import time

import orjson
import pytest

from k8sdoctor.cluster.snapshot import load_snapshot
from k8sdoctor.cluster.snapshot.synthetic import synthetic_cluster_list


def test_synthetic_list_loads_with_events_on_their_pods(write):
    inventory, info = load_snapshot(write("synthetic.json", synthetic_cluster_list(pods=40, events_per_pod=3)))

    assert info.counts == {"Node": 1, "Pod": 40, "Event": 120}
    failing = [pod for pod in inventory.pods.values() if pod["status"]["phase"] == "Pending"]
    assert len(failing) == 4
    assert all(len(inventory.events_for_pod(pod)) == 3 for pod in inventory.pods.values())


@pytest.mark.slow
def test_loading_10k_pods_costs_less_than_twice_a_bare_parse(write, capsys):
    data = synthetic_cluster_list(pods=10_000, events_per_pod=3)
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
        print(f"\n{len(data) / 1e6:.0f} MB, 10,000 pods + 30,000 events: bare orjson.loads {bare:.3f}s, "
              f"load_snapshot {load:.3f}s ({load / bare:.2f}x)")
    assert load <= 2 * bare
