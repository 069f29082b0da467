"""`load_snapshot`: a saved cluster state (file or directory) into an Inventory."""

from __future__ import annotations

import gc
import os

from k8sdoctor.core.inventory import Inventory
from k8sdoctor.errors import SnapshotError

from .bundle import is_bundle, read_bundle
from .directory import read_dump_directory
from .files import read_file
from .fill import InventoryFiller
from .info import SnapshotFormat, SnapshotInfo
from .problems import BadInput
from .stream import read_stream, skip_whitespace


def load_snapshot(path: str | os.PathLike[str]) -> tuple[Inventory, SnapshotInfo]:
    """Load a snapshot into a new Inventory and describe what it held.

    `path` is one of:
      * a file of `kubectl get ... -o json` or `-o yaml` output: a List of mixed kinds, a typed list
        (PodList, EventList...), a single object, or several YAML documents;
      * a file of `kubectl cluster-info dump` stdout: JSON lists back to back with container log blocks;
      * a directory written by `kubectl cluster-info dump --output-directory`;
      * a bundle written by `k8sdoctor capture` (see bundle.py).
    The format is told by content, not by file name. Objects with no metadata.name, or with fields the
    Inventory cannot index, are left out, counted in SnapshotInfo.skipped and noted once with
    Inventory.mark_unreadable; logs kubectl could not fetch are noted there too.

    Raises SnapshotError (one line: path, place, reason) for anything unreadable. Messages never quote the
    snapshot's content, so Secret values cannot leak through them.

    Speed: the cyclic garbage collector is paused while loading, and what is tracked when loading ends is
    moved to its permanent generation (gc.freeze()). The loaded objects hold no reference cycles and are still
    freed when dropped; without this, collections walking them cost more than parsing them.
    """
    shown = os.fsdecode(path)
    inventory = Inventory()
    filler = InventoryFiller(inventory)
    problem = None
    gc_was_enabled = gc.isenabled()
    gc.disable()  # parsing allocates millions of acyclic objects: collecting while they pile up costs more than parsing
    try:
        snapshot_format = _read(shown, filler)
        gc.freeze()  # and no later collection needs to walk them (they are still freed when dropped)
    except BadInput as err:
        problem = str(err)
    finally:
        if gc_was_enabled:
            gc.enable()
    if problem is not None:
        # Raised outside the except block: no chained exception or frame holding the snapshot's bytes
        # (and perhaps Secret values) stays reachable from the error.
        raise SnapshotError(f"snapshot {shown}: {problem}")
    return inventory, filler.finish(shown, snapshot_format)


def _read(path: str, filler: InventoryFiller) -> SnapshotFormat:
    if os.path.isdir(path):
        read_dump_directory(path, filler)
        return "dump-dir"
    data = read_file(path, "")
    if is_bundle(data):
        read_bundle(data, filler)
        return "bundle"
    if skip_whitespace(data, 0) == len(data):
        raise BadInput("", "the file is empty (expected kubectl get -o json|yaml output or a cluster-info dump)")
    read_stream(data, filler)
    looks_dumped = filler.log_blocks or (filler.documents > 1 and filler.first_kind == "NodeList")
    return "dump" if looks_dumped else "list"
