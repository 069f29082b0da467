"""`k8sdoctor capture` end to end: the real CLI against the local API server, the bundle read back with
`--snapshot`, redaction proven on planted secrets, and the bundle reader's limits on crafted archives."""

from __future__ import annotations

import base64
import io
import os
import pty
import secrets
import subprocess
import sys
import tarfile

import orjson
import pytest

from k8sdoctor.cluster.snapshot import bundle as bundle_format
from k8sdoctor.cluster.snapshot import load_snapshot
from k8sdoctor.demo.objects import container_status, pod_status, replica_pods, terminated, waiting, workload
from k8sdoctor.errors import SnapshotError
from tests.integrations.conftest import NS, verdicts

# From the demo's kestra pods (https://github.com/kestra-io/helm-charts/issues/8).
HIKARI = (
    "Caused by: com.zaxxer.hikari.pool.HikariPool$PoolInitializationException: Failed to initialize pool: Connection to "
    "kestra-postgresql:5432 refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections."
)


def members(path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar if m.isreg()}  # type: ignore[union-attr]


def test_a_capture_of_the_demo_diagnosed_offline_gives_the_same_findings_as_live(run_cli, demo_kubeconfig, tmp_path):
    bundle = tmp_path / "demo.tar.gz"
    r = run_cli("capture", "-A", "-f", str(bundle), kubeconfig=demo_kubeconfig)
    assert r.code == 0, r.err
    assert r.err_lines[0].startswith(f"wrote {bundle} (")
    assert "\x1b[" not in r.err  # no progress bar without a terminal
    live = run_cli("diagnose", "all", "-A", "-o", "json", kubeconfig=demo_kubeconfig)
    offline = run_cli("diagnose", "all", "-A", "-o", "json", "--snapshot", str(bundle))
    assert live.code == offline.code == 1, offline.err
    assert verdicts(offline.json()) == verdicts(live.json())
    assert len(verdicts(live.json())) >= 10
    # one object and one namespace read from the bundle too
    pod = run_cli("diagnose", "deploy/cloudnative-pg", "-n", "shop", "--snapshot", str(bundle), "-o", "json")
    assert {f["cause"] for p in pod.json()["pods"] for f in p["findings"]} == {"image-not-found"}
    manifest = orjson.loads(members(bundle)["k8sdoctor-capture/manifest.json"])
    assert manifest["format"] == "k8sdoctor-capture" and manifest["scope"]["allNamespaces"] is True
    # the TUI's snapshot source (`k8sdoctor --snapshot BUNDLE`) reads it too
    from k8sdoctor.model.snapshot_source import load_snapshot_source

    source = load_snapshot_source(str(bundle))
    assert source.info.snapshot == f"{bundle} (bundle)"
    assert len(source.inventory.pods) == manifest["objects"]["Pod"]
    assert manifest["objects"]["Pod"] > 10 and manifest["logs"] > 0


def _leaky_cluster(server, token: str, secret_value: str) -> None:
    """A crash-looping Deployment whose env value, annotation and previous log carry a token, and a Secret."""
    containers = [
        {
            "name": "app",
            "image": "kestra/kestra:v0.4.0",
            "env": [{"name": "GITHUB_TOKEN", "value": token}, {"name": "LOG_LEVEL", "value": "info"}],
        }
    ]
    dep, rs, h = workload(NS, "app", replicas=1, containers=containers, ready_replicas=0)
    status = pod_status(
        "Running",
        [
            container_status(
                "app",
                "kestra/kestra:v0.4.0",
                waiting("CrashLoopBackOff"),
                ready=False,
                restarts=4,
                last=terminated("Error", 1, "-3m", "-2m"),
            )
        ],
    )
    (pod,) = replica_pods(dep, rs, h, 1, status_for=lambda _n: status, nodes=["worker-1"])
    pod["metadata"]["annotations"] = {"example.com/deploy-token": token, "example.com/owner": "team-a"}
    server.apply_all([dep, rs, pod])
    server.apply(
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "app-db", "namespace": NS},
            "data": {"password": base64.b64encode(secret_value.encode()).decode()},
        }
    )
    name = pod["metadata"]["name"]
    server.set_logs(NS, name, "app", [f"calling the API with Authorization: Bearer {token}", HIKARI], previous=True)
    server.set_logs(NS, name, "app", ["x" * 5000] * 300)  # over the limits: 4096 characters a line, 256 KiB a tail


