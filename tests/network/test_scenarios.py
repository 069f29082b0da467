"""Every cause of the path to an app, and every control, on the clusters of tests/pathcases.py (each built
around a real case; the scenario cites its source): the subject's top finding is the expected cause and
severity, a control raises nothing critical or warning. Scenarios of one group share an inventory, as they
share a cluster in the live tests (cluster-scoped StorageClasses, volumes and nodes meet)."""

from __future__ import annotations

import pytest

from k8sdoctor.core.inventory import ALL_NAMESPACES, CLUSTER_KINDS, Inventory
from k8sdoctor.core.kube.kinds import KINDS
from k8sdoctor.core.kube.timeutil import utcnow
from tests.pathcases import PODS, SERVICES, STORAGE, Scenario, cluster_wide, metrics_available, more


def inventory_of(scenarios: list[Scenario]) -> Inventory:
    """What `diagnose all -A` reads: every kind listed in every namespace."""
    inv = Inventory()
    for s in scenarios:
        for obj in s.objects:
            inv.put(obj["kind"], obj)
        for pod, container, lines in s.logs:
            inv.put_logs(s.id, pod, container, True, list(lines))
    inv.listed_names |= {(k.kind, "" if k.kind in CLUSTER_KINDS else ALL_NAMESPACES) for k in KINDS}
    return inv


GROUPS = {
    "services": [make() for make in SERVICES],
    "storage": [make() for make in STORAGE],
    "cluster-wide": cluster_wide(),
    "pods": [make() for make in PODS],
    "more": more(),
    "metrics-available": metrics_available(),
}
CASES = [(group, s) for group, scenarios in GROUPS.items() for s in scenarios]


def diagnosis(engine, group: str, scenario: Scenario):
    inv = inventory_of(GROUPS[group])
    kind, name = scenario.subject
    obj = inv.get(kind, scenario.namespace, name)
    assert obj is not None, scenario.subject
    return engine.diagnose_object(inv, kind, obj, utcnow())


@pytest.mark.parametrize(("group", "scenario"), CASES, ids=lambda v: v.id if isinstance(v, Scenario) else v)
def test_scenario_verdict(engine, group, scenario):
    """The subject's verdict, from the real case cited as `scenario.source`."""
    result = diagnosis(engine, group, scenario)
    problems = [(f.category, f.cause, f.severity) for f in result.findings if f.is_problem]
    if scenario.verdict is None:
        assert problems == [], f"{scenario.id} ({scenario.source}): {problems}"
        assert result.healthy
    else:
        shown = [(f.category, f.cause, f.severity) for f in result.findings]
        assert scenario.verdict in shown, f"{scenario.id} ({scenario.source}): {shown}"
