"""One-shot fetches that fill an Inventory: one pod with everything around it, or a namespace scan.

Independent requests run in parallel threads. Any 403 on supporting evidence (events, nodes, logs,
PVCs, names) degrades that piece with a note in the inventory; it never fails the diagnosis. Only the
pods themselves are required.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from k8sdoctor.cluster.live.client import METADATA_ONLY, Forbidden, KubeClient, path_segment
from k8sdoctor.core.engine import is_plainly_healthy
from k8sdoctor.core.evidence_plan import (
    LOG_TAIL_BYTES,
    LOG_TAIL_LINES,
    kinds_to_fetch,
    logs_to_fetch,
    needs_cluster_pods,
    needs_namespace_pods,
    needs_object_names,
)
from k8sdoctor.core.inventory import ALL_NAMESPACES, FORBIDDEN, SECRET_REGISTRY_TYPES, Inventory, mirror_uid
from k8sdoctor.core.kube.kinds import BY_KIND
from k8sdoctor.errors import ClusterError, NotFoundError

log = logging.getLogger("k8sdoctor.fetch")


def _events_selector(pod: dict, namespace: str, name: str) -> str:
    """The field selector for a pod's events: by name and uid; by name alone for a static pod, whose
    kubelet events carry its config hash instead of its uid."""
    uid = (pod.get("metadata") or {}).get("uid")
    exact = f",involvedObject.uid={uid}" if uid and not mirror_uid(pod) else ""
    return f"involvedObject.name={name},involvedObject.namespace={namespace}{exact}"


MAX_LOG_FETCHES = 200  # per scan; the rest are noted
WORKERS = 16


def ns_path(namespace: str | None, resource: str, group: str = "api/v1") -> str:
    """`/api/v1/namespaces/NS/pods`, or `/api/v1/pods` for all namespaces."""
    if namespace is None:
        return f"/{group}/{resource}"
    return f"/{group}/namespaces/{path_segment(namespace)}/{resource}"


def _degrade(inv: Inventory, resource: str, namespace: str | None, fn: Callable[[], None]) -> None:
    """Run a fetch; on 403 (or any cluster error) record the gap instead of failing.

    Logs are the exception: a container without logs (never started, gone with its pod, no previous
    instance) answers 400, and the engine already says where missing logs matter.
    """
    try:
        fn()
    except Forbidden as exc:
        inv.mark_unreadable(resource, namespace, f"{FORBIDDEN}{exc}")
    except NotFoundError:
        pass
    except ClusterError as exc:
        if resource == "pods/log" and "error 400" in str(exc):
            log.debug("no logs: %s", exc)
            return
        inv.mark_unreadable(resource, namespace, str(exc))


def decode_log(data: bytes, tail: int = LOG_TAIL_LINES) -> list[str]:
    """Log bytes as lines (undecodable bytes replaced), the last `tail` of them."""
    lines = data.decode("utf-8", errors="replace").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines[-tail:]


def read_log_tail(client: KubeClient, namespace: str, pod: str, container: str, previous: bool) -> list[str]:
    """The last lines of a container's log (this run's or the previous one's), bounded in lines and bytes."""
    data = client.get_bytes(
        f"{ns_path(namespace, 'pods')}/{path_segment(pod)}/log",
        accept="*/*",
        container=container,
        previous=previous,
        tailLines=LOG_TAIL_LINES,
        limitBytes=LOG_TAIL_BYTES,
    )
    return decode_log(data)


