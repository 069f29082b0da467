"""HTTP handling: route a request, authenticate and authorize it, apply faults, then serve the API verb.

One catch-all aiohttp handler parses Kubernetes paths itself (`/api/v1/namespaces/NS/pods/NAME/log`,
`/apis/apps/v1/deployments`...). Every request is recorded, Authorization header excepted.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import orjson
from aiohttp import web

from k8sdoctor.fakeapi import discovery, status
from k8sdoctor.fakeapi.attach import AttachSession, serve_attach
from k8sdoctor.fakeapi.auth import ADMIN_RULES, Attributes, User, access_review, authorize, forbidden_reason
from k8sdoctor.fakeapi.encoding import JSON, Output
from k8sdoctor.fakeapi.exec_stream import ExecSession, serve_exec
from k8sdoctor.fakeapi.faults import Fault, Faults
from k8sdoctor.fakeapi.logs import LogBook, LogKey, LogOptions, container_instance, pick_container
from k8sdoctor.fakeapi.patch import SUPPORTED, PatchError, apply_patch
from k8sdoctor.fakeapi.protobuf import MEDIA_TYPE as PROTOBUF
from k8sdoctor.fakeapi.protobuf import ProtobufError, decode_access_review
from k8sdoctor.fakeapi.resources import ResourceType, is_stored, lookup, stored_as
from k8sdoctor.fakeapi.selectors import SelectorError, everything, parse_field_selector, parse_label_selector
from k8sdoctor.fakeapi.store import Store, Subscription
from k8sdoctor.fakeapi.views import event_from_v1, event_to_v1
from k8sdoctor.fakeapi.watch import WatchRequest, WatchStream


def _known(plural: str) -> ResourceType:
    rtype = lookup("", "v1", plural)
    assert rtype is not None, plural
    return rtype


NAMESPACES = _known("namespaces")
PODS = _known("pods")
#: The caller when authentication is off: may do everything.
NO_AUTH_USER = User("system:admin", ADMIN_RULES)
_SUFFIX_CHARS = "bcdfghjklmnpqrstvwxz2456789"  # what generateName suffixes are drawn from
_FAULT_MESSAGES = {
    429: "Too many requests, please try again later.",
    503: "the server is currently unable to handle the request",
    504: "Timeout: request did not complete within requested timeout - context deadline exceeded",
}


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """A request as received: the query as a flat dict, headers without Authorization, the raw body."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    user: str | None

    def json(self) -> object:
        return orjson.loads(self.body) if self.body else None


@dataclass(frozen=True, slots=True)
class Target:
    """A resource request: what it addresses."""

    rtype: ResourceType
    namespace: str | None  # None: cluster-scoped, or across all namespaces
    name: str = ""
    subresource: str = ""


@dataclass(slots=True)
class HandlerSettings:
    auth: bool
    tokens: dict[str, User]
    bookmark_interval: float
    clock: Callable[[], datetime]
    record: Callable[[RecordedRequest], None]
    hanging: set[asyncio.Future] = field(default_factory=set)
    attach_sessions: list[AttachSession] = field(default_factory=list)
    exec_sessions: list[ExecSession] = field(default_factory=list)


def _flag(query: dict[str, str], name: str) -> bool:
    return query.get(name, "").lower() in ("true", "1")


def _number(query: dict[str, str], name: str) -> int | None:
    if not query.get(name):
        return None
    try:
        return int(query[name])
    except ValueError:
        raise status.bad_request(f'strconv.ParseInt: parsing "{query[name]}": invalid syntax') from None


def _json_response(body: bytes, code: int = 200) -> web.Response:
    return web.Response(status=code, body=body, headers={"Content-Type": JSON})


def _error_response(err: status.ApiError) -> web.Response:
    response = _json_response(err.body(), err.code)
    retry_after = err.retry_after or ("1" if err.code == 429 else None)
    if retry_after is not None:
        response.headers["Retry-After"] = retry_after
    return response


