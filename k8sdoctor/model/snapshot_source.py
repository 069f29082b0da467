"""A snapshot (or any in-memory Inventory) as a source: read-only, never changes."""

from __future__ import annotations

from k8sdoctor.cluster.live.informer import SourceState
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.core.kube.selectors import LabelPredicate, SelectorError, parse_label_selector
from k8sdoctor.errors import UserError
from k8sdoctor.model.feed import ViewFeed
from k8sdoctor.model.source import SourceInfo


def scoped(inventory: Inventory, namespace: str | None, labels: LabelPredicate | None) -> Inventory:
    """The pods (and events) of one namespace (None: all) whose labels match, with every other object,
    log and note kept."""
    out = Inventory()
    for key, pod in inventory.pods.items():
        if (namespace is None or key[0] == namespace) and (labels is None or labels((pod.get("metadata") or {}).get("labels") or {})):
            out.put_pod(pod)
    for event in inventory.events.values():
        if namespace is None or ((event.get("metadata") or {}).get("namespace") or "") == namespace:
            out.put_event(event)
    for kind, table in inventory.objects.items():
        out.objects[kind].update(table)
    out.logs.update(inventory.logs)
    out.unreadable = list(inventory.unreadable)
    out.listed_names = set(inventory.listed_names)
    return out


class InventorySource:
    client = None

    def __init__(self, inventory: Inventory, info: SourceInfo, labels: LabelPredicate | None = None) -> None:
        self.inventory = inventory
        self.info = info
        self.labels = labels

    def start(self, feed: ViewFeed, namespace: str | None) -> None:
        feed.listener = None
        whole = namespace is None and self.labels is None
        sink = feed.reset(self.inventory if whole else scoped(self.inventory, namespace, self.labels), namespace)
        sink(SourceState("Pod", "ready"))
        sink(SourceState("Event", "ready"))

    def stop(self) -> None:
        """Nothing runs in the background."""

    def namespaces(self) -> list[str]:
        names = {key[0] for key in self.inventory.pods}
        names |= {key[1] for key in self.inventory.objects["Namespace"]}
        return sorted(names)


def load_snapshot_source(path: str, selector: str | None = None) -> InventorySource:
    """Read `--snapshot PATH` (and `-l SELECTOR`); raises a one-line UserError when it cannot."""
    from k8sdoctor.cluster.snapshot import load_snapshot

    try:
        labels = parse_label_selector(selector) if selector else None
    except SelectorError as exc:
        raise UserError(f"-l {selector}: {exc}") from None
    inventory, info = load_snapshot(path)
    kinds = {"list": "kubectl get output", "dump": "kubectl cluster-info dump", "dump-dir": "cluster-info dump directory"}
    return InventorySource(inventory, SourceInfo(live=False, snapshot=f"{info.path} ({kinds.get(info.format, info.format)})"), labels)
