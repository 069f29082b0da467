"""Pending: the scheduler's verdict counted per reason, then proof from the nodes, the other pods
and the claims for the cause the playbook named; the pod's scheduling gates; and, when no scheduler
has spoken at all, the scheduler the pod waits for."""

from __future__ import annotations

from functools import lru_cache

from k8sdoctor.core.analyzers import register
from k8sdoctor.core.analyzers.finding_edits import add_evidence, lead_with
from k8sdoctor.core.analyzers.kubectl import quote, target_of
from k8sdoctor.core.analyzers.pending_claims import explain_claims
from k8sdoctor.core.analyzers.pending_fit import explain_fit
from k8sdoctor.core.analyzers.pending_nodes import explain_selector, explain_taints
from k8sdoctor.core.analyzers.pod_names import pod_names
from k8sdoctor.core.facts import PodFacts
from k8sdoctor.core.findings import Finding, Step
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.core.kube.scheduler_message import parse_scheduler_message

DEFAULT_SCHEDULER = "default-scheduler"
SHOWN_RUNNERS = 5


@register("Pending")
def _verdict(finding: Finding, facts: PodFacts, inventory: Inventory) -> None:
    found = facts.scheduling_message()
    summary = verdict_summary(found[0]) if found else None
    if found and summary is not None:
        add_evidence(finding, f"{found[1]}, counted per reason", summary)


@lru_cache(maxsize=1024)  # every Pending replica of a workload quotes the same verdict
def verdict_summary(message: str) -> str | None:
    verdict = parse_scheduler_message(message)
    return verdict.summary() if verdict is not None else None


@register("Pending", "insufficient-resources")
def _fit(finding: Finding, facts: PodFacts, inventory: Inventory) -> None:
    explain_fit(finding, facts, inventory)


@register("Pending", "untolerated-taint")
def _taints(finding: Finding, facts: PodFacts, inventory: Inventory) -> None:
    explain_taints(finding, facts, inventory)


@register("Pending", "node-selector-mismatch")
def _selector(finding: Finding, facts: PodFacts, inventory: Inventory) -> None:
    explain_selector(finding, facts, inventory)


register("Pending", "unbound-pvc", "volume-node-affinity-conflict")(explain_claims)


@register("Pending")
def _gates_and_silence(finding: Finding, facts: PodFacts, inventory: Inventory) -> None:
    if facts.scheduling_gates:
        gates = ", ".join(facts.scheduling_gates)
        add_evidence(
            finding,
            "spec.schedulingGates",
            f"{len(facts.scheduling_gates)} gate(s): {gates}; no scheduler looks at the pod until every gate is removed",
        )
    elif facts.scheduling_message() is None:
        explain_silence(finding, facts, inventory)


def explain_silence(finding: Finding, facts: PodFacts, inventory: Inventory) -> None:
    """No scheduler has written a verdict: name the scheduler the pod waits for, and whether it runs."""
    steps = []
    name = facts.scheduler_name
    if name != DEFAULT_SCHEDULER:
        add_evidence(
            finding,
            "spec.schedulerName",
            f"{name}: only that scheduler places this pod, and it has written no event about it (it is not running, or does not know this pod)",
        )
        runners = [
            f"{ns}/{pod_name} ({phase or 'unknown phase'})"
            for ns, pod_name, phase in pod_names(inventory).containing(name, 64)
            if pod_name != facts.name
        ][:SHOWN_RUNNERS]
        if runners:
            add_evidence(finding, "pods named like the scheduler", ", ".join(runners))
        steps.append(
            Step(
                f"Check that the scheduler {name} runs and watches this namespace.",
                f"kubectl get pods -A -o wide | grep -F -- {quote(name)}",
            )
        )
        command = target_of(facts).patch_pod_spec({"schedulerName": None})
        if command:
            steps.append(Step("If the pod was meant for the default scheduler, drop spec.schedulerName.", command))
    else:
        schedulers = [
            f"kube-system/{pod_name} ({phase or 'unknown phase'})" for _ns, pod_name, phase in pod_names(inventory).default_schedulers(3)
        ]
        if schedulers:
            add_evidence(finding, "kube-system pods", "the default scheduler: " + ", ".join(schedulers))
    lead_with(finding, steps)
