"""The HTTP side of `serve`: aiohttp, with prometheus_client's own aiohttp handler for /metrics, and
/healthz and /readyz for the kubelet's probes.

One event loop in a thread of its own: a slow or stalled client holds a connection, never a thread, and
idle keep-alive connections are closed after KEEPALIVE seconds. Requests carry no body (1 KiB at most).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

from aiohttp import web
from prometheus_client import CollectorRegistry
from prometheus_client.aiohttp import make_aiohttp_handler

Check = Callable[[], tuple[bool, str]]
KEEPALIVE = 15.0


def _probe(check: Check):
    async def handle(_request: web.Request) -> web.Response:
        ok, why = check()
        return web.Response(status=200 if ok else 503, text=f"{why}\n", content_type="text/plain")

    return handle


def make_app(registry: CollectorRegistry, healthz: Check, readyz: Check) -> web.Application:
    app = web.Application(client_max_size=1024)
    app.router.add_get("/metrics", make_aiohttp_handler(registry))
    app.router.add_get("/healthz", _probe(healthz))
    app.router.add_get("/readyz", _probe(readyz))
    return app


class MetricsServer:
    """Serves the app on host:port from a background thread; `port` is the bound one (0 picks a free port)."""

    def __init__(self, app: web.Application, host: str, port: int) -> None:
        self.app, self.host, self.port = app, host, port
        self.loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None
        self._thread = threading.Thread(target=self.loop.run_forever, name="k8sdoctor-http", daemon=True)

    async def _start(self) -> int:
        runner = web.AppRunner(self.app, access_log=None, keepalive_timeout=KEEPALIVE, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port, reuse_address=True)
        await site.start()
        self._runner = runner
        return int(runner.addresses[0][1]) if runner.addresses else self.port

    def start(self) -> int:
        self._thread.start()
        self.port = asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(10)
        return self.port

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)
