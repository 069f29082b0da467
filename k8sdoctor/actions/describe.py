"""`kubectl describe pod`, reimplemented from an Inventory (live or snapshot) as a structured document.

Same order, labels and alignment as kubectl 1.32's describePod (kubernetes/kubectl pkg/describe):
metadata, node, status, IPs, controller, containers, conditions, volumes, QoS, node selectors,
tolerations, topology spread constraints, and events with "(xN over T)". Secret and ConfigMap
references show names and keys only; no value is ever read. Times print in the reader's zone, as kubectl.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone, tzinfo
from fractions import Fraction
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
from k8sdoctor.actions.gosort import go_sort
from k8sdoctor.core.inventory import Inventory, event_subject, mirror_uid
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


_QOS_RESOURCES = ("cpu", "memory")
_SUFFIXES = {
    **{k: Fraction(1024) ** (i + 1) for i, k in enumerate(("Ki", "Mi", "Gi", "Ti", "Pi", "Ei"))},
    **{
        k: Fraction(10) ** e
        for k, e in (("n", -9), ("u", -6), ("m", -3), ("", 0), ("k", 3), ("M", 6), ("G", 9), ("T", 12), ("P", 15), ("E", 18))
    },
}
_QUANTITY = re.compile(r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:[eE]([+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?$")


def _exact(quantity: object) -> Fraction:
    """A quantity's exact value (0 for what is not one), so sums compare as apimachinery's do."""
    match = _QUANTITY.match(str(quantity).strip())
    if match is None:
        return Fraction(0)
    number, exponent, suffix = match.groups()
    return Fraction(number) * (Fraction(10) ** int(exponent) if exponent else _SUFFIXES[suffix or ""])


def qos_class(pod: dict) -> str:
    """status.qosClass, or computed as kubectl computes it from the pod as served (v1qos.ComputePodQOS):
    the cpu and memory requests and limits summed over the pod's containers (or taken from its
    pod-level resources when it has them); Guaranteed when every one sets both limits and the sums of
    requests and limits are equal, resource by resource."""
    status, spec = d(pod.get("status")), d(pod.get("spec"))
    if status.get("qosClass"):
        return str(status["qosClass"])
    if isinstance(spec.get("resources"), dict):
        sources = [spec["resources"]]
    else:
        sources = [d(d(c).get("resources")) for key in ("containers", "initContainers") for c in lst(spec.get(key))]
    requests: dict[str, Fraction] = {}
    limits: dict[str, Fraction] = {}
    guaranteed = True
    for res in sources:
        for total, key in ((requests, "requests"), (limits, "limits")):
            for name, amount in d(res.get(key)).items():
                if name in _QOS_RESOURCES and _exact(amount) > 0:
                    total[name] = total.get(name, Fraction(0)) + _exact(amount)
        if not all(_exact(d(res.get("limits")).get(name, 0)) > 0 for name in _QOS_RESOURCES):
            guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    if guaranteed and len(requests) == len(limits) and all(limits.get(name) == amount for name, amount in requests.items()):
        return "Guaranteed"
    return "Burstable"


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


#: What Go's strings.TrimSpace removes (unicode.IsSpace); Python's str.strip() removes more.
_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
_NEVER = datetime.min.replace(tzinfo=timezone.utc)


def _core_v1(event: dict) -> bool:
    """A core/v1 Event (kubectl's form); else an events.k8s.io/v1 one, whose fields are named otherwise."""
    return "involvedObject" in event or "regarding" not in event


def _event_time(event: dict) -> datetime:
    """What kubectl 1.32 sorts events by: lastTimestamp alone (an event with only an eventTime or a
    series counts as the zero time)."""
    return parse_time(event.get("lastTimestamp" if _core_v1(event) else "deprecatedLastTimestamp")) or _NEVER


def kubectl_events(inventory: Inventory, pod: dict) -> list[dict]:
    """The pod's events as kubectl describe lists them: those recorded under the pod's uid (a static
    pod's config hash), in the API's order (by name), then sorted by time with Go's unstable sort, so
    events with the same time come out in kubectl's order."""
    wanted = mirror_uid(pod) or str(d(pod.get("metadata")).get("uid") or "")
    events = [without_deep_values(e) for e in inventory.events_for_pod(pod) if not wanted or event_subject(e).get("uid") == wanted]
    events.sort(key=lambda e: str(d(e.get("metadata")).get("name", "")))
    go_sort(events, lambda a, b: _event_time(a) < _event_time(b))
    return events


def event_age(event: dict, now: datetime) -> str:
    """The Age column: "3m (x5 over 9m)" for a repeated event, "9m" otherwise."""
    core = _core_v1(event)
    first = (
        since(event["eventTime"], now)
        if event.get("eventTime")
        else since(event.get("firstTimestamp" if core else "deprecatedFirstTimestamp"), now)
    )
    series = d(event.get("series"))
    count = num(event.get("count" if core else "deprecatedCount"))
    if series:
        return f"{since(series.get('lastObservedTime'), now)} (x{num(series.get('count'))} over {first})"
    if count > 1:
        return f"{since(event.get('lastTimestamp' if core else 'deprecatedLastTimestamp'), now)} (x{count} over {first})"
    return first


def event_source(event: dict) -> str:
    """The From column: the source component, else the reporting controller (core/v1 names that field
    `reportingComponent`; events.k8s.io/v1 calls them deprecatedSource and reportingController)."""
    if _core_v1(event):
        return str(d(event.get("source")).get("component") or event.get("reportingComponent") or "")
    return str(d(event.get("deprecatedSource")).get("component") or event.get("reportingController") or "")


def _events(w: DescribeWriter, inventory: Inventory, pod: dict, now: datetime) -> None:
    w.section("Events")
    namespace = d(pod.get("metadata")).get("namespace", "")
    denied = [u for u in inventory.unreadable_for(namespace) if u.resource == "events"]
    if denied:
        # kubectl prints "<none>" here, which reads as "nothing happened": the one line that says otherwise
        w.line(0, f"Events:\t<could not read: {value(denied[0].reason)}>", paths=("events",))
        return
    events = kubectl_events(inventory, pod)
    if not events:
        w.line(0, "Events:\t<none>", paths=("events",))
        return
    w.flush()
    w.line(0, "Events:", paths=("events",))
    w.line(1, "Type\tReason\tAge\tFrom\tMessage", paths=("events",))
    w.line(1, "----\t------\t----\t----\t-------", paths=("events",))
    for event in events:
        component = event_source(event)
        message = str(event.get("message" if _core_v1(event) else "note") or "").strip(_GO_SPACE)
        ref = EventRef(str(event.get("type", "")), str(event.get("reason", "")), component, message)
        w.line(
            1,
            f"{value(ref.type)}\t{value(ref.reason)}\t{event_age(event, now)}\t{value(component)}\t{value(message)}",
            paths=("events",),
            event=ref,
        )
