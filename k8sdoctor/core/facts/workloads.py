"""Fields for workloads (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob), and the joins
their analyzers share.

- `pods.*`: the pods the controller wants and has not created, and the pods it runs that have a problem
  (each diagnosed through the engine, so a workload quotes its pods' own findings).
- `rollout.*`: whether a rollout is under way, in the words of `kubectl rollout status`, and the new
  revision's pods: how many fail, since when, how (their categories), and whether old pods remain.
- `job.*` and `cronjob.*`: a Job superseded by a newer run of its CronJob; how long a CronJob has missed
  its schedule, how long its active Job has run.

Everything is computed from the object and the inventory's indexes, on demand and once per facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from k8sdoctor.core.facts.kind_fields import Values, kind_field, one
from k8sdoctor.core.facts.objects import ObjectFacts, current_replicasets
from k8sdoctor.core.inventory import Inventory, obj_key
from k8sdoctor.core.kube.cron import CronError, Schedule, parse_schedule
from k8sdoctor.core.kube.raw import as_dict, as_int, as_str, dicts, dig, name_of
from k8sdoctor.core.kube.rollout_status import replicas, rollout_status
from k8sdoctor.core.kube.timeutil import parse_time
from k8sdoctor.core.relations import REVISION_ANNOTATION, owned_pods

if TYPE_CHECKING:
    from k8sdoctor.core.findings import Diagnosis, Finding

WORKLOAD_KINDS = ("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob")
ROLLOUT_KINDS = ("Deployment", "StatefulSet", "DaemonSet")
#: A CronJob run later than this after its scheduled time counts as missed (the controller starts
#: runs within seconds; this leaves room for a slow controller and for the snapshot's age).
SCHEDULE_GRACE = 300
#: Missed runs counted at most (the controller itself gives up past 100).
MISSED_LIMIT = 101


# ---- templates and desired pods --------------------------------------------------------------------
def pod_template(kind: str, obj: dict) -> tuple[dict, str]:
    """(pod template, its path) of a workload: `spec.template`, or a CronJob's job template's."""
    if kind == "CronJob":
        return as_dict(dig(obj, "spec", "jobTemplate", "spec", "template")), "spec.jobTemplate.spec.template"
    return as_dict(dig(obj, "spec", "template")), "spec.template"


def is_finished(job: dict) -> str | None:
    """ "Complete" or "Failed" for a finished Job, None while it runs."""
    for cond in dicts(dig(job, "status", "conditions")):
        if cond.get("type") in ("Complete", "Failed") and cond.get("status") == "True":
            return as_str(cond.get("type"))
    return None


def _job_missing(job: dict) -> int:
    """Pods a running Job wants and does not have: its parallelism, capped by the completions left."""
    if is_finished(job) or dig(job, "spec", "suspend") is True:
        return 0
    parallelism = as_int(dig(job, "spec", "parallelism"))
    want = 1 if parallelism is None else parallelism
    completions = as_int(dig(job, "spec", "completions"))
    if completions is not None:
        want = min(want, max(0, completions - (as_int(dig(job, "status", "succeeded")) or 0)))
    return max(0, want - (as_int(dig(job, "status", "active")) or 0))


def active_jobs(inventory: Inventory, cronjob: dict) -> list[dict]:
    """The Jobs a CronJob lists as active (`status.active`), as the inventory holds them."""
    namespace = obj_key(cronjob)[0]
    found = (inventory.get("Job", namespace, as_str(ref.get("name"))) for ref in dicts(dig(cronjob, "status", "active")))
    return [job for job in found if job is not None]


def jobs_of(inventory: Inventory, cronjob: dict) -> list[dict]:
    """A CronJob's Jobs, oldest first."""
    namespace, name = obj_key(cronjob)
    jobs = [job for _k, job in inventory.children("CronJob", namespace, name, "Job")]
    return sorted(jobs, key=lambda j: (as_str(dig(j, "metadata", "creationTimestamp")), name_of(j)))