def test_planted_secrets_are_absent_from_the_bundle(run_cli, cluster, cluster_kubeconfig, tmp_path):
    token = "ghp_" + secrets.token_hex(18)
    secret_value = "s3cr3t-" + secrets.token_hex(8)
    _leaky_cluster(cluster, token, secret_value)
    bundle = tmp_path / "ci.tar.gz"
    r = run_cli("capture", "-n", NS, "-f", str(bundle), kubeconfig=cluster_kubeconfig)
    assert r.code == 0, r.err
    found = members(bundle)
    blob = b"".join(found.values())
    assert token.encode() not in blob
    assert secret_value.encode() not in blob and base64.b64encode(secret_value.encode()) not in blob
    objects = orjson.loads(found["k8sdoctor-capture/objects.json"])["items"]
    pod = next(o for o in objects if o["kind"] == "Pod")
    assert pod["spec"]["containers"][0]["env"] == [
        {"name": "GITHUB_TOKEN", "value": "<redacted:provider-token>"},
        {"name": "LOG_LEVEL", "value": "info"},
    ]
    assert pod["metadata"]["annotations"] == {"example.com/deploy-token": "<redacted:provider-token>", "example.com/owner": "team-a"}
    logs = orjson.loads(found["k8sdoctor-capture/logs.json"])
    previous = next(entry for entry in logs if entry["previous"])
    assert previous["lines"][0] == "calling the API with Authorization: Bearer <redacted:authorization-header>"
    assert previous["lines"][1] == HIKARI  # what the diagnosis reads is left alone
    secret = next(o for o in objects if o["kind"] == "Secret" and o["metadata"]["name"] == "app-db")
    assert "data" not in secret
    manifest = orjson.loads(found["k8sdoctor-capture/manifest.json"])
    redaction = manifest["redaction"]
    assert {rule["name"] for rule in redaction["rules"]} >= {"provider-token", "secret-assignment", "email", "ipv4"}
    assert "ipv4" not in redaction["enabled"]
    # the env value in the pod, its ReplicaSet's and its Deployment's templates, and the annotation; the log line
    assert redaction["removed"]["provider-token"] == 4 and redaction["removed"]["authorization-header"] == 1
    # the current log was over the size limit and had an over-long line: both cuts are listed
    cuts = {(c["what"], c["why"]) for c in manifest["cut"]}
    current = next(c for c in manifest["cut"] if c["what"].endswith("/app (current)") and "KiB" in c["why"])
    assert current["dropped_lines"] > 0
    assert any("lines over" in why for _what, why in cuts)
    # and the bundle still diagnoses what the live cluster does
    live = run_cli("diagnose", "all", "-n", NS, "-o", "json", kubeconfig=cluster_kubeconfig)
    offline = run_cli("diagnose", "all", "-n", NS, "-o", "json", "--snapshot", str(bundle))
    assert verdicts(offline.json()) == verdicts(live.json())
    assert ("ci", pod["metadata"]["name"], "CrashLoopBackOff", "dependency-unreachable", "app", "critical") in verdicts(live.json())


def test_ips_are_redacted_only_when_asked(run_cli, cluster, cluster_kubeconfig, tmp_path):
    _leaky_cluster(cluster, "ghp_" + secrets.token_hex(18), "x")
    plain, with_ips = tmp_path / "plain.tar.gz", tmp_path / "ips.tar.gz"
    assert run_cli("capture", "-n", NS, "-f", str(plain), kubeconfig=cluster_kubeconfig).code == 0
    assert run_cli("capture", "-n", NS, "--redact", "ips", "-f", str(with_ips), kubeconfig=cluster_kubeconfig).code == 0
    # the pod's status carries its IPs (hostIP, podIP)
    assert b'"10.244.1.10"' in members(plain)["k8sdoctor-capture/objects.json"]
    manifest = orjson.loads(members(with_ips)["k8sdoctor-capture/manifest.json"])
    assert "ipv4" in manifest["redaction"]["enabled"]
    r = run_cli("capture", "-n", NS, "--redact", "passwords", "-f", str(with_ips), kubeconfig=cluster_kubeconfig)
    assert r.code == 2 and "--redact passwords" in r.err_lines[0]


