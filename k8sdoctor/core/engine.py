"""The diagnosis engine: runs compiled playbooks over an object's facts and returns sorted findings.

Playbooks run in priority order, each on the subjects of its kind. For a container-scoped pod playbook
each container is a target; for a pod-scoped one the pod is; for any other kind the object is. When a
playbook's symptom (`match`) holds for a target, its causes are tried in order (`select: first`) or all
together (`select: all`); if none holds, the fallback cause is reported. An `exclusive` playbook that
produced a finding stops later playbooks for the same target (a crash-looping container is not reported
again as merely "not ready").

When a symptom holds and the playbook's causes read logs the source does not have, the diagnosis asks for
them (`Diagnosis.wants`); a live source fetches them and diagnoses again.

Per-cause analyzers (`k8sdoctor.core.analyzers`) then add evidence from related objects. A finding can
name objects whose own findings explain it (`Finding.carries`: a Service's unready pods, a Pending pod's
claim); the engine diagnoses those too, at most `CARRY_DEPTH` objects deep and never one already on the
way (a claim that points at its pod that points back at the claim), and carries their top finding in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from k8sdoctor.core.analyzers import analyzers_for
from k8sdoctor.core.analyzers.finding_edits import add_evidence
from k8sdoctor.core.analyzers.kubectl import is_option_like, quote
from k8sdoctor.core.facts import ContainerFact, ObjectFacts, PodFacts, build_object_facts, build_pod_facts
from k8sdoctor.core.findings import SEVERITY_RANK, Diagnosis, Evidence, Finding, Step
from k8sdoctor.core.inventory import Inventory, Key, Ref, obj_key, unreadable_note
from k8sdoctor.core.kube.podstatus import pod_display_status
from k8sdoctor.core.playbooks.matching import Hit, MatchContext
from k8sdoctor.core.playbooks.model import CompiledCause, Playbook
from k8sdoctor.core.playbooks.templates import MissingValue, reflow, render
from k8sdoctor.core.relations import workload_of
from k8sdoctor.core.rule_memo import RuleMemo, Unmask, finding_plan

#: How many objects a finding carries the findings of, at most, and how deep carrying goes (an Ingress
#: carries its Service's finding, which carries its pods').
MAX_CARRIED = 3
CARRY_DEPTH = 2
_NO_TRAIL: frozenset[Ref] = frozenset()


def is_plainly_healthy(pod: dict) -> bool:
    """Fast triage on the raw pod: Succeeded, or Running with every container running, ready and never
    restarted.

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
        state = cs.get("state")
        if not isinstance(state, dict) or "running" not in state:  # "ready" but not running says something is off
            return False
    for cs in status.get("initContainerStatuses") or ():
        if not isinstance(cs, dict) or cs.get("restartCount"):
            return False
    return True


def _event_scopes(facts: PodFacts) -> dict:
    """Events in scope, newest first: for the pod (None), for each container that has events of its
    own (by name), and one list ("*") shared by all other containers, so rule results over it are
    computed once per pod."""
    newest = list(reversed(facts.events))
    scopes: dict = {None: newest, "*": [e for e in newest if e.container is None]}
    for name in {e.container for e in newest if e.container is not None}:
        scopes[name] = [e for e in newest if e.container in (None, name)]
    return scopes


def _container_events(scopes: dict, c: ContainerFact) -> list:
    """The events a container's rules read. An app container waiting for its init containers
    (PodInitializing) has not been created: an event that names no container is not about it."""
    if c.waiting_reason == "PodInitializing":
        return [e for e in scopes.get(c.name, ()) if e.container == c.name]
    return scopes.get(c.name, scopes["*"])


def _logs_wanted(pb: Playbook, c: ContainerFact) -> bool | None:
    """Which run's logs a playbook wants for a container: True (previous), False (current), None (none)."""
    if not pb.spec.logs or c.logs_known:
        return None
    if pb.spec.logs == "auto":
        return c.restarts > 0 or c.last_finished_at is not None or bool(c.last_reason)
    return pb.spec.logs == "previous"


def _command(template: str | None, values: dict[str, str]) -> str | None:
    """A remediation command, or none when a value it needs is missing (a pod not on a node yet)."""
    if template is None:
        return None
    try:
        return render(template, values, shell=True)
    except MissingValue:
        return None