def pods_missing(facts: ObjectFacts) -> int:
    """Pods the controller wants and has not created (for a CronJob: Jobs' pods, and a Job it failed
    to create since its last run)."""
    raw, inv = facts.raw, facts.inventory
    if facts.kind == "Deployment":
        sets = current_replicasets(inv, raw)
        if not sets:  # no ReplicaSet at all: the Deployment could not create one (ReplicaSetCreateError)
            return max(0, replicas(raw) - (as_int(dig(raw, "status", "replicas")) or 0))
        return sum(max(0, replicas(rs) - (as_int(dig(rs, "status", "replicas")) or 0)) for rs in sets)
    if facts.kind in ("ReplicaSet", "StatefulSet"):
        return max(0, replicas(raw) - (as_int(dig(raw, "status", "replicas")) or 0))
    if facts.kind == "DaemonSet":
        status = as_dict(raw.get("status"))
        return max(0, (as_int(status.get("desiredNumberScheduled")) or 0) - (as_int(status.get("currentNumberScheduled")) or 0))
    if facts.kind == "Job":
        return _job_missing(raw)
    if facts.kind == "CronJob":
        missing = sum(_job_missing(job) for job in active_jobs(inv, raw))
        last = parse_time(dig(raw, "status", "lastScheduleTime"))
        refused = any(
            e.reason == "FailedCreate" and e.subject[0] == "CronJob" and (last is None or (e.last and e.last > last)) for e in facts.events
        )
        return missing + (1 if refused else 0)
    return 0


# ---- the pods a workload runs, diagnosed ------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class PodVerdict:
    """A pod of a workload with a problem, and its own diagnosis."""

    pod: dict
    diagnosis: Diagnosis
    created: datetime | None

    @property
    def name(self) -> str:
        return name_of(self.pod)

    @property
    def top(self) -> Finding:
        """Its first (most severe) problem finding."""
        return next(f for f in self.diagnosis.findings if f.is_problem)


#: Kinds whose finished pods are history the controller replaces (an evicted pod of a Deployment): only
#: a Job's (or a CronJob's) failed pods are its failures.
_REPLACED = ("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet")


def failing_pods(facts: ObjectFacts, pods: list[dict]) -> list[PodVerdict]:
    """Those of `pods` whose own diagnosis has a problem, oldest first; pods on their way out (deleting,
    or finished in a workload that replaces them) are left out."""
    out = []
    for pod in pods:
        if dig(pod, "metadata", "deletionTimestamp"):
            continue
        if facts.kind in _REPLACED and dig(pod, "status", "phase") in ("Failed", "Succeeded"):
            continue
        diagnosis = facts.pod_diagnosis(pod)
        if diagnosis is not None and not diagnosis.healthy:
            out.append(PodVerdict(pod, diagnosis, parse_time(dig(pod, "metadata", "creationTimestamp"))))
    out.sort(key=lambda v: (v.created is None, v.created or facts.now, v.name))
    return out


def running_pods(facts: ObjectFacts) -> list[dict]:
    """The pods a workload runs now: a CronJob's active Jobs' pods, a running Job's, any other workload's
    own (a finished Job runs none)."""
    if facts.kind == "Job" and is_finished(facts.raw):
        return []
    if facts.kind == "CronJob":
        namespace = facts.namespace
        return [
            pod
            for job in active_jobs(facts.inventory, facts.raw)
            for _k, pod in facts.inventory.children("Job", namespace, name_of(job), "Pod")
        ]
    return owned_pods(facts.inventory, facts.kind, facts.raw)


def workload_failing(facts: ObjectFacts) -> list[PodVerdict]:
    return facts.computed("pods.failing", lambda f: failing_pods(f, running_pods(f)))  # type: ignore[return-value]


def _failing_for(verdicts: list[PodVerdict], now: datetime) -> Values:
    oldest = next((v.created for v in verdicts if v.created is not None), None)
    return [((now - oldest).total_seconds(), None)] if oldest is not None else []


def _categories(verdicts: list[PodVerdict]) -> Values:
    return [(v.top.category, None) for v in verdicts]


@kind_field("pods.refused", *WORKLOAD_KINDS)
def _pods_refused(facts: ObjectFacts) -> Values:
    """ReplicaFailure: the controller says it fails to create pods (on the object, or for a Deployment on
    one of its current ReplicaSets)."""
    own = facts.conditions.get("ReplicaFailure", {}).get("status") == "True"
    scoped = any(ctype == "ReplicaFailure" and cond.get("status") == "True" for _ref, ctype, cond in facts.scope_conditions)
    return [(own or scoped, None)]


@kind_field("pods.missing", *WORKLOAD_KINDS)
def _pods_missing(facts: ObjectFacts) -> Values:
    return [(pods_missing(facts), None)]


@kind_field("pods.failing", *WORKLOAD_KINDS)
def _pods_failing(facts: ObjectFacts) -> Values:
    return [(len(workload_failing(facts)), None)]


@kind_field("pods.failing_for", *WORKLOAD_KINDS)
def _pods_failing_for(facts: ObjectFacts) -> Values:
    return _failing_for(workload_failing(facts), facts.now)


@kind_field("pods.category", *WORKLOAD_KINDS)
def _pods_category(facts: ObjectFacts) -> Values:
    return _categories(workload_failing(facts))


def readyreplicas(kind: str, obj: dict) -> int | None:
    if kind == "CronJob":
        return None
    key = {"DaemonSet": "numberReady", "Job": "ready"}.get(kind, "readyReplicas")
    return as_int(dig(obj, "status", key)) or 0


