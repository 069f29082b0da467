"""Jobs that failed and CronJobs that do not run.

A failed Job: its counters against backoffLimit and activeDeadlineSeconds, the cause of its failed pods'
last run (their own finding) while they exist; when they are gone, what deleted them and what would
keep them; pods that were never created. A CronJob: when a run was due, how many were missed, the
active Job that blocks a Forbid policy and why it does not finish."""

from __future__ import annotations

from k8sdoctor.core.analyzers import register
from k8sdoctor.core.analyzers.finding_edits import add_evidence, lead_with
from k8sdoctor.core.analyzers.kubectl import operands, quote
from k8sdoctor.core.analyzers.wording import listing
from k8sdoctor.core.analyzers.workload_pods import quote_pods
from k8sdoctor.core.facts import ObjectFacts
from k8sdoctor.core.facts.workloads import MISSED_LIMIT, active_jobs, failing_pods, finished_job, overdue, running_pods
from k8sdoctor.core.findings import Finding, Step
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.core.kube.raw import as_int, as_str, dicts, dig, name_of
from k8sdoctor.core.kube.timeutil import format_time, human_duration, parse_time

DEFAULT_BACKOFF_LIMIT = 6


# ---- JobFailed -------------------------------------------------------------------------------------
@register("JobFailed")
def _job_failed(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    job = finished_job(facts)
    if job is None:
        return
    name = name_of(job)
    if job is not facts.raw:
        finding.about = ("Job", facts.namespace, name)
    spec, status = dig(job, "spec") or {}, dig(job, "status") or {}
    limit = as_int(spec.get("backoffLimit"))
    counters = f"failed {as_int(status.get('failed')) or 0}, succeeded {as_int(status.get('succeeded')) or 0}; backoffLimit {DEFAULT_BACKOFF_LIMIT if limit is None else limit}"
    deadline = as_int(spec.get("activeDeadlineSeconds"))
    if deadline is not None:
        counters += f", activeDeadlineSeconds {deadline}"
    add_evidence(finding, f"job {name} status and spec", counters)
    refused = next((e for e in facts.events if e.reason == "FailedCreate" and e.subject[2] == name), None)
    if refused is not None:
        add_evidence(finding, f"job {name} event FailedCreate", refused.message)
        finding.summary = f"{finding.summary}: its pods were never created"
        return
    pods = [p for _k, p in inventory.children("Job", facts.namespace, name, "Pod")]
    verdicts = failing_pods(facts, pods)
    if verdicts:
        quote_pods(finding, verdicts, len(pods), "pod")
        first = verdicts[0]
        container = first.top.container
        words = ["logs"] + (["-c", container] if container else [])
        if dig(first.pod, "spec", "restartPolicy") == "OnFailure":
            words.append("--previous")
        pod = operands(first.name)
        command = pod and f"kubectl -n {quote(facts.namespace)} " + " ".join(quote(w) for w in words) + " " + pod
        generic = [s for s in finding.remediation if " logs " in (s.command or "")]
        lead_with(finding, [Step(f"Read the failed run's logs while pod {first.name} exists.", command)], replacing=lambda s: s in generic)
        return
    if pods:
        return
    _pods_gone(finding, facts, inventory, job)


def _pods_gone(finding: Finding, facts: ObjectFacts, inventory: Inventory, job: dict) -> None:
    """No pod of the Job is left to read: say what removed them and what would keep them."""
    name = name_of(job)
    # `kubectl logs job/NAME` has nothing to read any more
    finding.remediation = [s for s in finding.remediation if " logs " not in (s.command or "")]
    deleted = [e.message.split(": ", 1)[-1] for e in facts.events if e.reason == "SuccessfulDelete" and e.subject[2] == name]
    why = []
    if deleted:
        why.append(f"the job controller deleted {listing(len(deleted), 'pod', deleted)} when the Job stopped")
    ttl = as_int(dig(job, "spec", "ttlSecondsAfterFinished"))
    if ttl is not None:
        why.append(f"ttlSecondsAfterFinished {ttl} deletes the Job and its pods that long after it finishes")
    template_policy = as_str(dig(job, "spec", "template", "spec", "restartPolicy"))
    if template_policy == "OnFailure":
        why.append("with restartPolicy OnFailure the failed runs were restarts inside one pod, deleted when the Job failed")
    gone = inventory.listed("Pod", facts.namespace) or bool(deleted)
    add_evidence(finding, f"job {name} pods", ("none remain" if gone else "none in view") + (f": {'; '.join(why)}" if why else ""))
    finding.summary = f"{finding.summary} ({'its failed pods are gone' if gone else 'no pod of it in view'})"
    keep = ["restartPolicy Never in the pod template keeps each failed run as its own pod"]
    if ttl is not None:
        keep.append("a longer ttlSecondsAfterFinished keeps the Job and its pods")
    if facts.kind == "CronJob" or (facts.workload is not None and facts.workload.kind == "CronJob"):
        keep.append("failedJobsHistoryLimit (1 by default) on the CronJob keeps failed runs")
    lead_with(finding, [Step(f"To see the cause next time: {'; '.join(keep)}. Collect logs centrally for runs already gone.")])


# ---- CronJobNotRunning -----------------------------------------------------------------------------
@register("CronJobNotRunning", "too-many-missed-starts", "concurrency-blocked", "schedule-overdue")
def _overdue(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    late = overdue(facts)
    if late is None:
        return
    schedule = as_str(dig(facts.raw, "spec", "schedule"))
    zone = as_str(dig(facts.raw, "spec", "timeZone"))
    missed = f"{MISSED_LIMIT - 1}+" if late.missed >= MISSED_LIMIT else str(late.missed)
    ago = human_duration((facts.now - late.due).total_seconds())
    last = parse_time(dig(facts.raw, "status", "lastScheduleTime"))
    since = f"last run scheduled {format_time(last)}" if last else "never ran since it was created"
    add_evidence(
        finding,
        "spec.schedule" + (f" ({zone})" if zone else ""),
        f"{schedule}: a run was due {ago} ago ({format_time(late.due)}); {since}; {missed} scheduled runs missed",
    )
    deadline = as_int(dig(facts.raw, "spec", "startingDeadlineSeconds"))
    if finding.cause == "too-many-missed-starts":
        add_evidence(
            finding,
            "spec.startingDeadlineSeconds",
            str(deadline) if deadline is not None else "not set: every missed run since the last one counts",
        )
    finding.summary = f"{finding.summary} (no run for {ago}, {missed} missed)"


@register("CronJobNotRunning", "concurrency-blocked")
def _blocked(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    jobs = active_jobs(inventory, facts.raw)
    for job in jobs[:3]:
        started = parse_time(dig(job, "status", "startTime")) or parse_time(dig(job, "metadata", "creationTimestamp"))
        age = f"active for {human_duration((facts.now - started).total_seconds())}" if started else "active"
        add_evidence(finding, f"job {name_of(job)} (status.active of the CronJob)", age)
    pods = running_pods(facts)
    verdicts = failing_pods(facts, pods)
    if verdicts:
        quote_pods(finding, verdicts, len(pods), "pod")
    elif jobs and not pods:
        add_evidence(finding, "active job's pods", "none in view: the active Job has no pod (never created, or deleted)")
    if jobs:
        lead_with(
            finding,
            [
                Step(
                    f"If job {name_of(jobs[0])} is stuck for good, delete it so the next run can start.",
                    f"kubectl -n {quote(facts.namespace)} delete job {operands(name_of(jobs[0]))}" if operands(name_of(jobs[0])) else None,
                )
            ],
        )


@register("CronJobNotRunning", "suspended")
def _suspended(finding: Finding, facts: ObjectFacts, inventory: Inventory) -> None:
    last = parse_time(dig(facts.raw, "status", "lastScheduleTime"))
    if last is not None:
        add_evidence(finding, "status.lastScheduleTime", f"{format_time(last)} ({human_duration((facts.now - last).total_seconds())} ago)")
    active = [as_str(ref.get("name")) for ref in dicts(dig(facts.raw, "status", "active"))]
    if active:
        add_evidence(finding, "status.active", f"{listing(len(active), 'job', active)} still running (suspending does not stop them)")
