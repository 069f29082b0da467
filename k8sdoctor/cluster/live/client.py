"""Raw-JSON access to the API server through the official `kubernetes` client's own pieces.

The kubeconfig and in-cluster loaders, `Configuration` (TLS settings, proxies, exec and OIDC auth
plugins, token refresh) and the REST layer (`RESTClientObject` on urllib3) all come from the client,
so every request is authenticated and verified exactly as the client would do it. What we skip is the
generated API classes and models: responses are read raw (`_preload_content=False` semantics) and
parsed with orjson, which is about ten times cheaper than building model objects, and the classes
themselves cost over a second to import (see `kubernetes_import`). The websocket attach
(`k8sdoctor.actions.attach`) is the one place that builds the client's `ApiClient`.

Errors become `ClusterError`s: one line for a transport failure, the API server's own message (made
safe, every line of it) for an answer; a 403 is `Forbidden`, whose message names the exact permission
that is missing.

Every read is bounded: a response body by `MAX_RESPONSE_BYTES`, a list by `MAX_PAGES` pages, a watch
line by `MAX_LINE_BYTES` (see `informer.iter_watch_lines`). A 429, or a 5xx to a GET, is retried as
client-go does: after the server's Retry-After, else a jittered backoff, at most `MAX_RETRIES` times.
"""

from __future__ import annotations

import os
import random
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote, urlencode

import orjson

from k8sdoctor import __version__
from k8sdoctor.cluster.live.kubernetes_import import client_parts, exec_plugin_failures
from k8sdoctor.errors import ClusterError, NotFoundError, UserError
from k8sdoctor.sanitize import printable

#: (connect, read) timeouts in seconds. Lists and watches get no total timeout: a big list may take long
#: to stream, but the server must start answering, and keep the bytes coming, within the read timeout.
DEFAULT_TIMEOUT = (5.0, 30.0)
JSON = "application/json"
METADATA_ONLY = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"
STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json"
PAGE_SIZE = 500
MAX_PAGES = 1000  # 500,000 objects: an endless `continue` token stops here
MAX_RESPONSE_BYTES = 64 << 20  # one response body (a page of 500 large objects is a few MiB)
MAX_RETRIES = 4  # after a 429, or a 5xx to a GET (client-go retries up to 10 times, on Retry-After)
MAX_RETRY_WAIT = 10.0  # seconds: a longer Retry-After is cut to this
RETRIED_STATUS = frozenset({429, 500, 502, 503, 504})
MAX_ERROR_CHARS = 4000  # of an error's message: a proxy's HTML page, say
IN_CLUSTER_NAMESPACE = Path("/var/run/secrets/kubernetes.io/serviceaccount/namespace")


class Forbidden(ClusterError):
    """A 403. `str()` is the API server's own message, which names the exact missing permission."""


class ClusterIdentity(NamedTuple):
    context: str
    cluster: str
    server: str
    namespace: str  # the context's namespace, else "default"


def _kubeconfig_path(explicit: str | None) -> str:
    return explicit or os.environ.get("KUBECONFIG") or os.path.expanduser("~/.kube/config")


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else text


def _query(params: dict[str, Any]) -> str:
    pairs = []
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        pairs.append((key, str(value)))
    return urlencode(pairs)


def path_segment(name: str) -> str:
    """A name as one URL path segment."""
    return quote(name, safe="")


def retry_delay(attempt: int, retry_after: str | None, rng: random.Random | None = None) -> float:
    """Seconds to wait before retry number `attempt` (0-based): the server's Retry-After (seconds) when it
    gives one, else 0.5 s doubling, with jitter; never more than MAX_RETRY_WAIT."""
    try:
        asked = float(retry_after) if retry_after else None
    except ValueError:
        asked = None
    base = asked if asked is not None and asked >= 0 else 0.5 * (2**attempt)
    return min(MAX_RETRY_WAIT, base * (1 + 0.2 * (rng or random).random()))


