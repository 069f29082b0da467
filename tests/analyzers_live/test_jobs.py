"""JobFailed and CronJobNotRunning, live and from a snapshot: a failed Job quotes its failed pods' last
run while they exist, and says what deleted them when they are gone; a CronJob reports its newest
run's failure, missed schedules, a Forbid policy blocked by a run that never ends; controls (a running
Job, a completed one, a CronJob on time, a CronJob suspended on purpose) raise nothing alarming."""

from __future__ import annotations

from datetime import timedelta

import pytest

from k8sdoctor.core.kube.timeutil import format_time, utcnow
from tests.analyzers.builders import corpus_message
from tests.analyzers_live.objects import evidence, finding
from tests.analyzers_live.workloads import (
    Verdicts,
    beyond_case,
    case_message,
    cronjob,
    job,
    load,
    namespace,
    object_event,
    pod,
    run_both,
    running,
    template,
)

pytestmark = pytest.mark.kubectl
KINDS = ("Job", "CronJob")


def node() -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": "worker-1"},
        "status": {"conditions": [{"type": "Ready", "status": "True"}]},
    }


def failed_condition(case_id: str, source: str) -> dict:
    row = beyond_case(case_id)
    assert row["source_url"] == source, f"{case_id} comes from {row['source_url']}"
    return {**row["conditions"][0], "lastTransitionTime": "-40m"}


def exited(c: dict, code: int, reason: str = "Error") -> dict:
    state = {
        "terminated": {
            "reason": reason,
            "exitCode": code,
            "startedAt": "-50m",
            "finishedAt": "-49m",
            "containerID": f"containerd://{c['name']}",
        }
    }
    return {
        "phase": "Failed",
        "containerStatuses": [{"name": c["name"], "image": c["image"], "ready": False, "restartCount": 0, "state": state}],
    }


def failed_jobs() -> list[dict]:
    ns = "batch"
    # https://github.com/kubernetes/kubernetes/issues/92245: every run exits 1, the Job hits its backoff limit
    backoff = failed_condition("k8s-92245-job-backoff-limit-exit-1", "https://github.com/kubernetes/kubernetes/issues/92245")
    c = {"name": "nginx", "image": "nginx", "command": ["sh", "-c", "exit 1"]}
    demo = job(
        ns,
        "demo",
        template("demo", [c], restartPolicy="Never"),
        status={"failed": 5, "startTime": "-55m", "conditions": [{**backoff, "type": "Failed"}]},
        backoffLimit=6,
    )
    objects = [namespace(ns), demo]
    for suffix in ("ctvjt", "vjbvt"):
        objects.append(
            pod(
                ns,
                f"demo-{suffix}",
                ("Job", "demo"),
                [c],
                exited(c, 1),
                labels={"job-name": "demo"},
                restartPolicy="Never",
                nodeName="worker-1",
            )
        )
    # https://github.com/zxspec/edu-slurm/blob/master/lecture11/readme.md: the deadline passed; the job
    # controller deleted the running pod
    row = beyond_case("edu-slurm-lecture11-job-deadline-pod-deleted")
    assert row["source_url"] == "https://github.com/zxspec/edu-slurm/blob/master/lecture11/readme.md"
    hello = [{"name": "hello", "image": "busybox", "command": ["sleep", "600"]}]
    deadline = {
        "type": "Failed",
        "status": "True",
        "reason": "DeadlineExceeded",
        "message": row["events"][2]["message"],
        "lastTransitionTime": "-12m",
    }
    objects.append(
        job(
            ns,
            "hello",
            template("hello", hello, restartPolicy="Never"),
            status={"startTime": "-13m", "conditions": [deadline]},
            activeDeadlineSeconds=60,
            backoffLimit=10,
        )
    )
    for event in row["events"]:
        objects.append(
            object_event(
                "Job", ns, "hello", event["message"], reason=event["reason"], type_=event["type"], component="job-controller", last="-12m"
            )
        )
    return objects


