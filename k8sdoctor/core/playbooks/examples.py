"""Run the `examples:` a playbook carries: build the pod (or object) they describe, diagnose it, compare.

Used by `k8sdoctor playbooks test` and by the test suite, so a playbook author can check a new cause
without writing Python.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from k8sdoctor.core.engine import Engine
from k8sdoctor.core.findings import Diagnosis
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.core.kube.kinds import BY_KIND
from k8sdoctor.core.kube.timeutil import format_time, resolve_relative_times
from k8sdoctor.core.playbooks.model import Playbook

EXAMPLE_NAMESPACE = "default"
EXAMPLE_POD = "example"


@dataclass(frozen=True, slots=True)
class Expectation:
    cause: str | None
    category: str | None = None
    container: str | None = None
    severity: str | None = None
    evidence: str | None = None


@dataclass(frozen=True)
class Example:
    """An inline test: a pod (partial, merged over a minimal skeleton) or, for other subjects, the object
    itself; its events, logs and the other objects around it."""

    name: str
    expect: Expectation
    source: str | None = None
    pod: dict = field(default_factory=dict)
    object: dict = field(default_factory=dict)
    events: list = field(default_factory=list)
    logs: dict = field(default_factory=dict)
    objects: list = field(default_factory=list)
    origin: str = ""  # the playbook that carries it, when another playbook extends a family

    def __post_init__(self) -> None:
        if isinstance(self.expect, dict):  # as read from YAML
            object.__setattr__(self, "expect", Expectation(**self.expect))


def _merge(base: dict, overlay: dict) -> dict:
    """Deep-merge mappings; lists and scalars in the overlay replace the base."""
    out = dict(base)
    for k, v in overlay.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _subject(example: Example, kind: str, now: datetime) -> dict:
    """A non-pod subject: the example's object over a skeleton that names it."""
    info = BY_KIND[kind]
    skeleton = {
        "apiVersion": info.api_version,
        "kind": kind,
        "metadata": {
            "name": EXAMPLE_POD,
            "namespace": EXAMPLE_NAMESPACE if info.namespaced else "",
            "uid": "00000000-0000-4000-8000-000000000002",
            "creationTimestamp": format_time(now - timedelta(minutes=10)),
        },
    }
    obj = resolve_relative_times(_merge(skeleton, copy.deepcopy(example.object)), now)
    assert isinstance(obj, dict)
    if not info.namespaced:
        obj["metadata"].pop("namespace", None)
    return obj


def example_inventory(example: Example, now: datetime, kind: str = "Pod") -> tuple[Inventory, dict]:
    """The inventory an example describes: its pod (over a minimal skeleton) or, for another subject
    kind, its object; events (about the subject unless they name another object), logs, objects."""
    if kind != "Pod":
        subject = _subject(example, kind, now)
        inv = Inventory()
        inv.put(kind, subject)
        _events(inv, example, now, subject)
        for obj in example.objects:
            inv.put(str(obj.get("kind", "")), resolve_relative_times(obj, now))  # type: ignore[arg-type]
        return inv, subject
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
    _events(inv, example, now, pod)
    for container, lines in example.logs.items():
        inv.put_logs(EXAMPLE_NAMESPACE, EXAMPLE_POD, container, True, list(lines))
    for obj in example.objects:
        inv.put(str(obj.get("kind", "")), resolve_relative_times(obj, now))  # type: ignore[arg-type]
    return inv, pod


def _events(inv: Inventory, example: Example, now: datetime, subject: dict) -> None:
    meta = subject["metadata"]
    for i, ev in enumerate(example.events):
        raw = {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": f"{EXAMPLE_POD}.{i}", "namespace": EXAMPLE_NAMESPACE, "uid": f"example-event-{i}"},
            "involvedObject": {
                "kind": subject.get("kind"),
                "namespace": meta.get("namespace", ""),
                "name": meta["name"],
                "uid": meta["uid"],
            },
            "count": 1,
            # listed order is oldest first
            "firstTimestamp": format_time(now - timedelta(seconds=60 - i)),
            "lastTimestamp": format_time(now - timedelta(seconds=60 - i)),
        }
        raw.update({k: v for k, v in ev.items() if v is not None})
        inv.put_event(resolve_relative_times(raw, now))  # type: ignore[arg-type]


@dataclass
class ExampleResult:
    playbook: str
    name: str
    ok: bool
    detail: str  # what was expected and what came out


def run_example(engine: Engine, playbook: Playbook, example: Example, now: datetime) -> ExampleResult:
    named = example.object.get("kind")
    kind = named if isinstance(named, str) and named in playbook.spec.subjects else playbook.spec.subject
    inv, subject = example_inventory(example, now, kind)
    diagnosis: Diagnosis = engine.diagnose_object(inv, kind, subject, now)
    mine = [f for f in diagnosis.findings if f.playbook == playbook.id]
    want = example.expect
    name = example.origin or playbook.id
    got = ", ".join(f"{f.cause}[{f.container or ('pod' if kind == 'Pod' else kind)}]" for f in diagnosis.findings) or "no findings"
    if want.cause is None:
        ok = not mine
        return ExampleResult(name, example.name, ok, f"expected nothing from {playbook.id}; got {got}")
    candidates = [
        f
        for f in mine
        if f.cause == want.cause
        and (want.container is None or f.container == want.container)
        and (want.category is None or f.category == want.category)
    ]
    problems = []
    if not candidates:
        order = [c.spec.id for c in playbook.causes]
        earlier = [f.cause for f in mine if f.cause in order and want.cause in order and order.index(f.cause) < order.index(want.cause)]
        if earlier and playbook.spec.select == "first":
            problems.append(
                f"expected cause {want.cause}; {earlier[0]}, earlier in family {playbook.id}, matched first "
                f"(make {want.cause} more specific, or put it first)"
            )
        else:
            problems.append(f"expected cause {want.cause}; got {got}")
    else:
        f = candidates[0]
        if want.severity and f.severity != want.severity:
            problems.append(f"expected severity {want.severity}; got {f.severity}")
        if want.evidence and not any(want.evidence in e.text for e in f.evidence):
            problems.append(f"no evidence contains {want.evidence!r}")
    return ExampleResult(name, example.name, not problems, "; ".join(problems) or f"{want.cause} as expected")


def run_examples(engine: Engine, playbooks: list[Playbook], now: datetime, origins: set[str] | None = None) -> list[ExampleResult]:
    """Every example of these playbooks (only those carried by the playbooks in `origins`, when given)."""
    return [run_example(engine, pb, ex, now) for pb, ex in playbook_examples(playbooks) if origins is None or ex.origin in origins]


def playbook_examples(playbooks: list[Playbook]) -> list[tuple[Playbook, Example]]:
    """Every example these playbooks carry, with the playbook it tests."""
    return [(pb, Example(**data)) for pb in playbooks for data in pb.spec.examples]