def read_capped(resp, limit: int = MAX_RESPONSE_BYTES) -> bytes:
    """The whole body of a response, refusing one larger than `limit` bytes (an endless body)."""
    chunks, size = [], 0
    for chunk in resp.stream(1 << 20, decode_content=True):
        size += len(chunk)
        if size > limit:
            resp.close()
            raise ResponseTooLarge(f"an API server response was larger than {limit >> 20} MiB; stopped reading it")
        chunks.append(chunk)
    return b"".join(chunks)


class ResponseTooLarge(ClusterError):
    """A body or a line beyond its bound."""


def _kube_config_loader(k8s, path: str, context: str | None):
    """The client's kubeconfig loader for `path` (files joined by os.pathsep, merged as kubectl does) at
    `context`, else the current context: what `load_kube_config` builds, from one read of the files
    (`list_kube_config_contexts` would parse them again, a few ms of pure-Python YAML per cluster)."""
    merged = k8s.KubeConfigMerger(path).config
    if merged is None:
        raise k8s.ConfigException("Invalid kube-config file. No configuration found.")  # load_kube_config's words
    return k8s.KubeConfigLoader(config_dict=merged, config_base_path=None, active_context=context)


class KubeClient:
    """One cluster, as a kubeconfig context (or in-cluster config) describes it. Thread-safe."""

    def __init__(self, kubeconfig: str | None = None, context: str | None = None, timeout: tuple[float, float] = DEFAULT_TIMEOUT) -> None:
        k8s = client_parts()  # first: it imports urllib3 as cheaply as it can

        from urllib3.util.retry import Retry

        self.timeout = timeout
        cfg = k8s.Configuration()
        path = _kubeconfig_path(kubeconfig)
        if any(os.path.exists(os.path.expanduser(p)) for p in path.split(os.pathsep) if p):
            failures = len(exec_plugin_failures)
            try:
                loader = _kube_config_loader(k8s, path, context)
                loader.load_and_set(cfg)
                contexts, active = loader.list_contexts(), loader.current_context
            except k8s.ConfigException as exc:
                raise ClusterError(f"kubeconfig {path}: {_first_line(str(exc))}") from None
            except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
                raise ClusterError(f"kubeconfig {path}: cannot be read: {_first_line(str(exc)) or type(exc).__name__}") from None
            except Exception as exc:
                raise ClusterError(f"kubeconfig {path}: cannot be loaded: {_reason(str(exc)) or type(exc).__name__}") from None
            if len(exec_plugin_failures) > failures:
                raise ClusterError(f"kubeconfig {path}: {exec_plugin_failures[-1]}")
            if context:
                active = next((c for c in contexts if c.get("name") == context), active)
            ctx = (active or {}).get("context") or {}
            self.identity = ClusterIdentity(
                (active or {}).get("name", ""), ctx.get("cluster", ""), cfg.host, ctx.get("namespace") or "default"
            )
        elif kubeconfig is None and os.environ.get("KUBERNETES_SERVICE_HOST"):
            try:
                k8s.load_incluster_config(client_configuration=cfg)
            except k8s.ConfigException as exc:
                raise ClusterError(f"in-cluster config: {_first_line(str(exc))}") from None
            ns = IN_CLUSTER_NAMESPACE.read_text().strip() if IN_CLUSTER_NAMESPACE.exists() else "default"
            self.identity = ClusterIdentity("in-cluster", "in-cluster", cfg.host, ns)
        else:
            raise ClusterError(f"no kubeconfig at {path} (set KUBECONFIG or pass --kubeconfig), and not running inside a cluster")
        # Retry refused connections briefly; never re-send a request whose answer was merely slow. Status
        # codes (429, 5xx) are retried by `request`, which honours Retry-After itself.
        cfg.retries = Retry(
            total=2, connect=2, read=0, status=0, other=0, backoff_factor=0.2, respect_retry_after_header=False, raise_on_status=False
        )
        self.configuration = cfg
        self.rest = k8s.RESTClientObject(cfg)
        self._api_exception = k8s.ApiException

    # ---- raw requests ----------------------------------------------------------------------------
    def _headers(self, accept: str, content_type: str | None) -> dict[str, str]:
        headers = {"Accept": accept, "User-Agent": f"k8sdoctor/{__version__}"}
        if content_type:
            headers["Content-Type"] = content_type
        for setting in self.configuration.auth_settings().values():  # as the client's ApiClient applies them
            if setting.get("in") == "header" and setting.get("value"):
                headers[setting["key"]] = setting["value"]
        return headers

    def request(
        self,
        method: str,
        path: str,
        *,
        query: dict | None = None,
        body: Any = None,
        content_type: str | None = None,
        accept: str = JSON,
        timeout: tuple[float, float] | None = None,
    ):
        """Send a request; return the urllib3 response, unread (stream it, or `read_capped` it). A 429, or
        a 5xx to a GET, is retried (see the module docstring)."""
        url = self.configuration.host + path + (f"?{_query(query)}" if query else "")
        headers = self._headers(accept, content_type or (JSON if body is not None else None))
        for attempt in range(MAX_RETRIES + 1):
            try:
                resp = self.rest.request(method, url, headers=headers, body=body, _request_timeout=timeout or self.timeout).response
            except self._api_exception as exc:
                raise self._transport_error(exc) from None
            except Exception as exc:  # urllib3 / ssl / socket errors: one line, never a traceback
                raise self._transport_error(exc) from None
            if resp.status < 400:
                return resp
            try:
                data = read_capped(resp, 1 << 20)
            except Exception:
                data = b""
            retried = resp.status == 429 or (method == "GET" and resp.status in RETRIED_STATUS)
            if not retried or attempt == MAX_RETRIES:
                raise self._api_error(resp.status, data, resp.reason)
            time.sleep(retry_delay(attempt, resp.headers.get("Retry-After")))
        raise AssertionError("unreachable")  # pragma: no cover

    def get_bytes(
        self,
        path: str,
        *,
        accept: str = JSON,
        timeout: tuple[float, float] | None = None,
        max_bytes: int = MAX_RESPONSE_BYTES,
        **query: Any,
    ) -> bytes:
        """The body of a GET, at most `max_bytes` bytes (ResponseTooLarge beyond)."""
        resp = self.request("GET", path, query=query, accept=accept, timeout=timeout)
        try:
            return read_capped(resp, max_bytes)
        except ClusterError:
            raise
        except Exception as exc:
            raise self._transport_error(exc) from None

    def get(self, path: str, *, accept: str = JSON, timeout: tuple[float, float] | None = None, **query: Any) -> dict:
        """A GET whose answer must be a JSON object: an empty or garbled body (an HTML login page from a
        proxy) is an error, never an empty result."""
        data = self.get_bytes(path, accept=accept, timeout=timeout, **query)
        try:
            parsed = orjson.loads(data)
        except orjson.JSONDecodeError:
            parsed = None
        if not isinstance(parsed, dict):
            raise ClusterError(f"the API server at {self.identity.server} answered {path} with {_describe_body(data)}, not JSON")
        return parsed

    def pages(self, path: str, *, accept: str = JSON, **query: Any) -> Iterator[dict]:
        """A list, page by page, following `continue` tokens; at most MAX_PAGES pages."""
        token = None
        for _ in range(MAX_PAGES):
            page = self.get(path, accept=accept, limit=PAGE_SIZE, **{"continue": token}, **query)
            yield page
            token = (page.get("metadata") or {}).get("continue")
            if not token:
                return
        raise ClusterError(f"listing {path}: the API server kept sending continue tokens; stopped after {MAX_PAGES} pages")

    def stream(self, path: str, *, accept: str = JSON, timeout: tuple[float, float | None] | None = None, **query: Any):
        """A streaming GET (watch, log follow): the open urllib3 response. A read timeout of None waits
        for the next bytes as long as it takes (a quiet `logs -f`)."""
        return self.request("GET", path, query=query, accept=accept, timeout=timeout)  # type: ignore[arg-type]

    def send(self, method: str, path: str, body: Any, *, content_type: str = JSON) -> dict:
        """A write (POST, PATCH): the parsed answer."""
        resp = self.request(method, path, body=body, content_type=content_type)
        try:
            data = read_capped(resp)
        except ClusterError:
            raise
        except Exception as exc:
            raise self._transport_error(exc) from None
        return orjson.loads(data) if data else {}

    # ---- errors ----------------------------------------------------------------------------------
    def _api_error(self, status: int, body: bytes | str, reason: str | None) -> UserError:
        message = ""
        if body:
            try:
                message = orjson.loads(body).get("message", "")
            except (orjson.JSONDecodeError, AttributeError, TypeError):
                message = body.decode(errors="replace") if isinstance(body, bytes) else str(body)
        # the server's whole message, on as many lines as it has (a webhook's denial gives its reasons
        # after the first line), every line made safe to print
        message = printable(str(message or reason or "").strip())
        if len(message) > MAX_ERROR_CHARS:
            message = f"{message[:MAX_ERROR_CHARS]}… ({len(message) - MAX_ERROR_CHARS} more characters)"
        if status == 403:
            return Forbidden(message)
        if status == 401:
            return ClusterError(f"the API server at {self.identity.server} rejected the credentials (401 Unauthorized)")
        if status == 404:
            return NotFoundError(message)
        return ClusterError(f"API server error {status}: {message}")

    def _transport_error(self, exc: Exception) -> ClusterError:
        reason = _reason(str(exc))  # the cause alone: the URL may hold words like "timeoutSeconds"
        server = self.identity.server
        low = reason.lower()
        if "timed out" in low or "timeout" in low:
            return ClusterError(f"the API server at {server} did not answer in time ({reason})")
        if "certificate" in low or "ssl" in low:
            return ClusterError(f"TLS error talking to {server}: {reason}")
        if "refused" in low or "name or service not known" in low or "nodename nor servname" in low:
            return ClusterError(f"cannot reach the API server at {server}: {reason}")
        return ClusterError(f"request to {server} failed: {reason}")


