"""The replica memo is exact: on the benchmarks' bad-day clusters, diagnosing with the memo gives the same
diagnoses as diagnosing every pod on its own, field for field (findings with their evidence, steps,
captures and wants; notes), with each replica's own names, event citations and restart counts."""

from __future__ import annotations

import pytest
import yaml

from bench.clusterdata import NOW
from k8sdoctor.core.engine import Engine
from k8sdoctor.core.playbooks.schema import compile_playbook
from k8sdoctor.core.rule_memo import RuleMemo
from tests.perf.conftest import bad_day


@pytest.mark.parametrize(("pods", "failing", "size"), [(800, 1.0, "3k"), (1200, 0.4, "13k"), (600, 0.12, "3k")])
def test_memoised_diagnoses_equal_unmemoised_ones(playbooks, pods, failing, size):
    inventory = bad_day(pods, failing=failing, size=size)
    memoised, plain = Engine(playbooks), Engine(playbooks, memo=False)
    assert memoised.memo is not None and plain.memo is None

    with_memo = memoised.diagnose_all(inventory, NOW)
    without = plain.diagnose_all(inventory, NOW)

    assert with_memo == without  # dataclass equality: every field of every diagnosis and finding
    assert [d.to_dict() for d in with_memo] == [d.to_dict() for d in without]
    examined = memoised.memo.hits + memoised.memo.misses
    assert examined >= pods * failing * 0.9
    assert memoised.memo.hits >= 0.8 * examined  # workloads fail alike (and their replicas): most are memo hits


def _replicas(inventory, waiting_reason: str | None, ready: bool | None = None) -> list[dict]:
    """Two pods of one Deployment, on different nodes, whose app container is in that state."""
    by_workload: dict[str, list[dict]] = {}
    for pod in inventory.pods.values():
        app = (pod["status"].get("containerStatuses") or [{}])[0]
        reason = app.get("state", {}).get("waiting", {}).get("reason")
        running = pod["status"].get("phase") == "Running"
        if running and reason == waiting_reason and (ready is None or app.get("ready") is ready) and pod["spec"].get("nodeName"):
            by_workload.setdefault(pod["metadata"]["labels"].get("app", ""), []).append(pod)
    return next(
        pods[:2]
        for app, pods in by_workload.items()
        if app and len(pods) >= 2 and pods[0]["spec"]["nodeName"] != pods[1]["spec"]["nodeName"]
    )


def test_replicas_get_their_own_names_and_event_citations(playbooks):
    inventory = bad_day(600, failing=1.0)
    engine = Engine(playbooks)
    a, b = _replicas(inventory, None, ready=False)  # readiness probe failing: the kubelet's Unhealthy event is cited
    first, second = engine.diagnose_pod(inventory, a, NOW), engine.diagnose_pod(inventory, b, NOW)
    assert engine.memo is not None and engine.memo.hits == 1 and engine.memo.misses == 1
    assert second == Engine(playbooks, memo=False).diagnose_pod(inventory, b, NOW)
    assert (first.name, second.name) == (a["metadata"]["name"], b["metadata"]["name"])
    sources = [e.source for f in second.findings for e in f.evidence]
    commands = [s.command or "" for f in second.findings for s in f.remediation]
    assert any(s.startswith(f"event Warning/Unhealthy from kubelet, {b['spec']['nodeName']} (") for s in sources)
    assert any(b["metadata"]["name"] in c for c in commands) and not any(a["metadata"]["name"] in c for c in commands), commands
    assert not any("@@k8sdoctor." in text for text in sources + commands)


def test_replicas_get_their_own_restart_counts(playbooks):
    # A container not ready, with no state and restarts but no termination recorded (as Popeye's pod lint
    # test p4 has it: derailed/popeye internal/lint/pod_test.go, via shared/peer-tests): its finding quotes
    # the count.
    inventory = bad_day(300, failing=0.0)
    a, b = (dict(p, status=dict(p["status"])) for p in _replicas(inventory, None, ready=True))
    for pod, count in ((a, 3), (b, 11)):
        app = {k: v for k, v in pod["status"]["containerStatuses"][0].items() if k not in ("state", "lastState")}
        app.update(ready=False, started=False, restartCount=count)
        pod["status"]["containerStatuses"] = [app, *pod["status"]["containerStatuses"][1:]]
        inventory.put_pod(pod)
    engine = Engine(playbooks)
    first, second = engine.diagnose_pod(inventory, a, NOW), engine.diagnose_pod(inventory, b, NOW)
    assert engine.memo is not None and engine.memo.hits == 1
    assert second == Engine(playbooks, memo=False).diagnose_pod(inventory, b, NOW)
    assert [f.summary for f in first.findings] == ["Container app restarted 3 times; no exit code, reason or log says why"]
    assert [f.summary for f in second.findings] == ["Container app restarted 11 times; no exit code, reason or log says why"]


