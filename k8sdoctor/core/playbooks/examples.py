"""Run the `examples:` a playbook carries: build the pod they describe, diagnose it, compare.

Used by `k8sdoctor playbooks test` and by the test suite, so a playbook author can check a new cause
without writing Python.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime, timedelta

from k8sdoctor.core.engine import Engine
from k8sdoctor.core.findings import PodDiagnosis
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.core.kube.timeutil import format_time, resolve_relative_times
from k8sdoctor.core.playbooks.model import Example, Playbook

EXAMPLE_NAMESPACE = "default"
EXAMPLE_POD = "example"


def _merge(base: dict, overlay: dict) -> dict:
    """Deep-merge mappings; lists and scalars in the overlay replace the base."""
    out = dict(base)
    for k, v in overlay.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def example_inventory(example: Example, now: datetime) -> tuple[Inventory, dict]:
    """The inventory an example describes: its pod (over a minimal skeleton), events, logs, objects."""
    skeleton: dict = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": EXAMPLE_POD,
            "namespace": EXAMPLE_NAMESPACE,
            "uid": "00000000-0000-4000-8000-000000000001",
            "creationTimestamp": format_time(now - timedelta(minutes=10)),
        },
        "spec": {"containers": [{"name": "app", "image": "registry.example/app:1.0"}], "restartPolicy": "Always"},
        "status": {"phase": "Pending"},
    }
    pod = resolve_relative_times(_merge(skeleton, copy.deepcopy(example.pod)), now)
    assert isinstance(pod, dict)
    # Give every status a spec entry, so examples can name containers in status alone.
    specs = pod["spec"].setdefault("containers", [])
    names = {c.get("name") for c in specs}
    for cs in pod.get("status", {}).get("containerStatuses", []):
        if cs.get("name") not in names:
            if specs == skeleton["spec"]["containers"]:
                specs.clear()
            specs.append({"name": cs.get("name"), "image": cs.get("image", "registry.example/app:1.0")})
            names.add(cs.get("name"))
    inv = Inventory()
    inv.put_pod(pod)
    for i, ev in enumerate(example.events):
        raw = {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": f"{EXAMPLE_POD}.{i}", "namespace": EXAMPLE_NAMESPACE, "uid": f"example-event-{i}"},
            "involvedObject": {"kind": "Pod", "namespace": EXAMPLE_NAMESPACE, "name": EXAMPLE_POD, "uid": pod["metadata"]["uid"]},
            "count": 1,
            # listed order is oldest first
            "firstTimestamp": format_time(now - timedelta(seconds=60 - i)),
            "lastTimestamp": format_time(now - timedelta(seconds=60 - i)),
        }
        raw.update({k: v for k, v in ev.items() if v is not None})
        inv.put_event(resolve_relative_times(raw, now))  # type: ignore[arg-type]
    for container, lines in example.logs.items():
        inv.put_logs(EXAMPLE_NAMESPACE, EXAMPLE_POD, container, True, list(lines))
    for obj in example.objects:
        inv.put(str(obj.get("kind", "")), resolve_relative_times(obj, now))  # type: ignore[arg-type]
    return inv, pod


@dataclass
class ExampleResult:
    playbook: str
    name: str
    ok: bool
    detail: str  # what was expected and what came out


def run_example(engine: Engine, playbook: Playbook, example: Example, now: datetime) -> ExampleResult:
    inv, pod = example_inventory(example, now)
    diagnosis: PodDiagnosis = engine.diagnose_pod(inv, pod, now)
    mine = [f for f in diagnosis.findings if f.playbook == playbook.id]
    want = example.expect
    got = ", ".join(f"{f.cause}[{f.container or 'pod'}]" for f in diagnosis.findings) or "no findings"
    if want.cause is None:
        ok = not mine
        return ExampleResult(playbook.id, example.name, ok, f"expected nothing from {playbook.id}; got {got}")
    candidates = [f for f in mine if f.cause == want.cause and (want.container is None or f.container == want.container)]
    problems = []
    if not candidates:
        problems.append(f"expected cause {want.cause}; got {got}")
    else:
        f = candidates[0]
        if want.severity and f.severity != want.severity:
            problems.append(f"expected severity {want.severity}; got {f.severity}")
        if want.evidence and not any(want.evidence in e.text for e in f.evidence):
            problems.append(f"no evidence contains {want.evidence!r}")
    return ExampleResult(playbook.id, example.name, not problems, "; ".join(problems) or f"{want.cause} as expected")


def run_examples(engine: Engine, playbooks: list[Playbook], now: datetime) -> list[ExampleResult]:
    return [run_example(engine, pb, ex, now) for pb in playbooks for ex in pb.spec.examples]
