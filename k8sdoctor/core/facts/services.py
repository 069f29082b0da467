"""Service fields: what its selector finds and whether traffic can reach it (`service.*`).

A Service sends traffic to the pods its selector matches that are ready, on the container port each
`targetPort` resolves to. The pods are read from the inventory's label index; EndpointSlices are not
needed (a `cluster-info dump` has none), so the verdict is the same live and offline:

- a **named** targetPort must be a port some container of the pod names, or the pod is left out of the
  endpoints (kubernetes/kubernetes#109627, clickvisual/clickvisual#414);
- a **numeric** targetPort is used as it is, declared or not (kubernetes/kubernetes#73049): one that no
  container declares, while the containers declare others, is only a hint;
- `publishNotReadyAddresses` publishes pods that are not ready too.

ExternalName Services and Services without a selector (their endpoints are managed by hand or by
another controller) select nothing by design: `service.selects` is false for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from k8sdoctor.core.facts.kind_fields import Values, kind_field, one
from k8sdoctor.core.facts.objects import ObjectFacts
from k8sdoctor.core.inventory import Inventory, obj_key
from k8sdoctor.core.kube.kinds import WORKLOADS
from k8sdoctor.core.kube.raw import as_dict, as_int, as_str, dicts, dig
from k8sdoctor.core.kube.selectors import string_map

#: Where each workload kind keeps the labels of the pods it creates.
TEMPLATE_LABELS: dict[str, tuple[str, ...]] = {kind: ("spec", "template", "metadata", "labels") for kind in WORKLOADS if kind != "CronJob"}
TEMPLATE_LABELS["CronJob"] = ("spec", "jobTemplate", "spec", "template", "metadata", "labels")


def selector_text(selector: dict[str, str]) -> str:
    """`app=web,tier=frontend`: a selector as kubectl prints it, keys sorted."""
    return ",".join(f"{k}={v}" for k, v in sorted(selector.items()))


def pod_ready(pod: dict) -> bool:
    return any(c.get("type") == "Ready" and c.get("status") == "True" for c in dicts(dig(pod, "status", "conditions")))


def serving(pod: dict) -> bool:
    """A pod that can be an endpoint at all: not finished, not being deleted."""
    return dig(pod, "status", "phase") not in ("Succeeded", "Failed") and not dig(pod, "metadata", "deletionTimestamp")


def container_ports(pod: dict) -> list[tuple[str, str, int | None]]:
    """(container, port name, number) for every port a pod's containers (and sidecars) declare."""
    spec = as_dict(pod.get("spec"))
    containers = dicts(spec.get("containers")) + [c for c in dicts(spec.get("initContainers")) if c.get("restartPolicy") == "Always"]
    return [
        (as_str(c.get("name")), as_str(p.get("name")), as_int(p.get("containerPort"))) for c in containers for p in dicts(c.get("ports"))
    ]


class PortProblem(NamedTuple):
    """A Service port whose targetPort no selected pod can serve."""

    port: str  # "http 80/TCP → targetPort web"
    where: str  # "spec.ports[http].targetPort"
    target: str  # the targetPort as written


@dataclass(slots=True)
class ServiceState:
    selector: dict[str, str]
    selects: bool  # has a selector and is not an ExternalName
    pods: list[dict] = field(default_factory=list)  # selected, serving
    ready: list[dict] = field(default_factory=list)  # of those, the ones that get traffic
    named_missing: list[PortProblem] = field(default_factory=list)
    numeric_undeclared: list[PortProblem] = field(default_factory=list)
    workloads: list[tuple[str, dict]] = field(default_factory=list)  # (kind, workload) whose pods it would select

    @property
    def reachable(self) -> bool:
        """Traffic reaches at least one pod (as far as the pods and ports tell)."""
        return bool(self.ready) and not self.named_missing


def _port_label(port: dict) -> str:
    name = as_str(port.get("name"))
    number = as_str(port.get("port"))
    protocol = as_str(port.get("protocol")) or "TCP"
    return f"{name + ' ' if name else ''}{number}/{protocol}"


