"""Other projects' test cases (k8sgpt, Popeye, HolmesGPT), each written as a cluster-info dump and
diagnosed offline by the real CLI: no false alarm, no placeholder, and the verdicts k8sdoctor's taxonomy
gives them (the row's `expect`). Where the peers disagree, the choice is written in docs/playbooks.md
("Decisions") and asserted here."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import datetime, timezone

import orjson
import pytest

from tests.peercases import peer_cases, write_peer_dump

POD_CASES = sorted(cid for cid, case in peer_cases().items() if case["scope"] == "pod")

#: Where the peers disagree, or a row's expectation rests on data that says nothing, k8sdoctor decides;
#: each decision is written in docs/playbooks.md ("Decisions") and is the verdict asserted here.
DECISIONS = {
    # Unknown is unknown: a pod with no timestamps and no status says nothing to diagnose.
    "k8sgpt-sts-pod-pending-bare": {"healthy": True},
    "k8sgpt-sts-pod-pending-with-service": {"healthy": True},
    "popeye-podlint-p2": {"healthy": True},
    # A container that reports not ready is not serving, whatever its (missing) state: NotReady, as Popeye says.
    "k8sgpt-pod-unready-no-event": {"healthy": False, "category": ["NotReady"], "cause": ["not-ready"]},
    # An app container that exited in a pod whose policy restarts it is not running: a warning, as Popeye says
    # for the ready one and not for the unready one.
    "popeye-containerstatus-terminatedNotReady": {"healthy": False, "category": ["NotRunning"], "cause": ["exited"]},
    # Restarts long ago with the container ready and nothing recorded about them are history, not a problem.
    "popeye-containerstatus-restartedLimit": {"healthy": True},
}
PLACEHOLDER = re.compile(r"<[a-z_]+>")


def diagnose(case_id: str, tmp_path) -> dict:
    dump = write_peer_dump(peer_cases()[case_id], tmp_path / "dump", datetime.now(timezone.utc))
    done = subprocess.run(
        [sys.executable, "-m", "k8sdoctor", "diagnose", "pods", "-A", "--snapshot", str(dump), "-o", "json"],
        capture_output=True,
        timeout=60,
    )
    assert done.returncode in (0, 1), done.stderr.decode()
    return orjson.loads(done.stdout)


def target(payload: dict, case_id: str) -> dict:
    t = peer_cases()[case_id]["target"]
    return next(i for i in payload["items"] if (i["namespace"], i["name"]) == (t["namespace"], t["name"]))


@pytest.mark.parametrize("case_id", POD_CASES)
def test_peer_case(case_id, tmp_path):
    case = peer_cases()[case_id]
    payload = diagnose(case_id, tmp_path)
    for item in payload["items"]:
        for f in item["findings"]:
            texts = [
                f["title"],
                f["summary"],
                f["explanation"],
                *(s["text"] for s in f["remediation"]),
                *(s["command"] or "" for s in f["remediation"]),
            ]
            assert not [t for t in texts if PLACEHOLDER.search(t)], (item["name"], f["cause"], texts)
    expect = DECISIONS.get(case_id, case["expect"])
    if expect is None:  # the case is about another pod of the file, or names no verdict
        return
    item = target(payload, case_id)
    assert item["healthy"] == expect["healthy"], (item["findings"], case["notes"])
    problems = [f for f in item["findings"] if f["severity"] in ("critical", "warning")]
    if expect.get("category"):
        assert {f["category"] for f in problems} <= set(expect["category"]) and problems, [(f["category"], f["cause"]) for f in problems]
    if expect.get("cause"):
        assert {f["cause"] for f in problems} & set(expect["cause"]), [(f["category"], f["cause"]) for f in problems]


def test_an_event_naming_no_container_is_not_pinned_on_a_container_not_yet_created(tmp_path):
    """holmes-11 as older kubelets or a trimmed dump record it, with no involvedObject.fieldPath: the
    init container's exec failure is still the init container's, never the app container's, which
    waits in PodInitializing and has not been created."""
    case = orjson.loads(orjson.dumps(peer_cases()["holmes-11-init-command-not-found"]))
    for obj in case["objects"]:
        if obj["kind"] == "Event":
            obj["involvedObject"].pop("fieldPath", None)
    dump = write_peer_dump(case, tmp_path / "dump", datetime.now(timezone.utc))
    done = subprocess.run(
        [sys.executable, "-m", "k8sdoctor", "diagnose", "pods", "-A", "--snapshot", str(dump), "-o", "json"],
        capture_output=True,
        timeout=60,
    )
    item = next(i for i in orjson.loads(done.stdout)["items"] if i["name"] == "logging-agent")
    problems = [(f["container"], f["cause"]) for f in item["findings"] if f["severity"] in ("critical", "warning")]
    assert ("downloader", "command-not-found") in problems, problems
    assert not [p for p in problems if p[0] == "exporter"], problems
