"""Node fields (`node.*`): the pressure conditions the kubelet reports, and how long ago it last did.

When the kubelet stops posting status, the node lifecycle controller sets its conditions to Unknown; on
old clusters it left the pressure conditions at their last value (kubernetes#36273), so pressure is only
read from a node whose Ready condition is not Unknown. A condition type the kubelet no longer reports
(OutOfDisk after an upgrade, kubernetes#73397) stays on the node, stale: it is not read at all.
"""

from __future__ import annotations

from k8sdoctor.core.facts.kind_fields import Values, kind_field
from k8sdoctor.core.facts.objects import ObjectFacts
from k8sdoctor.core.kube.raw import as_str
from k8sdoctor.core.kube.timeutil import parse_time

PRESSURES = ("DiskPressure", "MemoryPressure", "PIDPressure")


def heartbeat_age(facts: ObjectFacts) -> float | None:
    """Seconds since the kubelet last posted the node's Ready condition."""
    beat = parse_time((facts.conditions.get("Ready") or {}).get("lastHeartbeatTime"))
    return None if beat is None else (facts.now - beat).total_seconds()


@kind_field("node.pressures", "Node")
def _pressures(facts: ObjectFacts) -> Values:
    if as_str((facts.conditions.get("Ready") or {}).get("status")) == "Unknown":
        return []
    return [(t, None) for t in PRESSURES if as_str((facts.conditions.get(t) or {}).get("status")) == "True"]


@kind_field("node.heartbeat_age", "Node")
def _heartbeat(facts: ObjectFacts) -> Values:
    age = heartbeat_age(facts)
    return [] if age is None else [(age, None)]
