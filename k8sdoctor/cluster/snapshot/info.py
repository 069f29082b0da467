"""What a snapshot held: returned by `load_snapshot` next to the Inventory."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

SnapshotFormat = Literal["list", "dump", "dump-dir", "bundle"]


@dataclass(frozen=True, slots=True)
class SnapshotInfo:
    """Provenance of a loaded snapshot.

    format: "dump" for `kubectl cluster-info dump` stdout (log blocks, or lists after a first NodeList),
    "dump-dir" for its --output-directory, "bundle" for a `k8sdoctor capture` bundle, "list" for anything else: `kubectl get -o json|yaml` output (a
    List, a typed list, one object, several YAML documents) or objects one per line (`jq -c`).
    """

    path: str
    format: SnapshotFormat
    counts: dict[str, int]  # objects read, by kind, including kinds the Inventory does not keep
    skipped: int  # objects left out: no metadata.name, or fields the Inventory cannot index
    logs: int  # containers whose logs were loaded