@kind_field("replicas.ready", *WORKLOAD_KINDS)
def _replicas_ready(facts: ObjectFacts) -> Values:
    return one(readyreplicas(facts.kind, facts.raw), None)


@kind_field("replicas.unready", *WORKLOAD_KINDS)
def _replicas_unready(facts: ObjectFacts) -> Values:
    """Pods it wants ready that are not, from the status alone (a cheap first test before its pods are
    diagnosed): desired minus ready; a Job's active pods not ready; a CronJob's active Jobs."""
    status = as_dict(facts.raw.get("status"))
    if facts.kind == "CronJob":
        return [(len(dicts(status.get("active"))), None)]
    if facts.kind == "Job":
        active = as_int(status.get("active")) or 0
        ready = as_int(status.get("ready"))  # since 1.24; unknown before: every active pod is looked at
        return [(active - ready if ready is not None else active, None)]
    desired = as_int(status.get("desiredNumberScheduled")) or 0 if facts.kind == "DaemonSet" else replicas(facts.raw)
    return [(max(0, desired - (readyreplicas(facts.kind, facts.raw) or 0)), None)]


# ---- rollouts ---------------------------------------------------------------------------------------
def revision_of(rs: dict) -> int:
    return as_int(dig(rs, "metadata", "annotations", REVISION_ANNOTATION)) or 0


def newest_replicaset(inventory: Inventory, deployment: dict) -> dict | None:
    namespace, name = obj_key(deployment)
    sets = [rs for _k, rs in inventory.children("Deployment", namespace, name, "ReplicaSet")]
    return max(sets, key=revision_of) if sets else None


def rollout_waiting(kind: str, obj: dict) -> str | None:
    """What `kubectl rollout status` says while a rollout is under way, None when there is none (see
    core/kube/rollout_status.py). A Deployment whose last rollout completed (Progressing:
    NewReplicaSetAvailable) and later lost available pods, a StatefulSet or DaemonSet whose pods all run
    the current revision, are not rolling out: their failing pods are another matter (PodsFailing)."""
    status = rollout_status(kind, obj)
    if kind == "StatefulSet":
        return status.message if status.stage == "observe" else status.revision
    under_way = {"Deployment": ("observe", "update", "old-replicas", "available")}
    if status.stage not in under_way.get(kind, ("observe", "update")):
        return None
    progressing = next((c for c in dicts(dig(obj, "status", "conditions")) if c.get("type") == "Progressing"), {})
    if status.stage == "available" and progressing.get("reason") == "NewReplicaSetAvailable":
        return None
    return status.message


def revision_pods(facts: ObjectFacts) -> tuple[list[dict], list[dict]]:
    """(the new revision's pods, the older revisions' pods) of a Deployment, StatefulSet or DaemonSet."""

    def build(f: ObjectFacts) -> tuple[list[dict], list[dict]]:
        inv, raw, namespace = f.inventory, f.raw, f.namespace
        if f.kind == "Deployment":
            newest = newest_replicaset(inv, raw)
            sets = [rs for _k, rs in inv.children("Deployment", namespace, f.name, "ReplicaSet")]
            new: list[dict] = []
            old: list[dict] = []
            for rs in sets:
                pods = [p for _k, p in inv.children("ReplicaSet", namespace, name_of(rs), "Pod")]
                (new if rs is newest else old).extend(pods)
            return new, old
        pods = owned_pods(inv, f.kind, raw)
        if f.kind == "StatefulSet":
            label, current = "controller-revision-hash", as_str(dig(raw, "status", "updateRevision"))
        else:  # the DaemonSet controller labels pods with its template generation
            generation = as_str(dig(raw, "metadata", "annotations", "deprecated.daemonset.template.generation"))
            label, current = "pod-template-generation", generation or as_str(dig(raw, "metadata", "generation"))
        if not current:
            return pods, []
        new = [p for p in pods if as_str(dig(p, "metadata", "labels", label)) in ("", current)]
        return new, [p for p in pods if p not in new]

    return facts.computed("rollout.pods", build)  # type: ignore[return-value]


def new_pods_failing(facts: ObjectFacts) -> list[PodVerdict]:
    return facts.computed("rollout.failing", lambda f: failing_pods(f, revision_pods(f)[0]))  # type: ignore[return-value]


@kind_field("rollout.status", *ROLLOUT_KINDS)
def _rollout_status(facts: ObjectFacts) -> Values:
    return one(rollout_waiting(facts.kind, facts.raw), "status (as kubectl rollout status reads it)")


