"""`GET pods/NAME/attach` upgraded to a websocket, speaking Kubernetes' channel protocol, with a tiny
simulated shell behind it, so debug containers can be attached to for real in tests and the demo.

The protocol (v4.channel.k8s.io, and the older channel.k8s.io): every message starts with one byte
naming its channel, 0 stdin, 1 stdout, 2 stderr, 3 the final status (a metav1.Status in JSON), 4 the
terminal size ({"Width": W, "Height": H}). Every session is recorded: what was typed and each resize.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import orjson
from aiohttp import WSMsgType, web

from k8sdoctor.fakeapi import status

PROTOCOLS = ("v4.channel.k8s.io", "channel.k8s.io")
STDIN, STDOUT, ERROR, RESIZE = 0, 1, 3, 4
SUCCESS = orjson.dumps({"metadata": {}, "status": "Success"})


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


class TinyShell:
    """A terminal's worth of busybox sh: echoes what is typed, knows echo, hostname, ps and exit."""

    prompt = b"/ # "

    def __init__(self, hostname: str, target: str | None) -> None:
        self.hostname = hostname
        self.target = target or "app"
        self.line = bytearray()

    def _run(self, command: str) -> tuple[bytes, bool]:
        word, _, rest = command.strip().partition(" ")
        if word in ("exit", "logout"):
            return b"", True
        if not word:
            return b"", False
        if word == "echo":
            return rest.encode() + b"\r\n", False
        if word == "hostname":
            return self.hostname.encode() + b"\r\n", False
        if word == "ps":
            return (
                f"PID   USER     TIME  COMMAND\r\n    1 root      0:00 {self.target}\r\n"
                f"   12 root      0:00 sh\r\n   18 root      0:00 ps\r\n"
            ).encode(), False
        return f"sh: {word}: not found\r\n".encode(), False

    def feed(self, data: bytes) -> tuple[bytes, bool]:
        """Output for the typed bytes (a tty echoes them), and whether the shell exited."""
        out = bytearray()
        for byte in data:
            if byte in (0x0D, 0x0A):
                result, done = self._run(self.line.decode(errors="replace"))
                self.line.clear()
                out += b"\r\n" + result
                if done:
                    return bytes(out), True
                out += self.prompt
            elif byte == 0x04 and not self.line:  # ctrl-D on an empty line
                return bytes(out), True
            elif byte == 0x7F:
                if self.line:
                    self.line.pop()
                    out += b"\b \b"
            else:
                self.line.append(byte)
                out.append(byte)
        return bytes(out), False


def _container(pod: dict, requested: str) -> tuple[str, dict]:
    spec = pod.get("spec") or {}
    every = (spec.get("containers") or []) + (spec.get("initContainers") or []) + (spec.get("ephemeralContainers") or [])
    name = requested or (every[0].get("name", "") if len(every) == 1 else "")
    found = next((c for c in every if c.get("name") == name), None)
    if found is None:
        raise status.bad_request(f"container {requested} is not valid for pod {(pod.get('metadata') or {}).get('name', '')}")
    return name, found


def _running(pod: dict, name: str) -> bool:
    pod_status = pod.get("status") or {}
    statuses = (
        (pod_status.get("containerStatuses") or [])
        + (pod_status.get("initContainerStatuses") or [])
        + (pod_status.get("ephemeralContainerStatuses") or [])
    )
    found = next((s for s in statuses if s.get("name") == name), None)
    return found is not None and (found.get("state") or {}).get("running") is not None


async def serve_attach(request: web.Request, pod: dict, query: dict[str, str], sessions: list[AttachSession]) -> web.StreamResponse:
    meta = pod.get("metadata") or {}
    name, spec = _container(pod, query.get("container", ""))
    if not _running(pod, name):
        # the API server's words, quoted in https://github.com/kubernetes/kubernetes/pull/110764
        raise status.internal("error attaching to container: container is not created or running")
    ws = web.WebSocketResponse(protocols=PROTOCOLS)
    if not ws.can_prepare(request).ok:
        raise status.bad_request("Upgrade request required")
    await ws.prepare(request)
    session = AttachSession(
        meta.get("namespace", ""), meta.get("name", ""), name, query.get("tty", "").lower() == "true", ws.ws_protocol or ""
    )
    sessions.append(session)
    shell = TinyShell(meta.get("name", ""), spec.get("targetContainerName"))
    try:
        await ws.send_bytes(bytes([STDOUT]) + shell.prompt)
        async for msg in ws:
            if msg.type not in (WSMsgType.BINARY, WSMsgType.TEXT):
                continue
            data = msg.data if isinstance(msg.data, bytes) else msg.data.encode()
            if not data:
                continue
            channel, payload = data[0], data[1:]
            if channel == RESIZE:
                session.resizes.append(orjson.loads(payload))
            elif channel == STDIN:
                session.stdin += payload
                out, done = shell.feed(payload)
                if out:
                    await ws.send_bytes(bytes([STDOUT]) + out)
                if done:
                    await ws.send_bytes(bytes([ERROR]) + SUCCESS)
                    break
    finally:
        await ws.close()
        session.ended.set()
    return ws
