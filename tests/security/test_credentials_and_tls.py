"""TLS as the kubeconfig says, with no insecure fallback; credentials never reach k8sdoctor's log."""

from __future__ import annotations

import base64

import trustme
import yaml

from k8sdoctor.logfile import redact


def test_a_server_certificate_the_kubeconfig_does_not_trust_is_refused(run_cli, demo_server, tmp_path):
    kubeconfig = demo_server.write_kubeconfig(tmp_path / "kc", namespace="shop")
    config = yaml.safe_load(kubeconfig.read_text())
    other_ca = trustme.CA().cert_pem.bytes()  # a CA that did not sign the server's certificate
    config["clusters"][0]["cluster"]["certificate-authority-data"] = base64.b64encode(other_ca).decode()
    kubeconfig.write_text(yaml.safe_dump(config))
    result = run_cli("diagnose", "pods", kubeconfig=kubeconfig)
    assert result.code == 2 and "Traceback" not in result.err
    assert len(result.err_lines) == 1 and "TLS error talking to https://127.0.0.1" in result.err_lines[0]
    assert "certificate verify failed" in result.err_lines[0]


def test_the_bearer_token_never_reaches_the_log(run_cli, demo_server, demo_kubeconfig, tmp_path):
    state = tmp_path / "state"
    token = yaml.safe_load(demo_kubeconfig.read_text())["users"][0]["user"]["token"]
    for args in (["diagnose", "pods", "-A"], ["diagnose", "pod", "nope"], ["describe", "pod", "memory-demo-2", "-n", "mem-example"]):
        result = run_cli(*args, "--debug", kubeconfig=demo_kubeconfig, env={"K8SDOCTOR_STATE_DIR": str(state)})
        assert token not in result.out and token not in result.err
    assert token not in "".join(p.read_text() for p in state.glob("*.log"))


def test_redaction_of_tokens_in_log_text():
    assert redact("Authorization: Bearer abcdef0123456789xyz") == "Authorization: Bearer [REDACTED]"
    assert redact('{"token": "abcdef0123456789"}') == '{"token": "[REDACTED]"}'
    assert redact("nothing secret here") == "nothing secret here"
