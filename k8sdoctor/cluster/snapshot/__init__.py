"""--snapshot PATH: diagnose saved cluster state with no cluster.

    inventory, info = load_snapshot("cluster.json")

`load_snapshot` reads `kubectl get -o json|yaml` output, `kubectl cluster-info dump` stdout or its
--output-directory into a core Inventory; `SnapshotInfo` says which format it was and what it held.
"""

from __future__ import annotations

from .info import SnapshotInfo
from .load import load_snapshot

__all__ = ["SnapshotInfo", "load_snapshot"]