def cronjobs() -> list[dict]:
    ns = "cron"
    c = [{"name": "report", "image": "registry.example/report:3.2"}]
    tmpl = template("report", c, restartPolicy="OnFailure")
    # https://github.com/kubernetes/kubernetes/issues/92245 (the Failed condition of the newest run)
    backoff = failed_condition("k8s-92245-job-backoff-limit-exit-1", "https://github.com/kubernetes/kubernetes/issues/92245")
    fired = (utcnow() - timedelta(hours=20)).replace(second=0, microsecond=0)
    daily = f"{fired.minute} {fired.hour} * * *"
    objects = [
        namespace(ns),
        # daily, last fired 20 hours ago (the time of day follows the clock, so the next run is always 4 hours away)
        cronjob(
            ns, "nightly-report", daily, tmpl, status={"lastScheduleTime": format_time(fired)}, failedJobsHistoryLimit=1, created="-40h"
        ),
        job(ns, "nightly-report-29012340", tmpl, status={"failed": 1, "conditions": [backoff]}, owner="nightly-report", created="-44h"),
        job(ns, "nightly-report-29013780", tmpl, status={"failed": 1, "conditions": [backoff]}, owner="nightly-report", created="-20h"),
    ]
    # https://github.com/kyma-incubator/compass/issues/1155: the legacy controller gave up
    legacy = case_message(
        "kyma-compass-cronjob-deadlock", "https://github.com/kyma-incubator/compass/issues/1155", reason="FailedNeedsStart"
    )
    objects += [
        cronjob(ns, "compass-cleaner", "*/1 * * * *", tmpl, status={"lastScheduleTime": "-7d"}),
        object_event("CronJob", ns, "compass-cleaner", legacy, reason="FailedNeedsStart", component="cronjob-controller", count=62655),
    ]
    # https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/cronjob/utils.go: the v2 wording
    v2 = case_message(
        "k8s-source-cronjob-too-many-missed-times",
        "https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/cronjob/utils.go",
        reason="TooManyMissedTimes",
    )
    objects += [
        cronjob(ns, "sync", "*/5 * * * *", tmpl, status={"lastScheduleTime": "-10h"}),
        object_event("CronJob", ns, "sync", v2, reason="TooManyMissedTimes", component="cronjob-controller"),
    ]
    # https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/cronjob/cronjob_controllerv2.go: Forbid skips
    # runs while a Job is active; that Job's pod cannot pull its image (https://github.com/lachie83/k8s-kubectl/issues/157)
    skipped = case_message(
        "k8s-source-cronjob-job-already-active",
        "https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/cronjob/cronjob_controllerv2.go",
        reason="JobAlreadyActive",
    )
    pull = corpus_message("k8s-kubectl-image-tag-manifest-unknown", "https://github.com/lachie83/k8s-kubectl/issues/157")
    k = [{"name": "kubectl", "image": "lachlanevenson/k8s-kubectl:v1.18.20"}]
    stuck = {
        "phase": "Pending",
        "containerStatuses": [
            {
                "name": "kubectl",
                "image": k[0]["image"],
                "ready": False,
                "restartCount": 0,
                "state": {"waiting": {"reason": "ImagePullBackOff"}},
            }
        ],
    }
    objects += [
        cronjob(
            ns,
            "testjob",
            "0 * * * *",
            template("testjob", k, restartPolicy="Never"),
            status={"lastScheduleTime": "-5h", "active": [{"kind": "Job", "name": "testjob-1", "namespace": ns}]},
            concurrencyPolicy="Forbid",
        ),
        job(
            ns,
            "testjob-1",
            template("testjob", k, restartPolicy="Never"),
            status={"active": 1, "startTime": "-5h"},
            owner="testjob",
            created="-5h",
        ),
        pod(
            ns,
            "testjob-1-x7k2p",
            ("Job", "testjob-1"),
            k,
            stuck,
            created="-5h",
            labels={"job-name": "testjob-1"},
            restartPolicy="Never",
            nodeName="worker-1",
        ),
        object_event(
            "Pod", ns, "testjob-1-x7k2p", pull, reason="Failed", component="kubelet", count=60, field_path="spec.containers{kubectl}"
        ),
        object_event("CronJob", ns, "testjob", skipped, reason="JobAlreadyActive", type_="Normal", component="cronjob-controller", count=4),
    ]
    # no event at all: the last run is long past its schedule
    objects.append(cronjob(ns, "hourly-export", "15 * * * *", tmpl, status={"lastScheduleTime": "-6h"}))
    return objects


def controls() -> list[dict]:
    ns = "calm"
    c = [{"name": "work", "image": "registry.example/work:1"}]
    tmpl = template("work", c, restartPolicy="OnFailure")
    complete = {
        "type": "Complete",
        "status": "True",
        "reason": "CompletionsReached",
        "message": "Reached expected number of succeeded pods",
    }
    return [
        namespace(ns),
        job(ns, "running", tmpl, status={"active": 1, "ready": 1, "startTime": "-5m"}),
        pod(ns, "running-a1b2c", ("Job", "running"), c, running(c), labels={"job-name": "running"}, nodeName="worker-1"),
        job(ns, "done", tmpl, status={"succeeded": 1, "startTime": "-2h", "completionTime": "-1h", "conditions": [complete]}),
        cronjob(ns, "on-time", "*/10 * * * *", tmpl, status={"lastScheduleTime": "-3m", "lastSuccessfulTime": "-2m"}),
        cronjob(ns, "paused", "0 3 * * *", tmpl, status={"lastScheduleTime": "-9d"}, suspend=True),
    ]


@pytest.fixture(scope="module")
def verdicts(server, kubeconfig, k8sdoctor, tmp_path_factory) -> Verdicts:
    load(server, [node()] + failed_jobs() + cronjobs() + controls())
    return run_both(server, kubeconfig, k8sdoctor, tmp_path_factory.mktemp("snapshot"))