async def _misbehave(request: web.Request, fault: Fault, query: dict[str, str]) -> web.StreamResponse:
    """What a proxy or a broken server answers instead of the API (see `faults`)."""
    if fault.endless_continue:
        token = f"again-{int(query.get('continue', 'again-0').rpartition('-')[2] or 0) + 1}"
        page = {"kind": "List", "apiVersion": "v1", "metadata": {"resourceVersion": "1", "continue": token}, "items": []}
        return _json_response(orjson.dumps(page))
    if fault.endless is None:
        return web.Response(status=200, body=fault.body or b"", headers={"Content-Type": JSON})
    response = web.StreamResponse(status=200, headers={"Content-Type": JSON})
    response.enable_chunked_encoding()
    await response.prepare(request)
    try:
        if fault.body:
            await response.write(fault.body)
        chunk = fault.endless * max(1, 65536 // max(1, len(fault.endless)))
        while True:
            await response.write(chunk)
            await asyncio.sleep(0)  # let the other requests run
    except (ConnectionResetError, ConnectionError, RuntimeError):
        return response


def _read_json(body: bytes, content_type: str) -> dict:
    """A JSON request body: the only encoding served for writes (anything else is a 415)."""
    if content_type.split(";")[0].strip() not in ("", JSON):
        raise status.ApiError(415, f"the body of the request was in an unknown format - accepted media types include: {JSON}")
    try:
        obj = orjson.loads(body)
    except orjson.JSONDecodeError as err:
        raise status.bad_request(f"couldn't get version/kind; json parse error: {err}") from None
    if not isinstance(obj, dict):
        raise status.bad_request("couldn't get version/kind; json parse error: not a JSON object")
    return obj


def _read_review(body: bytes, content_type: str) -> dict:
    if content_type.split(";")[0].strip() == PROTOBUF:
        try:
            return decode_access_review(body)
        except ProtobufError as err:
            raise status.bad_request(f"failed to decode the request body: {err}") from None
    return _read_json(body, content_type)


def route_resource(group: str, version: str, rest: list[str]) -> Target:
    """The target of `/api/v1/...` or `/apis/G/V/...` (rest = the segments after the version)."""
    if len(rest) >= 3 and rest[0] == "namespaces":
        rtype = lookup(group, version, rest[2])
        if rtype is not None and rtype.namespaced and len(rest) <= 5:
            return Target(rtype, rest[1], *rest[3:5])
    rtype = lookup(group, version, rest[0])
    if rtype is None or len(rest) > 3 or (rtype.namespaced and len(rest) > 1):
        raise status.resource_not_found()
    return Target(rtype, None, *rest[1:3])


class ApiHandler:
    """The request handler, bound to the store, logs, faults and users of one server."""

    def __init__(self, store: Store, logbook: LogBook, faults: Faults, settings: HandlerSettings) -> None:
        self.store = store
        self.logbook = logbook
        self.faults = faults
        self.settings = settings

    # ---- entry point ----------------------------------------------------------------------------
    async def handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        query = dict(request.query.items())
        user = self._authenticate(request)
        headers = {k: v for k, v in request.headers.items() if k.lower() != "authorization"}
        self.settings.record(RecordedRequest(request.method, request.path, query, headers, body, user.name if user else None))
        try:
            if user is None:
                raise status.unauthorized()
            return await self._serve(request, query, body, user)
        except status.ApiError as err:
            return _error_response(err)
        except SelectorError as err:
            return _error_response(status.bad_request(str(err)))
        except PatchError as err:
            return _error_response(status.ApiError(422, str(err)))

    def _authenticate(self, request: web.Request) -> User | None:
        if not self.settings.auth:
            return NO_AUTH_USER
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        return self.settings.tokens.get(token.strip()) if scheme.lower() == "bearer" else None

    async def _serve(self, request: web.Request, query: dict[str, str], body: bytes, user: User) -> web.StreamResponse:
        parts = [p for p in request.path.split("/") if p]
        target = None
        if len(parts) >= 3 and parts[:2] == ["api", "v1"]:
            target = route_resource("", "v1", parts[2:])
        elif len(parts) >= 4 and parts[0] == "apis":
            target = route_resource(parts[1], parts[2], parts[3:])
        if target is None:
            attrs = Attributes(user.name, request.method.lower(), request.path)
            answer = await self._faults(attrs, None, query, request)
            if isinstance(answer, web.StreamResponse):
                return answer
            return self._non_resource(request, parts)
        attrs = self._attributes(user, request.method, target, query)
        if not authorize(user, attrs):
            raise status.forbidden(target.rtype, target.name, forbidden_reason(attrs))
        allowed = target.rtype.verbs
        if target.subresource:
            sub = target.rtype.subresource(target.subresource)
            if sub is None:
                raise status.resource_not_found()
            allowed = sub.verbs
        if attrs.verb not in allowed:
            raise status.method_not_allowed()
        expired = await self._faults(attrs, target, query, request)
        if isinstance(expired, web.StreamResponse):
            return expired
        if expired is not None:
            return await WatchStream(
                request,
                self.store,
                self._watch_request(target, query, request),
                bookmark_interval=self.settings.bookmark_interval,
                clock=self.settings.clock,
            ).error(expired)
        return await self._resource(request, target, attrs, query, body, user)

    @staticmethod
    def _attributes(user: User, method: str, target: Target, query: dict[str, str]) -> Attributes:
        verb = {"GET": "get", "POST": "create", "PUT": "update", "PATCH": "patch", "DELETE": "delete"}.get(method)
        if verb is None:
            raise status.method_not_allowed()
        if method == "GET" and not target.name:
            verb = "watch" if _flag(query, "watch") else "list"
        elif method == "GET" and target.subresource in ("attach", "exec"):
            verb = "create"  # a websocket upgrade needs create, as since Kubernetes 1.35 (kubernetes#134577)
        elif method == "DELETE" and not target.name:
            verb = "deletecollection"
        namespace = target.namespace or ""
        if target.rtype.plural == "namespaces" and target.rtype.group == "":
            namespace = target.name
        return Attributes(user.name, verb, "", True, target.rtype.group, target.rtype.plural, target.subresource, namespace, target.name)

    # ---- faults ---------------------------------------------------------------------------------
    async def _faults(
        self, attrs: Attributes, target: Target | None, query: dict[str, str], request: web.Request
    ) -> status.ApiError | web.StreamResponse | None:
        """Apply a matching fault. Returns a 410 to deliver inside a watch stream, or the misbehaving
        answer already sent; raises other codes."""
        fault = self.faults.take(attrs)
        if fault is None:
            return None
        if fault.delay:
            await asyncio.sleep(fault.delay)
        if fault.hang:
            forever = asyncio.get_running_loop().create_future()
            self.settings.hanging.add(forever)
            try:
                await forever
            finally:
                self.settings.hanging.discard(forever)
        if fault.misbehaves:
            return await _misbehave(request, fault, query)
        if fault.code is None:
            return None
        err = self._fault_error(fault, attrs, target, query)
        err.retry_after = fault.retry_after
        if attrs.verb == "watch" and fault.code == 410:
            return err
        raise err

    def _fault_error(self, fault: Fault, attrs: Attributes, target: Target | None, query: dict[str, str]) -> status.ApiError:
        code = fault.code
        rtype, name = (target.rtype, target.name) if target else (None, "")
        if code == 403:
            err = status.forbidden(rtype, name, forbidden_reason(attrs))
        elif code == 404 and rtype is not None and name:
            err = status.not_found(rtype, name)
        elif code == 409 and rtype is not None and name:
            err = status.conflict(rtype, name)
        elif code == 410 and attrs.verb == "list":
            err = status.expired(status.CONTINUE_EXPIRED)
        elif code == 410:
            rv = query.get("resourceVersion") or "0"
            err = status.expired(f"too old resource version: {rv} ({self.store.rv})")
        elif code == 500:
            err = status.internal(fault.message or "injected fault")
        elif code == 401:
            err = status.unauthorized()
        else:
            assert code is not None  # a fault without a code answers nothing (see _faults)
            err = status.ApiError(code, _FAULT_MESSAGES.get(code, "injected fault"))
        if fault.message is not None and code != 500:
            err.message = fault.message
        return err

    # ---- non-resource paths ---------------------------------------------------------------------
    def _non_resource(self, request: web.Request, parts: list[str]) -> web.Response:
        if request.method != "GET":
            raise status.method_not_allowed()
        body: dict | None = None
        if parts == ["api"]:
            body = discovery.api_versions(request.host)
        elif parts == ["api", "v1"]:
            body = discovery.api_resource_list("", "v1")
        elif parts == ["apis"]:
            body = discovery.api_group_list()
        elif len(parts) == 2 and parts[0] == "apis":
            body = discovery.api_group(parts[1])
        elif len(parts) == 3 and parts[0] == "apis":
            body = discovery.api_resource_list(parts[1], parts[2])
        elif parts == ["version"]:
            body = discovery.VERSION_INFO
        elif parts and parts[0] in ("healthz", "livez", "readyz"):
            return web.Response(text="ok", content_type="text/plain")
        elif parts and parts[0] in ("api", "apis", "openapi"):
            raise status.resource_not_found()
        if body is None:
            return web.Response(status=404, text="404 page not found\n", content_type="text/plain")
        return _json_response(orjson.dumps(body))

    # ---- resource verbs -------------------------------------------------------------------------
    async def _resource(
        self, request: web.Request, target: Target, attrs: Attributes, query: dict[str, str], body: bytes, user: User
    ) -> web.StreamResponse:
        rtype, now = target.rtype, self.settings.clock()
        if not is_stored(rtype):
            return self._review(rtype, _read_review(body, request.headers.get("Content-Type", "")), user)
        if target.subresource == "log":
            return await self._logs(request, target, query)
        if target.subresource == "attach":
            pod = self.store.require(PODS, target.namespace or "", target.name).obj
            return await serve_attach(request, pod, query, self.settings.attach_sessions)
        if target.subresource == "exec":
            pod = self.store.require(PODS, target.namespace or "", target.name).obj
            return await serve_exec(request, pod, self.settings.exec_sessions)
        output = Output.negotiate(request.headers.get("Accept"), query.get("includeObject"))
        if attrs.verb == "watch":
            return await WatchStream(
                request,
                self.store,
                self._watch_request(target, query, request),
                bookmark_interval=self.settings.bookmark_interval,
                clock=self.settings.clock,
            ).serve()
        if attrs.verb == "list":
            match = self._match(rtype, query)
            result = self.store.list(
                rtype,
                target.namespace if rtype.namespaced else None,
                match=match,
                limit=_number(query, "limit") or 0,
                continue_token=query.get("continue"),
                filtered=match is not everything,
            )
            return _json_response(output.list_bytes(rtype, result, now))
        namespace = target.namespace or ""
        if query.get("dryRun") is not None and attrs.verb in ("create", "update", "patch", "delete"):
            return self._dry_run(request, target, attrs.verb, query["dryRun"], body)
        if attrs.verb == "get":
            entry = self.store.require(rtype, namespace, target.name)
        elif attrs.verb == "create":
            entry = self._create(target, _read_json(body, request.headers.get("Content-Type", "")))
        elif attrs.verb == "update":
            entry = self._update(target, _read_json(body, request.headers.get("Content-Type", "")))
        elif attrs.verb == "patch":
            entry = self._patch(target, request.headers.get("Content-Type", ""), body)
        elif attrs.verb == "delete":
            entry = self.store.delete(stored_as(rtype), namespace, target.name)
        else:
            raise status.method_not_allowed()
        code = 201 if attrs.verb == "create" else 200
        return _json_response(output.object_bytes(rtype, entry, now), code)

    def _dry_run(self, request: web.Request, target: Target, verb: str, dry_run: str, body: bytes) -> web.Response:
        """`?dryRun=All`: every check a write makes (the object, its namespace, a conflict), the answer it
        would give, and nothing stored (`kubectl apply --dry-run=server`)."""
        if dry_run != "All":
            raise status.ApiError(422, f'dryRun: Unsupported value: "{dry_run}": supported values: "All"')
        rtype, namespace = stored_as(target.rtype), target.namespace or ""
        content_type = request.headers.get("Content-Type", "")
        if verb == "create":
            if target.name or target.subresource:
                raise status.method_not_allowed()
            obj = self._incoming(target, _read_json(body, content_type))
            name = obj["metadata"].get("name") or obj["metadata"].get("generateName") or ""
            if not name:
                raise status.name_required(rtype)
            if rtype.namespaced and self.store.get(NAMESPACES, "", namespace) is None:
                raise status.not_found(NAMESPACES, namespace)
            if self.store.get(rtype, namespace, name) is not None:
                raise status.already_exists(rtype, name)
            return _json_response(orjson.dumps(obj), 201)
        current = self.store.require(rtype, namespace, target.name).obj
        if verb == "update":
            answer = _confine(target, current, self._incoming(target, _read_json(body, content_type)))
        elif verb == "patch":
            media = content_type.split(";")[0].strip()
            if media not in SUPPORTED:
                raise status.ApiError(415, f"the body of the request was in an unknown format: {media}")
            try:
                answer = _confine(target, current, apply_patch(media, current, orjson.loads(body)))
            except orjson.JSONDecodeError as err:
                raise status.bad_request(f"error decoding patch: {err}") from None
        else:
            answer = current
        return _json_response(orjson.dumps(answer))

    @staticmethod
    def _match(rtype: ResourceType, query: dict[str, str]):
        labels = parse_label_selector(query.get("labelSelector"))
        fields = parse_field_selector(query.get("fieldSelector"), rtype)
        if fields is everything:
            return labels
        if labels is everything:
            return fields
        return lambda obj: labels(obj) and fields(obj)

    def _watch_request(self, target: Target, query: dict[str, str], request: web.Request) -> WatchRequest:
        timeout = _number(query, "timeoutSeconds")
        return WatchRequest(
            rtype=target.rtype,
            namespace=target.namespace if target.rtype.namespaced else None,
            resource_version=query.get("resourceVersion"),
            match=self._match(target.rtype, query),
            output=Output.negotiate(request.headers.get("Accept"), query.get("includeObject")),
            bookmarks=_flag(query, "allowWatchBookmarks"),
            timeout=float(timeout) if timeout else None,
            send_initial_events=_flag(query, "sendInitialEvents"),
        )

    def _incoming(self, target: Target, obj: dict) -> dict:
        """A request body as a stored-form object, in the request's namespace."""
        if target.rtype.storage_group is not None:
            obj = event_from_v1(obj)
        meta = dict(obj.get("metadata") or {})
        if target.rtype.namespaced:
            if meta.get("namespace") and meta["namespace"] != target.namespace:
                raise status.bad_request("the namespace of the provided object does not match the namespace sent on the request")
            meta["namespace"] = target.namespace
        return {**obj, "metadata": meta}

    def _create(self, target: Target, obj: dict):
        if target.name or target.subresource:
            raise status.method_not_allowed()
        rtype = stored_as(target.rtype)
        obj = self._incoming(target, obj)
        meta = obj["metadata"]
        if not meta.get("name") and meta.get("generateName"):
            meta["name"] = meta["generateName"] + "".join(random.choices(_SUFFIX_CHARS, k=5))
        if rtype.namespaced and self.store.get(NAMESPACES, "", target.namespace or "") is None:
            raise status.not_found(NAMESPACES, target.namespace or "")
        return self.store.put(rtype, obj, mode="create")

    def _update(self, target: Target, obj: dict):
        rtype = stored_as(target.rtype)
        obj = self._incoming(target, obj)
        name = obj["metadata"].get("name")
        if name != target.name:
            raise status.bad_request(f"the name of the object ({name}) does not match the name on the URL ({target.name})")
        current = self.store.require(rtype, target.namespace or "", target.name)
        merged = _confine(target, current.obj, obj)
        return self.store.put(rtype, merged, mode="update", expect_rv=obj["metadata"].get("resourceVersion"))

    def _patch(self, target: Target, content_type: str, body: bytes):
        media = content_type.split(";")[0].strip()
        if media not in SUPPORTED:
            raise status.ApiError(
                415,
                "the body of the request was in an unknown format - accepted media types "
                "include: application/json-patch+json, application/merge-patch+json, "
                "application/apply-patch+yaml, application/strategic-merge-patch+json",
            )
        try:
            patch = orjson.loads(body)
        except orjson.JSONDecodeError as err:
            raise status.bad_request(f"error decoding patch: {err}") from None
        rtype = stored_as(target.rtype)
        current = self.store.require(rtype, target.namespace or "", target.name)
        view = target.rtype.storage_group is not None
        patched = apply_patch(media, event_to_v1(current.obj) if view else current.obj, patch)
        if view:
            patched = event_from_v1(patched)
        patched["metadata"] = {
            **(patched.get("metadata") or {}),
            "name": target.name,
            "namespace": current.obj["metadata"].get("namespace"),
        }
        expect = (patch.get("metadata") or {}).get("resourceVersion") if isinstance(patch, dict) else None
        return self.store.put(rtype, _confine(target, current.obj, patched), mode="update", expect_rv=expect)

    def _review(self, rtype: ResourceType, body: dict, user: User) -> web.Response:
        if rtype.plural != "selfsubjectaccessreviews":
            raise status.method_not_allowed()
        spec = body.get("spec") or {}
        review = {
            "kind": rtype.kind,
            "apiVersion": rtype.api_version,
            "metadata": {"creationTimestamp": None},
            "spec": spec,
            "status": access_review(user, spec),
        }
        return _json_response(orjson.dumps(review), 201)

    # ---- logs -----------------------------------------------------------------------------------
    async def _logs(self, request: web.Request, target: Target, query: dict[str, str]) -> web.StreamResponse:
        namespace = target.namespace or ""
        pod = self.store.require(PODS, namespace, target.name).obj
        options = LogOptions.from_query(query, self.settings.clock())
        container = pick_container(pod, options.container)
        if not (pod.get("spec") or {}).get("nodeName"):
            return web.Response(body=b"", content_type="text/plain")
        key = LogKey(namespace, target.name, container, options.previous)
        if not (options.follow and _is_running(pod, container) and not options.previous):
            lines = self.logbook.get(key)
            if lines is None:  # nothing stored for exactly this: read what the kubelet would read
                previous = container_instance(pod, container, options.previous)
                lines = self.logbook.get(LogKey(namespace, target.name, container, previous))
            return web.Response(body=options.render(lines or []), content_type="text/plain")
        lines, sub = self.logbook.follow(key, asyncio.get_running_loop())
        try:
            response = web.StreamResponse(headers={"Content-Type": "text/plain"})
            response.enable_chunked_encoding()
            await response.prepare(request)
            chunk = options.render(lines or [])
            sent = len(chunk)
            await response.write(chunk)
            while options.limit_bytes is None or sent < options.limit_bytes:
                item = await sub.queue.get()
                if item in (Subscription.CLOSE, Subscription.BREAK):
                    break
                chunk = b"".join(options.encode(line) for line in item)
                if options.limit_bytes is not None:
                    chunk = chunk[: options.limit_bytes - sent]
                sent += len(chunk)
                await response.write(chunk)
            await response.write_eof()
            return response
        except ConnectionResetError:
            return response
        finally:
            self.logbook.unfollow(key, sub)


def _is_running(pod: dict, container: str) -> bool:
    """Whether a follow should stay open: the container runs, or its status is not reported at all."""
    pod_status = pod.get("status") or {}
    statuses = (
        (pod_status.get("containerStatuses") or [])
        + (pod_status.get("initContainerStatuses") or [])
        + (pod_status.get("ephemeralContainerStatuses") or [])
    )
    found = next((s for s in statuses if s.get("name") == container), None)
    return found is None or (found.get("state") or {}).get("running") is not None


def _confine(target: Target, current: dict, updated: dict) -> dict:
    """What a write through this endpoint may change: status only via /status, ephemeral containers only
    via /ephemeralcontainers, and everything but status through the main resource."""
    if target.subresource == "status":
        return _with(current, "status", updated.get("status"))
    if target.subresource == "ephemeralcontainers":
        spec = dict(current.get("spec") or {})
        spec["ephemeralContainers"] = (updated.get("spec") or {}).get("ephemeralContainers") or []
        return {**current, "spec": spec}
    if target.rtype.subresource("status") is not None:
        return _with(updated, "status", current.get("status"))
    return updated


def _with(obj: dict, key: str, value: object) -> dict:
    out = {k: v for k, v in obj.items() if k != key}
    if value is not None:
        out[key] = value
    return out
