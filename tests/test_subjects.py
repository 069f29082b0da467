"""Playbooks for subjects other than pods: a Deployment reading its ReplicaSet's FailedCreate, a Service
joined to the pods it selects, relation clauses, the JSON contract (`kind`, `object`), and playbooks that
add one cause to a family (`extends`)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import yaml

from k8sdoctor.core.engine import Engine
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.core.playbooks.examples import run_examples
from k8sdoctor.core.playbooks.model import PlaybookSpecError, extend_playbook
from k8sdoctor.core.playbooks.schema import compile_playbook, validate_playbook
from tests.beyondcases import beyond_case, case_event

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)

# A LimitRange refusing a Deployment's pods: https://github.com/zalando-incubator/kubernetes-on-aws/issues/278
LIMITRANGE = "zalando-rs-limitrange-max-cpu"

DEPLOYMENT_PLAYBOOK = """
id: refused-pods
subject: Deployment
category: PodsNotCreated
title: The workload's pods are refused at creation
match:
  event: {reason: FailedCreate}
causes:
  - id: limitrange-violation
    title: A LimitRange refuses the pods
    summary: 'A LimitRange allows at most {{bound}} {{resource}} per container; the pod asks {{asked}}'
    match:
      message: {regex: 'maximum (?P<resource>\\S+) usage per Container is (?P<bound>[^,]+), but (?:request|limit) is (?P<asked>[^.]+)'}
    explanation: The namespace's LimitRange caps what one container may ask for.
    remediation:
      - text: See the LimitRange.
        command: 'kubectl -n {{namespace}} describe limitrange'
      - text: Lower the request in the pod template.
        command: 'kubectl -n {{namespace}} edit {{object}}'
fallback:
  id: create-error
  title: The controller cannot create pods
  explanation: The pod was refused; the message says why.
  remediation:
    - text: Read the events of the workload.
      command: 'kubectl -n {{namespace}} describe {{object}}'
"""

SERVICE_PLAYBOOK = """
id: service-endpoints
subject: Service
category: NoEndpoints
title: The Service sends traffic nowhere
match:
  all:
    - object.spec.type: {not: ExternalName}
    - object.spec.selector: {exists: false}
    - related.pods: {count: 0}
causes:
  - id: nothing-selected
    title: The selector matches no pod
    match: {related.endpointslices: {count: 0}}
    explanation: No pod carries every label of the Service's selector.
    remediation:
      - text: Compare the selector with the pods' labels.
        command: 'kubectl -n {{namespace}} get pods --show-labels'
fallback:
  id: no-endpoints
  title: The Service has no endpoints
  explanation: Nothing behind it is ready.
  remediation:
    - text: Look at its EndpointSlices.
      command: 'kubectl -n {{namespace}} get endpointslices -l kubernetes.io/service-name={{name}}'