def test_the_progress_bar_shows_on_a_terminal(cluster, cluster_kubeconfig, tmp_path):
    """stderr on a pseudo-terminal: Rich's progress bar draws there, and the summary follows."""
    _leaky_cluster(cluster, "ghp_" + secrets.token_hex(18), "x")
    primary, secondary = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "KUBECONFIG")} | {
        "KUBECONFIG": str(cluster_kubeconfig),
        "TERM": "xterm-256color",
        "COLUMNS": "100",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "k8sdoctor", "capture", "-n", NS, "-f", str(tmp_path / "b.tar.gz")],
        stderr=secondary,
        stdout=subprocess.DEVNULL,
        env=env,
    )
    os.close(secondary)
    screen = b""
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:
            break
        if not chunk:
            break
        screen += chunk
    assert proc.wait(timeout=60) == 0
    os.close(primary)
    text = screen.decode("utf-8", "replace")
    assert "capturing:" in text and "━" in text
    assert "wrote " in text


# ---- the reader's limits --------------------------------------------------------------------------------
def _tar(path, entries: list[tarfile.TarInfo | tuple[str, bytes]]) -> None:
    with tarfile.open(path, "w:gz") as tar:
        for entry in entries:
            if isinstance(entry, tarfile.TarInfo):
                tar.addfile(entry)
            else:
                name, data = entry
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))


MANIFEST = orjson.dumps({"format": "k8sdoctor-capture", "version": 1})


def _link(name: str, target: str) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = tarfile.SYMTYPE, target
    return info


@pytest.mark.parametrize(
    ("entries", "why"),
    [
        ([("k8sdoctor-capture/manifest.json", MANIFEST), _link("k8sdoctor-capture/objects.json", "/etc/passwd")], "a link or special file"),
        ([("k8sdoctor-capture/../../evil.json", b"{}")], "a member path outside the bundle"),
        ([("/etc/cron.d/evil", b"")], "a member path outside the bundle"),
        ([("k8sdoctor-capture/extra.sh", b"")], "not a member of a k8sdoctor capture bundle"),
        ([("k8sdoctor-capture/manifest.json", MANIFEST)] * 20, "more than 16 members"),
        ([("k8sdoctor-capture/manifest.json", orjson.dumps({"format": "k8sdoctor-capture", "version": 99}))], "bundle format version 99"),
        ([("k8sdoctor-capture/manifest.json", MANIFEST)], "objects.json: missing from the bundle"),
    ],
)
def test_crafted_bundles_are_refused_in_one_line(tmp_path, entries, why):
    path = tmp_path / "evil.tar.gz"
    _tar(path, entries)
    with pytest.raises(SnapshotError) as err:
        load_snapshot(path)
    assert why in str(err.value)
    assert "\n" not in str(err.value)
    assert not (tmp_path.parent / "evil.json").exists()


def test_a_member_over_the_size_limit_is_not_read(tmp_path, monkeypatch):
    monkeypatch.setattr(bundle_format, "MAX_MEMBER_BYTES", 1024)
    path = tmp_path / "big.tar.gz"
    _tar(path, [("k8sdoctor-capture/manifest.json", MANIFEST), ("k8sdoctor-capture/objects.json", b" " * 4096)])
    with pytest.raises(SnapshotError, match=r"objects\.json: larger than"):
        load_snapshot(path)


def test_a_truncated_bundle_is_one_line_from_the_cli(run_cli, tmp_path):
    good = tmp_path / "good.tar.gz"
    _tar(good, [("k8sdoctor-capture/manifest.json", MANIFEST)])
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(good.read_bytes()[:40])
    r = run_cli("diagnose", "pods", "-A", "--snapshot", str(cut))
    assert r.code == 2
    assert (
        r.err_lines == [f"k8sdoctor: error: snapshot {cut}: a gzip file that is not a readable k8sdoctor capture bundle (EOFError)"]
        or "not a readable k8sdoctor capture bundle" in r.err_lines[0]
    )
