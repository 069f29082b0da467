"""A thin raw-JSON layer over the official `kubernetes` client.

Configuration (kubeconfig, contexts, in-cluster, TLS, auth plugins) comes from the client itself. Every
request goes through the client's generated API methods with `_preload_content=False`, and the body is
parsed with orjson: turning responses into the client's model objects costs about ten times more.
Errors become one-line `ClusterError`s, or `Forbidden` for a 403 that callers may degrade.

`kubernetes` is imported here, lazily, so commands that never talk to a cluster do not pay for it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import orjson

from k8sdoctor.errors import ClusterError, NotFoundError

#: (connect, read) timeouts in seconds. Lists and watches get no total timeout: a big list may take
#: long to stream, but the server must start answering and keep the bytes coming.
DEFAULT_TIMEOUT = (5.0, 30.0)
METADATA_ONLY = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"
PAGE_SIZE = 500
IN_CLUSTER_NAMESPACE = Path("/var/run/secrets/kubernetes.io/serviceaccount/namespace")


class Forbidden(ClusterError):
    """A 403. `str()` is the API server's own message, which names the exact missing permission."""


@dataclass
class ClusterIdentity:
    context: str
    cluster: str
    server: str
    namespace: str  # the context's namespace, else "default"


def _kubeconfig_path(explicit: str | None) -> str:
    return explicit or os.environ.get("KUBECONFIG") or os.path.expanduser("~/.kube/config")


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else text


class KubeClient:
    """Raw-JSON access to one cluster. Thread-safe: the underlying urllib3 pool is."""

    def __init__(
        self,
        kubeconfig: str | None = None,
        context: str | None = None,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    ) -> None:
        from kubernetes import client as k8s
        from kubernetes.config.config_exception import ConfigException
        from kubernetes.config.incluster_config import load_incluster_config
        from kubernetes.config.kube_config import list_kube_config_contexts, load_kube_config
        from urllib3.util.retry import Retry

        self.timeout = timeout
        cfg = k8s.Configuration()
        path = _kubeconfig_path(kubeconfig)
        paths = [p for p in path.split(os.pathsep) if p]
        if any(os.path.exists(os.path.expanduser(p)) for p in paths):
            try:
                load_kube_config(config_file=path, context=context, client_configuration=cfg, persist_config=False)
                contexts, active = list_kube_config_contexts(config_file=path)
            except ConfigException as exc:
                raise ClusterError(f"kubeconfig {path}: {_first_line(str(exc))}") from None
            except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
                raise ClusterError(f"kubeconfig {path}: cannot be read: {_first_line(str(exc)) or type(exc).__name__}") from None
            if context:
                active = next((c for c in contexts if c.get("name") == context), active)
            ctx = (active or {}).get("context") or {}
            self.identity = ClusterIdentity(
                context=(active or {}).get("name", ""),
                cluster=ctx.get("cluster", ""),
                server=cfg.host,
                namespace=ctx.get("namespace") or "default",
            )
        elif kubeconfig is None and os.environ.get("KUBERNETES_SERVICE_HOST"):
            try:
                load_incluster_config(client_configuration=cfg)
            except ConfigException as exc:
                raise ClusterError(f"in-cluster config: {_first_line(str(exc))}") from None
            ns = IN_CLUSTER_NAMESPACE.read_text().strip() if IN_CLUSTER_NAMESPACE.exists() else "default"
            self.identity = ClusterIdentity("in-cluster", "in-cluster", cfg.host, ns)
        else:
            raise ClusterError(
                f"no kubeconfig at {path} (set KUBECONFIG or pass --kubeconfig), and not running inside a cluster"
            )
        # Retry refused connections briefly; never re-send a request whose answer was merely slow.
        cfg.retries = Retry(total=2, connect=2, read=0, status=0, other=0, backoff_factor=0.2)
        self._k8s = k8s
        self.api = k8s.ApiClient(cfg)
        self.core = k8s.CoreV1Api(self.api)
        self.apps = k8s.AppsV1Api(self.api)
        self.batch = k8s.BatchV1Api(self.api)
        self.storage = k8s.StorageV1Api(self.api)
        self.authz = k8s.AuthorizationV1Api(self.api)

    # ---- requests --------------------------------------------------------------------------------
    def call(self, method: Callable[..., Any], *args: Any, accept: str | None = None, stream: bool = False, **kwargs: Any):
        """Call a generated API method raw. Returns parsed JSON, or the urllib3 response when streaming."""
        from kubernetes.client.exceptions import ApiException

        if accept:
            kwargs["_headers"] = {"Accept": accept}
        timeout = kwargs.pop("_timeout", self.timeout)
        try:
            resp = method(*args, _preload_content=False, _request_timeout=timeout, **kwargs)
            if stream:
                return resp
            data = resp.data
        except ApiException as exc:
            raise self._api_error(exc) from None
        except Exception as exc:  # urllib3 / ssl / socket errors: one line, never a traceback
            raise self._transport_error(exc) from None
        return orjson.loads(data) if data else {}

    def text(self, method: Callable[..., Any], *args: Any, **kwargs: Any) -> bytes:
        """Call a method whose body is plain text (pods/log); return raw bytes."""
        resp = self.call(method, *args, stream=True, **kwargs)
        try:
            return resp.data
        except Exception as exc:
            raise self._transport_error(exc) from None

    def list_all(self, method: Callable[..., Any], *args: Any, **kwargs: Any) -> Iterator[dict]:
        """Follow `continue` tokens; yield each page (a parsed list object)."""
        token = None
        while True:
            page = self.call(method, *args, limit=PAGE_SIZE, _continue=token, **kwargs)
            yield page
            token = (page.get("metadata") or {}).get("continue")
            if not token:
                return

    # ---- errors ----------------------------------------------------------------------------------
    def _api_error(self, exc: Any) -> ClusterError:
        status = getattr(exc, "status", None)
        message = ""
        body = getattr(exc, "body", None)
        if body:
            try:
                message = orjson.loads(body).get("message", "")
            except (orjson.JSONDecodeError, AttributeError):
                message = body.decode(errors="replace") if isinstance(body, bytes) else str(body)
        message = _first_line(message or str(getattr(exc, "reason", "") or exc))
        if status == 403:
            return Forbidden(message)
        if status == 401:
            return ClusterError(f"the API server at {self.identity.server} rejected the credentials (401 Unauthorized)")
        if status == 404:
            return NotFoundError(message)
        return ClusterError(f"API server error {status}: {message}")

    def _transport_error(self, exc: Exception) -> ClusterError:
        text = str(exc)
        server = self.identity.server
        low = text.lower()
        if "timed out" in low or "timeout" in low:
            return ClusterError(f"the API server at {server} did not answer in time ({_reason(text)})")
        if "certificate" in low or "ssl" in low:
            return ClusterError(f"TLS error talking to {server}: {_reason(text)}")
        if "refused" in low or "name or service not known" in low or "nodename nor servname" in low:
            return ClusterError(f"cannot reach the API server at {server}: {_reason(text)}")
        return ClusterError(f"request to {server} failed: {_reason(text)}")


def _reason(text: str) -> str:
    """The innermost useful part of a urllib3 error chain."""
    for marker in ("Caused by ", "Errno", "SSLError(", "ReadTimeoutError(", "ConnectTimeoutError("):
        if marker in text:
            text = text[text.rindex(marker):]
            break
    text = text.replace("Caused by ", "")
    return _first_line(text)[:300]
