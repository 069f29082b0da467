"""Pods by name, for "which pods are named like this scheduler": each distinct question scans the pod
names once per inventory state, and every finding that asks it again reads the answer."""

from __future__ import annotations

from collections.abc import Callable

from k8sdoctor.core.analyzers.work import WORK
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.core.kube.raw import as_str, dig

#: (namespace, name, phase) of a pod
Named = tuple[str, str, str]


class PodNames:
    def __init__(self, inventory: Inventory) -> None:
        self._pods = inventory.pods
        self._answers: dict[tuple[str, str], list[Named]] = {}

    def _first(self, question: tuple[str, str], limit: int, holds: Callable[[str, str], bool]) -> list[Named]:
        found = self._answers.get(question)
        if found is None:
            found = []
            for (ns, name), pod in self._pods.items():
                if holds(ns, name):
                    found.append((ns, name, as_str(dig(pod, "status", "phase"))))
                    if len(found) >= limit:
                        break
            WORK["pods indexed"] += len(self._pods)
            self._answers[question] = found
        WORK["pods scanned"] += len(found)
        return found[:limit]

    def containing(self, word: str, limit: int) -> list[Named]:
        """The first `limit` pods (in the inventory's order) whose name contains `word`."""
        return self._first(("containing", f"{word}\0{limit}"), limit, lambda _ns, name: word in name)

    def default_schedulers(self, limit: int) -> list[Named]:
        """The first `limit` kube-system pods named kube-scheduler*."""
        return self._first(("schedulers", str(limit)), limit, lambda ns, name: ns == "kube-system" and name.startswith("kube-scheduler"))


def pod_names(inventory: Inventory) -> PodNames:
    return inventory.derived("analyzers.pod_names", PodNames)
