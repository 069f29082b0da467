"""Per-cause analyzers: after a playbook names a cause, an analyzer adds evidence from related objects
(nodes, PVCs, other pods, Secret and ConfigMap names) and more specific remediation.

Analyzers register by family and cause id (`register("Pending", "untolerated-taint")`), or for every
cause of a family (`register("Pending")`). All have one signature, `analyzer(finding, facts, inventory)
-> None`, mutating the finding in place. They are pure: they read the inventory, never the network.
A test checks that every registered cause id exists in a built-in playbook.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import count
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from k8sdoctor.core.findings import Finding
    from k8sdoctor.core.inventory import Inventory

Analyzer = Callable[["Finding", Any, "Inventory"], None]
EVERY_CAUSE = "*"

#: (family, cause) → [(registration order, analyzer)]
_REGISTRY: dict[tuple[str, str], list[tuple[int, Analyzer]]] = {}
_ORDER = count()
#: analyzers_for's answers, once their modules are loaded
_ORDERED: dict[tuple[str, str], list[Analyzer]] = {}


def register(category: str, *causes: str) -> Callable[[Analyzer], Analyzer]:
    """Decorator: run this analyzer on findings of `category` whose cause is one of `causes` (on every
    cause of the family when none is given)."""

    def add(fn: Analyzer) -> Analyzer:
        for cause in causes or (EVERY_CAUSE,):
            _REGISTRY.setdefault((category, cause), []).append((next(_ORDER), fn))
        return fn

    return add


def per_container(explain: Callable[[Finding, Any, Any], None]) -> Analyzer:
    """An analyzer of the finding's container, `explain(finding, facts, container)`; it does nothing when
    the finding has no container or the container is gone from the facts."""

    def analyze(finding: Finding, facts: Any, inventory: Inventory) -> None:
        container = facts.container(finding.container or "") if finding.container else None
        if container is not None:
            explain(finding, facts, container)

    analyze.__module__ = explain.__module__  # ranked with the module that defines `explain`
    return analyze


#: Which modules hold each family's analyzers. They register themselves when imported, which happens
#: the first time a finding of that family needs them: a one-shot diagnosis imports only what it uses.
#: rollout goes last so its undo step leads.
MODULES: dict[str, tuple[str, ...]] = {
    "CrashLoopBackOff": ("crash", "pod_network", "rollout"),
    "Failed": ("crash",),
    "ImagePullBackOff": ("image_pull", "rollout"),
    "Pending": ("pending", "rollout"),
    "RunContainerError": ("run_container", "rollout"),
    "ContainerCreating": ("run_container", "pod_network", "rollout"),
    "NotReady": ("pod_network", "rollout"),
    "PodsNotCreated": ("created", "admission"),
    "RolloutStuck": ("workload_pods",),
    "PodsFailing": ("workload_pods",),
    "JobFailed": ("jobs",),
    "CronJobNotRunning": ("jobs",),
    "NoEndpoints": ("services",),
    "IngressBackend": ("ingress",),
    "PVCPending": ("claims",),
    "NodeNotReady": ("nodes",),
    "AutoscalerFailing": ("autoscaling",),
}
_loaded: set[str] = set()


def _load(category: str) -> None:
    if category in _loaded:
        return
    from importlib import import_module

    for module in MODULES.get(category, ()):
        import_module(f"{__name__}.{module}")
    _loaded.add(category)


def analyzers_for(category: str, cause: str) -> list[Analyzer]:
    """The analyzers of a finding, those for every cause of the family and those for its cause, in the
    order of `MODULES` (whatever order their modules were imported in), then of registration."""
    found = _ORDERED.get((category, cause))
    if found is None:
        _load(category)
        both = _REGISTRY.get((category, EVERY_CAUSE), []) + _REGISTRY.get((category, cause), [])
        rank = {f"{__name__}.{m}": i for i, m in enumerate(MODULES.get(category, ()))}
        found = _ORDERED[(category, cause)] = [
            fn for _seq, fn in sorted(both, key=lambda entry: (rank.get(entry[1].__module__, len(rank)), entry[0]))
        ]
    return found


def registered() -> set[tuple[str, str]]:
    """Every (family, cause) an analyzer is registered for, all modules loaded (for the registry test)."""
    for category in MODULES:
        _load(category)
    return set(_REGISTRY)
