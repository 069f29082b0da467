"""The STATUS / READY / RESTARTS logic of kubectl's printPod, on realistic pod objects."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from k8sdoctor.core.kube.podstatus import pod_display_status, ready_count, restarts

T0 = "2024-05-12T10:00:00Z"


def container(name: str, image: str, **status: object) -> tuple[dict, dict]:
    spec = {"name": name, "image": image, "resources": {}}
    state = {
        "name": name,
        "image": image,
        "imageID": "",
        "restartCount": 0,
        "ready": False,
        "started": False,
        "state": {"waiting": {"reason": "ContainerCreating"}},
    }
    state.update(status)
    return spec, state


def pod(
    containers: list[tuple[dict, dict]],
    *,
    init: list[tuple[dict, dict]] = (),
    phase: str = "Running",
    conditions: list[dict] | None = None,
    **extra_status: object,
) -> dict:
    status = {
        "phase": phase,
        "hostIP": "10.0.32.7",
        "startTime": T0,
        "qosClass": "BestEffort",
        "containerStatuses": [s for _, s in containers],
    }
    if init:
        status["initContainerStatuses"] = [s for _, s in init]
    if conditions is not None:
        status["conditions"] = conditions
    status.update(extra_status)
    spec = {"nodeName": "compute-0", "restartPolicy": "Always", "containers": [c for c, _ in containers]}
    if init:
        spec["initContainers"] = [c for c, _ in init]
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "web-6d4cf56db6-abcde", "namespace": "shop", "uid": "5f0e2c1a-9b8d-4e7f", "creationTimestamp": T0},
        "spec": spec,
        "status": status,
    }


RUNNING = {"running": {"startedAt": T0}}


def condition(kind: str, value: str) -> dict:
    return {"type": kind, "status": value, "lastTransitionTime": T0}


def test_running_pod_with_all_containers_ready():
    p = pod(
        [
            container("app", "nginx:1.25.4", ready=True, started=True, state=RUNNING),
            container("log-shipper", "fluent/fluent-bit:3.0.4", ready=True, started=True, state=RUNNING),
        ],
        conditions=[condition("Ready", "True")],
    )
    assert pod_display_status(p) == "Running"
    assert ready_count(p) == (2, 2)
    assert restarts(p) == (0, None)


def test_crashloop_counts_restarts_and_reports_the_last_one():
    p = pod(
        [
            container(
                "memory-demo-2-ctr",
                "polinux/stress",
                restartCount=4,
                state={"waiting": {"reason": "CrashLoopBackOff"}},
                lastState={"terminated": {"exitCode": 137, "reason": "OOMKilled", "startedAt": T0, "finishedAt": "2024-05-12T10:03:20Z"}},
            )
        ]
    )
    assert pod_display_status(p) == "CrashLoopBackOff"
    assert ready_count(p) == (0, 1)
    assert restarts(p) == (4, datetime(2024, 5, 12, 10, 3, 20, tzinfo=timezone.utc))


def test_last_terminated_reason_shows_while_not_waiting():
    p = pod(
        [
            container(
                "memory-demo-2-ctr",
                "polinux/stress",
                restartCount=1,
                state={"terminated": {"exitCode": 137, "reason": "OOMKilled", "startedAt": T0, "finishedAt": T0}},
            )
        ]
    )
    assert pod_display_status(p) == "OOMKilled"


@pytest.mark.parametrize(
    ("terminated", "expected"),
    [
        ({"exitCode": 2}, "ExitCode:2"),
        ({"exitCode": 137, "signal": 9}, "Signal:9"),
    ],
)
def test_terminated_without_reason(terminated, expected):
    p = pod([container("app", "nginx:1.25.4", state={"terminated": terminated})])
    assert pod_display_status(p) == expected


def test_container_creating():
    p = pod([container("app", "nginx:1.25.4")], phase="Pending")
    assert pod_display_status(p) == "ContainerCreating"


def test_unscheduled_pod_shows_its_phase():
    p = pod([], phase="Pending", conditions=[condition("PodScheduled", "False")])
    p["spec"]["containers"] = [{"name": "es-client", "image": "quay.io/pires/docker-elasticsearch-kubernetes:6.3.0"}]
    del p["status"]["containerStatuses"]
    assert pod_display_status(p) == "Pending"
    assert ready_count(p) == (0, 1)


def test_init_progress_counts_finished_init_containers():
    done = {"terminated": {"exitCode": 0, "reason": "Completed", "startedAt": T0, "finishedAt": T0}}
    p = pod(
        [container("cassandra", "cassandra:4.1", state={"waiting": {"reason": "PodInitializing"}})],
        init=[container("fetch-schema", "busybox:1.36", state=done), container("setup-config", "busybox:1.36", state=RUNNING)],
        phase="Pending",
        conditions=[condition("Initialized", "False")],
    )
    assert pod_display_status(p) == "Init:1/2"


def test_init_container_waiting_reason_is_prefixed():
    p = pod(
        [container("cassandra", "cassandra:4.1", state={"waiting": {"reason": "PodInitializing"}})],
        init=[
            container(
                "setup-config",
                "busybox:1.36",
                restartCount=6,
                state={"waiting": {"reason": "CrashLoopBackOff"}},
                lastState={"terminated": {"exitCode": 1, "reason": "Error", "startedAt": T0, "finishedAt": "2024-05-12T10:05:00Z"}},
            )
        ],
        phase="Pending",
        conditions=[condition("Initialized", "False")],
    )
    assert pod_display_status(p) == "Init:CrashLoopBackOff"
    assert restarts(p) == (6, datetime(2024, 5, 12, 10, 5, tzinfo=timezone.utc))


@pytest.mark.parametrize(
    ("terminated", "expected"),
    [
        ({"exitCode": 1, "reason": "Error"}, "Init:Error"),
        ({"exitCode": 0, "reason": "OOMKilled"}, "Running"),  # exit 0 counts as a finished init container
        ({"exitCode": 3}, "Init:ExitCode:3"),
        ({"exitCode": 143, "signal": 15}, "Init:Signal:15"),
    ],
)
def test_failed_init_container(terminated, expected):
    p = pod(
        [container("cassandra", "cassandra:4.1", ready=True, state=RUNNING)],
        init=[container("setup-config", "busybox:1.36", state={"terminated": terminated})],
        conditions=[condition("Ready", "True")],
    )
    assert pod_display_status(p) == expected


def test_restartable_init_container_counts_as_a_container():
    sidecar_spec, sidecar_status = container("istio-proxy", "istio/proxyv2:1.22.0", ready=True, started=True, restartCount=1, state=RUNNING)
    sidecar_spec["restartPolicy"] = "Always"
    p = pod(
        [container("app", "nginx:1.25.4", ready=True, started=True, state=RUNNING)],
        init=[(sidecar_spec, sidecar_status)],
        conditions=[condition("Initialized", "True")],
    )
    assert ready_count(p) == (2, 2)
    assert pod_display_status(p) == "Running"
    assert restarts(p)[0] == 1


def test_completed_pod():
    p = pod(
        [
            container(
                "migrate",
                "flyway/flyway:10",
                state={"terminated": {"exitCode": 0, "reason": "Completed", "startedAt": T0, "finishedAt": T0}},
            )
        ],
        phase="Succeeded",
    )
    assert pod_display_status(p) == "Completed"


@pytest.mark.parametrize(("ready_condition", "expected"), [("True", "Running"), ("False", "NotReady")])
def test_completed_container_next_to_a_running_one(ready_condition, expected):
    p = pod(
        [
            container("app", "nginx:1.25.4", ready=True, started=True, state=RUNNING),
            container(
                "warmup", "busybox:1.36", state={"terminated": {"exitCode": 0, "reason": "Completed", "startedAt": T0, "finishedAt": T0}}
            ),
        ],
        conditions=[condition("Ready", ready_condition)],
    )
    assert pod_display_status(p) == expected


def test_deleting_pod_is_terminating_unless_already_finished():
    p = pod([container("app", "nginx:1.25.4", ready=True, started=True, state=RUNNING)])
    p["metadata"]["deletionTimestamp"] = T0
    assert pod_display_status(p) == "Terminating"
    p["status"]["phase"] = "Succeeded"
    p["status"]["containerStatuses"][0]["state"] = {"terminated": {"exitCode": 0, "reason": "Completed"}}
    assert pod_display_status(p) == "Completed"


def test_deleted_pod_on_lost_node_is_unknown():
    p = pod([container("app", "nginx:1.25.4", ready=True, started=True, state=RUNNING)], reason="NodeLost")
    p["metadata"]["deletionTimestamp"] = T0
    assert pod_display_status(p) == "Unknown"


def test_evicted_pod_shows_the_pod_reason():
    # status.message: case k8s-94073-evicted-ephemeral-storage,
    # source: https://github.com/kubernetes/kubernetes/issues/94073
    p = pod(
        [],
        phase="Failed",
        reason="Evicted",
        message="The node was low on resource: ephemeral-storage. Container ebaogi-bff-app was using "
        "34260Ki, which exceeds its request of 0. ",
    )
    p["spec"]["containers"] = [{"name": "ebaogi-bff-app", "image": "ebaogi/bff-app:2.3.1"}]
    del p["status"]["containerStatuses"]
    assert pod_display_status(p) == "Evicted"


def test_evicted_pod_with_unknown_container_status():
    # Terminated message as kubernetes#122160 shows it (see shared/notes/message-formats.md §5),
    # source: https://github.com/kubernetes/kubernetes/issues/122160
    p = pod(
        [
            container(
                "app",
                "nginx:1.25.4",
                state={
                    "terminated": {
                        "exitCode": 137,
                        "reason": "ContainerStatusUnknown",
                        "message": "The container could not be located when the pod was terminated",
                    }
                },
            )
        ],
        phase="Failed",
        reason="Evicted",
    )
    assert pod_display_status(p) == "ContainerStatusUnknown"


def test_scheduling_gated():
    p = pod([], phase="Pending", conditions=[{"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}])
    del p["status"]["containerStatuses"]
    assert pod_display_status(p) == "SchedulingGated"
