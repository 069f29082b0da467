"""`GET pods/NAME/exec?command=...` upgraded to a websocket (the channel protocol of `streams`), as
`kubectl exec` and the official clients use it. A shell (`sh`, `bash`, `ash`) runs as a tiny simulated
shell, interactive on a terminal or reading commands from stdin without one; `sh -c "..."` and any other
command run once. The command's exit status ends the session on the status channel, so `kubectl exec`
exits with it. Every session is recorded: the command, what was typed, each resize, the exit status."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import orjson
from aiohttp import web

from k8sdoctor.fakeapi import status
from k8sdoctor.fakeapi.shell import SHELLS, TinyShell
from k8sdoctor.fakeapi.streams import (
    CLOSE,
    ERROR,
    RESIZE,
    STDERR,
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
class ExecSession:
    """One exec: where, which command, the protocol agreed, what was typed, the sizes sent, the exit status."""

    namespace: str
    pod: str
    container: str
    command: list[str]
    tty: bool
    protocol: str = ""
    stdin: bytearray = field(default_factory=bytearray)
    resizes: list[dict] = field(default_factory=list)
    exit_code: int | None = None
    ended: threading.Event = field(default_factory=threading.Event)


def _process(spec: dict) -> str:
    """What the container runs as PID 1: its command, else its image's name."""
    command = spec.get("command") or []
    if command:
        return str(command[0]).rsplit("/", 1)[-1]
    return str(spec.get("image") or "app").rsplit("/", 1)[-1].split(":")[0]


async def serve_exec(request: web.Request, pod: dict, sessions: list[ExecSession]) -> web.StreamResponse:
    query = request.query
    meta = pod.get("metadata") or {}
    command = query.getall("command", [])
    if not command:
        raise status.bad_request("you must specify at least one command for the container")
    name, spec = find_container(pod, query.get("container", ""))
    if not is_running(pod, name):
        # the kubelet's words when the runtime has no running container of that name (pkg/kubelet)
        raise status.bad_request(f'container not found ("{name}")')
    tty = query.get("tty", "").lower() in ("true", "1")
    ws = await upgrade(request)
    session = ExecSession(meta.get("namespace", ""), meta.get("name", ""), name, list(command), tty, ws.ws_protocol or "")
    sessions.append(session)
    program = command[0].rsplit("/", 1)[-1]
    shell = TinyShell(meta.get("name", ""), _process(spec), shell=program, tty=tty)
    err_channel = STDOUT if tty else STDERR

    async def send(out: bytes, err: bytes) -> None:
        if out:
            await ws.send_bytes(frame(STDOUT, out))
        if err:
            await ws.send_bytes(frame(err_channel, err))

    async def finish(code: int) -> None:
        session.exit_code = code
        await ws.send_bytes(frame(ERROR, exit_status(code)))

    try:
        if program not in SHELLS or len(command) > 1:  # one command: `sh -c "..."`, or the program itself
            line = command[2] if program in SHELLS and command[1:2] == ["-c"] and len(command) > 2 else " ".join(command)
            out, err, code = shell.run(line)
            await send(out, err)
            await finish(shell.status if code is None else code)
            return ws
        await send(shell.prompt, b"")
        async for channel, payload in client_frames(ws):
            if channel == RESIZE:
                session.resizes.append(orjson.loads(payload))
            elif channel == CLOSE and payload[:1] == bytes([STDIN]):
                out, err, code = shell.end_of_input()
                await send(out, err)
                await finish(code)
                break
            elif channel == STDIN:
                session.stdin += payload
                out, err, done = shell.feed(payload)
                await send(out, err)
                if done is not None:
                    await finish(done)
                    break
    finally:
        await ws.close()
        session.ended.set()
    return ws