"""


def compiled(text: str):
    return compile_playbook(yaml.safe_load(text))


def pod_playbooks(playbooks):
    """The built-in playbooks but those of Deployments (the built-in PodsNotCreated would answer first)."""
    return [pb for pb in playbooks if "Deployment" not in pb.spec.subjects]


def deployment(name: str, namespace: str = "default") -> dict:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": namespace, "uid": f"{name}-uid"},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app": name}}},
        "status": {"replicas": 0},
    }


def replicaset(name: str, deploy: str, revision: int, replicas: int, namespace: str = "default") -> dict:
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "uid": f"{name}-uid",
            "annotations": {"deployment.kubernetes.io/revision": str(revision)},
            "ownerReferences": [
                {"apiVersion": "apps/v1", "kind": "Deployment", "name": deploy, "uid": f"{deploy}-uid", "controller": True}
            ],
        },
        "spec": {"replicas": replicas},
    }


def event_about(obj: dict, row_event: dict, n: int = 0) -> dict:
    meta = obj["metadata"]
    return {
        "kind": "Event",
        "metadata": {"name": f"{meta['name']}.{n}", "namespace": meta["namespace"], "uid": f"{meta['name']}-event-{n}"},
        "involvedObject": {"kind": obj["kind"], "namespace": meta["namespace"], "name": meta["name"], "uid": meta["uid"]},
        "type": row_event.get("type"),
        "reason": row_event.get("reason"),
        "message": row_event["message"],
        "count": 3,
        "source": {"component": "replicaset-controller"},
        "firstTimestamp": "2026-12-01T11:50:00Z",
        "lastTimestamp": "2026-12-01T11:59:00Z",
    }


def refused_deployment() -> tuple[Inventory, dict]:
    inv = Inventory()
    deploy = deployment("hjacobs-test")
    rs = replicaset("hjacobs-test-1668339668", "hjacobs-test", 1, 2)
    inv.put("Deployment", deploy)
    inv.put("ReplicaSet", rs)
    inv.put_event(event_about(rs, case_event(LIMITRANGE, "FailedCreate")))
    return inv, deploy


def test_a_deployment_playbook_reads_the_failedcreate_of_its_replicaset(playbooks):
    inv, deploy = refused_deployment()
    engine = Engine([*pod_playbooks(playbooks), compiled(DEPLOYMENT_PLAYBOOK)])

    result = engine.diagnose_object(inv, "Deployment", deploy, NOW)

    assert [(f.category, f.cause) for f in result.findings] == [("PodsNotCreated", "limitrange-violation")]
    finding = result.findings[0]
    assert finding.summary == "A LimitRange allows at most 16 cpu per container; the pod asks 17"
    assert finding.about == ("ReplicaSet", "default", "hjacobs-test-1668339668")
    assert finding.evidence[0].text == beyond_case(LIMITRANGE)["events"][0]["message"]
    assert finding.evidence[0].source.endswith("on ReplicaSet hjacobs-test-1668339668")
    assert finding.remediation[1].command == "kubectl -n default edit deployment/hjacobs-test"
    assert not result.healthy


def test_the_json_of_any_kind_carries_kind_and_names_the_object_a_finding_is_about(playbooks):
    inv, deploy = refused_deployment()
    out = Engine([*pod_playbooks(playbooks), compiled(DEPLOYMENT_PLAYBOOK)]).diagnose_object(inv, "Deployment", deploy, NOW).to_dict()

    assert (out["kind"], out["namespace"], out["name"], out["status"], out["healthy"]) == (
        "Deployment",
        "default",
        "hjacobs-test",
        "0/2",
        False,
    )
    assert "phase" not in out and "revision" not in out
    assert out["findings"][0]["object"] == {"kind": "ReplicaSet", "namespace": "default", "name": "hjacobs-test-1668339668"}


def test_pod_items_keep_every_field_and_gain_kind(engine):
    pod = {"metadata": {"name": "web", "namespace": "shop", "uid": "u"}, "status": {"phase": "Succeeded"}}
    inv = Inventory()
    inv.put_pod(pod)
    out = engine.diagnose_pod(inv, pod, NOW).to_dict()
    assert list(out) == ["kind", "namespace", "name", "phase", "status", "healthy", "owner", "revision", "findings", "notes"]
    assert out["kind"] == "Pod"


def test_events_of_an_old_replicaset_without_replicas_are_out_of_scope(playbooks):
    inv = Inventory()
    deploy = deployment("hjacobs-test")
    old = replicaset("hjacobs-test-1", "hjacobs-test", 1, 0)
    new = replicaset("hjacobs-test-2", "hjacobs-test", 2, 2)
    for rs in (old, new):
        inv.put("ReplicaSet", rs)
    inv.put("Deployment", deploy)
    inv.put_event(event_about(old, case_event(LIMITRANGE, "FailedCreate")))

    result = Engine([*pod_playbooks(playbooks), compiled(DEPLOYMENT_PLAYBOOK)]).diagnose_object(inv, "Deployment", deploy, NOW)

    assert result.findings == [] and result.healthy


def service(name: str, selector: dict, namespace: str = "ingress") -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": namespace, "uid": f"{name}-uid"},
        "spec": {"type": "ClusterIP", "selector": selector, "ports": [{"port": 80, "targetPort": "http"}]},
    }


def labelled_pod(name: str, labels: dict, namespace: str = "ingress") -> dict:
    return {
        "metadata": {"name": name, "namespace": namespace, "uid": f"{name}-uid", "labels": labels},
        "spec": {"containers": [{"name": "backend", "image": "registry.example/backend:1"}]},
        "status": {
            "phase": "Running",
            "containerStatuses": [{"name": "backend", "ready": True, "restartCount": 0, "state": {"running": {}}}],
        },
    }


def test_a_service_playbook_joins_the_service_to_the_pods_it_selects(playbooks):
    # https://github.com/helm/charts/issues/21515: the default backend's Service selected
    # app.kubernetes.io/component while its pods were labelled component.
    case = beyond_case("helm-charts-nginx-ingress-default-backend-no-endpoint")
    assert case["class"] == "service-no-endpoints" and case["cause"] == "selector-mismatch"
    inv = Inventory()
    svc = service("nginx-ingress-default-backend", {"app": "nginx-ingress", "app.kubernetes.io/component": "default-backend"})
    inv.put("Service", svc)
    inv.put_pod(labelled_pod("nginx-ingress-default-backend-7d5d7d8d9-x2x7q", {"app": "nginx-ingress", "component": "default-backend"}))
    engine = Engine([*(pb for pb in playbooks if pb.spec.subject != "Service"), compiled(SERVICE_PLAYBOOK)])

    broken = engine.diagnose_object(inv, "Service", svc, NOW)
    assert [f.cause for f in broken.findings] == ["nothing-selected"]
    assert broken.findings[0].remediation[0].command == "kubectl -n ingress get pods --show-labels"

    inv.put_pod(labelled_pod("fixed", {"app": "nginx-ingress", "app.kubernetes.io/component": "default-backend"}))
    assert engine.diagnose_object(inv, "Service", svc, NOW).findings == []


def test_a_relation_clause_looks_at_the_related_objects_facts(playbooks):
    inv, deploy = refused_deployment()
    playbook = compiled(
        """
