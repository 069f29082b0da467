"""Turn a real-failure case (../shared/cases/real-failures.jsonl, tests/fixtures/public-messages.jsonl)
into the pod, events and logs it describes, by fixed rules that never look at the case's label:

- one container, "app"; it has a status only if the case gives a waiting or terminated reason, an
  exit code, or logs;
- logs are the container's previous logs, so a case with logs (or a termination) has restarted once
  and runs again (phase Running); otherwise the pod is Pending;
- `status_message` is the waiting message when there is a waiting reason, else the last termination's
  message when there is a termination, else the pod's status.message (where kubelet writes evictions);
- events keep their text verbatim; a null type or reason stays absent;
- `logs` that are not the container's output are left out: a Kubernetes component's log (the
  scheduler, autoscaler, kubelet journal or controller-manager, which the corpus stores in `logs` when
  the source showed nothing else; ../shared/notes/message-formats.md, "Field conventions", names those
  sources) or `kubectl get` output. Our own fixture rows say so in a `log_origin` field.
"""

from __future__ import annotations

import json
from pathlib import Path

from k8sdoctor.core.playbooks.examples import Example

REPO = Path(__file__).resolve().parent.parent
SHARED_CASES = REPO / "tests" / "fixtures" / "shared" / "real-failures.jsonl"
PUBLIC_MESSAGES = REPO / "tests" / "fixtures" / "public-messages.jsonl"

#: The corpus labels some causes differently from k8sdoctor's taxonomy; this maps labels, not inputs.
CAUSE_LABELS = {
    "taint": "untolerated-taint",
    "node-selector": "node-selector-mismatch",
    "insufficient-gpu": "insufficient-resources",
    "pod-anti-affinity": "pod-affinity",
    "probe-failure": "liveness-probe-failure",
    "runasnonroot-root-image": "run-as-non-root",
    "no-such-file": "command-not-found",
    "evicted-disk-pressure": "disk-pressure",
    "evicted-memory-pressure": "memory-pressure",
    "failed-attach-volume": "volume-attach-failure",
    "init-oom-killed": "oom-killed",
    "image-name-typo": None,  # the case has only a waiting reason: the cause is not in the data
}
#: The corpus's "Other" class spans several k8sdoctor categories.
OTHER_CLASS = {
    "disk-pressure": "Evicted",
    "memory-pressure": "Evicted",
    "volume-attach-failure": "ContainerCreating",
    "readiness-probe-failure": "NotReady",
    "oom-killed": "CrashLoopBackOff",
}


#: Sources whose `logs` the shared notes name as component logs ("Field conventions").
SHARED_COMPONENT_LOG_SOURCES = (
    "kubernetes/kubernetes/issues/119967",
    "kubernetes/minikube/issues/6246",
    "kubernetes/autoscaler/issues/3503",
    "kubernetes/autoscaler/issues/3268",
    "kubernetes/minikube/issues/7102",
    "Azure/acs-engine/issues/2002",
)


def load_cases(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def log_origin(case: dict) -> str:
    if "log_origin" in case:
        return case["log_origin"]
    if any(src in case["source"] for src in SHARED_COMPONENT_LOG_SOURCES):
        return "component"
    return "container"


def has_pod_evidence(case: dict) -> bool:
    """False when, once non-container logs are left out, the case holds nothing about the pod."""
    fields = ("waiting_reason", "terminated_reason", "exit_code", "status_message", "events")
    return any(case.get(f) for f in fields) or (log_origin(case) == "container" and bool(case.get("logs")))


def expected(case: dict) -> tuple[str, str | None]:
    """(category, cause or None) in k8sdoctor's terms."""
    cause = CAUSE_LABELS.get(case["cause"], case["cause"]) if case.get("expect_cause", True) else None
    category = case["class"]
    if category == "Other":
        category = OTHER_CLASS[cause]
    return category, cause


def case_to_example(case: dict) -> Example:
    logs = [] if log_origin(case) != "container" else list(case.get("logs") or [])
    terminated = case.get("terminated_reason") is not None or case.get("exit_code") is not None
    status: dict = {"phase": "Running" if logs or terminated else "Pending"}
    message = case.get("status_message")
    if case.get("waiting_reason") or terminated or logs:
        cs: dict = {"name": "app", "ready": False, "restartCount": 1 if terminated or logs else 0, "state": {}}
        if case.get("waiting_reason"):
            cs["state"] = {"waiting": {"reason": case["waiting_reason"]}}
            if message:
                cs["state"]["waiting"]["message"] = message
                message = None
        if terminated:
            term = {k: v for k, v in (("reason", case.get("terminated_reason")), ("exitCode", case.get("exit_code"))) if v is not None}
            if message:
                term["message"] = message
                message = None
            cs["lastState"] = {"terminated": term}
        status["containerStatuses"] = [cs]
    if message:
        status["message"] = message
    events = [{k: v for k, v in e.items() if v is not None} for e in case.get("events") or []]
    return Example(
        name=case["id"],
        source=case["source"],
        pod={"status": status},
        events=events,
        logs={"app": logs} if logs else {},
        expect={"cause": None},
    )