RELATED = """
id: pod-behind-no-service
subject: Pod
scope: pod
category: NotReady
title: No Service selects the pod
severity: warning
match: {pod.phase: Running}
causes:
  - id: no-service
    title: No Service selects the pod
    match: {related.services: {count: 0}}
    explanation: Nothing routes traffic to it.
    remediation:
      - text: List the Services of the namespace.
"""
#: The fallback cause every playbook needs, shared by the playbooks these tests add.
FALLBACK = """
fallback:
  id: unknown
  title: Something else
  explanation: Nothing says why.
  remediation:
    - text: Look at the pod.
"""


def extra_playbook(text: str):
    return compile_playbook(yaml.safe_load(text + FALLBACK))


def test_the_memo_turns_itself_off_for_a_clause_it_cannot_key(playbooks):
    pods = [pb for pb in playbooks if pb.spec.subject == "Pod"]
    assert RuleMemo(pods).enabled
    assert not RuleMemo([*pods, extra_playbook(RELATED)]).enabled  # related.* reads other objects


@pytest.mark.parametrize("pod, node", [("web-7d9f8b6c5d-x2x7q", "master"), ("web", "worker-1")])
def test_a_name_that_is_a_plain_word_is_not_masked(playbooks, pod, node):
    """A node called `master` stands inside `node-role.kubernetes.io/master`, a pod called `web` inside
    `webhook`: masking them would change what the rules read, so such a pod is diagnosed without the memo."""
    from k8sdoctor.core.rule_memo import ReplicaMask, _NotKeyable

    class Facts:
        name, uid, node_name = pod, "3f2c5c1e-0b8e-4c55-9a57-1f1f3e0e6a11", node

    with pytest.raises(_NotKeyable):
        ReplicaMask(Facts())  # type: ignore[arg-type]


def _alike(inventory, engine) -> list[dict]:
    """Two failing pods of two Deployments whose masked facts are the same (the same failure, events as
    old and as many, texts that do not name them)."""
    from k8sdoctor.core.facts import build_pod_facts

    seen: dict[tuple, dict] = {}
    for pod in inventory.pods.values():
        masked = engine.memo.mask(build_pod_facts(inventory, pod, NOW))
        if masked is None:
            continue
        first = seen.setdefault(masked.key, pod)
        owner = first["metadata"]["ownerReferences"][0]["name"]
        if owner != pod["metadata"]["ownerReferences"][0]["name"]:
            return [first, pod]
    raise AssertionError("no two workloads fail alike")


def test_workloads_failing_alike_share_an_entry_and_keep_their_own_names(playbooks):
    """Two Deployments failing alike: one rule run, and each pod's findings name its own pod and
    namespace, never the other's."""
    inventory = bad_day(800, failing=1.0)
    engine, plain = Engine(playbooks), Engine(playbooks, memo=False)
    a, b = _alike(inventory, Engine(playbooks))
    first, second = engine.diagnose_pod(inventory, a, NOW), engine.diagnose_pod(inventory, b, NOW)
    assert engine.memo is not None and (engine.memo.misses, engine.memo.hits) == (1, 1)
    assert first == plain.diagnose_pod(inventory, a, NOW)
    assert second == plain.diagnose_pod(inventory, b, NOW)

    def words(d) -> str:
        return str([f.to_dict() for f in d.findings]) + str([f.captures for f in d.findings]) + str(d.to_dict())

    for pod, own, other in ((a, first, second), (b, second, first)):
        meta = pod["metadata"]
        assert meta["name"] in words(own) and meta["name"] not in words(other)
        assert "@@k8sdoctor." not in words(own)


