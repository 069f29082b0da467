"""Per-family analyzers: after a playbook names a cause, an analyzer adds evidence from related objects
(nodes, PVCs, other pods, Secret and ConfigMap names) and more specific remediation.

One analyzer per failure family, all with one signature: `analyzer(finding, facts, inventory) -> None`,
mutating the finding in place. They are pure: they read the inventory, never the network.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from k8sdoctor.core.facts import PodFacts
    from k8sdoctor.core.findings import Finding
    from k8sdoctor.core.inventory import Inventory

Analyzer = Callable[["Finding", "PodFacts", "Inventory"], None]

_REGISTRY: dict[str, list[Analyzer]] = {}


def register(category: str) -> Callable[[Analyzer], Analyzer]:
    """Decorator: run this analyzer on every finding of `category`."""

    def add(fn: Analyzer) -> Analyzer:
        _REGISTRY.setdefault(category, []).append(fn)
        return fn

    return add


def analyzers_for(category: str) -> list[Analyzer]:
    return _REGISTRY.get(category, [])


# The analyzers register themselves on import; rollout goes last so its undo step leads.
from k8sdoctor.core.analyzers import crash, image_pull, pending, run_container  # noqa: E402,F401
from k8sdoctor.core.analyzers import rollout  # noqa: E402,F401
