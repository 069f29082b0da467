"""`pods/NAME/attach` over a websocket: the channel protocol, the simulated shell, the checks before it."""

from __future__ import annotations

import json

import pytest
import websocket

from k8sdoctor.fakeapi import Rule

ATTACH = "/api/v1/namespaces/shop/pods/web-6d4cf56db6-abcde/attach?container=app&stdin=true&stdout=true&tty=true"


def connect(
    srv, path: str = ATTACH, protocols=("v5.channel.k8s.io", "v4.channel.k8s.io"), token: str | None = None, ca_file: str | None = None
) -> websocket.WebSocket:
    url = srv.url.replace("http", "ws", 1) + path
    header = [f"Authorization: Bearer {token}"] if token else []
    sslopt = {"ca_certs": ca_file} if ca_file else None
    return websocket.create_connection(url, subprotocols=list(protocols), header=header, sslopt=sslopt, timeout=5)


def frames(ws: websocket.WebSocket) -> list[bytes]:
    """Every message until the server closes."""
    out = []
    while True:
        opcode, data = ws.recv_data()
        if opcode == websocket.ABNF.OPCODE_CLOSE:
            return out
        out.append(data)


def test_a_session_speaks_the_channel_protocol(server):
    ws = connect(server)
    assert ws.subprotocol == "v5.channel.k8s.io"  # the newest both sides speak
    assert ws.recv() == b"\x01/ # "
    ws.send_binary(b"\x04" + json.dumps({"Width": 100, "Height": 30}).encode())
    ws.send_binary(b"\x00ps\r")
    ws.send(b"\x00echo hi\rexit\r".decode())  # text frames carry the channel byte too
    received = frames(ws)
    stdout = b"".join(f[1:] for f in received if f[:1] == b"\x01")
    assert stdout == (
        b"ps\r\nPID   USER     TIME  COMMAND\r\n    1 root      0:00 app\r\n   12 root      0:00 sh\r\n"
        b"   18 root      0:00 ps\r\n/ # echo hi\r\nhi\r\n/ # exit\r\n"
    )
    assert received[-1] == b'\x03{"metadata":{},"status":"Success"}'
    (session,) = server.attach_sessions()
    assert (session.pod, session.container, session.tty) == ("web-6d4cf56db6-abcde", "app", True)
    assert session.resizes == [{"Width": 100, "Height": 30}]
    assert bytes(session.stdin) == b"ps\recho hi\rexit\r"
    assert session.ended.wait(5)


def test_the_older_protocol_name_is_accepted(server):
    ws = connect(server, protocols=("channel.k8s.io",))
    assert ws.subprotocol == "channel.k8s.io"
    ws.send_binary(b"\x00\x04")  # ctrl-D on an empty line ends the shell
    assert frames(ws)[-1][:1] == b"\x03"


def test_a_plain_get_must_upgrade(server, api_client_for):
    from kubernetes import client
    from kubernetes.client.exceptions import ApiException

    core = client.CoreV1Api(api_client_for(server))
    with pytest.raises(ApiException) as plain:
        core.connect_get_namespaced_pod_attach("web-6d4cf56db6-abcde", "shop", container="app", _preload_content=False)
    assert plain.value.status == 400 and json.loads(plain.value.body)["message"] == "Upgrade request required"


def test_a_container_that_is_not_running_cannot_be_attached(server):
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        connect(server, "/api/v1/namespaces/shop/pods/kb-5c7d8f9b6-q4w2e/attach?container=kb&stdin=true&tty=true")
    assert refused.value.status_code == 500
    # the API server's words, quoted in https://github.com/kubernetes/kubernetes/pull/110764
    assert json.loads(refused.value.resp_body)["message"] == (
        "Internal error occurred: error attaching to container: container is not created or running"
    )


def test_attaching_needs_create_on_pods_attach(tls_server, tmp_path):
    ca = tmp_path / "ca.pem"
    ca.write_bytes(tls_server.certificate.ca_pem)
    reader = tls_server.add_user("reader", [Rule(("get",), ("pods", "pods/attach"), namespaces=("shop",))])
    with pytest.raises(websocket.WebSocketBadStatusException) as denied:
        connect(tls_server, token=reader, ca_file=str(ca))
    assert denied.value.status_code == 403
    assert json.loads(denied.value.resp_body)["message"] == (
        'pods "web-6d4cf56db6-abcde" is forbidden: User "reader" cannot create resource "pods/attach" in API group "" '
        'in the namespace "shop"'
    )
    debugger = tls_server.add_user("debugger", [Rule(("create",), ("pods/attach",), namespaces=("shop",))])
    ws = connect(tls_server, token=debugger, ca_file=str(ca))
    assert ws.recv() == b"\x01/ # "
    ws.close()
