"""Run a group of tests/pathcases.py scenarios live and from a snapshot: apply them to this module's local
API server, diagnose everything with the real CLI, save the same objects the way a user would
(`kubectl cluster-info dump` to stdout, which keeps container logs, followed by `kubectl get -o json` of
the kinds the dump leaves out), and diagnose that file offline."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.fakeapi.conftest import KUBECTL
from tests.pathcases import Scenario

#: What `kubectl cluster-info dump` leaves out and the diagnosis reads.
EXTRA_KINDS = "ingresses,ingressclasses,persistentvolumeclaims,persistentvolumes,storageclasses,horizontalpodautoscalers,statefulsets,secrets,apiservices"


def apply(server, scenarios: list[Scenario]) -> None:
    objects = [obj for s in scenarios for obj in s.objects]
    used = sorted({o["metadata"]["namespace"] for o in objects if o["metadata"].get("namespace")} | {"default", "kube-system"})
    server.apply_all([{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}, "status": {"phase": "Active"}} for ns in used])
    server.apply_all(objects)
    for s in scenarios:
        for pod, container, lines in s.logs:
            server.set_logs(s.id, pod, container, lines, previous=True)


def kubectl(kubeconfig: Path, home: Path, *args: str) -> str:
    done = subprocess.run(
        [KUBECTL, "--kubeconfig", str(kubeconfig), "--cache-dir", str(home / "cache"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={"HOME": str(home), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def snapshot(kubeconfig: Path, home: Path, path: Path) -> Path:
    dump = kubectl(kubeconfig, home, "cluster-info", "dump", "--all-namespaces")
    rest = kubectl(kubeconfig, home, "get", EXTRA_KINDS, "-A", "-o", "json")
    path.write_text(dump + "\n" + rest)
    return path


def item(payload: dict, scenario: Scenario) -> dict:
    kind, name = scenario.subject
    found = [i for i in payload["items"] if (i["kind"], i["namespace"], i["name"]) == (kind, scenario.namespace, name)]
    assert found, f"{scenario.id}: no item for {kind} {scenario.namespace}/{name}"
    return found[0]


def verdicts(entry: dict) -> list[tuple[str, str, str]]:
    return [(f["category"], f["cause"], f["severity"]) for f in entry["findings"]]


def check(scenario: Scenario, entry: dict) -> None:
    """The scenario's verdict (cited source on the scenario), or nothing alarming for a control."""
    found = verdicts(entry)
    if scenario.verdict is None:
        assert entry["healthy"], f"{scenario.id} ({scenario.source}): {found}"
    else:
        assert scenario.verdict in found, f"{scenario.id} ({scenario.source}): {found}"
