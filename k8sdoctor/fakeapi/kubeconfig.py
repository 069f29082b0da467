"""A throw-away CA and server certificate (trustme), and kubeconfig files pointing at the fake server.

kubectl sends bearer tokens only over HTTPS, so a TLS server plus a kubeconfig carrying
`certificate-authority-data` and the user's token is what both kubectl and the kubernetes client need.
"""

from __future__ import annotations

import base64
import ssl
from pathlib import Path

import yaml


class ServerCertificate:
    """A fresh CA and a certificate for 127.0.0.1/localhost signed by it (needs `trustme`, imported here
    so that a plain-HTTP server does not)."""

    def __init__(self) -> None:
        import trustme

        self._ca = trustme.CA()
        self._leaf = self._ca.issue_cert("127.0.0.1", "localhost", "::1")

    @property
    def ca_pem(self) -> bytes:
        return self._ca.cert_pem.bytes()

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self._leaf.configure_cert(context)
        return context


def kubeconfig(
    server: str,
    *,
    user: str = "admin",
    token: str | None = None,
    ca_pem: bytes | None = None,
    namespace: str | None = None,
    name: str = "fakeapi",
) -> dict:
    """A kubeconfig dict with one cluster, one user and one context, all current."""
    cluster: dict = {"server": server}
    if ca_pem is not None:
        cluster["certificate-authority-data"] = base64.b64encode(ca_pem).decode()
    context: dict = {"cluster": name, "user": user}
    if namespace:
        context["namespace"] = namespace
    return {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": name, "cluster": cluster}],
        "users": [{"name": user, "user": {"token": token} if token else {}}],
        "contexts": [{"name": name, "context": context}],
        "current-context": name,
        "preferences": {},
    }


def write_kubeconfig(path: str | Path, server: str, **options: object) -> Path:
    """Write `kubeconfig(server, **options)` to `path` (mode 0600, as kubectl expects)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(kubeconfig(server, **options), sort_keys=False))  # type: ignore[arg-type]
    target.chmod(0o600)
    return target
