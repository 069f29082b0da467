"""Fields a family adds for its subject kinds (`replicas.ready` for workloads, `service.ports`...): each a
function of the object's facts returning (value, where) pairs, `where` being the field quoted as evidence
or None for a value k8sdoctor derived. Family modules register with `kind_field`; `families.py` imports
them all, so `core/playbooks/fields.py` sees every field when it compiles a playbook.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from k8sdoctor.core.facts.objects import ObjectFacts

#: (value, where) or (value, where, quoted text): `where` names the field quoted as evidence (None for a
#: value k8sdoctor derived); a third item quotes another text (a scheduler verdict for its reason kinds).
Values = list[tuple[Any, ...]]
KindGetter = Callable[[ObjectFacts], Values]

#: KIND_FIELDS[kind][field name] = getter
KIND_FIELDS: dict[str, dict[str, KindGetter]] = {}


def kind_field(name: str, *kinds: str) -> Callable[[KindGetter], KindGetter]:
    """Decorator: field `name` for subjects of `kinds`."""

    def add(fn: KindGetter) -> KindGetter:
        for kind in kinds:
            KIND_FIELDS.setdefault(kind, {})[name] = fn
        return fn

    return add


def one(value: Any, where: str | None) -> Values:
    """A single value, or none when it is missing or empty."""
    if value is None or value == "":
        return []
    return [(value, where)]
