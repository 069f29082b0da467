"""The live cluster as a source: pods and events watched by the informer, every other kind a diagnosis
reads (workloads, quotas, Services and their EndpointSlices, Ingresses, claims, volumes, classes, nodes,
autoscalers, webhooks...) by one more reflector each, log tails and related objects fetched as the view
needs them. A kind the user may not list degrades that kind only: its reflector reports `forbidden` with
the server's message, and the other kinds go on. Secrets and ConfigMaps are watched as metadata only.

Everything here runs in background threads; `connect` imports the kubernetes client, so call it from a
worker after the first paint.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from k8sdoctor.cluster.live.client import METADATA_ONLY, Forbidden, KubeClient, MetadataOnly
from k8sdoctor.cluster.live.informer import Informer, Reflector, Replace, ResourceSpec
from k8sdoctor.cluster.live.kubernetes_import import client_parts
from k8sdoctor.cluster.view import ClusterView, PodRow
from k8sdoctor.core.engine import is_plainly_healthy
from k8sdoctor.core.evidence_plan import logs_to_fetch
from k8sdoctor.core.inventory import ALL_NAMESPACES, Key
from k8sdoctor.core.kube.kinds import KINDS, KindInfo
from k8sdoctor.errors import ClusterError
from k8sdoctor.model.feed import Listed, ViewFeed
from k8sdoctor.model.lean import lean_endpoint_slice
from k8sdoctor.model.log_tails import LogTails
from k8sdoctor.model.related_fetch import RelatedFetcher
from k8sdoctor.model.source import SourceInfo

#: Watched by the informer (pods and events) rather than by a reflector of their own here.
INFORMER_KINDS = ("Pod", "Event")
#: Watched as metadata only: their names matter, their values never.
NAMES_ONLY = ("Secret", "ConfigMap")
#: Kept lean as they arrive (see `model.lean`).
TRANSFORMS: dict[str, Callable[[dict], dict]] = {"EndpointSlice": lean_endpoint_slice}


def _listing(sink: Callable[[object], None], scope: str) -> Callable[[object], None]:
    """The sink, saying after each complete list that its kind was listed in `scope`."""

    def put(delta: object) -> None:
        sink(delta)
        if isinstance(delta, Replace):
            sink(Listed(delta.kind, scope))

    return put


def _spec(info: KindInfo) -> ResourceSpec:
    return ResourceSpec(info.kind, info.plural, info.api_root.lstrip("/"), info.namespaced)


def _wants(row: PodRow) -> frozenset[tuple[str, str, str]]:
    """Objects the row's findings asked for (a Secret whose key names would complete the evidence)."""
    return frozenset(w for f in row.diagnosis.findings for w in f.wants)


def _wanted_logs(row: PodRow) -> list[tuple[str, bool]]:
    """(container, previous) of the log tails the row's playbooks read and the view does not have."""
    out = []
    for kind, _ns, target in row.diagnosis.wants:
        if kind == "logs" and target.count("/") == 2:
            _pod, container, run = target.split("/")
            out.append((container, run == "previous"))
    return out


def _restarts(pod: dict, container: str) -> int:
    status = pod.get("status") or {}
    for key in ("containerStatuses", "initContainerStatuses"):
        for cs in status.get(key) or ():
            if isinstance(cs, dict) and cs.get("name") == container:
                count = cs.get("restartCount")
                return count if isinstance(count, int) else 0
    return 0


