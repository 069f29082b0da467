"""Clusters on a bad day, from the benchmarks' generator (bench/clusterdata.py), loaded into inventories."""

from __future__ import annotations

from bench.clusterdata import cluster
from k8sdoctor.core.inventory import Inventory


def bad_day(pods: int, *, failing: float, size: str = "3k", seed: int = 7) -> Inventory:
    inventory = Inventory()
    for obj in cluster(pods, failing=failing, size=size, seed=seed).items:
        inventory.put(obj["kind"], obj)
    return inventory
