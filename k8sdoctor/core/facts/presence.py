"""Whether an object a diagnosis names exists: yes, no, or cannot tell.

"No" needs proof that the objects of that kind were read completely where it would be: a live listing
(`Inventory.listed`), or, in a snapshot (which records no listings), at least one object of that kind in
that namespace (in the cluster, for cluster-scoped kinds): a saved state that holds some Services of a
namespace holds them all. With neither, a missing object is "cannot tell", never "does not exist".
"""

from __future__ import annotations

from k8sdoctor.core.inventory import Inventory
from k8sdoctor.core.kube.kinds import is_namespaced


def read_completely(inventory: Inventory, kind: str, namespace: str) -> bool:
    """Whether the objects of `kind` in `namespace` ("" for cluster-scoped kinds) are all known."""
    if inventory.listed(kind, namespace):
        return True
    return bool(inventory.names(kind, namespace if is_namespaced(kind) else ""))


def exists(inventory: Inventory, kind: str, namespace: str, name: str) -> bool | None:
    """True, False, or None when it cannot be told (see the module docstring)."""
    if inventory.get(kind, namespace, name) is not None:
        return True
    return False if read_completely(inventory, kind, namespace) else None