class LiveSource:
    def __init__(self, client: KubeClient, selector: str | None = None, kubeconfig: str | None = None) -> None:
        self.client = client
        self.selector = selector
        self.kubeconfig = kubeconfig
        ident = client.identity
        self.info = SourceInfo(
            live=True, context=ident.context, cluster=ident.cluster, server=ident.server, default_namespace=ident.namespace
        )
        self._reflectors: list[Reflector] = []
        self._tails: LogTails | None = None
        self._related: RelatedFetcher | None = None

    @classmethod
    def connect(
        cls, kubeconfig: str | None, context: str | None, selector: str | None = None, *, request_timeout: float = 30.0
    ) -> LiveSource:
        """Read the kubeconfig (raises ClusterError, one line, when it cannot be used). `request_timeout`
        (`--request-timeout`) is the read timeout of every request; watches end on the server's side
        before it (see `informer.watch_timeout_seconds`)."""
        return cls(KubeClient(kubeconfig, context, timeout=(min(5.0, request_timeout), request_timeout)), selector, kubeconfig)

    # ---- Source ----------------------------------------------------------------------------------
    def start(self, feed: ViewFeed, namespace: str | None) -> None:
        sink = feed.reset(namespace=namespace)
        self._tails = LogTails(self.client, sink)
        self._related = RelatedFetcher(self.client, sink)
        feed.listener = self
        informer = Informer(self.client, namespace, sink, self.selector)
        informer.start()
        self._reflectors = list(informer.reflectors)
        for info in KINDS:
            if info.kind in INFORMER_KINDS:
                continue
            client = MetadataOnly(self.client) if info.kind in NAMES_ONLY else self.client
            scope = (namespace or ALL_NAMESPACES) if info.namespaced else ""
            reflector = Reflector(
                client,  # type: ignore[arg-type]
                _spec(info),
                namespace if info.namespaced else None,
                _listing(sink, scope),
                transform=TRANSFORMS.get(info.kind),
            )
            reflector.start()
            self._reflectors.append(reflector)

    def stop(self) -> None:
        """Signal every thread to stop, without waiting for them (quitting and switching namespace stay
        instant): what they still deliver goes to a sink of an old feed generation and is dropped."""
        for part in (self._tails, self._related, *self._reflectors):
            if part is not None:
                part.stop()
        self._reflectors, self._tails, self._related = [], None, None

    def namespaces(self) -> list[str]:
        """Namespace names from the API; empty when listing namespaces is not allowed."""
        try:
            return sorted(
                (item.get("metadata") or {}).get("name", "")
                for page in self.client.pages("/api/v1/namespaces", accept=METADATA_ONLY)
                for item in page.get("items") or ()
            )
        except (Forbidden, ClusterError):
            return []

    # ---- FeedListener (feed thread) --------------------------------------------------------------
    def on_rows(self, view: ClusterView, rows: list[PodRow]) -> None:
        tails, related = self._tails, self._related
        if tails is None or related is None:
            return
        for row in rows:
            pod = view.inventory.pods.get(row.key)
            if pod is None or not row.problem:
                continue
            for req in logs_to_fetch(pod):  # a head start: the tails most crash causes read
                tails.want((row.namespace, row.name, req.container, req.previous), _restarts(pod, req.container))
            for container, previous in _wanted_logs(row):
                tails.want((row.namespace, row.name, container, previous), _restarts(pod, container))
            wants = _wants(row)
            if wants:
                related.want(row.key, wants)

    def on_select(self, view: ClusterView, key: Key) -> None:
        pod, row = view.inventory.pods.get(key), view.rows.get(key)
        if pod is not None and self._related is not None and not is_plainly_healthy(pod):
            self._related.want(key, _wants(row) if row is not None else frozenset(), whole=True)


def kube_contexts(kubeconfig: str | None) -> tuple[list[str], str]:
    """The kubeconfig's context names and the current one."""
    parts: Any = client_parts()
    path = kubeconfig or os.environ.get("KUBECONFIG") or os.path.expanduser("~/.kube/config")
    try:
        contexts, active = parts.list_kube_config_contexts(config_file=path)
    except (parts.ConfigException, OSError, ValueError, TypeError, KeyError) as exc:
        raise ClusterError(f"kubeconfig {path}: {str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__}") from None
    return [c.get("name", "") for c in contexts or []], (active or {}).get("name", "")