@pytest.mark.parametrize(
    "line",
    [
        "lookup {workload} on 10.96.0.10:53: no such host",
        "Could not resolve host: {namespace}",
        "lookup {pod} on 10.96.0.10:53: no such host",  # the pod's own name: the pod goes without the memo
    ],
)
def test_a_name_that_a_log_line_holds_is_not_masked(playbooks, line):
    """A rule's regex reads the host in `lookup HOST on ...` as `[a-z0-9-]+`: were the workload's name
    there a placeholder, the DNS failure would not match and the pod would get another cause."""
    inventory = bad_day(300, failing=1.0)
    pod = next(p for p in inventory.pods.values() if _waiting(p) == "CrashLoopBackOff")
    meta = pod["metadata"]
    workload = meta["ownerReferences"][0]["name"].rsplit("-", 1)[0]
    app = pod["status"]["containerStatuses"][0]["name"]
    inventory.put_logs(
        meta["namespace"], meta["name"], app, True, [line.format(workload=workload, namespace=meta["namespace"], pod=meta["name"])]
    )
    memoised = Engine(playbooks).diagnose_pod(inventory, pod, NOW)
    assert memoised == Engine(playbooks, memo=False).diagnose_pod(inventory, pod, NOW)
    assert [f.cause for f in memoised.findings] == ["dns-failure"]


def _waiting(pod: dict) -> str | None:
    return (pod["status"].get("containerStatuses") or [{}])[0].get("state", {}).get("waiting", {}).get("reason")


class _Facts:
    """What ReplicaMask reads of a pod's facts."""

    def __init__(self, namespace: str, owner: str, images: list[str]) -> None:
        from k8sdoctor.core.relations import WorkloadRef

        self.name, self.uid, self.node_name = f"{owner}-x2x7q", "3f2c5c1e-0b8e-4c55-9a57-1f1f3e0e6a11", "worker-1"
        self.namespace, self.owner_name = namespace, owner
        self.workload = WorkloadRef("Deployment", namespace, owner.rsplit("-", 1)[0])
        self.containers = [type("C", (), {"image": image})() for image in images]


def test_a_name_the_rules_read_in_a_text_stays_in_the_key():
    """A namespace, owner or image is masked only where no text the rules read holds it: there a regex
    could tell a placeholder from the name."""
    from k8sdoctor.core.rule_memo import NAMESPACE, OWNER, ReplicaMask

    image = "registry.example.com/team-07/app-00123:1.2.0"

    def mask(read: list[str]) -> str:
        m = ReplicaMask(_Facts("team-07", "app-00123-5d9f8b6c5d", [image]), images=True)  # type: ignore[arg-type]
        m.keep_names_read_in(read)
        return m.joined([*read, "team-07", "app-00123-5d9f8b6c5d", image])

    quiet = mask(["OOMKilled", "Back-off restarting failed container app in pod app-00123-5d9f8b6c5d-x2x7q"])
    assert "team-07" not in quiet and NAMESPACE in quiet and OWNER in quiet and "@@k8sdoctor.image.0@@" in quiet
    named = mask(["Back-off restarting failed container app in pod app-00123-5d9f8b6c5d-x2x7q_team-07(x)"])
    assert NAMESPACE not in named and named.endswith("team-07\x1f@@k8sdoctor.owner@@\x1f@@k8sdoctor.image.0@@")
    pulled = mask([f'Failed to pull image "{image}": not found'])
    assert image in pulled and "@@k8sdoctor.image." not in pulled and NAMESPACE not in pulled  # inside the image quoted


IMAGE_RULE = """
id: latest-tag
subject: Pod
scope: container
category: NotReady
title: The image floats
severity: info
match: {container.image: {regex: ':latest$'}}
causes:
  - id: latest
    title: The image floats
    match: {container.ready: false}
    explanation: The tag moves.
    remediation:
      - text: Pin the image.
"""


def test_images_stay_in_the_key_when_a_rule_tests_the_image(playbooks):
    pods = [pb for pb in playbooks if pb.spec.subject == "Pod"]
    assert RuleMemo(pods).images
    reading = RuleMemo([*pods, extra_playbook(IMAGE_RULE)])
    assert reading.enabled and not reading.images
