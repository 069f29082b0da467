"""HorizontalPodAutoscaler fields (`hpa.*`): the object it scales, and whether that exists."""

from __future__ import annotations

from k8sdoctor.core.facts.kind_fields import Values, kind_field, one
from k8sdoctor.core.facts.objects import ObjectFacts
from k8sdoctor.core.facts.presence import exists
from k8sdoctor.core.kube.raw import as_dict, as_str, dig


def target_ref(hpa: dict) -> tuple[str, str]:
    """(kind, name) of `spec.scaleTargetRef`."""
    ref = as_dict(dig(hpa, "spec", "scaleTargetRef"))
    return as_str(ref.get("kind")), as_str(ref.get("name"))


@kind_field("hpa.target", "HorizontalPodAutoscaler")
def _target(facts: ObjectFacts) -> Values:
    kind, name = target_ref(facts.raw)
    return one(f"{kind}/{name}" if kind and name else None, "spec.scaleTargetRef")


@kind_field("hpa.target_missing", "HorizontalPodAutoscaler")
def _target_missing(facts: ObjectFacts) -> Values:
    kind, name = target_ref(facts.raw)
    if not kind or not name or exists(facts.inventory, kind, facts.namespace, name) is not False:
        return []
    return [(f"{kind}/{name}", "spec.scaleTargetRef")]
