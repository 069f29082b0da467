"""Hostile and odd objects never crash the engine (issue 7): hypothesis builds pod-shaped objects whose
every field may be missing, null, of the wrong type, huge, or unicode, plus events about them, and the
whole diagnosis (facts, playbooks, analyzers, status printer, every output format) must complete."""

from __future__ import annotations

from datetime import datetime, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8sdoctor.cli import report
from k8sdoctor.core.inventory import Inventory

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)
EXAMPLES = 10_000

junk = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63) | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)
words = st.sampled_from(
    [
        "",
        "app",
        "web",
        "ImagePullBackOff",
        "CrashLoopBackOff",
        "OOMKilled",
        "Error",
        "Completed",
        "CreateContainerConfigError",
        "Pending",
        "Running",
        "Failed",
        "Evicted",
        "Unschedulable",
        "True",
        "False",
        "ContainerCreating",
        "SchedulingGated",
        "日本語",
        "\x1b[31mred",
        "a" * 5000,
    ]
)
times = st.sampled_from(["2026-11-26T11:00:00Z", "2026-11-26T11:59:59.123456789Z", "not a time", "", "0001-01-01T00:00:00Z"])


def maybe(strategy):
    """The real shape, or junk, or nothing."""
    return st.one_of(strategy, junk, st.none())


def fields(**shape):
    return st.fixed_dictionaries({}, optional={k: maybe(v) for k, v in shape.items()})


state = fields(
    waiting=fields(reason=words, message=words),
    running=fields(startedAt=times),
    terminated=fields(
        reason=words, exitCode=st.integers(-1, 300), message=words, startedAt=times, finishedAt=times, signal=st.integers(0, 64)
    ),
)
container_status = fields(
    name=words,
    ready=st.booleans(),
    started=st.booleans(),
    restartCount=st.integers(-5, 10**6),
    state=state,
    lastState=fields(terminated=state.map(lambda s: s.get("terminated") if isinstance(s, dict) else s)),
    image=words,
)
container = fields(
    name=words,
    image=words,
    command=st.lists(words, max_size=3),
    restartPolicy=words,
    resources=fields(requests=st.dictionaries(words, words, max_size=3), limits=st.dictionaries(words, words, max_size=3)),
    livenessProbe=fields(
        initialDelaySeconds=st.integers(-5, 1000), periodSeconds=st.integers(-5, 100), failureThreshold=st.integers(-5, 50)
    ),
    env=st.lists(fields(name=words, valueFrom=fields(secretKeyRef=fields(name=words, key=words))), max_size=3),
)
condition = fields(type=words, status=words, reason=words, message=words)
pod = fields(
    metadata=fields(
        name=words,
        namespace=st.sampled_from(["", "shop", "kube-system"]),
        uid=words,
        creationTimestamp=times,
        deletionTimestamp=times,
        labels=st.dictionaries(words, words, max_size=3),
        ownerReferences=st.lists(
            fields(kind=st.sampled_from(["ReplicaSet", "Job", "StatefulSet", "Node"]), name=words, controller=st.booleans()), max_size=2
        ),
    ),
    spec=fields(
        containers=st.lists(container, max_size=3),
        initContainers=st.lists(container, max_size=2),
        nodeName=words,
        volumes=st.lists(fields(name=words, persistentVolumeClaim=fields(claimName=words)), max_size=2),
        tolerations=st.lists(fields(key=words, operator=words, effect=words), max_size=2),
        nodeSelector=st.dictionaries(words, words, max_size=2),
        schedulingGates=st.lists(fields(name=words), max_size=2),
    ),
    status=fields(
        phase=words,
        reason=words,
        message=words,
        conditions=st.lists(condition, max_size=4),
        containerStatuses=st.lists(container_status, max_size=3),
        initContainerStatuses=st.lists(container_status, max_size=2),
    ),
)
event = fields(
    type=words,
    reason=words,
    message=words,
    count=st.integers(-1, 10**9),
    firstTimestamp=times,
    lastTimestamp=times,
    involvedObject=fields(kind=st.just("Pod"), name=words, namespace=words, fieldPath=words),
    series=fields(count=st.integers(0, 5)),
)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    pod=pod,
    events=st.lists(event, max_size=4),
    nodes=st.lists(fields(metadata=fields(name=words), spec=fields(taints=junk), status=junk), max_size=2),
)
def test_engine_never_crashes_on_odd_pods(engine, pod, events, nodes):
    inventory = Inventory()
    inventory.put_pod(pod)
    for i, ev in enumerate(events):
        ev.setdefault("metadata", {"name": f"e{i}", "namespace": "shop"})
        inventory.put_event(ev)
    for n in nodes:
        inventory.put("Node", n)
    result = engine.diagnose_pod(inventory, pod, NOW)
    payload = report.payload_for([result], single=True)
    report.to_json(payload)
    assert isinstance(result.healthy, bool)
    for finding in result.findings:
        assert finding.category and finding.cause and finding.severity in ("critical", "warning", "info")


@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
@given(containers=st.integers(500, 2000), events=st.integers(500, 3000))
def test_thousands_of_containers_and_events(engine, containers, events):
    statuses = [
        {
            "name": f"c{i}",
            "ready": False,
            "restartCount": 3,
            "state": {"waiting": {"reason": "CrashLoopBackOff"}},
            "lastState": {"terminated": {"reason": "Error", "exitCode": 1}},
        }
        for i in range(containers)
    ]
    big = {
        "metadata": {"name": "big", "namespace": "shop", "uid": "u"},
        "spec": {"containers": [{"name": f"c{i}", "image": "x"} for i in range(containers)]},
        "status": {"phase": "Running", "containerStatuses": statuses},
    }
    inventory = Inventory()
    inventory.put_pod(big)
    for i in range(events):
        inventory.put_event(
            {
                "metadata": {"name": f"e{i}", "namespace": "shop", "uid": f"e{i}"},
                "type": "Warning",
                "reason": "BackOff",
                "message": "Back-off restarting failed container",
                "involvedObject": {"kind": "Pod", "name": "big", "namespace": "shop", "uid": "u"},
            }
        )
    result = engine.diagnose_pod(inventory, big, NOW)
    assert len(result.findings) == containers
