"""The core pieces the workload families stand on: playbooks of several subject kinds, cron schedules as
the CronJob controller reads them, `kubectl rollout status`'s verdict, Pod Security messages taken
apart, and every built-in playbook's inline examples."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import yaml

from k8sdoctor.core.analyzers.admission import pod_security_checks
from k8sdoctor.core.engine import Engine
from k8sdoctor.core.facts.workloads import rollout_waiting
from k8sdoctor.core.kube.cron import CronError, parse_schedule
from k8sdoctor.core.playbooks.examples import run_examples
from k8sdoctor.core.playbooks.model import PlaybookSpecError
from k8sdoctor.core.playbooks.schema import compile_playbook
from tests.beyondcases import beyond_case

UTC = timezone.utc
NOW = datetime(2026, 12, 1, 12, 7, tzinfo=UTC)

MULTI = """
id: refused
subject: [Deployment, StatefulSet, Job]
category: PodsNotCreated
title: t
match: {pods.missing: {gt: 0}}
causes:
  - id: quota
    title: q
    match: {message: {regex: 'exceeded quota: (?P<quota>[^,]+)'}}
    explanation: e
    remediation: [{text: 'See {{quota}} of {{object}}'}]
fallback: {id: other, title: o, explanation: e, remediation: [{text: t}]}
"""


# ---- playbooks of several kinds ------------------------------------------------------------------
def test_a_playbook_may_name_several_subject_kinds():
    pb = compile_playbook(yaml.safe_load(MULTI))
    assert pb.spec.subjects == ("Deployment", "StatefulSet", "Job") and pb.spec.subject_label == "Deployment+2"
    engine = Engine([pb])
    assert {k for k, pbs in engine.by_subject.items() if pb in pbs} == {"Deployment", "StatefulSet", "Job"}


@pytest.mark.parametrize(
    ("subject", "reason"),
    [
        (["Deployment", "Pod"], "Pod is diagnosed by its own playbooks"),
        (["Job", "Job"], "a list of kinds must name each kind once"),
    ],
)
def test_a_list_of_subjects_is_checked(subject, reason):
    data = yaml.safe_load(MULTI)
    data["subject"] = subject
    with pytest.raises(PlaybookSpecError, match=reason):
        compile_playbook(data)


def test_a_field_one_of_the_kinds_lacks_is_refused_with_the_kind():
    data = yaml.safe_load(MULTI)
    data["match"] = {"related.replicasets": {"count": 0}}
    with pytest.raises(PlaybookSpecError, match="unknown relation for StatefulSet"):
        compile_playbook(data)


# ---- cron -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("schedule", "after", "fires"),
    [
        ("*/5 * * * *", NOW, datetime(2026, 12, 1, 12, 10, tzinfo=UTC)),
        ("@hourly", NOW, datetime(2026, 12, 1, 13, 0, tzinfo=UTC)),
        ("0 2 * * *", NOW, datetime(2026, 12, 2, 2, 0, tzinfo=UTC)),
        ("30 9 * * mon-fri", datetime(2026, 12, 4, 10, 0, tzinfo=UTC), datetime(2026, 12, 7, 9, 30, tzinfo=UTC)),  # Friday → Monday
        ("0 0 1,15 * sun", NOW, datetime(2026, 12, 6, 0, 0, tzinfo=UTC)),  # both day fields: either matches
        ("0 0 1 jan *", NOW, datetime(2027, 1, 1, 0, 0, tzinfo=UTC)),
        ("@every 1h30m", NOW, datetime(2026, 12, 1, 13, 37, tzinfo=UTC)),
    ],
)
def test_cron_schedules_fire_as_the_controller_reads_them(schedule, after, fires):
    assert parse_schedule(schedule).next_after(after) == fires


def test_time_zones_and_missed_runs():
    paris = parse_schedule("0 2 * * *", "Europe/Paris")
    assert paris.next_after(NOW).astimezone(UTC) == datetime(2026, 12, 2, 1, 0, tzinfo=UTC)
    assert parse_schedule("CRON_TZ=Europe/Paris 0 2 * * *").next_after(NOW) == paris.next_after(NOW)
    every_minute = parse_schedule("*/1 * * * *")
    assert every_minute.fires_between(datetime(2026, 11, 24, tzinfo=UTC), NOW, 101) == 101


@pytest.mark.parametrize(
    ("schedule", "zone"), [("0 0 * *", None), ("61 * * * *", None), ("0 0 31 2 *", None), ("0 2 * * *", "Mars/Olympus")]
)
def test_schedules_the_controller_would_refuse(schedule, zone):
    with pytest.raises(CronError):
        parse_schedule(schedule, zone).next_after(NOW)


# ---- kubectl rollout status -------------------------------------------------------------------------
def deploy(status: dict, generation: int = 2, replicas: int = 3) -> dict:
    return {
        "metadata": {"name": "web", "generation": generation},
        "spec": {"replicas": replicas},
        "status": {"observedGeneration": 2, **status},
    }


@pytest.mark.parametrize(
    ("obj", "said"),
    [
        (deploy({}, generation=3), "Waiting for deployment spec update to be observed..."),
        (
            deploy({"updatedReplicas": 1, "replicas": 3}),
            'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...',
        ),
        (
            deploy({"updatedReplicas": 3, "replicas": 4}),
            'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...',
        ),
        (
            deploy({"updatedReplicas": 3, "replicas": 3, "availableReplicas": 2}),
            'Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...',
        ),
        (deploy({"updatedReplicas": 3, "replicas": 3, "availableReplicas": 3}), None),
        # the last rollout finished; pods lost later are not a rollout
        (
            deploy(
                {
                    "updatedReplicas": 3,
                    "replicas": 3,
                    "availableReplicas": 0,
                    "conditions": [{"type": "Progressing", "reason": "NewReplicaSetAvailable"}],
                }
            ),
            None,
        ),
    ],
)
def test_a_deployments_rollout_reads_as_kubectl_rollout_status_says(obj, said):
    assert rollout_waiting("Deployment", obj) == said


def test_statefulset_and_daemonset_rollouts():
    sts = {
        "metadata": {"name": "db", "generation": 2},
        "spec": {"replicas": 2},
        "status": {"observedGeneration": 2, "updatedReplicas": 1, "currentRevision": "db-1", "updateRevision": "db-2"},
    }
    assert rollout_waiting("StatefulSet", sts) == "waiting for statefulset rolling update to complete 1 pods at revision db-2..."
    assert rollout_waiting("StatefulSet", {**sts, "spec": {"updateStrategy": {"type": "OnDelete"}}}) is None
    ds = {
        "metadata": {"name": "agent", "generation": 1},
        "status": {"observedGeneration": 1, "desiredNumberScheduled": 3, "updatedNumberScheduled": 2},
    }
    assert rollout_waiting("DaemonSet", ds) == 'Waiting for daemon set "agent" rollout to finish: 2 out of 3 new pods have been updated...'


# ---- Pod Security messages ------------------------------------------------------------------------
def test_a_pod_security_message_cut_short_keeps_its_last_check():
    # https://github.com/redhat-developer/intellij-kubernetes/issues/659 (the message ends mid-sentence)
    row = beyond_case("intellij-659-deploy-no-pods-psa")
    assert row["source_url"] == "https://github.com/redhat-developer/intellij-kubernetes/issues/659"
    violations = row["events"][0]["message"].split('violates PodSecurity "restricted:latest": ', 1)[1]
    checks = pod_security_checks(violations)
    assert [check for check, _detail in checks] == [
        "allowPrivilegeEscalation != false",
        "unrestricted capabilities",
        "runAsNonRoot != true",
        "seccompProfile",
    ]
    assert checks[-1][1].endswith('must set securityContext.seccompProfile.type to "RuntimeDefault" or')


# ---- the built-in playbooks -------------------------------------------------------------------------
def test_every_builtin_example_passes(playbooks, engine):
    failed = [f"{r.playbook}: {r.name}: {r.detail}" for r in run_examples(engine, playbooks, datetime.now(UTC)) if not r.ok]
    assert failed == []


def test_a_name_from_a_message_that_reads_as_an_option_never_enters_a_command(engine):
    """Hostile input: the never-fit quota message of
    https://github.com/freqq/ckad-prep/blob/main/bmuschko-crash-course/05-defining-resource-requirements.md
    with its quota name replaced by an option (anyone who can create Events controls such text)."""
    from k8sdoctor.core.inventory import Inventory

    row = beyond_case("ckad-prep-pod-request-above-quota-hard")
    message = row["kubectl"][0].split('error when creating "pod.yaml": ', 1)[1]
    hostile = message.replace("exceeded quota: app,", "exceeded quota: --server=https://evil.example,")
    assert hostile != message
    rs = {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {"name": "busybox", "namespace": "rq-demo", "uid": "rs-uid", "creationTimestamp": "2026-12-01T11:00:00Z"},
        "spec": {"replicas": 1, "template": {"spec": {"containers": [{"name": "busybox", "image": "busybox"}]}}},
        "status": {
            "replicas": 0,
            "conditions": [{"type": "ReplicaFailure", "status": "True", "reason": "FailedCreate", "message": hostile}],
        },
    }
    inv = Inventory()
    inv.put("ReplicaSet", rs)
    found = engine.diagnose_object(inv, "ReplicaSet", rs, NOW).to_dict()["findings"]
    assert found[0]["cause"] == "quota-exceeded"
    assert "--server=https://evil.example" in found[0]["summary"]
    commands = [s["command"] for f in found for s in f["remediation"] if s.get("command")]
    assert commands and not any("evil" in c for c in commands)


@pytest.mark.parametrize("text", [", a" * 6000, "a" * 18000, "a " * 9000, "a(" * 9000])
def test_message_parsing_stays_linear_on_long_hostile_text(text):
    """Pod Security and quota messages are parsed in linear time (a quadratic scan of 16 KB takes seconds)."""
    import time

    from k8sdoctor.core.analyzers.created import _required

    started = time.perf_counter()
    pod_security_checks(text)
    _required({"missing": text})
    assert time.perf_counter() - started < 0.5
