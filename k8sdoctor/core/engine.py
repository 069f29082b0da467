"""The diagnosis engine: runs compiled playbooks over a pod's facts and returns sorted findings.

Playbooks run in priority order. For a container-scoped playbook each container is a target; for a
pod-scoped one the pod is. When a playbook's symptom (`match`) holds for a target, its causes are
tried in order (`select: first`) or all together (`select: all`); if none holds, the fallback cause is
reported. An `exclusive` playbook that produced a finding stops later playbooks for the same target
(a crash-looping container is not reported again as merely "not ready").

Per-family analyzers (`k8sdoctor.core.analyzers`) then add evidence from related objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from k8sdoctor.core.analyzers import analyzers_for
from k8sdoctor.core.facts import ContainerFact, PodFacts, build_pod_facts, workload_of
from k8sdoctor.core.findings import SEVERITY_RANK, Evidence, Finding, PodDiagnosis, Step
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.core.kube.podstatus import pod_display_status
from k8sdoctor.core.playbooks.matching import Hit, LogTest, MatchContext, Node
from k8sdoctor.core.playbooks.model import CompiledCause, Playbook
from k8sdoctor.core.playbooks.templates import reflow, render


def is_plainly_healthy(pod: dict) -> bool:
    """Fast triage on the raw pod: Succeeded, or Running with every container ready and never restarted.

    Such pods need no facts and no playbooks. Anything else (including odd or partial objects) goes
    through the full diagnosis.
    """
    status = pod.get("status")
    if not isinstance(status, dict):
        return False
    phase = status.get("phase")
    if phase == "Succeeded":
        return True
    if phase != "Running" or status.get("reason"):
        return False
    statuses = status.get("containerStatuses")
    if not isinstance(statuses, list) or not statuses:
        return False
    for cs in statuses:
        if not isinstance(cs, dict) or cs.get("ready") is not True or cs.get("restartCount"):
            return False
    init = status.get("initContainerStatuses") or ()
    return all(isinstance(cs, dict) and not cs.get("restartCount") for cs in init)


def _event_scopes(facts: PodFacts) -> dict:
    """Events in scope, newest first: for the pod (None), for each container that has events of its
    own (by name), and one list ("*") shared by all other containers, so rule results over it are
    computed once per pod."""
    newest = list(reversed(facts.events))
    scopes: dict = {None: newest, "*": [e for e in newest if e.container is None]}
    for name in {e.container for e in newest if e.container is not None}:
        scopes[name] = [e for e in newest if e.container in (None, name)]
    return scopes


def _uses_logs(node: Node | None) -> bool:
    if node is None:
        return False
    if isinstance(node, LogTest):
        return True
    return any(_uses_logs(n) for n in getattr(node, "nodes", ())) or _uses_logs(getattr(node, "node", None))


def _workload(facts: PodFacts) -> str:
    if facts.workload_kind and facts.workload_name:
        return f"{facts.workload_kind.lower()}/{facts.workload_name}"
    return f"pod/{facts.name}"


class Engine:
    """Holds compiled playbooks; `diagnose` is pure and safe to call from any thread."""

    def __init__(self, playbooks: Sequence[Playbook]) -> None:
        self.playbooks = sorted(playbooks, key=lambda p: (p.spec.priority, p.id))
        self._reads_logs = {p.id: any(_uses_logs(c.match) for c in p.causes) for p in self.playbooks}

    # ---- entry points --------------------------------------------------------------------------
    def diagnose_pod(self, inventory: Inventory, pod: dict, now: datetime) -> PodDiagnosis:
        """Diagnose one raw pod against what the inventory knows. Never raises on odd objects."""
        if is_plainly_healthy(pod):
            meta = pod.get("metadata") or {}
            phase = (pod.get("status") or {}).get("phase") or ""
            # printPod's verdict for a Running pod whose containers all run ready is its phase
            status = ("Terminating" if meta.get("deletionTimestamp") else phase) if phase == "Running" else pod_display_status(pod)
            kind, name, revision = workload_of(inventory, pod)
            return PodDiagnosis(
                namespace=meta.get("namespace") or "",
                name=meta.get("name") or "",
                phase=phase,
                status=status,
                owner={"kind": kind, "name": name} if kind else None,
                revision=revision,
            )
        return self.diagnose(build_pod_facts(inventory, pod, now), inventory)

    def diagnose_all(self, inventory: Inventory, now: datetime, keys: Iterable | None = None) -> list[PodDiagnosis]:
        pods = inventory.pods
        return [self.diagnose_pod(inventory, pods[k], now) for k in (keys if keys is not None else list(pods))]

    def diagnose(self, facts: PodFacts, inventory: Inventory | None = None) -> PodDiagnosis:
        result = PodDiagnosis(
            namespace=facts.namespace,
            name=facts.name,
            phase=facts.phase,
            status=pod_display_status(facts.raw),
            owner={"kind": facts.workload_kind, "name": facts.workload_name} if facts.workload_kind else None,
            revision=facts.revision,
        )
        for u in facts.unreadable:
            result.notes.append(f"could not read {u.resource}: {u.reason}")
        if facts.phase == "Succeeded":
            return result  # done is healthy, even if a sidecar exited non-zero on the way out
        findings: list[Finding] = []
        pod_claimed = False
        claimed: set[str] = set()
        scopes = _event_scopes(facts)
        memo: dict = {}
        for pb in self.playbooks:
            if pod_claimed:
                break
            if pb.spec.scope == "pod":
                found = self._run(pb, facts, None, scopes[None], memo)
                findings.extend(found)
                if found and pb.spec.exclusive:
                    pod_claimed = True
                continue
            for c in facts.containers:
                if c.name in claimed or c.kind == "ephemeral":
                    continue
                found = self._run(pb, facts, c, scopes.get(c.name, scopes["*"]), memo)
                findings.extend(found)
                if found and pb.spec.exclusive:
                    claimed.add(c.name)
                if found and self._reads_logs[pb.id] and not c.logs_known:
                    result.notes.append(
                        f"no logs were available for container {c.name}; its cause may be in them: "
                        f"kubectl logs -n {facts.namespace} {facts.name} -c {c.name} --previous"
                    )
        if any(f.is_problem and not f.fallback for f in findings):
            # A pod-level "something is wrong, nothing says why" adds nothing next to a finding that
            # says why (an app container waits in PodInitializing because its init container fails).
            findings = [f for f in findings if not (f.fallback and f.container is None)]
        order = {pb.id: i for i, pb in enumerate(self.playbooks)}
        index = {c.name: i for i, c in enumerate(facts.containers)}
        findings.sort(key=lambda f: (SEVERITY_RANK[f.severity], order[f.playbook], index.get(f.container or "", -1)))
        if inventory is not None:
            for f in findings:
                for analyzer in analyzers_for(f.category):
                    analyzer(f, facts, inventory)
        result.findings = findings
        return result

    # ---- one playbook on one target -----------------------------------------------------------
    def _run(self, pb: Playbook, facts: PodFacts, container: ContainerFact | None, events: list, memo: dict) -> list[Finding]:
        ctx = MatchContext(facts, container, events, memo)
        symptom = pb.match.eval(ctx)
        if symptom is None:
            return []
        hits: list[tuple[CompiledCause, Hit]] = []
        for cause in pb.causes:
            assert cause.match is not None
            got = cause.match.eval(ctx)
            if got is not None:
                hits.append((cause, got))
                if pb.spec.select == "first":
                    break
        if not hits:
            hits = [(pb.fallback, Hit())]
        severity = next((sev for when, sev in pb.downgrade if when.eval(ctx) is not None), None)
        return [self._finding(pb, facts, container, cause, hit, symptom, severity) for cause, hit in hits]

    def _finding(
        self,
        pb: Playbook,
        facts: PodFacts,
        container: ContainerFact | None,
        cause: CompiledCause,
        hit: Hit,
        symptom: Hit,
        downgraded: str | None,
    ) -> Finding:
        spec = cause.spec
        evidence: list[Evidence] = list(hit.evidence)
        for ev in symptom.evidence:
            if ev not in evidence:
                evidence.append(ev)
        values = {
            "pod": facts.name,
            "namespace": facts.namespace,
            "node": facts.node_name,
            "workload": _workload(facts),
            "owner_kind": facts.workload_kind,
            "owner_name": facts.workload_name,
        }
        if container is not None:
            exit_code = container.exit_code
            values.update(
                container=container.name,
                image=container.image,
                restarts=str(container.restarts),
                exit_code="" if exit_code is None else str(exit_code),
            )
        for k, v in symptom.captures.items():
            values.setdefault(k, v)
        for k, v in hit.captures.items():
            values[k] = v
        severity = downgraded or spec.severity or pb.spec.severity
        return Finding(
            category=pb.spec.category,
            cause=spec.id,
            container=container.name if container is not None else None,
            severity=severity,
            title=render(spec.title, values),
            summary=render(spec.summary or spec.title, values),
            explanation=reflow(render(spec.explanation, values)),
            evidence=evidence,
            remediation=[
                Step(render(s.text, values), render(s.command, values, shell=True) if s.command else None) for s in spec.remediation
            ],
            playbook=pb.id,
            fallback=cause.match is None,
        )
