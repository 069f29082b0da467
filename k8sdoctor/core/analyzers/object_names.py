"""Does a named Secret or ConfigMap exist? Only claim "does not exist" when the namespace's names
were listed (`Inventory.listed_names`); otherwise say it could not be checked."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from k8sdoctor.core.inventory import Inventory
from k8sdoctor.core.suggest import close_matches


class Lookup(NamedTuple):
    kind: str
    namespace: str
    name: str
    obj: dict | None  # the object when it exists (a Secret has metadata, type and keyNames only)
    listed: bool  # the namespace's names of this kind were listed
    similar: Sequence[str] = ()  # existing names close to `name`

    @property
    def exists(self) -> bool | None:
        """True, False, or None when it could not be checked."""
        if self.obj is not None:
            return True
        return False if self.listed else None

    def describe(self) -> str:
        """ "exists", "does not exist in namespace shop. Did you mean db-secret?", "could not be checked (...)"."""
        if self.obj is not None:
            return "exists"
        hint = f". Did you mean {' or '.join(self.similar[:2])}?" if self.similar else ""
        if self.listed:
            return f"does not exist in namespace {self.namespace}{hint}"
        return f"could not be checked ({self.kind} names in namespace {self.namespace} were not listed){hint}"


def lookup(inventory: Inventory, kind: str, namespace: str, name: str) -> Lookup:
    obj = inventory.get(kind, namespace, name)
    listed = (kind, namespace) in inventory.listed_names
    similar = [] if obj is not None else close_matches(name, inventory.names(kind, namespace))
    return Lookup(kind, namespace, name, obj, listed, similar)