class LiveFetcher:
    def __init__(self, client: KubeClient) -> None:
        self.client = client

    # ---- pieces ----------------------------------------------------------------------------------
    def _list_into(self, inv: Inventory, kind: str, path: str, *, complete: str | None = None, **query) -> None:
        """List into the inventory; `complete` records that kind as fully listed in that scope."""
        for page in self.client.pages(path, **query):
            for item in page.get("items") or ():
                if isinstance(item, dict):
                    inv.put(kind, item)
        if complete is not None:
            inv.listed_names.add((kind, complete))

    def _names_into(self, inv: Inventory, kind: str, resource: str, namespace: str) -> None:
        for page in self.client.pages(ns_path(namespace, resource), accept=METADATA_ONLY):
            for item in page.get("items") or ():
                if isinstance(item, dict):
                    # metadata only: a Secret here carries no data at all
                    inv.put(kind, {"kind": kind, "metadata": item.get("metadata") or {}})
        inv.listed_names.add((kind, namespace))
        if kind == "Secret":
            self._registry_secret_types(inv, namespace)

    def _registry_secret_types(self, inv: Inventory, namespace: str) -> None:
        """Which Secrets are registry credentials, from metadata-only lists filtered by type: their type
        becomes known without a single value being read."""
        for secret_type in ("kubernetes.io/dockerconfigjson", "kubernetes.io/dockercfg"):
            for page in self.client.pages(ns_path(namespace, "secrets"), accept=METADATA_ONLY, fieldSelector=f"type={secret_type}"):
                for item in page.get("items") or ():
                    if isinstance(item, dict):
                        inv.put("Secret", {"kind": "Secret", "type": secret_type, "metadata": item.get("metadata") or {}})
        inv.listed_names.add((SECRET_REGISTRY_TYPES, namespace))

    def _logs_into(self, inv: Inventory, namespace: str, pod: str, container: str, previous: bool) -> None:
        inv.put_logs(namespace, pod, container, previous, read_log_tail(self.client, namespace, pod, container, previous))

    def _log_tasks(self, inv: Inventory, pods: list[dict]) -> list[Callable[[], None]]:
        tasks: list[Callable[[], None]] = []
        skipped = 0
        for pod in pods:
            meta = pod.get("metadata") or {}
            ns, name = meta.get("namespace", ""), meta.get("name", "")
            for req in logs_to_fetch(pod):
                if len(tasks) >= MAX_LOG_FETCHES:
                    skipped += 1
                    continue
                tasks.append(partial(_degrade, inv, "pods/log", ns, partial(self._logs_into, inv, ns, name, req.container, req.previous)))
        if skipped:
            inv.mark_unreadable("pods/log", None, f"log tails fetched for {MAX_LOG_FETCHES} containers; {skipped} more skipped")
        return tasks

    #: The namespaced kinds a scan reads around its unhealthy pods: (kind, resource, API group).
    NAMESPACE_KINDS = (
        ("PersistentVolumeClaim", "persistentvolumeclaims", "api/v1"),
        ("ReplicaSet", "replicasets", "apis/apps/v1"),
        ("ServiceAccount", "serviceaccounts", "api/v1"),
        ("Job", "jobs", "apis/batch/v1"),
    )

    def _namespace_tasks(
        self, inv: Inventory, namespace: str, names: bool, kinds: frozenset[str] | None = None
    ) -> list[Callable[[], None]]:
        """Lists of the namespace's kinds around its pods (only `kinds`, when given), and the names of
        its Secrets and ConfigMaps with `names`."""
        tasks: list[Callable[[], None]] = [
            partial(_degrade, inv, resource, namespace, partial(self._list_into, inv, kind, ns_path(namespace, resource, group)))
            for kind, resource, group in self.NAMESPACE_KINDS
            if kinds is None or kind in kinds
        ]
        if names:
            tasks += [
                lambda: _degrade(inv, "secrets", namespace, lambda: self._names_into(inv, "Secret", "secrets", namespace)),
                lambda: _degrade(inv, "configmaps", namespace, lambda: self._names_into(inv, "ConfigMap", "configmaps", namespace)),
            ]
        return tasks

    def _cluster_tasks(self, inv: Inventory, *, nodes: bool = True, classes: bool = True) -> list[Callable[[], None]]:
        tasks = []
        if classes:
            tasks.append(
                lambda: _degrade(
                    inv, "storageclasses", None, lambda: self._list_into(inv, "StorageClass", "/apis/storage.k8s.io/v1/storageclasses")
                )
            )
        if nodes:
            tasks.append(lambda: _degrade(inv, "nodes", None, lambda: self._list_into(inv, "Node", "/api/v1/nodes")))
        return tasks

    def _other_pods_tasks(self, inv: Inventory, pod: dict, namespace: str) -> list[Callable[[], None]]:
        """Other pods, where the pod's findings compare with them (image suggestions)."""
        if needs_cluster_pods(pod):
            return [
                lambda: _degrade(
                    inv,
                    "pods",
                    None,
                    lambda: self._list_into(
                        inv,
                        "Pod",
                        ns_path(None, "pods"),
                        complete=ALL_NAMESPACES,
                        fieldSelector="status.phase!=Succeeded,status.phase!=Failed",
                    ),
                )
            ]
        if needs_namespace_pods(pod):
            return [
                lambda: _degrade(
                    inv, "pods", namespace, lambda: self._list_into(inv, "Pod", ns_path(namespace, "pods"), complete=namespace)
                )
            ]
        return []

    @staticmethod
    def _run(tasks: list[Callable[[], None]]) -> None:
        if not tasks:
            return
        with ThreadPoolExecutor(max_workers=min(WORKERS, len(tasks))) as pool:
            for future in [pool.submit(t) for t in tasks]:
                future.result()

    # ---- entry points ----------------------------------------------------------------------------
    def pod(self, namespace: str, name: str, *, watched: frozenset[str] = frozenset()) -> Inventory:
        """One pod and what its diagnosis needs: events, nodes, PVCs, log tails, names, owner.

        `watched`: kinds the caller already keeps up to date with watches ("Pod", "Event", "Node"), which
        are not read again (a cluster-wide pod list for image suggestions is tens of megabytes)."""
        inv = Inventory()
        try:
            pod = self.client.get(f"{ns_path(namespace, 'pods')}/{path_segment(name)}")
        except NotFoundError:
            raise NotFoundError(f'pod "{name}" not found in namespace "{namespace}"', self.pod_names(namespace)) from None
        inv.put_pod(pod)
        selector = _events_selector(pod, namespace, name)
        tasks: list[Callable[[], None]] = []
        if "Event" not in watched:
            tasks.append(
                lambda: _degrade(
                    inv, "events", namespace, lambda: self._list_into(inv, "Event", ns_path(namespace, "events"), fieldSelector=selector)
                )
            )
        if not is_plainly_healthy(pod):
            # Only what this pod's findings can read (a crash loop needs neither nodes nor claims).
            kinds = kinds_to_fetch(pod)
            tasks += self._cluster_tasks(inv, nodes="Node" in kinds and "Node" not in watched, classes="StorageClass" in kinds)
            tasks += self._namespace_tasks(inv, namespace, needs_object_names(pod), kinds)
            tasks += self._log_tasks(inv, [pod])
        if "Pod" not in watched:
            tasks += self._other_pods_tasks(inv, pod, namespace)
        self._run(tasks)
        return inv

    def pod_and_events(self, namespace: str, name: str) -> Inventory:
        """The pod and its events, read now (what `kubectl describe pod` reads)."""
        inv = Inventory()
        try:
            pod = self.client.get(f"{ns_path(namespace, 'pods')}/{path_segment(name)}")
        except NotFoundError:
            raise NotFoundError(f'pod "{name}" not found in namespace "{namespace}"') from None
        inv.put_pod(pod)
        selector = _events_selector(pod, namespace, name)
        _degrade(inv, "events", namespace, lambda: self._list_into(inv, "Event", ns_path(namespace, "events"), fieldSelector=selector))
        return inv

    def complete(self, inv: Inventory, wants: set[tuple[str, str, str]]) -> None:
        """Read the evidence diagnoses asked for (`Diagnosis.wants`, `Finding.wants`): log tails a
        playbook reads, ("logs", namespace, "pod/container/previous|current"), and objects. A Secret is
        read whole only to take its key names: `Inventory.put_secret` drops the values at once."""
        paths = {"Secret": "secrets", "ConfigMap": "configmaps"}
        tasks: list[Callable[[], None]] = [
            partial(_degrade, inv, paths[kind], ns, partial(self._object_into, inv, kind, ns, paths[kind], name))
            for kind, ns, name in sorted(wants)
            if kind in paths
        ]
        for kind, ns, target in sorted(wants):
            if kind == "logs" and target.count("/") == 2:
                pod, container, run = target.split("/")
                tasks.append(partial(_degrade, inv, "pods/log", ns, partial(self._logs_into, inv, ns, pod, container, run == "previous")))
            elif kind == "Event" and target.count("/") == 1:
                about, name = target.split("/")
                read = partial(
                    self._list_into,
                    inv,
                    "Event",
                    ns_path(ns, "events"),
                    fieldSelector=f"involvedObject.kind={about},involvedObject.name={name}",
                )
                tasks.append(partial(_degrade, inv, "events", ns, read))
            elif kind in BY_KIND and (target == "" or target.startswith(("label:", "field:"))):
                tasks.append(partial(self._listing_into, inv, kind, ns, target))
        self._run(tasks)

    def _object_into(self, inv: Inventory, kind: str, namespace: str, resource: str, name: str) -> None:
        inv.put(kind, {"kind": kind, **self.client.get(f"{ns_path(namespace, resource)}/{path_segment(name)}")})

    def _listing_into(self, inv: Inventory, kind: str, namespace: str, target: str) -> None:
        """A list a diagnosis asked for (`evidence_plan.listing`). Only a whole list of a kind other than
        pods and events is recorded as complete: pods and events are the watches' to keep."""
        from k8sdoctor.cluster.live.fetch_kinds import collection_path

        info = BY_KIND[kind]
        scope = None if namespace in ("*", "") else namespace
        query = {"labelSelector": target[6:]} if target.startswith("label:") else {"fieldSelector": target[6:]} if target else {}
        complete = None if target or kind in ("Pod", "Event") else (namespace if info.namespaced else "")
        _degrade(inv, info.resource, scope, lambda: self._list_into(inv, kind, collection_path(info, scope), complete=complete, **query))

    def pod_names(self, namespace: str) -> list[str]:
        try:
            return [
                (i.get("metadata") or {}).get("name", "")
                for page in self.client.pages(ns_path(namespace, "pods"), accept=METADATA_ONLY)
                for i in page.get("items") or ()
            ]
        except ClusterError:
            return []

    def scan(self, namespace: str | None, label_selector: str | None = None) -> Inventory:
        """Every pod in a namespace (or all, with namespace=None) and the evidence their diagnosis needs."""
        inv = Inventory()
        scope = ALL_NAMESPACES if namespace is None else namespace
        self._list_into(inv, "Pod", ns_path(namespace, "pods"), complete=None if label_selector else scope, labelSelector=label_selector)
        unhealthy = [p for p in inv.pods.values() if not is_plainly_healthy(p)]
        tasks: list[Callable[[], None]] = []
        if unhealthy:
            tasks.append(
                lambda: _degrade(
                    inv, "events", namespace, lambda: self._list_into(inv, "Event", ns_path(namespace, "events"), complete=scope)
                )
            )
            tasks += self._cluster_tasks(inv)
            for ns in sorted({(p.get("metadata") or {}).get("namespace", "") for p in unhealthy}):
                names = any(needs_object_names(p) for p in unhealthy if (p.get("metadata") or {}).get("namespace") == ns)
                tasks += self._namespace_tasks(inv, ns, names)
            tasks += self._log_tasks(inv, unhealthy)
        self._run(tasks)
        return inv
