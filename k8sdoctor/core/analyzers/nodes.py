"""NodeNotReady: what the Ready condition says and how long ago the kubelet last reported, the CNI agent
pods on the node, and the pods the node's trouble affects: evicted there, stuck terminating there, and
Pending because of the taint it put on the node."""

from __future__ import annotations

from k8sdoctor.core.analyzers import register
from k8sdoctor.core.analyzers.cni import agents_on, all_pods_read, cluster_agents, describe_agent
from k8sdoctor.core.analyzers.finding_edits import add_evidence
from k8sdoctor.core.facts import ObjectFacts
from k8sdoctor.core.facts.nodes import heartbeat_age
from k8sdoctor.core.findings import Finding
from k8sdoctor.core.inventory import Inventory, obj_key
from k8sdoctor.core.kube.podstatus import pod_display_status
from k8sdoctor.core.kube.raw import as_str, dicts, dig, name_of
from k8sdoctor.core.kube.scheduler_message import parse_scheduler_message
from k8sdoctor.core.kube.timeutil import human_duration

SHOWN = 5
#: The taint each cause puts on the node (the scheduler quotes it in an unschedulable pod's message).
TAINTS = {
    "kubelet-not-posting": "node.kubernetes.io/unreachable",
    "network-not-ready": "node.kubernetes.io/not-ready",
    "not-ready": "node.kubernetes.io/not-ready",
    "disk-pressure": "node.kubernetes.io/disk-pressure",
    "memory-pressure": "node.kubernetes.io/memory-pressure",
    "pid-pressure": "node.kubernetes.io/pid-pressure",
}


def _names(pods: list[dict]) -> str:
    shown = ", ".join(f"{obj_key(p)[0]}/{name_of(p)}" for p in pods[:SHOWN])
    return shown + (f" and {len(pods) - SHOWN} more" if len(pods) > SHOWN else "")


def pending_by_taint(inventory: Inventory) -> dict[str, list[dict]]:
    """Unscheduled pods by the taint keys their scheduler message says they do not tolerate; built once
    per inventory state."""

    def build(inv: Inventory) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {}
        for pod in inv.pods.values():
            if dig(pod, "status", "phase") != "Pending" or dig(pod, "spec", "nodeName"):
                continue
            message = next(
                (as_str(c.get("message")) for c in dicts(dig(pod, "status", "conditions")) if c.get("type") == "PodScheduled"), ""
            )
            verdict = parse_scheduler_message(message) if message else None
            for reason in verdict.reasons if verdict is not None else ():
                for key in TAINTS.values():
                    if key in reason.text:
                        out.setdefault(key, []).append(pod)
        return out

    return inventory.derived("nodes.pending-by-taint", build)


@register("NodeNotReady")
def _affected(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    """The pods this node's trouble hits."""
    pods = inventory.pods_on_node(facts.name)
    evicted = [p for p in pods if as_str(dig(p, "status", "reason")) == "Evicted"]
    stuck = [p for p in pods if dig(p, "metadata", "deletionTimestamp") and dig(p, "status", "phase") not in ("Succeeded", "Failed")]
    if evicted:
        add_evidence(finding, f"pods on node {facts.name}", f"{len(evicted)} evicted: {_names(evicted)}")
    if stuck:
        add_evidence(finding, f"pods on node {facts.name}", f"{len(stuck)} stuck terminating: {_names(stuck)}")
    taint = TAINTS.get(finding.cause)
    waiting = pending_by_taint(inventory).get(taint or "", [])
    if waiting:
        add_evidence(finding, f"pods not tolerating {taint}", f"{len(waiting)} Pending: {_names(waiting)}")


@register("NodeNotReady", "kubelet-not-posting", "not-ready")
def _ready(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    ready = facts.conditions.get("Ready") or {}
    text = " ".join(as_str(ready.get(k)) for k in ("status", "reason") if ready.get(k))
    message = as_str(ready.get("message"))
    if text or message:
        add_evidence(finding, "status.conditions[Ready]", f"{text}: {message}" if message else text)
    age = heartbeat_age(facts)
    if age is not None:
        add_evidence(finding, "status.conditions[Ready].lastHeartbeatTime", f"the kubelet last reported {human_duration(age)} ago")


@register("NodeNotReady", "network-not-ready")
def _cni(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    agents = agents_on(inventory, facts.name)
    if agents:
        for cni, pod in agents[:SHOWN]:
            add_evidence(finding, f"{cni} agent on node {facts.name}", describe_agent(pod))
            if pod_display_status(pod) != "Running" or not all(s.get("ready") for s in dicts(dig(pod, "status", "containerStatuses"))):
                finding.carries.append(("Pod", obj_key(pod)[0], name_of(pod)))
    elif all_pods_read(inventory):
        others = sorted(cluster_agents(inventory))
        text = "no CNI agent pod runs on this node"
        if others:
            text += f"; the cluster runs {', '.join(others)} on other nodes (its DaemonSet does not reach this one: nodeSelector, tolerations, or it cannot start)"
        add_evidence(finding, f"pods on node {facts.name}", text)


@register("NodeNotReady", "disk-pressure", "memory-pressure", "pid-pressure")
def _pressure(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    kind = {"disk-pressure": "DiskPressure", "memory-pressure": "MemoryPressure", "pid-pressure": "PIDPressure"}[finding.cause]
    cond = facts.conditions.get(kind) or {}
    if cond.get("message"):
        add_evidence(
            finding,
            f"status.conditions[{kind}]",
            f"{as_str(cond.get('status'))} {as_str(cond.get('reason'))}: {as_str(cond.get('message'))}",
        )
    reclaim = [e for e in facts.events if e.reason in ("EvictionThresholdMet", "FreeDiskSpaceFailed")]
    for e in reclaim[-2:]:
        add_evidence(finding, f"event {e.type}/{e.reason}", e.message)
