"""The pods the parity tests serve to kubectl and k8sdoctor alike.

- the action tests' scenarios (tests/fakeapi/data/cluster.yaml, tests/actions/data/describe.yaml);
- tests/fixtures/parity/pods.yaml: pods written to use every part of describe (static pods with events
  under the mirror hash, native sidecars, every volume type, probes with query strings, long CSI
  attributes, non-ASCII annotations, QoS classes, readiness gates, env from Secrets and ConfigMaps,
  existing ephemeral containers);
- one pod per row of tests/fixtures/public-messages.jsonl that has events: the row's real messages,
  built into a pod by tests/realcases.py's fixed rules;
- pods whose containers all started in the same second, so that dozens of events share one timestamp.

Every time is relative to the server's clock in whole hours, so an age reads the same for an hour.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from tests.actions.helpers import CLUSTER, DESCRIBE
from tests.realcases import PUBLIC_MESSAGES, case_to_example, load_cases

FIXTURES = Path(__file__).parents[1] / "fixtures" / "parity"
FEATURE_PODS = FIXTURES / "pods.yaml"
NAMESPACE = "parity"
NODE = "parity-node-1"


def _name(text: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-")[:60].rstrip("-")


def _event_name(pod: str, i: int) -> str:
    """Names like the ones events get (pod name, a dot, hex), in an order unrelated to i."""
    return f"{pod}.{hashlib.sha1(f'{pod}/{i}'.encode()).hexdigest()[:16]}"


def _component(reason: str | None) -> str:
    if reason in ("FailedScheduling", "Scheduled"):
        return "default-scheduler"
    if reason in ("NotTriggerScaleUp", "TriggeredScaleUp"):
        return "cluster-autoscaler"
    return "kubelet"


def case_pods() -> list[dict]:
    """A pod (and its events) for each public-messages row that has events."""
    objects: list[dict] = []
    for case in load_cases(PUBLIC_MESSAGES):
        if not case.get("events") or case["class"] == "LogSignature":
            continue
        example = case_to_example(case)
        name = _name(f"case-{case['id']}")
        status = dict(example.pod["status"])
        scheduled = status["phase"] != "Pending" or bool(status.get("containerStatuses"))
        spec: dict = {"containers": [{"name": "app", "image": "registry.example.com/app:1.0"}]}
        if scheduled:
            spec["nodeName"] = NODE
            status |= {"hostIP": "10.0.32.7", "startTime": "-40h"}
        objects.append(
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {"name": name, "namespace": NAMESPACE, "creationTimestamp": "-40h", "labels": {"case": _name(case["id"])[:63]}},
                "spec": spec,
                "status": status,
            }
        )
        for i, event in enumerate(example.events):
            count = 1 if i % 2 else 3 + i
            objects.append(
                {
                    "apiVersion": "v1",
                    "kind": "Event",
                    "metadata": {"name": _event_name(name, i), "namespace": NAMESPACE},
                    "involvedObject": {"apiVersion": "v1", "kind": "Pod", "name": name, "namespace": NAMESPACE},
                    **event,
                    "source": {"component": _component(event.get("reason")), "host": NODE},
                    "firstTimestamp": f"-{30 + i}h",
                    "lastTimestamp": f"-{20 - i % 3}h" if count > 1 else f"-{30 + i}h",
                    "count": count,
                }
            )
    return objects


def same_second_pod(name: str, containers: int) -> list[dict]:
    """A pod whose `containers` containers were pulled, created and started in the same second: 3 events
    each with one timestamp, after the scheduler's (which, as today's schedulers write it, has an
    eventTime and no lastTimestamp); every fifth container restarted once since. The messages are the
    kubelet's and the scheduler's format strings (tests/fixtures/parity/pods.yaml names them)."""
    names = [f"worker-{i:02d}" for i in range(containers)]
    image = "registry.example.com/worker:2.1.0"
    restarted = set(names[::5])
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": NAMESPACE, "creationTimestamp": "-12h"},
        "spec": {"nodeName": NODE, "containers": [{"name": c, "image": image} for c in names]},
        "status": {
            "phase": "Running",
            "hostIP": "10.0.32.7",
            "startTime": "-12h",
            "containerStatuses": [
                {
                    "name": c,
                    "ready": True,
                    "started": True,
                    "restartCount": 1 if c in restarted else 0,
                    "image": image,
                    "state": {"running": {"startedAt": "-6h" if c in restarted else "-12h"}},
                }
                for c in names
            ],
        },
    }
    subject = {"apiVersion": "v1", "kind": "Pod", "name": name, "namespace": NAMESPACE}
    events: list[dict] = [
        {
            "metadata": {"name": _event_name(name, 0), "namespace": NAMESPACE},
            "involvedObject": subject,
            "type": "Normal",
            "reason": "Scheduled",
            "message": f"Successfully assigned {NAMESPACE}/{name} to {NODE}",
            "eventTime": "-12h",
            "reportingComponent": "default-scheduler",
            "reportingInstance": "default-scheduler-control-plane",
            "action": "Binding",
            "source": {},
        }
    ]
    for c in names:
        for reason, message in (
            ("Pulled", f'Container image "{image}" already present on machine'),
            ("Created", f"Created container: {c}"),
            ("Started", f"Started container {c}"),
        ):
            again = c in restarted
            events.append(
                {
                    "metadata": {"name": _event_name(name, len(events)), "namespace": NAMESPACE},
                    "involvedObject": {**subject, "fieldPath": f"spec.containers{{{c}}}"},
                    "type": "Normal",
                    "reason": reason,
                    "message": message,
                    "source": {"component": "kubelet", "host": NODE},
                    "firstTimestamp": "-12h",
                    "lastTimestamp": "-6h" if again else "-12h",
                    "count": 2 if again else 1,
                }
            )
    return [pod, *({"apiVersion": "v1", "kind": "Event", **e} for e in events)]


def generated() -> dict:
    """The pods built here, as one scenario document."""
    objects = case_pods()
    for name, containers in (("same-second-13", 4), ("same-second-25", 8), ("same-second-43", 14), ("same-second-61", 20)):
        objects += same_second_pod(name, containers)
    return {"objects": objects}


SCENARIOS = (CLUSTER, DESCRIBE, FEATURE_PODS)