EXPECTED = {
    ("Job", "batch", "demo", "JobFailed", "backoff-limit-exceeded"),
    ("Job", "batch", "hello", "JobFailed", "deadline-exceeded"),
    ("Job", "cron", "nightly-report-29012340", "JobFailed", "backoff-limit-exceeded"),
    ("Job", "cron", "nightly-report-29013780", "JobFailed", "backoff-limit-exceeded"),
    ("CronJob", "cron", "nightly-report", "JobFailed", "backoff-limit-exceeded"),
    ("CronJob", "cron", "compass-cleaner", "CronJobNotRunning", "too-many-missed-starts"),
    ("CronJob", "cron", "sync", "CronJobNotRunning", "too-many-missed-starts"),
    ("CronJob", "cron", "testjob", "CronJobNotRunning", "concurrency-blocked"),
    ("Job", "cron", "testjob-1", "PodsFailing", "pods-failing"),
    ("CronJob", "cron", "hourly-export", "CronJobNotRunning", "schedule-overdue"),
    ("CronJob", "calm", "paused", "CronJobNotRunning", "suspended"),
}


def test_every_failed_job_and_stuck_cronjob_live_and_from_a_snapshot(verdicts):
    assert verdicts.causes(KINDS) == EXPECTED
    assert verdicts.causes(KINDS, snapshot=True) == EXPECTED


def test_a_failed_job_quotes_its_failed_runs(verdicts):
    f = finding(verdicts.item("Job", "batch", "demo"), "backoff-limit-exceeded")
    assert evidence(f, "status.conditions[Failed].message") == ["Job has reached the specified backoff limit"]
    assert evidence(f, "job demo status and spec") == ["failed 5, succeeded 0; backoffLimit 6"]
    assert f["summary"].startswith("The Job failed: its pods failed more often than its backoff limit allows: ")
    assert evidence(f, "pods") == ["2 of 2 pods fail the same way"]
    assert f["remediation"][0]["command"].startswith("kubectl -n batch logs -c nginx -- demo-")


def test_a_job_whose_pods_are_gone_says_what_deleted_them(verdicts):
    f = finding(verdicts.item("Job", "batch", "hello"), "deadline-exceeded")
    assert evidence(f, "job hello status and spec") == ["failed 0, succeeded 0; backoffLimit 10, activeDeadlineSeconds 60"]
    assert evidence(f, "job hello pods") == ["none remain: the job controller deleted pod hello-6mk4q when the Job stopped"]
    assert f["summary"].endswith("(its failed pods are gone)")
    assert f["remediation"][0]["text"].startswith("To see the cause next time: restartPolicy Never")


def test_a_cronjob_reports_its_newest_failed_run_and_older_runs_are_history(verdicts):
    cj = finding(verdicts.item("CronJob", "cron", "nightly-report"), "backoff-limit-exceeded")
    assert cj["object"] == {"kind": "Job", "namespace": "cron", "name": "nightly-report-29013780"}
    assert "failedJobsHistoryLimit" in cj["remediation"][0]["text"]
    old = finding(verdicts.item("Job", "cron", "nightly-report-29012340"), "backoff-limit-exceeded")
    new = finding(verdicts.item("Job", "cron", "nightly-report-29013780"), "backoff-limit-exceeded")
    assert (old["severity"], new["severity"]) == ("info", "critical")


def test_cronjobs_that_do_not_run(verdicts):
    legacy = finding(verdicts.item("CronJob", "cron", "compass-cleaner"), "too-many-missed-starts")
    assert legacy["severity"] == "critical"
    assert evidence(legacy, "spec.startingDeadlineSeconds") == ["not set: every missed run since the last one counts"]
    assert legacy["summary"].endswith("(no run for 6d23h, 100+ missed)") or legacy["summary"].endswith("(no run for 7d, 100+ missed)")
    blocked = finding(verdicts.item("CronJob", "cron", "testjob"), "concurrency-blocked")
    assert blocked["category"] == "CronJobNotRunning"
    assert evidence(blocked, "job testjob-1 (status.active of the CronJob)") == ["active for 5h"]
    assert blocked["summary"].startswith(
        "Runs are skipped: concurrencyPolicy Forbid waits on an active Job that does not finish (no run for "
    )
    assert "5 missed): ImagePullBackOff › image-not-found" in blocked["summary"]
    assert blocked["remediation"][0]["command"] == "kubectl -n cron delete job -- testjob-1"
    overdue = finding(verdicts.item("CronJob", "cron", "hourly-export"), "schedule-overdue")
    assert overdue["severity"] == "warning" and "missed)" in overdue["summary"]


def test_controls_raise_nothing_alarming(verdicts):
    for kind, name in (("Job", "running"), ("Job", "done"), ("CronJob", "on-time")):
        assert verdicts.item(kind, "calm", name)["findings"] == []
    paused = verdicts.item("CronJob", "calm", "paused")
    assert paused["healthy"] and [(f["cause"], f["severity"]) for f in paused["findings"]] == [("suspended", "info")]