def _describe_body(data: bytes) -> str:
    if not data.strip():
        return "an empty body"
    first = data.strip().splitlines()[0][:80].decode("utf-8", errors="replace")
    from k8sdoctor.sanitize import one_line

    return f"{len(data)} bytes starting {one_line(first)!r}"


_OS_ERROR = re.compile(r"\[Errno -?\d+\] ([^\"')\]\n]+)")


def _reason(text: str) -> str:
    """The innermost useful part of a urllib3 error chain, in words: "Connection refused", not
    `NewConnectionError("HTTPConnection(host=..., port=1): ... [Errno 111] Connection refused")`."""
    os_error = _OS_ERROR.search(text)
    if os_error:
        return os_error.group(1).strip()
    for marker in ("Caused by ", "Errno", "SSLError(", "ReadTimeoutError(", "ConnectTimeoutError("):
        if marker in text:
            text = text[text.rindex(marker) :]
            break
    return _first_line(text.replace("Caused by ", ""))[:300]


class MetadataOnly:
    """A client whose every list and watch asks for metadata only (a reflector of Secret or ConfigMap
    names: values are never read)."""

    def __init__(self, client: KubeClient) -> None:
        self.client = client
        self.timeout = client.timeout

    def pages(self, path: str, **query):
        return self.client.pages(path, accept=METADATA_ONLY, **query)

    def stream(self, path: str, **query):
        return self.client.stream(path, accept=METADATA_ONLY, **query)
