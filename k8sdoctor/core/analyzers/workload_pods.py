"""A workload's verdict from its pods' own: a stalled rollout or a failing workload quotes the finding
of its first failing pod (category, cause, evidence) and how many fail the same way; a stalled rollout
offers the rollback to the previous revision with what differs, and for a surge pod with no room, the
arithmetic of maxSurge and maxUnavailable that keeps the old pods."""

from __future__ import annotations

import math

from k8sdoctor.core.analyzers import register
from k8sdoctor.core.analyzers.finding_edits import add_evidence, lead_with
from k8sdoctor.core.analyzers.kubectl import quote
from k8sdoctor.core.analyzers.rollout import template_changes
from k8sdoctor.core.analyzers.wording import count
from k8sdoctor.core.facts import ObjectFacts
from k8sdoctor.core.facts.workloads import (
    PodVerdict,
    new_pods_failing,
    newest_replicaset,
    revision_of,
    revision_pods,
    running_pods,
    workload_failing,
)
from k8sdoctor.core.findings import Finding, Step
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.core.kube.raw import as_int, as_str, dig, name_of


def quote_pods(finding: Finding, verdicts: list[PodVerdict], total: int, what: str) -> None:
    """Quote the first failing pod's own finding, and say how many fail the same way."""
    if not verdicts:
        return
    first, top = verdicts[0], verdicts[0].top
    same = sum(1 for v in verdicts if (v.top.category, v.top.cause) == (top.category, top.cause))
    where = f" ({top.container})" if top.container else ""
    add_evidence(finding, f"pod {first.name}{where}", f"{top.category} › {top.cause}: {top.summary}")
    for ev in top.evidence[:2]:
        add_evidence(finding, f"pod {first.name}: {ev.source}", ev.text)
    if total > 1 or len(verdicts) > 1:
        others = f"; {len(verdicts) - same} otherwise" if len(verdicts) > same else ""
        add_evidence(finding, f"{what}s", f"{same} of {count(total, what)} fail the same way{others}")
    finding.summary = f"{finding.summary}: {top.category} › {top.cause} ({top.summary})"
    if finding.about is None:
        finding.about = ("Pod", as_str(dig(first.pod, "metadata", "namespace")), first.name)


# ---- RolloutStuck ----------------------------------------------------------------------------------
@register("RolloutStuck", "new-pods-failing", "new-pods-not-ready", "surge-unschedulable")
def _new_pods(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    verdicts = new_pods_failing(facts)
    quote_pods(finding, verdicts, len(revision_pods(facts)[0]), "new pod")


@register("RolloutStuck", "new-pods-failing", "new-pods-not-ready", "progress-deadline-exceeded")
def _rollback(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    """The previous revision, what the new one changed, and the exact `kubectl rollout undo`."""
    ref = f"{facts.kind.lower()}/{facts.name}"
    if facts.kind == "Deployment":
        newest = newest_replicaset(inventory, facts.raw)
        if newest is None:
            return
        older = [
            rs
            for _k, rs in inventory.children("Deployment", facts.namespace, facts.name, "ReplicaSet")
            if revision_of(rs) < revision_of(newest)
        ]
        if not older:
            return
        previous = max(older, key=revision_of)
        ready = as_int(dig(previous, "status", "readyReplicas")) or 0
        changes = template_changes(previous, newest)
        add_evidence(
            finding,
            f"replicasets {name_of(previous)} → {name_of(newest)} spec.template.spec",
            "; ".join(changes) if changes else "the pod templates differ only in labels or annotations",
        )
        runs = f", which still runs {count(ready, 'ready pod')}" if ready else ""
        command = f"kubectl rollout undo {quote(ref)} -n {quote(facts.namespace)} --to-revision={revision_of(previous)}"
        lead_with(
            finding,
            [
                Step(
                    f"Roll back to revision {revision_of(previous)} (replicaset {name_of(previous)}){runs}, while you fix the new one.",
                    command,
                )
            ],
        )
        return
    current = as_str(dig(facts.raw, "status", "currentRevision")) if facts.kind == "StatefulSet" else ""
    text = f"Roll back to the previous revision{f' ({current}, status.currentRevision)' if current else ''}, while you fix the new one."
    if facts.kind == "StatefulSet":
        text += " Then delete the failing pod: the StatefulSet controller does not replace a pod that never became ready."
    lead_with(finding, [Step(text, f"kubectl rollout undo {quote(ref)} -n {quote(facts.namespace)}")])


def _resolve(value: object, replicas: int, *, up: bool, default: str = "25%") -> int:
    """A maxSurge/maxUnavailable value as the controller resolves it: a percentage of replicas, rounded
    up for maxSurge and down for maxUnavailable."""
    text = as_str(value) or default
    if text.endswith("%"):
        number = float(text[:-1] or 0) * replicas / 100
        return math.ceil(number) if up else math.floor(number)
    return as_int(text) or 0


@register("RolloutStuck", "surge-unschedulable")
def _surge(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    if facts.kind != "Deployment":
        return
    replicas = as_int(dig(facts.raw, "spec", "replicas"))
    replicas = 1 if replicas is None else replicas
    rolling = dig(facts.raw, "spec", "strategy", "rollingUpdate") or {}
    surge = _resolve(dig(rolling, "maxSurge"), replicas, up=True)
    unavailable = _resolve(dig(rolling, "maxUnavailable"), replicas, up=False)
    if surge == 0 and unavailable == 0:
        unavailable = 1  # the controller's own floor
    old = sum(1 for p in revision_pods(facts)[1] if not dig(p, "metadata", "deletionTimestamp"))
    text = (
        f"maxSurge {as_str(dig(rolling, 'maxSurge')) or '25%'} → {surge}, maxUnavailable {as_str(dig(rolling, 'maxUnavailable')) or '25%'} → "
        f"{unavailable} of {replicas} replicas; {count(old, 'old pod')} still running"
    )
    if unavailable == 0:
        text += ": no old pod is removed until a new one is ready, and no new one can be placed"
    add_evidence(finding, "spec.strategy.rollingUpdate (as the controller resolves it)", text)


@register("RolloutStuck", "rollout-paused")
def _paused(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    if facts.kind != "Deployment":
        return
    newest = newest_replicaset(inventory, facts.raw)
    if newest is None:
        return
    changes = template_changes(newest, facts.raw)
    if changes:
        add_evidence(finding, f"replicaset {name_of(newest)} → deployment spec.template.spec (pending)", "; ".join(changes))


@register("RolloutStuck", "progress-deadline-exceeded")
def _deadline(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    """Say what is known when no new pod fails: none exists, or they run and the rollout is just slow."""
    new_pods = revision_pods(facts)[0]
    if not new_pods:
        add_evidence(
            finding,
            "new revision's pods",
            "none in view: they were never created or are already gone; the new ReplicaSet's events say which",
        )
    elif not new_pods_failing(facts):
        add_evidence(
            finding,
            "new revision's pods",
            f"{count(len(new_pods), 'pod')} without a problem: the rollout may be slow (minReadySeconds, a slow start), not broken",
        )


# ---- PodsFailing -----------------------------------------------------------------------------------
@register("PodsFailing")
def _pods_failing(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    quote_pods(finding, workload_failing(facts), len(running_pods(facts)), "pod")
