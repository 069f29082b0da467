"""The official client's kubeconfig loader, as k8sdoctor loads it (`cluster/live/kubernetes_import.py`):
the parts it defers still work when a kubeconfig needs them, and what the loader leaves behind is cleaned
up when a one-shot command ends early (`cli/main.py`, `_exit_without_teardown`)."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml

from k8sdoctor.fakeapi.auth import ADMIN_RULES


def _jwt(claims: dict) -> str:
    """An unsigned JWT the loader can read: url-safe base64 without padding, payload length not 1 mod 4."""

    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    while len(part(claims)) % 4 == 1:
        claims = {**claims, "pad": claims.get("pad", "") + "x"}
    return f"{part({'alg': 'none'})}.{part(claims)}.c2ln"


class _IdentityProvider(ThreadingHTTPServer):
    """An OIDC issuer: discovery document and a token endpoint that answers refresh grants."""

    def __init__(self, new_id_token: str) -> None:
        super().__init__(("127.0.0.1", 0), _IdentityProviderHandler)
        self.new_id_token = new_id_token
        self.refresh_grants: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _IdentityProviderHandler(BaseHTTPRequestHandler):
    server: _IdentityProvider

    def _json(self, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._json({"issuer": self.server.url, "token_endpoint": f"{self.server.url}/token"})

    def do_POST(self) -> None:
        form = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        self.server.refresh_grants.append(form)
        self._json(
            {
                "access_token": "unused",
                "token_type": "Bearer",
                "expires_in": 3600,
                "id_token": self.server.new_id_token,
                "refresh_token": "refresh-2",
            }
        )

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def identity_provider():
    idp = _IdentityProvider(_jwt({"sub": "oidc-user", "exp": int(time.time()) + 3600}))
    thread = threading.Thread(target=idp.serve_forever, daemon=True)
    thread.start()
    yield idp
    idp.shutdown()
    idp.server_close()


def _oidc_kubeconfig(demo_server, tmp_path, issuer: str):
    path = demo_server.write_kubeconfig(tmp_path / "kubeconfig", namespace="shop")
    config = yaml.safe_load(path.read_text())
    config["users"][0]["user"] = {
        "auth-provider": {
            "name": "oidc",
            "config": {
                "client-id": "k8s",
                "client-secret": "s3cret",
                "idp-issuer-url": issuer,
                "refresh-token": "refresh-1",
                "id-token": _jwt({"sub": "oidc-user", "exp": int(time.time()) - 600}),  # expired ten minutes ago
            },
        }
    }
    path.write_text(yaml.safe_dump(config))
    return path


def test_an_expired_oidc_token_is_refreshed_through_the_deferred_loader_parts(run_cli, demo_server, identity_provider, tmp_path):
    demo_server.add_user("oidc-user", ADMIN_RULES, token=identity_provider.new_id_token)
    kubeconfig = _oidc_kubeconfig(demo_server, tmp_path, identity_provider.url)
    result = run_cli("diagnose", "pods", "-o", "json", kubeconfig=kubeconfig, env={"OAUTHLIB_INSECURE_TRANSPORT": "1"})
    assert result.code == 1, result.err  # problems found, read as the refreshed user
    assert len(identity_provider.refresh_grants) == 1 and "refresh_token=refresh-1" in identity_provider.refresh_grants[0]
    assert {item["namespace"] for item in result.json()["items"]} == {"shop"}


def test_an_unreachable_identity_provider_is_one_line_naming_the_kubeconfig(run_cli, demo_server, tmp_path):
    kubeconfig = _oidc_kubeconfig(demo_server, tmp_path, "http://127.0.0.1:9")  # the discard port: nothing listens
    result = run_cli("diagnose", "pods", kubeconfig=kubeconfig)
    assert result.code == 2 and "Traceback" not in result.err
    assert len(result.err_lines) == 1 and result.err_lines[0].startswith(f"k8sdoctor: error: kubeconfig {kubeconfig}: ")


def test_the_loaders_temporary_certificate_files_are_removed_when_diagnose_ends(run_cli, demo_kubeconfig, tmp_path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    result = run_cli("diagnose", "pods", "-o", "json", kubeconfig=demo_kubeconfig, env={"TMPDIR": str(temp)})
    assert result.code == 1 and result.json()["items"], result.err  # the whole output arrived
    assert list(temp.iterdir()) == []  # the CA file the loader wrote from certificate-authority-data is gone


def test_loading_the_client_parts_leaves_oidc_and_generated_client_modules_unimported():
    code = (
        "import sys\n"
        "from k8sdoctor.cluster.live.kubernetes_import import client_parts\n"
        "parts = client_parts()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('requests', 'requests_oauthlib', 'pydantic')"
        " or m in ('oauthlib.oauth2', 'kubernetes.client.api_client')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_stand_ins_serve_the_client_and_leave_the_real_modules_to_later_imports(demo_kubeconfig):
    """`importlib.metadata`, `multiprocessing` and `typing_extensions` are not imported to open a client;
    what the client took from their stand-ins behaves as the real thing, and a later import is real."""
    code = (
        "import os, sys\n"
        "from k8sdoctor.cluster.live.client import KubeClient\n"
        f"client = KubeClient({str(demo_kubeconfig)!r}, None)\n"
        "client.get('/api/v1/namespaces')\n"
        "print(sorted(m for m in ('importlib.metadata', 'multiprocessing', 'typing_extensions') if m in sys.modules))\n"
        "assert client.configuration.connection_pool_maxsize == os.cpu_count() * 5\n"
        "import importlib.metadata, multiprocessing, typing_extensions, urllib3.http2\n"
        "assert urllib3.http2.version('urllib3') == importlib.metadata.version('urllib3') == urllib3.__version__\n"
        "assert multiprocessing.Process and typing_extensions.TypedDict\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    # typing_extensions has typing's own objects to stand in for it from Python 3.11 on only
    assert done.stdout.strip() == ("[]" if sys.version_info >= (3, 11) else "['typing_extensions']")
