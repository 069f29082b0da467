"""`GET pods/NAME/attach` upgraded to a websocket (the channel protocol of `streams`), with a tiny
simulated shell behind it, so debug containers can be attached to for real in tests and the demo.
Every session is recorded: what was typed and each resize."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import orjson
from aiohttp import web

from k8sdoctor.fakeapi import status
from k8sdoctor.fakeapi.shell import TinyShell
from k8sdoctor.fakeapi.streams import (
    CLOSE,
    ERROR,
    RESIZE,
    STDIN,
    STDOUT,
    client_frames,
    exit_status,
    find_container,
    frame,
    is_running,
    upgrade,
)


@dataclass
class AttachSession:
    """One attach: where to, the protocol agreed, the bytes typed, the sizes sent, whether it ended."""

    namespace: str
    pod: str
    container: str
    tty: bool
    protocol: str = ""
    stdin: bytearray = field(default_factory=bytearray)
    resizes: list[dict] = field(default_factory=list)
    ended: threading.Event = field(default_factory=threading.Event)


async def serve_attach(request: web.Request, pod: dict, query: dict[str, str], sessions: list[AttachSession]) -> web.StreamResponse:
    meta = pod.get("metadata") or {}
    name, spec = find_container(pod, query.get("container", ""))
    if not is_running(pod, name):
        # the API server's words, quoted in https://github.com/kubernetes/kubernetes/pull/110764
        raise status.internal("error attaching to container: container is not created or running")
    ws = await upgrade(request)
    session = AttachSession(
        meta.get("namespace", ""), meta.get("name", ""), name, query.get("tty", "").lower() == "true", ws.ws_protocol or ""
    )
    sessions.append(session)
    shell = TinyShell(meta.get("name", ""), spec.get("targetContainerName") or "app")
    try:
        await ws.send_bytes(frame(STDOUT, shell.prompt))
        async for channel, payload in client_frames(ws):
            if channel == RESIZE:
                session.resizes.append(orjson.loads(payload))
            elif channel == CLOSE and payload[:1] == bytes([STDIN]):
                await ws.send_bytes(frame(ERROR, exit_status(shell.end_of_input()[2])))
                break
            elif channel == STDIN:
                session.stdin += payload
                out, _err, code = shell.feed(payload)
                if out:
                    await ws.send_bytes(frame(STDOUT, out))
                if code is not None:
                    await ws.send_bytes(frame(ERROR, exit_status(code)))
                    break
    finally:
        await ws.close()
        session.ended.set()
    return ws