id: rs-refused
subject: Deployment
category: PodsNotCreated
title: t
match: {related.replicasets: {count: {gte: 1}, any: {event: {reason: FailedCreate}}}}
causes:
  - id: quota
    title: q
    match: {message: {regex: 'exceeded quota'}}
    explanation: e
    remediation: [{text: t}]
fallback: {id: other, title: o, explanation: e, remediation: [{text: t}]}
"""
    )
    result = Engine([*pod_playbooks(playbooks), playbook]).diagnose_object(inv, "Deployment", deploy, NOW)
    assert [f.cause for f in result.findings] == ["other"]
    assert result.findings[0].evidence[0].source.startswith("ReplicaSet hjacobs-test-1668339668: event Warning/FailedCreate")


@pytest.mark.parametrize(
    ("clause", "reason"),
    [
        ({"container.ready": False}, "container.* fields are for subject: Pod"),
        ({"log": {"regex": "x"}}, "log matching needs a container-scoped Pod playbook"),
        ({"related.volumes": {"count": 0}}, "unknown relation for Deployment; available: related.replicasets, related.pods"),
        ({"related.pods": {"any": {"object.spec.x": 1}}}, "object.* fields are for subjects other than Pod"),
    ],
)
def test_fields_that_do_not_fit_the_subject_are_refused_with_the_path(clause, reason):
    data = yaml.safe_load(DEPLOYMENT_PLAYBOOK)
    data["match"] = clause
    with pytest.raises(PlaybookSpecError) as exc:
        compile_playbook(data)
    assert exc.value.field.startswith("match.") and reason in exc.value.reason


def test_a_scope_that_does_not_fit_the_subject_is_refused():
    data = yaml.safe_load(DEPLOYMENT_PLAYBOOK)
    data["scope"] = "container"
    with pytest.raises(PlaybookSpecError, match="is for subject Pod"):
        compile_playbook(data)


# ---- a cause added to a family --------------------------------------------------------------------
# A JVM app that cannot log in to its database: https://github.com/keycloak/keycloak-community/issues/307
DB_AUTH_LINE = 'Caused by: org.postgresql.util.PSQLException: FATAL: password authentication failed for user "keycloak"'
# https://github.com/istio/istio/issues/42940
READINESS_503 = "Readiness probe failed: HTTP probe failed with statuscode: 503"

EXTENSION = {
    "id": "db-login",
    "extends": "not-ready",
    "causes": [
        {
            "id": "database-login-failed",
            "title": "The app cannot log in to its database",
            "summary": "{{container}} cannot log in to its database as {{db_user}}",
            "match": {"log": {"regex": 'password authentication failed for user "(?P<db_user>[^"]+)"'}},
            "explanation": "The app stays unready while its database refuses its credentials.",
            "remediation": [
                {"text": "Check the database Secret the pod reads.", "command": "kubectl -n {{namespace}} get pod {{pod}} -o yaml"}
            ],
        }
    ],
    "examples": [
        {
            "name": "keycloak unready, database login refused",
            "source": "https://github.com/keycloak/keycloak-community/issues/307",
            "pod": {
                "spec": {
                    "containers": [
                        {
                            "name": "keycloak",
                            "image": "quay.io/keycloak/keycloak:20.0",
                            "readinessProbe": {"httpGet": {"path": "/health", "port": 8080}},
                        }
                    ]
                },
                "status": {
                    "phase": "Running",
                    "containerStatuses": [
                        {"name": "keycloak", "ready": False, "restartCount": 0, "state": {"running": {"startedAt": "-5m"}}}
                    ],
                },
            },
            "events": [{"type": "Warning", "reason": "Unhealthy", "message": READINESS_503}],
            "logs": {"keycloak": [DB_AUTH_LINE]},
            "expect": {"cause": "database-login-failed", "evidence": "password authentication failed"},
        }
    ],
}


def not_ready(playbooks):
    return next(pb for pb in playbooks if pb.id == "not-ready")


def test_a_playbook_that_extends_a_family_adds_one_cause_and_keeps_the_others(playbooks):
    family = not_ready(playbooks)
    merged = extend_playbook(family, validate_playbook(EXTENSION), "db-login.yaml")

    assert [c.spec.id for c in merged.causes] == ["database-login-failed", *(c.spec.id for c in family.causes)]
    assert merged.fallback == family.fallback and merged.spec.logs == "auto"
    engine = Engine([pb for pb in playbooks if pb.id != "not-ready"] + [merged])
    results = run_examples(engine, [merged], NOW, {"db-login"})
    assert [(r.playbook, r.ok) for r in results] == [("db-login", True)], results
    # the family's own examples still pass with the added cause in front
    assert all(r.ok for r in run_examples(engine, [merged], NOW, {"not-ready"}))


def test_playbooks_test_says_when_an_earlier_cause_matched_first(playbooks):
    family = not_ready(playbooks)
    last = validate_playbook({**EXTENSION, "position": "last"})
    merged = extend_playbook(family, last, "db-login.yaml")
    engine = Engine([pb for pb in playbooks if pb.id != "not-ready"] + [merged])

    [result] = run_examples(engine, [merged], NOW, {"db-login"})

    assert not result.ok
    assert "readiness-probe-failure, earlier in family not-ready, matched first" in result.detail


def test_an_extension_may_not_reuse_a_cause_id_of_the_family(playbooks):
    taken = validate_playbook({**EXTENSION, "causes": [{**EXTENSION["causes"][0], "id": "readiness-probe-failure"}]})
    with pytest.raises(PlaybookSpecError, match="already has a cause 'readiness-probe-failure'"):
        extend_playbook(not_ready(playbooks), taken)


def test_an_extension_gives_only_causes_and_examples():
    with pytest.raises(PlaybookSpecError, match="gives only causes and examples, not category"):
        validate_playbook({**EXTENSION, "category": "NotReady"})
