"""One-shot fetches that fill an Inventory: one pod with everything around it, or a namespace scan.

Independent requests run in parallel threads. Any 403 on supporting evidence (events, nodes, logs,
PVCs, names) degrades that piece with a note in the inventory; it never fails the diagnosis. Only the
pods themselves are required.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

from k8sdoctor.cluster.live.client import METADATA_ONLY, Forbidden, KubeClient
from k8sdoctor.core.engine import is_plainly_healthy
from k8sdoctor.core.evidence_plan import LOG_TAIL_LINES, logs_to_fetch, needs_object_names
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.errors import ClusterError, NotFoundError

log = logging.getLogger("k8sdoctor.fetch")

MAX_LOG_FETCHES = 200  # per scan; the rest are noted
WORKERS = 16

_KIND_OF_LIST = {"PodList": "Pod", "EventList": "Event", "NodeList": "Node"}


def _item_kind(page: dict, default: str) -> str:
    return _KIND_OF_LIST.get(page.get("kind", ""), default)


def _degrade(inv: Inventory, resource: str, namespace: str | None, fn: Callable[[], None]) -> None:
    """Run a fetch; on 403 (or any cluster error) record the gap instead of failing.

    Logs are the exception: a container without logs (never started, gone with its pod, no previous
    instance) answers 400, and the engine already says where missing logs matter.
    """
    try:
        fn()
    except Forbidden as exc:
        inv.mark_unreadable(resource, namespace, f"forbidden: {exc}")
    except NotFoundError:
        pass
    except ClusterError as exc:
        if resource == "pods/log" and "error 400" in str(exc):
            log.debug("no logs: %s", exc)
            return
        inv.mark_unreadable(resource, namespace, str(exc))


def _decode_log(data: bytes) -> list[str]:
    text = data.decode("utf-8", errors="replace")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines[-LOG_TAIL_LINES:]


class LiveFetcher:
    def __init__(self, client: KubeClient) -> None:
        self.client = client

    # ---- pieces ----------------------------------------------------------------------------------
    def _list_into(self, inv: Inventory, kind: str, method, *args, **kwargs) -> None:
        for page in self.client.list_all(method, *args, **kwargs):
            for item in page.get("items") or ():
                if isinstance(item, dict):
                    inv.put(kind, item)

    def _names_into(self, inv: Inventory, kind: str, method, namespace: str) -> None:
        for page in self.client.list_all(method, namespace, accept=METADATA_ONLY):
            for item in page.get("items") or ():
                if isinstance(item, dict):
                    # metadata only: a Secret here carries no data at all
                    inv.put(kind, {"kind": kind, "metadata": item.get("metadata") or {}})
        inv.listed_names.add((kind, namespace))

    def _logs_into(self, inv: Inventory, namespace: str, pod: str, container: str, previous: bool) -> None:
        data = self.client.text(
            self.client.core.read_namespaced_pod_log,
            pod,
            namespace,
            container=container,
            previous=previous,
            tail_lines=LOG_TAIL_LINES,
        )
        inv.put_logs(namespace, pod, container, previous, _decode_log(data))

    def _log_tasks(self, inv: Inventory, pods: list[dict]) -> list[Callable[[], None]]:
        tasks = []
        skipped = 0
        for pod in pods:
            meta = pod.get("metadata") or {}
            ns, name = meta.get("namespace", ""), meta.get("name", "")
            for req in logs_to_fetch(pod):
                if len(tasks) >= MAX_LOG_FETCHES:
                    skipped += 1
                    continue
                tasks.append(
                    lambda ns=ns, name=name, req=req: _degrade(
                        inv, "pods/log", ns, lambda: self._logs_into(inv, ns, name, req.container, req.previous)
                    )
                )
        if skipped:
            inv.mark_unreadable("pods/log", None, f"log tails fetched for {MAX_LOG_FETCHES} containers; {skipped} more skipped")
        return tasks

    def _related_tasks(self, inv: Inventory, namespaces: set[str], nodes: bool) -> list[Callable[[], None]]:
        c = self.client
        tasks: list[Callable[[], None]] = []
        if nodes:
            tasks.append(lambda: _degrade(inv, "nodes", None, lambda: self._list_into(inv, "Node", c.core.list_node)))
            tasks.append(lambda: _degrade(inv, "storageclasses", None, lambda: self._list_into(inv, "StorageClass", c.storage.list_storage_class)))
        for ns in namespaces:
            tasks += [
                lambda ns=ns: _degrade(inv, "persistentvolumeclaims", ns, lambda: self._list_into(inv, "PersistentVolumeClaim", c.core.list_namespaced_persistent_volume_claim, ns)),
                lambda ns=ns: _degrade(inv, "secrets", ns, lambda: self._names_into(inv, "Secret", c.core.list_namespaced_secret, ns)),
                lambda ns=ns: _degrade(inv, "configmaps", ns, lambda: self._names_into(inv, "ConfigMap", c.core.list_namespaced_config_map, ns)),
                lambda ns=ns: _degrade(inv, "replicasets", ns, lambda: self._list_into(inv, "ReplicaSet", c.apps.list_namespaced_replica_set, ns)),
            ]
        return tasks

    @staticmethod
    def _run(tasks: list[Callable[[], None]]) -> None:
        if not tasks:
            return
        with ThreadPoolExecutor(max_workers=min(WORKERS, len(tasks))) as pool:
            for future in [pool.submit(t) for t in tasks]:
                future.result()

    # ---- entry points ----------------------------------------------------------------------------
    def pod(self, namespace: str, name: str) -> Inventory:
        """One pod and what its diagnosis needs: events, node, PVCs, log tails, names, owner."""
        c = self.client
        inv = Inventory()
        try:
            pod = c.call(c.core.read_namespaced_pod, name, namespace)
        except NotFoundError:
            raise NotFoundError(f'pod "{name}" not found in namespace "{namespace}"', self.pod_names(namespace)) from None
        inv.put_pod(pod)
        meta, spec = pod.get("metadata") or {}, pod.get("spec") or {}
        selector = f"involvedObject.name={name},involvedObject.namespace={namespace}"
        if meta.get("uid"):
            selector += f",involvedObject.uid={meta['uid']}"
        tasks: list[Callable[[], None]] = [
            lambda: _degrade(inv, "events", namespace, lambda: self._list_into(inv, "Event", c.core.list_namespaced_event, namespace, field_selector=selector)),
        ]
        node = spec.get("nodeName")
        if node:
            tasks.append(lambda: _degrade(inv, "nodes", None, lambda: inv.put("Node", c.call(c.core.read_node, node))))
        elif (pod.get("status") or {}).get("phase") == "Pending":
            tasks.append(lambda: _degrade(inv, "nodes", None, lambda: self._list_into(inv, "Node", c.core.list_node)))
        tasks.append(lambda: _degrade(inv, "persistentvolumeclaims", namespace, lambda: self._list_into(inv, "PersistentVolumeClaim", c.core.list_namespaced_persistent_volume_claim, namespace)))
        if needs_object_names(pod):
            tasks.append(lambda: _degrade(inv, "secrets", namespace, lambda: self._names_into(inv, "Secret", c.core.list_namespaced_secret, namespace)))
            tasks.append(lambda: _degrade(inv, "configmaps", namespace, lambda: self._names_into(inv, "ConfigMap", c.core.list_namespaced_config_map, namespace)))
        owner = next((o for o in meta.get("ownerReferences") or [] if o.get("controller")), None)
        if owner and owner.get("kind") == "ReplicaSet":
            tasks.append(lambda: _degrade(inv, "replicasets", namespace, lambda: self._list_into(inv, "ReplicaSet", c.apps.list_namespaced_replica_set, namespace)))
        tasks += self._log_tasks(inv, [pod])
        self._run(tasks)
        return inv

    def pod_names(self, namespace: str) -> list[str]:
        c = self.client
        try:
            names = []
            for page in c.list_all(c.core.list_namespaced_pod, namespace, accept=METADATA_ONLY):
                names += [(i.get("metadata") or {}).get("name", "") for i in page.get("items") or ()]
            return names
        except ClusterError:
            return []

    def scan(self, namespace: str | None, label_selector: str | None = None) -> Inventory:
        """Every pod in a namespace (or all, with namespace=None) and the evidence their diagnosis needs."""
        c = self.client
        inv = Inventory()
        sel = {"label_selector": label_selector} if label_selector else {}
        if namespace is None:
            self._list_into(inv, "Pod", c.core.list_pod_for_all_namespaces, **sel)
        else:
            self._list_into(inv, "Pod", c.core.list_namespaced_pod, namespace, **sel)
        unhealthy = [p for p in inv.pods.values() if not is_plainly_healthy(p)]
        tasks: list[Callable[[], None]] = []
        if unhealthy:
            if namespace is None:
                tasks.append(lambda: _degrade(inv, "events", None, lambda: self._list_into(inv, "Event", c.core.list_event_for_all_namespaces)))
            else:
                tasks.append(lambda: _degrade(inv, "events", namespace, lambda: self._list_into(inv, "Event", c.core.list_namespaced_event, namespace)))
            namespaces = {(p.get("metadata") or {}).get("namespace", "") for p in unhealthy}
            tasks += self._related_tasks(inv, namespaces, nodes=True)
            tasks += self._log_tasks(inv, unhealthy)
        self._run(tasks)
        return inv