def desired_pods(kind: str, workload: dict) -> int | None:
    """How many pods a workload wants: spec.replicas (default 1), a DaemonSet's scheduled count;
    None for kinds that run to completion."""
    if kind in ("Deployment", "StatefulSet", "ReplicaSet"):
        replicas = dig(workload, "spec", "replicas")
        return 1 if replicas is None else as_int(replicas)
    if kind == "DaemonSet":
        return as_int(dig(workload, "status", "desiredNumberScheduled"))
    return None


def _workloads_selecting(inventory: Inventory, namespace: str, selector: dict[str, str]) -> list[tuple[str, dict]]:
    """Workloads of the namespace whose pod template carries every label of the selector (top-level
    ones: a Deployment, not its ReplicaSets)."""
    found = []
    for kind, path in TEMPLATE_LABELS.items():
        for obj in inventory.in_namespace(kind, namespace):
            if dig(obj, "metadata", "ownerReferences"):
                continue
            labels = as_dict(dig(obj, *path))
            if all(labels.get(k) == v for k, v in selector.items()):
                found.append((kind, obj))
    return found


def service_state(inventory: Inventory, svc: dict) -> ServiceState:
    """What a Service's selector and ports find among the pods: O(the pods it selects)."""
    spec = as_dict(svc.get("spec"))
    selector = string_map(spec.get("selector"))
    state = ServiceState(selector, bool(selector) and as_str(spec.get("type")) != "ExternalName")
    if not state.selects:
        return state
    namespace = obj_key(svc)[0]
    state.pods = [p for p in inventory.pods_matching(namespace, selector) if serving(p)]
    publish_all = spec.get("publishNotReadyAddresses") is True
    state.ready = [p for p in state.pods if publish_all or pod_ready(p)]
    if not state.pods:
        state.workloads = _workloads_selecting(inventory, namespace, selector)
        return state
    declared = [port for pod in state.pods for port in container_ports(pod)]
    names = {name for _c, name, _n in declared if name}
    numbers = {number for _c, _name, number in declared if number is not None}
    for i, port in enumerate(dicts(spec.get("ports"))):
        target = port.get("targetPort")
        target = port.get("port") if target in (None, "", 0) else target
        where = f"spec.ports[{as_str(port.get('name')) or i}].targetPort"
        number = as_int(target)
        if number is None and isinstance(target, str):
            if target not in names:
                state.named_missing.append(PortProblem(f"{_port_label(port)} → targetPort {target}", where, target))
        elif number is not None and numbers and number not in numbers and spec.get("clusterIP") != "None":
            state.numeric_undeclared.append(PortProblem(f"{_port_label(port)} → targetPort {number}", where, str(number)))
    return state


def _state(facts: ObjectFacts) -> ServiceState:
    got = facts.computed("service.state", lambda f: service_state(f.inventory, f.raw))
    assert isinstance(got, ServiceState)
    return got


@kind_field("service.selects", "Service")
def _selects(facts: ObjectFacts) -> Values:
    return [(_state(facts).selects, None)]


@kind_field("service.selector", "Service")
def _selector(facts: ObjectFacts) -> Values:
    return one(selector_text(_state(facts).selector), "spec.selector")


@kind_field("service.pods", "Service")
def _pods(facts: ObjectFacts) -> Values:
    return [(len(_state(facts).pods), None)]


@kind_field("service.ready_pods", "Service")
def _ready(facts: ObjectFacts) -> Values:
    return [(len(_state(facts).ready), None)]


@kind_field("service.workloads", "Service")
def _workloads(facts: ObjectFacts) -> Values:
    return [(len(_state(facts).workloads), None)]


@kind_field("service.workloads_wanting_pods", "Service")
def _wanting(facts: ObjectFacts) -> Values:
    return [(sum(1 for kind, w in _state(facts).workloads if (desired_pods(kind, w) or 0) > 0), None)]


@kind_field("service.named_ports_missing", "Service")
def _named_missing(facts: ObjectFacts) -> Values:
    return [(p.port, p.where) for p in _state(facts).named_missing]


@kind_field("service.numeric_ports_undeclared", "Service")
def _numeric_undeclared(facts: ObjectFacts) -> Values:
    return [(p.port, p.where) for p in _state(facts).numeric_undeclared]
