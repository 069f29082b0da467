"""Parsed documents and log blocks into an Inventory, counting what went in and what was left out."""

from __future__ import annotations

from k8sdoctor.core.inventory import Inventory

from .info import SnapshotFormat, SnapshotInfo
from .log_blocks import LogBlock
from .problems import BadInput

_TYPE_NAMES = {list: "a list", str: "a string", int: "a number", float: "a number", bool: "a boolean"}
_STR_OR_NONE = {str, type(None)}


class InventoryFiller:
    """Puts every object it is given into `inventory` (Secrets through put_secret, by Inventory.put)."""

    def __init__(self, inventory: Inventory) -> None:
        self.inventory = inventory
        self.counts: dict[str, int] = {}
        self.skipped = 0
        self.logs = 0
        self.documents = 0
        self.log_blocks = 0
        self.first_kind: str | None = None  # a cluster-info dump starts with a NodeList
        self._first_skipped = ""
        self._log_errors: list[tuple[LogBlock, str]] = []  # logs kubectl could not get, and whose

    def add_document(self, doc: object, where: str) -> None:
        """A top-level document: a List, a typed list (PodList...) or a single object."""
        self.documents += 1
        if type(doc) is not dict:
            raise BadInput(where, f"the document is {_TYPE_NAMES.get(type(doc), 'not a mapping')}, not a Kubernetes object or List")
        kind = doc.get("kind")
        if not kind or type(kind) is not str:
            raise BadInput(where, "the document has no kind: not a Kubernetes object or List")
        if self.documents == 1:
            self.first_kind = kind
        items = doc.get("items")
        if kind.endswith("List") and (items is None or type(items) is list):
            self._add_items(items or [], kind, where)
        else:
            self._add_object(doc, kind, where or "the document")

    def _add_items(self, items: list, list_kind: str, where: str) -> None:
        item_kind = list_kind[:-4] if list_kind != "List" else None  # PodList -> Pod: API lists omit item kinds
        prefix = f"{where}: " if where else ""
        for index, item in enumerate(items):
            if type(item) is not dict:
                self._skip(f"{prefix}items[{index}]", "not an object")
                continue
            kind = item.get("kind") or item_kind
            if type(kind) is not str:
                if kind is None:
                    raise BadInput(where, f'items[{index}] has no kind and the list kind "{list_kind}" does not say it')
                raise BadInput(where, f"items[{index}] has a kind that is not a string")
            self._add_object(item, kind, f"{prefix}items[{index}]")

    def _add_object(self, obj: dict, kind: str, where: str) -> None:
        problem = _unindexable(obj, kind)
        if problem is not None:
            self._skip(f"{where} ({kind})", problem)
            return
        self.inventory.put(kind, obj)
        self.counts[kind] = self.counts.get(kind, 0) + 1

    def add_logs(self, block: LogBlock) -> None:
        self.log_blocks += 1
        whose = f"logs of container {block.container} of pod {block.namespace}/{block.pod}"
        if block.error is not None:
            self._log_errors.append((block, whose))  # judged in finish(), once the pods are known
            return
        self.inventory.put_logs(block.namespace, block.pod, block.container, False, block.lines)
        self.logs += 1
        if block.truncated:
            self.inventory.mark_unreadable("pods/log", block.namespace, f"{whose} end early (truncated snapshot?)")

    def finish(self, path: str, format: SnapshotFormat) -> SnapshotInfo:
        """Note skipped objects as one unreadable entry and describe the snapshot. A log kubectl could
        not get is noted as unreadable, unless its container never ran: then no log exists to miss
        (kubectl's "the server rejected our request for an unknown reason" there is no permission
        problem), and the logs view says why there is none."""
        for block, whose in self._log_errors:
            pod = self.inventory.pods.get((block.namespace, block.pod))
            if pod is None or not _never_ran(pod, block.container):
                self.inventory.mark_unreadable("pods/log", block.namespace, f"{whose}: {block.error}")
        if self.skipped:
            self.inventory.mark_unreadable("snapshot", None, f"{self.skipped} object(s) left out, first {self._first_skipped}")
        return SnapshotInfo(path, format, dict(self.counts), self.skipped, self.logs)

    def _skip(self, where: str, why: str) -> None:
        if not self.skipped:
            self._first_skipped = f"{where}: {why}"
        self.skipped += 1


def _never_ran(pod: dict, container: str) -> bool:
    """The container has no run to log: not reported yet, or waiting with no earlier termination."""
    raw = pod.get("status")
    status = raw if isinstance(raw, dict) else {}
    for key in ("initContainerStatuses", "containerStatuses", "ephemeralContainerStatuses"):
        for cs in status.get(key) or ():
            if isinstance(cs, dict) and cs.get("name") == container:
                state, last = cs.get("state") or {}, cs.get("lastState") or {}
                return isinstance(state, dict) and "waiting" in state and not (isinstance(last, dict) and last.get("terminated"))
    return True


def _unindexable(obj: dict, kind: str) -> str | None:
    """Why the Inventory could not key or index `obj`, or None. Checks only the fields it hashes and reads."""
    meta = obj.get("metadata")
    if type(meta) is not dict:
        return "no metadata"
    name = meta.get("name")
    if not name or type(name) is not str:
        return "no metadata.name"
    if not {type(meta.get("namespace")), type(meta.get("uid"))} <= _STR_OR_NONE:
        return "metadata.namespace or metadata.uid is not a string"
    if kind == "Event":
        subject = obj.get("involvedObject") or obj.get("regarding")
        if subject is not None and (
            type(subject) is not dict
            or not {type(subject.get("namespace")), type(subject.get("name")), type(subject.get("uid"))} <= _STR_OR_NONE
        ):
            return "involvedObject is not an object of strings"
    elif kind == "Secret" and not {type(obj.get("data") or {}), type(obj.get("stringData") or {})} <= {dict}:
        return "data or stringData is not a mapping"
    return None