@kind_field("rollout.new_pods_failing", *ROLLOUT_KINDS)
def _rollout_new_pods_failing(facts: ObjectFacts) -> Values:
    return [(len(new_pods_failing(facts)), None)]


@kind_field("rollout.failing_for", *ROLLOUT_KINDS)
def _rollout_failing_for(facts: ObjectFacts) -> Values:
    return _failing_for(new_pods_failing(facts), facts.now)


@kind_field("rollout.new_pods_category", *ROLLOUT_KINDS)
def _rollout_category(facts: ObjectFacts) -> Values:
    return _categories(new_pods_failing(facts))


@kind_field("rollout.old_pods", *ROLLOUT_KINDS)
def _rollout_old_pods(facts: ObjectFacts) -> Values:
    return [(sum(1 for p in revision_pods(facts)[1] if not dig(p, "metadata", "deletionTimestamp")), None)]


# ---- Jobs and CronJobs ------------------------------------------------------------------------------
def finished_job(facts: ObjectFacts) -> dict | None:
    """The Job a JobFailed finding is about: the Job itself, or a CronJob's newest finished run."""
    if facts.kind == "Job":
        return facts.raw
    finished = [job for job in jobs_of(facts.inventory, facts.raw) if is_finished(job)]
    return finished[-1] if finished else None


def _failed_condition(facts: ObjectFacts, part: str) -> Values:
    job = finished_job(facts)
    cond = next((c for c in dicts(dig(job, "status", "conditions")) if c.get("type") == "Failed" and c.get("status") == "True"), None)
    if job is None or cond is None:
        return []
    where = f"status.conditions[Failed].{part}"
    return one(as_str(cond.get(part)), where if job is facts.raw else f"job {name_of(job)} {where}")


@kind_field("job.failed_reason", "Job", "CronJob")
def _job_failed_reason(facts: ObjectFacts) -> Values:
    return _failed_condition(facts, "reason")


@kind_field("job.failed_message", "Job", "CronJob")
def _job_failed_message(facts: ObjectFacts) -> Values:
    return _failed_condition(facts, "message")


@kind_field("job.superseded", "Job", "CronJob")
def _job_superseded(facts: ObjectFacts) -> Values:
    """A run of a CronJob after which a newer run has finished: its failure is history. (A CronJob's
    finding is about its newest finished run, never superseded.)"""
    if facts.kind != "Job" or facts.workload is None or facts.workload.kind != "CronJob":
        return [(False, None)]
    cronjob = facts.inventory.get("CronJob", facts.namespace, facts.workload.name)
    jobs = jobs_of(facts.inventory, cronjob) if cronjob is not None else []
    names = [name_of(job) for job in jobs]
    later = jobs[names.index(facts.name) + 1 :] if facts.name in names else []
    return [(any(is_finished(job) for job in later), None)]


def schedule_of(cronjob: dict) -> Schedule:
    """The CronJob's schedule (raises CronError)."""
    return parse_schedule(as_str(dig(cronjob, "spec", "schedule")), as_str(dig(cronjob, "spec", "timeZone")) or None)


@dataclass(frozen=True, slots=True)
class Overdue:
    """The first scheduled run that did not happen, and how many have been missed since."""

    due: datetime
    missed: int
    since: datetime  # the last run (lastScheduleTime), or the creation when it never ran


def overdue(facts: ObjectFacts) -> Overdue | None:
    """The CronJob's missed runs: None when it is on time, suspended, or its schedule cannot be read."""

    def build(f: ObjectFacts) -> Overdue | None:
        raw = f.raw
        if dig(raw, "spec", "suspend") is True:
            return None
        since = parse_time(dig(raw, "status", "lastScheduleTime")) or f.created
        if since is None:
            return None
        try:
            schedule = schedule_of(raw)
            due = schedule.next_after(since)
        except CronError:
            return None
        if (f.now - due).total_seconds() < SCHEDULE_GRACE:
            return None
        return Overdue(due, schedule.fires_between(since, f.now, MISSED_LIMIT), since)

    return facts.computed("cronjob.overdue", build)  # type: ignore[return-value]


@kind_field("cronjob.overdue_for", "CronJob")
def _cronjob_overdue_for(facts: ObjectFacts) -> Values:
    late = overdue(facts)
    return [((facts.now - late.due).total_seconds(), None)] if late is not None else []


@kind_field("cronjob.active_for", "CronJob")
def _cronjob_active_for(facts: ObjectFacts) -> Values:
    starts = [
        parse_time(dig(job, "status", "startTime")) or parse_time(dig(job, "metadata", "creationTimestamp"))
        for job in active_jobs(facts.inventory, facts.raw)
    ]
    known = [s for s in starts if s is not None]
    return [((facts.now - min(known)).total_seconds(), None)] if known else []
