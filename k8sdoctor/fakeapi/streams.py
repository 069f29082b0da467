"""The websocket channel protocol of attach and exec, as the API server speaks it to kubectl and the
official clients.

Every message starts with one byte naming its channel: 0 stdin, 1 stdout, 2 stderr, 3 the final status
(a metav1.Status in JSON), 4 the terminal size (`{"Width": W, "Height": H}`). v5.channel.k8s.io adds 255:
the client closes one of its streams (`[255, 0]`: end of stdin). v4.channel.k8s.io and the older
channel.k8s.io have no such signal. The server picks the first protocol the client offers that it knows.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import orjson
from aiohttp import WSMsgType, web

from k8sdoctor.fakeapi import status

PROTOCOLS = ("v5.channel.k8s.io", "v4.channel.k8s.io", "channel.k8s.io")
STDIN, STDOUT, STDERR, ERROR, RESIZE, CLOSE = 0, 1, 2, 3, 4, 255
SUCCESS = orjson.dumps({"metadata": {}, "status": "Success"})


def exit_status(code: int) -> bytes:
    """The final status of a command that exited with `code`: Success, or the kubelet's
    NonZeroExitCode failure whose ExitCode cause kubectl turns into its own exit code
    (pkg/kubelet/cri/streaming/remotecommand/httpstream.go)."""
    if code == 0:
        return SUCCESS
    return orjson.dumps(
        {
            "metadata": {},
            "status": "Failure",
            "message": f"command terminated with non-zero exit code: exit status {code}",
            "reason": "NonZeroExitCode",
            "details": {"causes": [{"reason": "ExitCode", "message": str(code)}]},
        }
    )


def find_container(pod: dict, requested: str) -> tuple[str, dict]:
    """The container a stream goes to: the one named, or the pod's only one."""
    spec = pod.get("spec") or {}
    every = (spec.get("containers") or []) + (spec.get("initContainers") or []) + (spec.get("ephemeralContainers") or [])
    pod_name = (pod.get("metadata") or {}).get("name", "")
    if not requested and len(every) > 1:
        # the API server's words (pkg/registry/core/pod/strategy.go)
        names = " ".join(c.get("name", "") for c in spec.get("containers") or [])
        raise status.bad_request(f"a container name must be specified for pod {pod_name}, choose one of: [{names}]")
    name = requested or (every[0].get("name", "") if every else "")
    found = next((c for c in every if c.get("name") == name), None)
    if found is None:
        raise status.bad_request(f"container {requested} is not valid for pod {pod_name}")
    return name, found


def is_running(pod: dict, name: str) -> bool:
    pod_status = pod.get("status") or {}
    statuses = (
        (pod_status.get("containerStatuses") or [])
        + (pod_status.get("initContainerStatuses") or [])
        + (pod_status.get("ephemeralContainerStatuses") or [])
    )
    found = next((s for s in statuses if s.get("name") == name), None)
    return found is not None and (found.get("state") or {}).get("running") is not None


async def upgrade(request: web.Request) -> web.WebSocketResponse:
    """Upgrade the request to a websocket speaking one of PROTOCOLS (400 for a plain HTTP request)."""
    ws = web.WebSocketResponse(protocols=PROTOCOLS)
    if not ws.can_prepare(request).ok:
        raise status.bad_request("Upgrade request required")
    await ws.prepare(request)
    return ws


def frame(channel: int, data: bytes) -> bytes:
    return bytes([channel]) + data


async def client_frames(ws: web.WebSocketResponse) -> AsyncIterator[tuple[int, bytes]]:
    """The frames a client sends, as (channel, payload); empty and non-data messages skipped."""
    async for msg in ws:
        if msg.type not in (WSMsgType.BINARY, WSMsgType.TEXT):
            continue
        data = msg.data if isinstance(msg.data, bytes) else msg.data.encode()
        if data:
            yield data[0], data[1:]