class Engine:
    """Holds compiled playbooks; the `diagnose*` methods are pure and safe to call from any thread."""

    def __init__(self, playbooks: Sequence[Playbook], *, memo: bool = True) -> None:
        self.playbooks = sorted(playbooks, key=lambda p: (p.spec.priority, p.id))
        self.by_subject: dict[str, list[Playbook]] = {}
        for pb in self.playbooks:
            for subject in pb.spec.subjects:
                self.by_subject.setdefault(subject, []).append(pb)
        self._order = {pb.id: i for i, pb in enumerate(self.playbooks)}
        #: Replicas that fail alike are diagnosed once (see rule_memo); None: every pod on its own.
        self.memo: RuleMemo | None = RuleMemo(self.by_subject.get("Pod", ())) if memo else None
        if self.memo is not None and not self.memo.enabled:
            self.memo = None

    @property
    def subjects(self) -> list[str]:
        """The kinds some playbook diagnoses."""
        return list(self.by_subject)

    # ---- pods ------------------------------------------------------------------------------------
    def diagnose_pod(self, inventory: Inventory, pod: dict, now: datetime) -> Diagnosis:
        """Diagnose one raw pod against what the inventory knows. Never raises on odd objects."""
        if is_plainly_healthy(pod):
            meta = pod.get("metadata") or {}
            phase = (pod.get("status") or {}).get("phase") or ""
            # printPod's verdict for a Running pod whose containers all run ready is its phase
            status = ("Terminating" if meta.get("deletionTimestamp") else phase) if phase == "Running" else pod_display_status(pod)
            workload = workload_of(inventory, "Pod", pod)
            return Diagnosis(
                namespace=meta.get("namespace") or "",
                name=meta.get("name") or "",
                phase=phase,
                status=status,
                owner=workload.owner_dict() if workload else None,
                revision=workload.revision if workload else None,
            )
        return self.diagnose(build_pod_facts(inventory, pod, now), inventory)

    def diagnose_all(self, inventory: Inventory, now: datetime, keys: Iterable | None = None) -> list[Diagnosis]:
        pods = inventory.pods
        return [self.diagnose_pod(inventory, pods[k], now) for k in (keys if keys is not None else list(pods))]

    def diagnose(self, facts: PodFacts, inventory: Inventory | None = None) -> Diagnosis:
        return self._diagnose_pod(facts, inventory, _NO_TRAIL)

    def _diagnose_pod(self, facts: PodFacts, inventory: Inventory | None, trail: frozenset[Ref]) -> Diagnosis:
        result = Diagnosis(
            namespace=facts.namespace,
            name=facts.name,
            phase=facts.phase,
            status=pod_display_status(facts.raw),
            owner=facts.workload.owner_dict() if facts.workload else None,
            revision=facts.workload.revision if facts.workload else None,
        )
        for u in facts.unreadable:
            result.notes.append(unreadable_note(u))
        if facts.phase == "Succeeded":
            return result  # done is healthy, even if a sidecar exited non-zero on the way out
        masked = self.memo.mask(facts) if self.memo is not None else None
        if masked is None:
            findings = self._rules(facts, result, inventory)
        else:
            entry = self.memo.get(masked.key)  # type: ignore[union-attr]  # masked implies a memo
            if entry is None:
                masked_facts = self.memo.masked_facts(masked)  # type: ignore[union-attr]
                scratch = Diagnosis(namespace=facts.namespace, name=masked_facts.name, phase="", status="")
                found = self._rules(masked_facts, scratch, inventory)
                entry = (found, [finding_plan(f) for f in found], scratch.wants, scratch.notes)
                self.memo.put(masked.key, entry)  # type: ignore[union-attr]
            found, plans, wants, notes = entry
            unmask = Unmask(facts)
            findings = [unmask.finding(f, plan) for f, plan in zip(found, plans, strict=True)]
            result.wants += [(kind, unmask.text(ns), unmask.text(target)) for kind, ns, target in wants]
            result.notes += [unmask.text(note) for note in notes]
        if inventory is not None:
            self._analyze(findings, facts, inventory)
            self._carry(findings, ("Pod", facts.namespace, facts.name), facts.now, inventory, trail)
        result.findings = findings
        return result

    def _rules(self, facts: PodFacts, result: Diagnosis, inventory: Inventory | None) -> list[Finding]:
        """The playbooks' findings for a pod, sorted; the logs they want go to `result`."""
        findings: list[Finding] = []
        pod_claimed = False
        claimed: set[str] = set()
        scopes = _event_scopes(facts)
        memo: dict = {}
        for pb in self.by_subject.get("Pod", ()):
            if pod_claimed:
                break
            if pb.spec.scope == "pod":
                found = self._run(pb, MatchContext(facts, None, scopes[None], memo, inventory), None)
                findings.extend(found)
                if found and pb.spec.exclusive:
                    pod_claimed = True
                continue
            for c in facts.containers:
                if c.name in claimed or c.kind == "ephemeral":
                    continue
                found = self._run(pb, MatchContext(facts, c, _container_events(scopes, c), memo, inventory), c)
                findings.extend(found)
                if found and pb.spec.exclusive:
                    claimed.add(c.name)
                previous = _logs_wanted(pb, c) if found else None
                if previous is not None:
                    self._want_logs(result, facts, c, previous)
        if any(f.is_problem and not f.fallback for f in findings):
            # A pod-level "something is wrong, nothing says why" adds nothing next to a finding that
            # says why (an app container waits in PodInitializing because its init container fails).
            findings = [f for f in findings if not (f.fallback and f.container is None)]
        index = {c.name: i for i, c in enumerate(facts.containers)}
        findings.sort(key=lambda f: (SEVERITY_RANK[f.severity], self._order[f.playbook], index.get(f.container or "", -1)))
        return findings

    @staticmethod
    def _want_logs(result: Diagnosis, facts: PodFacts, c: ContainerFact, previous: bool) -> None:
        run = "previous" if previous else "current"
        want = ("logs", facts.namespace, f"{facts.name}/{c.name}/{run}")
        if want in result.wants:
            return
        result.wants.append(want)
        flag = " --previous" if previous else ""
        names = (facts.namespace, facts.name, c.name)
        command = "" if any(is_option_like(v) for v in names) else ": kubectl logs -n {} {} -c {}".format(*map(quote, names)) + flag
        result.notes.append(f"no logs were available for container {c.name}; its cause may be in them{command}")

    # ---- other kinds -------------------------------------------------------------------------------
    def diagnose_object(
        self, inventory: Inventory, kind: str, obj: dict, now: datetime, pods: dict[Key, Diagnosis] | None = None
    ) -> Diagnosis:
        """Diagnose one object of any kind against what the inventory knows. Never raises on odd objects.
        `pods`, when given, holds the pods' diagnoses already made on this inventory at `now`, and takes
        those this diagnosis makes: diagnosing many kinds, each pod is diagnosed once, not again for each
        workload over it."""
        if kind == "Pod":
            return self._pod_once(inventory, obj, now, pods)
        facts = build_object_facts(inventory, kind, obj, now)
        facts.diagnose_pod = lambda pod: self._pod_once(inventory, pod, now, pods)
        return self.diagnose_facts(facts)

    def _pod_once(self, inventory: Inventory, pod: dict, now: datetime, pods: dict[Key, Diagnosis] | None) -> Diagnosis:
        if pods is None:
            return self.diagnose_pod(inventory, pod, now)
        key = obj_key(pod)
        found = pods.get(key)
        if found is None:
            found = pods[key] = self.diagnose_pod(inventory, pod, now)
        return found

    def diagnose_facts(self, facts: ObjectFacts) -> Diagnosis:
        return self._diagnose_object(facts, _NO_TRAIL)

    def _diagnose_object(self, facts: ObjectFacts, trail: frozenset[Ref]) -> Diagnosis:
        from k8sdoctor.core.kube.objstatus import object_status  # kinds other than pods only

        result = Diagnosis(
            namespace=facts.namespace,
            name=facts.name,
            phase="",
            status=object_status(facts.kind, facts.raw),
            owner=facts.workload.owner_dict() if facts.workload else None,
            kind=facts.kind,
        )
        for u in facts.unreadable:
            result.notes.append(unreadable_note(u))
        events = list(reversed(facts.events))
        memo: dict = {}
        findings: list[Finding] = []
        for pb in self.by_subject.get(facts.kind, ()):
            found = self._run(pb, MatchContext(facts, None, events, memo, facts.inventory), None)
            findings.extend(found)
            if found and pb.spec.exclusive:
                break
        findings.sort(key=lambda f: (SEVERITY_RANK[f.severity], self._order[f.playbook]))
        self._analyze(findings, facts, facts.inventory)
        self._carry(findings, facts.ref, facts.now, facts.inventory, trail)
        result.findings = findings
        # The pods whose findings it quotes may need evidence a source can read (their logs).
        for pod in facts.pod_diagnoses:
            for want in [*pod.wants, *(w for f in pod.findings for w in f.wants)]:
                if want not in result.wants:
                    result.wants.append(want)
        return result

    def diagnose_kind(
        self, inventory: Inventory, kind: str, now: datetime, namespace: str | None = None, pods: dict[Key, Diagnosis] | None = None
    ) -> list[Diagnosis]:
        """Every object of one kind (in one namespace, or all), in name order; `pods` as for
        `diagnose_object`."""
        if kind == "Pod":
            keys = sorted(k for k in inventory.pods if namespace is None or k[0] == namespace)
            return [self._pod_once(inventory, inventory.pods[k], now, pods) for k in keys]
        objects = inventory.all(kind) if namespace is None else inventory.in_namespace(kind, namespace)
        ordered = sorted(
            objects, key=lambda o: ((o.get("metadata") or {}).get("namespace") or "", (o.get("metadata") or {}).get("name") or "")
        )
        return [self.diagnose_object(inventory, kind, obj, now, pods) for obj in ordered]

    # ---- findings that carry other objects' findings ------------------------------------------------
    def _carry(self, findings: list[Finding], own: Ref, now: datetime, inventory: Inventory, trail: frozenset[Ref]) -> None:
        """Diagnose the objects each finding carries and bring their top problem in: its cause in
        `underlying`, its summary and first quote as evidence, its first steps in front."""
        trail = trail | {own}
        if len(trail) > CARRY_DEPTH:
            return
        for f in findings:
            lead: Finding | None = None
            for ref in f.carries[:MAX_CARRIED]:
                obj = inventory.get(*ref) if ref not in trail else None
                if obj is None:
                    continue
                top = next((g for g in self._diagnose_ref(inventory, ref, obj, now, trail).findings if g.is_problem), None)
                if top is None:
                    continue
                kind, namespace, name = ref
                f.underlying.append(
                    {
                        "kind": kind,
                        "namespace": namespace,
                        "name": name,
                        "category": top.category,
                        "cause": top.cause,
                        "severity": top.severity,
                    }
                )
                where = f"{kind.lower()} {namespace + '/' if namespace else ''}{name}"
                add_evidence(f, f"{where}: {top.category} › {top.cause}", top.summary)
                if lead is None:
                    lead = top
                    for ev in top.evidence[:2]:
                        add_evidence(f, f"{where} {ev.source}", ev.text)
            if lead is not None:
                steps = lead.remediation[:2]
                f.remediation = [*steps, *(s for s in f.remediation if s not in steps)]

    def _diagnose_ref(self, inventory: Inventory, ref: Ref, obj: dict, now: datetime, trail: frozenset[Ref]) -> Diagnosis:
        if ref[0] == "Pod":
            return self._diagnose_pod(build_pod_facts(inventory, obj, now), inventory, trail)
        return self._diagnose_object(build_object_facts(inventory, ref[0], obj, now), trail)

    # ---- shared ------------------------------------------------------------------------------------
    @staticmethod
    def _analyze(findings: list[Finding], facts: PodFacts | ObjectFacts, inventory: Inventory) -> None:
        for f in findings:
            for analyzer in analyzers_for(f.category, f.cause):
                analyzer(f, facts, inventory)

    def _run(self, pb: Playbook, ctx: MatchContext, container: ContainerFact | None) -> list[Finding]:
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
        category = next((cat for when, cat in pb.variants if when.eval(ctx) is not None), pb.spec.category)
        return [self._finding(pb, category, ctx.facts, container, cause, hit, symptom, severity) for cause, hit in hits]

    @staticmethod
    def _values(facts: PodFacts | ObjectFacts, container: ContainerFact | None) -> dict[str, str]:
        """The template variables of a target (see templates.standard_vars)."""
        if isinstance(facts, ObjectFacts):
            ref = f"{facts.kind.lower()}/{facts.name}"
            return {
                "namespace": facts.namespace,
                "name": facts.name,
                "kind": facts.kind,
                "object": ref,
                "workload": facts.workload.ref if facts.workload else ref,
            }
        workload = facts.workload
        values = {
            "pod": facts.name,
            "namespace": facts.namespace,
            "node": facts.node_name,
            "workload": workload.ref if workload else f"pod/{facts.name}",
            "owner_kind": workload.kind if workload else "",
            "owner_name": workload.name if workload else "",
        }
        if container is not None:
            exit_code = container.exit_code
            values.update(
                container=container.name,
                image=container.image,
                restarts=str(container.restarts),
                exit_code="" if exit_code is None else str(exit_code),
            )
        return values

    def _finding(
        self,
        pb: Playbook,
        category: str,
        facts: PodFacts | ObjectFacts,
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
        captures = dict(symptom.captures)
        captures.update(hit.captures)
        values = self._values(facts, container)
        for k, v in symptom.captures.items():
            values.setdefault(k, v)
        values.update(hit.captures)
        severity = downgraded or spec.severity or pb.spec.severity
        return Finding(
            category=category,
            cause=spec.id,
            container=container.name if container is not None else None,
            severity=severity,
            title=render(spec.title, values, lenient=True),
            summary=render(spec.summary or spec.title, values, lenient=True),
            explanation=reflow(render(spec.explanation, values, lenient=True)),
            evidence=evidence,
            remediation=[Step(render(s.text, values, lenient=True), _command(s.command, values)) for s in spec.remediation],
            playbook=pb.id,
            fallback=cause.match is None,
            about=hit.about or symptom.about,
            captures=captures,
        )
