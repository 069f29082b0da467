"""One-shot reads of every kind beyond pods: what `diagnose all` and `diagnose KIND NAME` diagnose and what
their diagnosis reads (ReplicaSets, quotas, LimitRanges, EndpointSlices, classes, nodes, webhooks...), and
the namespace's events when the pod scan did not read them (a workload whose pods were never created has
none, and its FailedCreate events are the evidence; a claim's FailedBinding, an autoscaler's
FailedGetResourceMetric).

Each kind is listed once for the namespace (or all namespaces) and once cluster-wide for cluster-scoped
kinds, in parallel. A kind the user may not list degrades that kind only, with the missing permission
named in the inventory's notes; a kind the server does not serve (an old cluster, no metrics API) is
skipped.
"""

from __future__ import annotations

from collections.abc import Callable

from k8sdoctor.cluster.live.client import METADATA_ONLY, path_segment
from k8sdoctor.cluster.live.fetch import LiveFetcher, _degrade
from k8sdoctor.core.inventory import ALL_NAMESPACES, Inventory
from k8sdoctor.core.kube.kinds import BY_KIND, KINDS, KindInfo

#: Read elsewhere: pods and events by the pod scan, Secret and ConfigMap names metadata-only.
_NOT_LISTED = ("Pod", "Event", "Secret", "ConfigMap", "Namespace")


def collection_path(info: KindInfo, namespace: str | None) -> str:
    """`/api/v1/namespaces/NS/pods`, `/apis/apps/v1/deployments` (all namespaces, or cluster-scoped)."""
    if info.namespaced and namespace is not None:
        return f"{info.api_root}/namespaces/{path_segment(namespace)}/{info.plural}"
    return f"{info.api_root}/{info.plural}"


def object_path(info: KindInfo, namespace: str, name: str) -> str:
    return f"{collection_path(info, namespace if info.namespaced else None)}/{path_segment(name)}"


def kinds_into(fetcher: LiveFetcher, inv: Inventory, namespace: str | None) -> None:
    """List every kind but pods and events into the inventory: the namespace's (or all namespaces') objects
    of namespaced kinds, every object of cluster-scoped ones, and the namespace itself."""

    def listing(info: KindInfo, scope: str | None, **query: str) -> Callable[[], None]:
        listed = (ALL_NAMESPACES if scope is None else scope) if info.namespaced else ""

        def run() -> None:
            _degrade(
                inv,
                info.resource,
                scope,
                lambda: fetcher._list_into(inv, info.kind, collection_path(info, scope), complete=listed, **query),
            )

        return run

    tasks = [listing(info, namespace if info.namespaced else None) for info in KINDS if info.kind not in _NOT_LISTED]
    if ("Event", ALL_NAMESPACES if namespace is None else namespace) not in inv.listed_names:
        tasks.append(listing(BY_KIND["Event"], namespace))  # the pod scan lists them only for unhealthy pods
    namespaces = BY_KIND["Namespace"]
    if namespace is None:
        tasks.append(
            lambda: _degrade(
                inv, "namespaces", None, lambda: fetcher._list_into(inv, "Namespace", collection_path(namespaces, None), complete="")
            )
        )
    else:
        tasks.append(
            lambda: _degrade(
                inv, "namespaces", None, lambda: inv.put("Namespace", fetcher.client.get(object_path(namespaces, "", namespace)))
            )
        )
    tasks += [listing(BY_KIND[kind], namespace, accept=METADATA_ONLY) for kind in ("Secret", "ConfigMap")]  # names only
    fetcher._run(tasks)


def object_into(fetcher: LiveFetcher, inv: Inventory, kind: str, namespace: str, name: str) -> dict:
    """Read one object (raises NotFoundError with the names that do exist) and store it."""
    from k8sdoctor.errors import NotFoundError

    info = BY_KIND[kind]
    try:
        obj = fetcher.client.get(object_path(info, namespace, name))
    except NotFoundError:
        where = f' in namespace "{namespace}"' if info.namespaced else ""
        raise NotFoundError(f'{info.singular} "{name}" not found{where}', _names(fetcher, info, namespace)) from None
    inv.put(kind, obj)
    return obj


def _names(fetcher: LiveFetcher, info: KindInfo, namespace: str) -> list[str]:
    from k8sdoctor.errors import ClusterError

    try:
        return [
            (item.get("metadata") or {}).get("name", "")
            for page in fetcher.client.pages(collection_path(info, namespace if info.namespaced else None), accept=METADATA_ONLY)
            for item in page.get("items") or ()
        ]
    except ClusterError:
        return []
