"""Per-object memory for values the cluster-wide passes recompute (each pod's requests, each node's
images), so rebuilding an index after one pod changed costs little.

Sources replace an object's dict when it changes and never edit one in place, so a value stays right
while its dict lives. Each full pass ends with `keep_only(objects seen)`, so replaced and deleted objects
are forgotten: memory stays bounded by the current cluster, however long a live view runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

T = TypeVar("T")


class IdentityMemo(Generic[T]):
    def __init__(self, compute: Callable[[dict], T]) -> None:
        self._compute = compute
        self._values: dict[int, tuple[dict, T]] = {}

    def __call__(self, obj: dict) -> T:
        hit = self._values.get(id(obj))
        if hit is not None and hit[0] is obj:
            return hit[1]
        value = self._compute(obj)
        self._values[id(obj)] = (obj, value)
        return value

    def keep_only(self, objects: Iterable[dict]) -> None:
        """Forget every object not in `objects` (call at the end of a full pass)."""
        alive = {id(o) for o in objects}
        self._values = {k: v for k, v in self._values.items() if k in alive}

    def __len__(self) -> int:
        return len(self._values)
