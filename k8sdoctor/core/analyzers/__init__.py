"""Per-family analyzers: after a playbook names a cause, an analyzer adds evidence from related objects
(nodes, PVCs, other pods, Secret and ConfigMap names) and more specific remediation.

One analyzer per failure family, all with one signature: `analyzer(finding, facts, inventory) -> None`,
mutating the finding in place. They are pure: they read the inventory, never the network.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

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


#: Which modules hold each family's analyzers. They register themselves when imported, which happens
#: the first time a finding of that family needs them: a one-shot diagnosis imports only what it uses.
#: rollout goes last so its undo step leads.
_MODULES = {
    "CrashLoopBackOff": ("crash", "rollout"),
    "ImagePullBackOff": ("image_pull", "rollout"),
    "Pending": ("pending", "rollout"),
    "RunContainerError": ("run_container", "rollout"),
    "ContainerCreating": ("run_container", "rollout"),
    "NotReady": ("rollout",),
}
_loaded: set[str] = set()


def analyzers_for(category: str) -> list[Analyzer]:
    """The family's analyzers, in the order of `_MODULES` whatever order their modules were imported in."""
    order = _MODULES.get(category, ())
    if category not in _loaded:
        from importlib import import_module

        for module in order:
            import_module(f"{__name__}.{module}")
        _loaded.add(category)
        rank = {f"{__name__}.{m}": i for i, m in enumerate(order)}
        _REGISTRY.get(category, []).sort(key=lambda fn: rank.get(fn.__module__, len(rank)))
    return _REGISTRY.get(category, [])
