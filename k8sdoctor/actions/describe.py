"""`kubectl describe pod`, reimplemented from an Inventory (live or snapshot) as a structured document.

Same order, labels and alignment as kubectl 1.32's describePod (kubernetes/kubectl pkg/describe):
metadata, node, status, IPs, controller, containers, conditions, volumes, QoS, node selectors,
tolerations, topology spread constraints, and events with "(xN over T)". Secret and ConfigMap
references show names and keys only; no value is ever read. Times print in the reader's zone, as kubectl.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from k8sdoctor.actions.describe_containers import write_containers, write_resources
from k8sdoctor.actions.describe_doc import DescribeDocument, DescribeWriter, EventRef, value, without_deep_values
from k8sdoctor.actions.describe_format import (
    d,
    label_selector,
    lst,
    num,
    rfc1123z,
    since,
    write_annotations,
    write_map,
    write_tolerations,
)
from k8sdoctor.actions.describe_volumes import write_volumes
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.core.kube.timeutil import parse_time
from k8sdoctor.errors import NotFoundError

if TYPE_CHECKING:
    from k8sdoctor.cluster.live.client import KubeClient


def read_for_describe(client: KubeClient, namespace: str, name: str) -> Inventory:
    """What `kubectl describe pod` reads: the pod and its events as they are now (raises NotFoundError,
    ClusterError)."""
    from k8sdoctor.cluster.live.fetch import LiveFetcher

    return LiveFetcher(client).pod_and_events(namespace, name)


def describe_pod(inventory: Inventory, namespace: str, name: str, now: datetime, tz: tzinfo | None = None) -> DescribeDocument:
    """The describe document of one pod of the inventory (NotFoundError if it is not there)."""
    pod = inventory.pods.get((namespace, name))
    if pod is None:
        raise NotFoundError(f'pod "{name}" not found in namespace "{namespace}"')
    pod = without_deep_values(pod)
    w = DescribeWriter()
    _header(w, pod, now, tz)
    spec, status = d(pod.get("spec")), d(pod.get("status"))
    if spec.get("initContainers"):
        write_containers(w, "Init Containers", "initContainers", "initContainerStatuses", pod, tz)
    write_containers(w, "Containers", "containers", "containerStatuses", pod, tz)
    if spec.get("ephemeralContainers"):
        write_containers(w, "Ephemeral Containers", "ephemeralContainers", "ephemeralContainerStatuses", pod, tz)
    _gates_and_conditions(w, spec, status)
    write_volumes(w, spec.get("volumes"))
    _scheduling(w, pod)
    _events(w, inventory, pod, now)
    return w.document(namespace, name)


def _header(w: DescribeWriter, pod: dict, now: datetime, tz: tzinfo | None) -> None:
    meta, spec, status = d(pod.get("metadata")), d(pod.get("spec")), d(pod.get("status"))
    w.section("Pod")
    w.line(0, f"Name:\t{value(meta.get('name', ''))}", paths=("metadata.name",))
    w.line(0, f"Namespace:\t{value(meta.get('namespace', ''))}", paths=("metadata.namespace",))
    if isinstance(spec.get("priority"), int):
        w.line(0, f"Priority:\t{spec['priority']}", paths=("spec.priority",))
    for label, key in (
        ("Priority Class Name", "priorityClassName"),
        ("Runtime Class Name", "runtimeClassName"),
        ("Service Account", "serviceAccountName"),
    ):
        if spec.get(key):
            w.line(0, f"{label}:\t{value(spec[key])}", paths=(f"spec.{key}",))
    node = f"{value(spec['nodeName'])}/{value(status.get('hostIP', ''))}" if spec.get("nodeName") else "<none>"
    w.line(0, f"Node:\t{node}", paths=("spec.nodeName", "status.hostIP"))
    if status.get("startTime"):
        w.line(0, f"Start Time:\t{rfc1123z(status['startTime'], tz)}", paths=("status.startTime",))
    write_map(w, "Labels", meta.get("labels"), "metadata.labels")
    write_annotations(w, meta.get("annotations"))
    if meta.get("deletionTimestamp") and status.get("phase") not in ("Failed", "Succeeded"):
        w.line(0, f"Status:\tTerminating (lasts {since(meta['deletionTimestamp'], now)})", paths=("metadata.deletionTimestamp",))
        w.line(
            0, f"Termination Grace Period:\t{num(meta.get('deletionGracePeriodSeconds'))}s", paths=("metadata.deletionGracePeriodSeconds",)
        )
    else:
        w.line(0, f"Status:\t{value(status.get('phase', ''))}", paths=("status.phase",))
    for label, key in (("Reason", "reason"), ("Message", "message")):
        if status.get(key):
            w.line(0, f"{label}:\t{value(status[key])}", paths=(f"status.{key}",))
    profile = d(d(spec.get("securityContext")).get("seccompProfile"))
    if profile:
        w.line(0, f"SeccompProfile:\t{value(profile.get('type', ''))}", paths=("spec.securityContext.seccompProfile",))
        if profile.get("type") == "Localhost":
            w.line(0, f"LocalhostProfile:\t{value(profile.get('localhostProfile', ''))}", paths=("spec.securityContext.seccompProfile",))
    w.line(0, f"IP:\t{value(status.get('podIP', ''))}", paths=("status.podIP",))
    ips = [d(i) for i in lst(status.get("podIPs"))]
    if not ips:
        w.line(0, "IPs:\t<none>", paths=("status.podIPs",))
    else:
        w.line(0, "IPs:", paths=("status.podIPs",))
        for ip in ips:
            w.line(1, f"IP:\t{value(ip.get('ip', ''))}", paths=("status.podIPs",))
    owner = next((d(o) for o in lst(meta.get("ownerReferences")) if d(o).get("controller") is True), None)
    if owner:
        w.line(0, f"Controlled By:\t{value(owner.get('kind', ''))}/{value(owner.get('name', ''))}", paths=("metadata.ownerReferences",))
    if status.get("nominatedNodeName"):
        w.line(0, f"NominatedNodeName:\t{value(status['nominatedNodeName'])}", paths=("status.nominatedNodeName",))
    if isinstance(spec.get("resources"), dict):
        w.line(0, "Resources:", paths=("spec.resources",))
        write_resources(w, spec["resources"], "spec.resources", 1)


def _gates_and_conditions(w: DescribeWriter, spec: dict, status: dict) -> None:
    conditions = [d(c) for c in lst(status.get("conditions"))]
    gates = [d(g) for g in lst(spec.get("readinessGates"))]
    if gates:
        w.section("Readiness Gates")
        w.line(0, "Readiness Gates:", paths=("spec.readinessGates",))
        w.line(1, "Type\tStatus", paths=("spec.readinessGates",))
        for gate in gates:
            kind = gate.get("conditionType", "")
            found = next((c.get("status", "") for c in conditions if c.get("type") == kind), "<none>")
            w.line(1, f"{value(kind)} \t{value(found)} ", paths=(f"status.conditions[{kind}]",))
    if conditions:
        w.section("Conditions")
        w.line(0, "Conditions:", paths=("status.conditions",))
        w.line(1, "Type\tStatus", paths=("status.conditions",))
        for cond in conditions:
            w.line(
                1,
                f"{value(cond.get('type', ''))} \t{value(cond.get('status', ''))} ",
                paths=(f"status.conditions[{cond.get('type', '')}]",),
            )


def _cpu_memory(resources: object, key: str) -> dict:
    return {k: v for k, v in d(d(resources).get(key)).items() if k in ("cpu", "memory")}


def qos_class(pod: dict) -> str:
    """status.qosClass, or computed as the kubelet does: from pod-level resources when the pod sets
    them, else from the cpu and memory of its app and init containers."""
    status, spec = d(pod.get("status")), d(pod.get("spec"))
    if status.get("qosClass"):
        return str(status["qosClass"])
    pod_level = spec.get("resources")
    if _cpu_memory(pod_level, "requests") or _cpu_memory(pod_level, "limits"):
        sources = [pod_level]
    else:
        sources = [d(c).get("resources") for key in ("initContainers", "containers") for c in lst(spec.get(key))]
    requested = guaranteed = False
    guaranteed = bool(sources)
    for res in sources:
        req, lim = _cpu_memory(res, "requests"), _cpu_memory(res, "limits")
        requested |= bool(req or lim)
        if set(lim) != {"cpu", "memory"} or any(req.get(k, lim[k]) != lim[k] for k in lim):
            guaranteed = False
    if not requested:
        return "BestEffort"
    return "Guaranteed" if guaranteed else "Burstable"


def _scheduling(w: DescribeWriter, pod: dict) -> None:
    spec = d(pod.get("spec"))
    w.section("Scheduling")
    w.line(0, f"QoS Class:\t{value(qos_class(pod))}", paths=("status.qosClass",))
    write_map(w, "Node-Selectors", spec.get("nodeSelector"), "spec.nodeSelector")
    write_tolerations(w, spec.get("tolerations"))
    spreads = sorted((d(t) for t in lst(spec.get("topologySpreadConstraints"))), key=lambda t: str(t.get("topologyKey", "")))
    for i, tsc in enumerate(spreads):
        text = (
            f"{value(tsc.get('topologyKey', ''))}:{value(tsc.get('whenUnsatisfiable', ''))} "
            f"when max skew {num(tsc.get('maxSkew'))} is exceeded"
        )
        if isinstance(tsc.get("labelSelector"), dict):
            text += f" for selector {label_selector(tsc['labelSelector'])}"
        head = "Topology Spread Constraints:" if i == 0 else ""
        w.line(0, f"{head}\t{text}", paths=("spec.topologySpreadConstraints",))


def _event_time(event: dict) -> datetime | None:
    """What kubectl 1.32 sorts events by: lastTimestamp only (events that carry just an eventTime or a
    series sort first, in the order the API listed them)."""
    return parse_time(event.get("lastTimestamp") or event.get("deprecatedLastTimestamp"))


def event_age(event: dict, now: datetime) -> str:
    """The Age column: "3m (x5 over 9m)" for a repeated event, "9m" otherwise."""
    first = (
        since(event["eventTime"], now)
        if event.get("eventTime")
        else since(event.get("firstTimestamp") or event.get("deprecatedFirstTimestamp"), now)
    )
    series = d(event.get("series"))
    count = num(event.get("count")) or num(event.get("deprecatedCount"))
    if series:
        return f"{since(series.get('lastObservedTime'), now)} (x{num(series.get('count'))} over {first})"
    if count > 1:
        return f"{since(event.get('lastTimestamp') or event.get('deprecatedLastTimestamp'), now)} (x{count} over {first})"
    return first


def _events(w: DescribeWriter, inventory: Inventory, pod: dict, now: datetime) -> None:
    w.section("Events")
    namespace = d(pod.get("metadata")).get("namespace", "")
    denied = [u for u in inventory.unreadable_for(namespace) if u.resource == "events"]
    if denied:
        w.line(0, f"Events:\t<could not read: {value(denied[0].reason)}>", paths=("events",), extra=True)
        return
    events = sorted(
        (without_deep_values(e) for e in inventory.events_for_pod(pod)),
        key=lambda e: (_event_time(e) or datetime.min.replace(tzinfo=now.tzinfo), str(d(e.get("metadata")).get("name", ""))),
    )
    if not events:
        w.line(0, "Events:\t<none>", paths=("events",))
        return
    w.flush()
    w.line(0, "Events:", paths=("events",))
    w.line(1, "Type\tReason\tAge\tFrom\tMessage", paths=("events",))
    w.line(1, "----\t------\t----\t----\t-------", paths=("events",))
    for event in events:
        source = d(event.get("source")) or d(event.get("deprecatedSource"))
        component = str(source.get("component") or event.get("reportingComponent") or event.get("reportingController") or "")
        message = str(event.get("message") if event.get("message") is not None else event.get("note") or "").strip()
        ref = EventRef(str(event.get("type", "")), str(event.get("reason", "")), component, message)
        w.line(
            1,
            f"{value(ref.type)}\t{value(ref.reason)}\t{event_age(event, now)}\t{value(component)}\t{value(message)}",
            paths=("events",),
            event=ref,
        )
