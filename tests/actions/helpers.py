"""Shared by the action tests: the scenarios as inventories, the fake API server, the real kubectl."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path

from k8sdoctor.actions.attach import AttachResult
from k8sdoctor.core.inventory import Inventory

FIXED_NOW = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)
DATA = Path(__file__).parent / "data"
#: The failing pods: every message in it is copied from a public report, cited there.
CLUSTER = Path(__file__).parents[1] / "fakeapi" / "data" / "cluster.yaml"
#: Pods that exercise every part of describe (no failure messages).
DESCRIBE = DATA / "describe.yaml"
KUBECTL = shutil.which("kubectl") or "/usr/bin/kubectl"
PLANTED = "PLANTED-SECRET-k8sdoctor-7f3a"  # the value of Secret lab/planted-secret (see describe.yaml)
PLANTED_B64 = "UExBTlRFRC1TRUNSRVQtazhzZG9jdG9yLTdmM2E="


def scenario_inventory(*paths: Path, now: datetime = FIXED_NOW) -> Inventory:
    """Scenario files loaded as the fake API server loads them (times resolved against `now`, uids set,
    events bound to their pods), into an Inventory as a live fetch or a snapshot would fill it."""
    from k8sdoctor.fakeapi.scenario import load

    inventory = Inventory()
    for path in paths or (CLUSTER, DESCRIBE):
        loaded = load(path, now)
        for obj in loaded.objects:
            inventory.put(obj.get("kind", ""), obj)
        for spec in loaded.logs:
            inventory.put_logs(spec.namespace, spec.pod, spec.container, spec.previous, list(spec.lines))
    return inventory


def kubectl(kubeconfig: Path, home: Path, *args: str, tz: str = "UTC") -> subprocess.CompletedProcess:
    """The real kubectl with a private HOME and discovery cache, times in `tz`."""
    home.mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        [KUBECTL, "--kubeconfig", str(kubeconfig), "--cache-dir", str(home / "cache"), *args],
        capture_output=True,
        text=True,
        timeout=30,
        env={"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin"), "TZ": tz},
    )


def has_kubectl() -> bool:
    return os.access(KUBECTL, os.X_OK)


class AttachRecorder:
    """An attach runner for debug tests: records what it was asked to attach to, and ends at once."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str]] = []

    def __call__(self, client, namespace, pod, container) -> AttachResult:
        self.calls.append((namespace, pod, container))
        return AttachResult(True, "session ended")
