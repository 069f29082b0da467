"""What the app holds of the view between batches, for the screens to read: every other kind's rows by
kind, the problems of every kind (the `:problems` view, the header's counts) and the workloads whose pods
are refused at creation. Updated per batch in O(the rows it carries); read on the UI thread only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from k8sdoctor.cluster.view import ObjectRow, PodRow
    from k8sdoctor.core.inventory import Key, Ref
    from k8sdoctor.model.batch import Batch


@dataclass(frozen=True)
class Summary:
    """The counts the header shows, and the workloads that cannot create their pods (named there)."""

    pods: int = 0
    pod_problems: int = 0
    object_problems: int = 0
    not_created: tuple[ObjectRow, ...] = ()


class ViewRows:
    def __init__(self) -> None:
        self.objects: dict[str, dict[Ref, ObjectRow]] = {}
        self.pod_problems: dict[Key, PodRow] = {}
        self.object_problems: dict[Ref, ObjectRow] = {}
        self.not_created: dict[Ref, ObjectRow] = {}  # workloads whose pods are refused (kept per batch, not scanned)
        self.versions: dict[str, int] = {}  # per kind ("Pod" too): bumps when its rows change
        self.pod_count = 0

    def clear(self) -> None:
        for kind in list(self.objects) + ["Pod"]:
            self._bump(kind)
        self.objects.clear()
        self.pod_problems.clear()
        self.object_problems.clear()
        self.not_created.clear()
        self.pod_count = 0

    def _bump(self, kind: str) -> None:
        self.versions[kind] = self.versions.get(kind, 0) + 1

    def apply(self, batch: Batch) -> None:
        self.pod_count = batch.pod_count
        if batch.changed or batch.removed:
            self._bump("Pod")
        for key in batch.removed:
            self.pod_problems.pop(key, None)
        for row in batch.changed:
            if row.problem:
                self.pod_problems[row.key] = row
            else:
                self.pod_problems.pop(row.key, None)
        for ref in batch.objects_removed:
            self.objects.get(ref[0], {}).pop(ref, None)
            self.object_problems.pop(ref, None)
            self.not_created.pop(ref, None)
            self._bump(ref[0])
        for obj in batch.objects:
            self.objects.setdefault(obj.kind, {})[obj.ref] = obj
            if obj.problem:
                self.object_problems[obj.ref] = obj
            else:
                self.object_problems.pop(obj.ref, None)
            if obj.problem and obj.not_created:
                self.not_created[obj.ref] = obj
            else:
                self.not_created.pop(obj.ref, None)
            self._bump(obj.kind)

    def rows(self, kind: str) -> dict[Ref, ObjectRow]:
        return self.objects.get(kind, {})

    def version(self, kind: str) -> int:
        return self.versions.get(kind, 0)

    @property
    def problems_version(self) -> int:
        return sum(self.versions.values())

    def summary(self) -> Summary:
        not_created = tuple(sorted(self.not_created.values(), key=lambda r: r.ref))
        return Summary(self.pod_count, len(self.pod_problems), len(self.object_problems), not_created)
