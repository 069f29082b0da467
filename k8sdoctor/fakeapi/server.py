"""`FakeApiServer`: a local Kubernetes API server and the Python API that controls it.

Run it in a background thread for synchronous code (`start()`/`stop()`, or `with FakeApiServer() as
server:`), or on the running event loop (`await start_async()`/`await stop_async()`). The state lives in
a `Store` that outlives the listening socket, so `stop()`, changing state, then `start()` again on the
same port simulates an apiserver restart. Every control method is thread-safe.
"""

from __future__ import annotations

import asyncio
import builtins
import secrets
import socket
import threading
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

import orjson
from aiohttp import web

from k8sdoctor.core.kube.timeutil import utcnow
from k8sdoctor.fakeapi import resources, status
from k8sdoctor.fakeapi.attach import AttachSession
from k8sdoctor.fakeapi.auth import ADMIN_RULES, Rule, User
from k8sdoctor.fakeapi.exec_stream import ExecSession
from k8sdoctor.fakeapi.faults import Fault, Faults
from k8sdoctor.fakeapi.handlers import ApiHandler, HandlerSettings, RecordedRequest
from k8sdoctor.fakeapi.kubeconfig import ServerCertificate, write_kubeconfig
from k8sdoctor.fakeapi.logs import LogBook, LogKey
from k8sdoctor.fakeapi.patch import MERGE_PATCH, apply_patch
from k8sdoctor.fakeapi.resources import ResourceType
from k8sdoctor.fakeapi.scenario import load
from k8sdoctor.fakeapi.store import Entry, Store, Subscription
from k8sdoctor.fakeapi.views import event_from_v1

_STOP_TIMEOUT = 10.0


def resource_type(kind: str | ResourceType) -> ResourceType:
    """`Pod`, `pods`, `po`, `Deployment`... → its ResourceType (ValueError if unknown)."""
    if isinstance(kind, ResourceType):
        return kind
    rtype = resources.for_kind(kind)
    if rtype is None:
        raise ValueError(f"unknown kind {kind!r}")
    return rtype


