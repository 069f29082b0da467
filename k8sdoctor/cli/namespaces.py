"""A namespace that does not exist is an error, not a healthy "0 pods": `diagnose pods -n observabilty`
exits 2 with "did you mean observability", and `diagnose pod NAME` in the wrong namespace says where a
pod of that name is. Asked only when the answer is empty, so a normal run makes no extra request.

Where namespaces cannot be read (a namespaced Role), the check cannot tell a namespace without pods from
one that does not exist, and says so in a note.
"""

from __future__ import annotations

from argparse import Namespace

from k8sdoctor.core.inventory import Inventory
from k8sdoctor.core.suggest import close_matches
from k8sdoctor.errors import ClusterError, NotFoundError

NAMESPACE_KIND = "Namespace"


def _client(args: Namespace):
    from k8sdoctor.cli.sources import open_client

    return open_client(args)


def _live_namespaces(client) -> list[str] | None:
    """Every namespace name, or None when they cannot be listed."""
    from k8sdoctor.cluster.live.client import METADATA_ONLY

    try:
        return [
            str((item.get("metadata") or {}).get("name") or "")
            for page in client.pages("/api/v1/namespaces", accept=METADATA_ONLY)
            for item in page.get("items") or ()
        ]
    except ClusterError:
        return None


def _missing(namespace: str, known: list[str]) -> NotFoundError:
    return NotFoundError(f'namespace "{namespace}" not found', close_matches(namespace, known))


def check_scan(args: Namespace, inventory: Inventory, namespace: str | None) -> str | None:
    """After `diagnose pods -n NS` found no pods: raise NotFoundError when NS does not exist; return a
    note when that cannot be known (None when it exists and is simply empty)."""
    if namespace is None or inventory.pods:
        return None
    if args.snapshot:
        listed = [key[1] for key in inventory.objects.get(NAMESPACE_KIND, {})]
        if namespace in listed:
            return None
        known = sorted(set(listed) | {key[0] for key in inventory.pods})
        raise _missing(namespace, known)
    from k8sdoctor.cluster.live.client import Forbidden, path_segment

    client = _client(args)
    try:
        client.get(f"/api/v1/namespaces/{path_segment(namespace)}")
        return None
    except Forbidden:
        return f'namespace "{namespace}" has no pods, or does not exist: this user may not read namespaces to tell'
    except NotFoundError:
        raise _missing(namespace, _live_namespaces(client) or []) from None


def where_else(args: Namespace, error: NotFoundError, name: str) -> NotFoundError:
    """`diagnose pod NAME` found no such pod in its namespace: say where pods of that name are, or that
    the namespace itself does not exist; else the error as it was."""
    if args.snapshot:
        return error
    from k8sdoctor.cluster.live.client import METADATA_ONLY, path_segment

    client = _client(args)
    namespace = args.namespace or client.identity.namespace
    try:
        listed = client.get("/api/v1/pods", accept=METADATA_ONLY, fieldSelector=f"metadata.name={name}")
        elsewhere = sorted({str((i.get("metadata") or {}).get("namespace") or "") for i in listed.get("items") or ()} - {namespace})
    except ClusterError:
        elsewhere = []
    if elsewhere:
        where = ", ".join(f'"{ns}"' for ns in elsewhere)
        first = elsewhere[0]
        return NotFoundError(f'{error}; a pod of that name is in namespace {where}: add -n {first}', [f"-n {ns}" for ns in elsewhere])
    try:
        client.get(f"/api/v1/namespaces/{path_segment(namespace)}")
    except NotFoundError:
        missing = _missing(namespace, _live_namespaces(client) or [])
        return NotFoundError(f'{error}: namespace "{namespace}" does not exist', missing.suggestions)
    except ClusterError:
        pass
    return error