class FakeApiServer:
    """A fake kube-apiserver on 127.0.0.1. `tls=True` serves HTTPS with a throw-away CA; `auth`
    (default: same as `tls`) demands bearer tokens and enforces each user's rules. An `admin` user with
    every permission always exists (`admin_token`)."""

    def __init__(
        self,
        *,
        tls: bool = False,
        auth: bool | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        history_size: int = 1000,
        bookmark_interval: float = 1.0,
        clock: Callable[[], datetime] = utcnow,
        record_requests: bool = True,
    ) -> None:
        self.host = host
        self.port = port
        self.clock = clock
        self.store = Store(history_size=history_size, clock=clock)
        self.logbook = LogBook(clock)
        self.faults = Faults()
        self.certificate = ServerCertificate() if tls else None
        self._requests: list[RecordedRequest] = []
        self._requests_lock = threading.Lock()
        self._record_requests = record_requests
        self._users: dict[str, User] = {}  # by token; shared with the handler
        self._settings = HandlerSettings(
            auth=tls if auth is None else auth, tokens=self._users, bookmark_interval=bookmark_interval, clock=clock, record=self._record
        )
        self.admin_token = self.add_user("admin", ADMIN_RULES)
        self._runner: web.AppRunner | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    # ---- lifecycle ------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        scheme = "https" if self.certificate else "http"
        return f"{scheme}://{self.host}:{self.port}"

    async def start_async(self) -> str:
        """Serve on the running event loop; returns the base URL."""
        if self._runner is not None:
            raise RuntimeError("the fake API server is already running")
        sock = socket.socket(socket.AF_INET6 if ":" in self.host else socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a restart rebinds the same port
            sock.bind((self.host, self.port))
        except OSError:
            sock.close()
            raise
        self.port = sock.getsockname()[1]
        app = web.Application(client_max_size=64 * 1024 * 1024)
        handler = ApiHandler(self.store, self.logbook, self.faults, self._settings)
        app.router.add_route("*", "/{path:.*}", handler.handle)
        runner = web.AppRunner(app, handler_cancellation=True, access_log=None, shutdown_timeout=0.5)
        await runner.setup()
        ssl_context = self.certificate.server_context() if self.certificate else None
        await web.SockSite(runner, sock, ssl_context=ssl_context).start()
        self._runner = runner
        return self.url

    async def stop_async(self) -> None:
        """Stop listening and drop every open connection (watches, follows, hanging requests)."""
        runner, self._runner = self._runner, None
        if runner is None:
            return
        for future in list(self._settings.hanging):
            future.cancel()
        for sub in self.store.subscriptions() + self.logbook.followers():
            sub.push(Subscription.BREAK)
        await asyncio.sleep(0)
        await runner.cleanup()

    def start(self) -> str:
        """Serve from a background thread with its own event loop; returns the base URL."""
        if self._thread is not None:
            raise RuntimeError("the fake API server is already running")
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="fakeapi", daemon=True)
        thread.start()
        self._loop, self._thread = loop, thread
        try:
            return asyncio.run_coroutine_threadsafe(self.start_async(), loop).result(_STOP_TIMEOUT)
        except BaseException:
            self._shutdown_thread()
            raise

    def stop(self) -> None:
        if self._loop is None:
            return
        try:
            asyncio.run_coroutine_threadsafe(self.stop_async(), self._loop).result(_STOP_TIMEOUT)
        finally:
            self._shutdown_thread()

    def _shutdown_thread(self) -> None:
        loop, thread = self._loop, self._thread
        self._loop = self._thread = None
        if loop is not None and thread is not None:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(_STOP_TIMEOUT)
            loop.close()

    def restart(self, *, compact: bool = False) -> str:
        """Stop, then serve again on the same port (background-thread mode; on a running loop, await
        `stop_async()` and `start_async()`). `compact=True` forgets the watch history too, as a real
        apiserver restart does: watches resuming from an older resourceVersion then get 410."""
        self.stop()
        if compact:
            self.store.compact()
        return self.start()

    def __enter__(self) -> FakeApiServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def __aenter__(self) -> FakeApiServer:
        await self.start_async()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop_async()

    # ---- users and kubeconfigs ------------------------------------------------------------------
    def add_user(self, name: str, rules: Iterable[Rule] = (), *, token: str | None = None) -> str:
        """Register a user with these rules; returns the bearer token that authenticates as them."""
        token = token or secrets.token_urlsafe(24)
        self._users[token] = User(name, tuple(rules))
        return token

    def write_kubeconfig(
        self, path: str | Path, *, token: str | None = None, user: str | None = None, namespace: str | None = None, context: str = "fakeapi"
    ) -> Path:
        """A kubeconfig for this server (CA data included under TLS) as `token`'s user (default admin),
        with one context (and cluster) named `context`. An unregistered token is written as is, under
        the user name `user` or "unknown"."""
        token = token or self.admin_token
        known = self._users.get(token)
        name = user or (known.name if known else "unknown")
        return write_kubeconfig(
            path,
            self.url,
            user=name,
            token=token if self._settings.auth else None,
            ca_pem=self.certificate.ca_pem if self.certificate else None,
            namespace=namespace,
            name=context,
        )

    # ---- state ----------------------------------------------------------------------------------
    def _put(self, obj: dict) -> Entry:
        rtype = resources.for_object(obj) or resource_type(obj.get("kind", ""))
        if rtype.storage_group is not None:  # an events.k8s.io/v1 Event: stored in its core/v1 form
            obj = event_from_v1(obj)
        return self.store.put(resources.stored_as(rtype), obj)

    def apply(self, obj: dict) -> dict:
        """Create or replace an object (watches see ADDED or MODIFIED); returns it as stored.

        Like every method here that returns objects, it returns fresh copies: mutate them freely."""
        return orjson.loads(self._put(obj).raw)

    def apply_all(self, objs: Iterable[dict]) -> None:
        """`apply` each object; the fast path for bulk loads (nothing is parsed back)."""
        for obj in objs:
            self._put(obj)

    def get(self, kind: str | ResourceType, namespace: str, name: str) -> dict | None:
        entry = self.store.get(resource_type(kind), namespace, name)
        return None if entry is None else orjson.loads(entry.raw)

    def list(self, kind: str | ResourceType, namespace: str | None = None) -> list[dict]:
        return [orjson.loads(e.raw) for e in self.store.list(resource_type(kind), namespace).items]

    def patch(self, kind: str | ResourceType, namespace: str, name: str, patch: object, *, content_type: str = MERGE_PATCH) -> dict:
        """Patch an object (merge patch by default; status included) and emit MODIFIED; KeyError if it
        does not exist."""
        rtype = resource_type(kind)
        with self.store.lock:
            current = self.store.get(rtype, namespace, name)
            if current is None:
                raise KeyError(status.not_found(rtype, name).message)
            return orjson.loads(self.store.put(rtype, apply_patch(content_type, current.obj, patch), mode="update").raw)

    def delete(self, kind: str | ResourceType, namespace: str, name: str) -> dict:
        """Delete an object (watches see DELETED); KeyError if it does not exist."""
        try:
            return orjson.loads(self.store.delete(resource_type(kind), namespace, name).raw)
        except status.ApiError as err:
            raise KeyError(err.message) from None

    def set_logs(self, namespace: str, pod: str, container: str, lines: Iterable[str | bytes], *, previous: bool = False) -> None:
        self.logbook.set(LogKey(namespace, pod, container, previous), lines)

    def append_log(self, namespace: str, pod: str, container: str, lines: Iterable[str | bytes] | str | bytes) -> None:
        """Add lines to a container's current log; `follow` streams receive them. A line is text, or
        bytes for output that is not UTF-8."""
        self.logbook.append(LogKey(namespace, pod, container), [lines] if isinstance(lines, (str, bytes)) else lines)

    def load_scenario(self, source: str | Path | dict | builtins.list) -> None:
        """Apply a scenario's objects and logs (see `k8sdoctor.fakeapi.scenario` for the format)."""
        scenario = load(source, self.clock())
        self.apply_all(scenario.objects)
        for spec in scenario.logs:
            self.set_logs(spec.namespace, spec.pod, spec.container, spec.lines, previous=spec.previous)

    def compact(self) -> None:
        """Forget watch history and list snapshots: old resourceVersions and continue tokens get 410."""
        self.store.compact()

    # ---- faults ---------------------------------------------------------------------------------
    def inject(self, fault: Fault) -> Fault:
        return self.faults.add(fault)

    def fail(
        self,
        resource: str | None,
        code: int,
        *,
        times: int | None = None,
        verb: str | None = None,
        namespace: str | None = None,
        name: str | None = None,
        message: str | None = None,
    ) -> Fault:
        """Answer matching requests with `code` (403, 410, 500...) and the real server's Status."""
        return self.inject(Fault(code=code, message=message, times=times, resource=resource, verb=verb, namespace=namespace, name=name))

    def slow(self, seconds: float, resource: str | None = None, *, times: int | None = None, verb: str | None = None) -> Fault:
        return self.inject(Fault(delay=seconds, times=times, resource=resource, verb=verb))

    def hang(self, resource: str | None = None, *, times: int | None = None, verb: str | None = None) -> Fault:
        return self.inject(Fault(hang=True, times=times, resource=resource, verb=verb))

    def clear_faults(self) -> None:
        self.faults.clear()

    def _watches(self, resource: str | None) -> builtins.list[Subscription]:
        return [s for s in self.store.subscriptions() if resource is None or s.resource == resource]

    def close_watches(self, resource: str | None = None) -> int:
        """End open watch streams cleanly (as a watch timeout does); returns how many."""
        subs = self._watches(resource)
        for sub in subs:
            sub.push(Subscription.CLOSE)
        return len(subs)

    def break_watches(self, resource: str | None = None) -> int:
        """Drop the connections of open watches mid-stream (no final chunk); returns how many."""
        subs = self._watches(resource)
        for sub in subs:
            sub.push(Subscription.BREAK)
        return len(subs)

    def send_watch_line(self, data: bytes, resource: str | None = None) -> int:
        """Write raw bytes into open watch streams, e.g. a malformed line; returns how many."""
        subs = self._watches(resource)
        for sub in subs:
            sub.push(data)
        return len(subs)

    def watch_count(self, resource: str | None = None) -> int:
        return len(self._watches(resource))

    # ---- requests -------------------------------------------------------------------------------
    def _record(self, request: RecordedRequest) -> None:
        if self._record_requests:
            with self._requests_lock:
                self._requests.append(request)

    def requests(self, method: str | None = None, path: str | None = None) -> builtins.list[RecordedRequest]:
        """Requests received so far, optionally only those with this method and/or exact path."""
        with self._requests_lock:
            found = list(self._requests)
        return [r for r in found if (method is None or r.method == method) and (path is None or r.path == path)]

    def attach_sessions(self) -> builtins.list[AttachSession]:
        """Attach sessions so far (`pods/NAME/attach` websockets): what was typed, the resizes sent."""
        return list(self._settings.attach_sessions)

    def exec_sessions(self) -> builtins.list[ExecSession]:
        """Exec sessions so far (`pods/NAME/exec` websockets): the command, what was typed, the exit status."""
        return list(self._settings.exec_sessions)

    def clear_requests(self) -> None:
        with self._requests_lock:
            self._requests.clear()
