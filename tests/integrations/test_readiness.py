"""`wait`'s verdicts, as kubectl rollout status words them (staging/src/k8s.io/kubectl/pkg/polymorphichelpers/
rollout_status.go), on the status fields the controllers write."""

from __future__ import annotations

import pytest

from k8sdoctor.wait.readiness import progress


def _obj(kind: str, spec: dict, status: dict, generation: int = 2) -> dict:
    return {"kind": kind, "metadata": {"name": "x", "generation": generation}, "spec": spec, "status": {"observedGeneration": 2, **status}}


@pytest.mark.parametrize(
    ("obj", "done", "message"),
    [
        (_obj("Deployment", {"replicas": 3}, {}, generation=3), False, "Waiting for deployment spec update to be observed..."),
        (
            _obj("Deployment", {"replicas": 3}, {"updatedReplicas": 1}),
            False,
            'Waiting for deployment "x" rollout to finish: 1 out of 3 new replicas have been updated...',
        ),
        (
            _obj("Deployment", {"replicas": 3}, {"updatedReplicas": 3, "replicas": 4}),
            False,
            'Waiting for deployment "x" rollout to finish: 1 old replicas are pending termination...',
        ),
        (
            _obj("Deployment", {"replicas": 3}, {"updatedReplicas": 3, "replicas": 3, "availableReplicas": 2}),
            False,
            'Waiting for deployment "x" rollout to finish: 2 of 3 updated replicas are available...',
        ),
        (
            _obj("Deployment", {"replicas": 3}, {"updatedReplicas": 3, "replicas": 3, "availableReplicas": 3}),
            True,
            'deployment "x" successfully rolled out',
        ),
        (_obj("StatefulSet", {"replicas": 2}, {"readyReplicas": 1}), False, "Waiting for 1 pods to be ready..."),
        (
            _obj(
                "StatefulSet",
                {"replicas": 2},
                {"readyReplicas": 2, "updatedReplicas": 1, "updateRevision": "x-2", "currentRevision": "x-1"},
            ),
            False,
            "waiting for statefulset rolling update to complete 1 pods at revision x-2...",
        ),
        (
            _obj(
                "StatefulSet",
                {"replicas": 3, "updateStrategy": {"rollingUpdate": {"partition": 2}}},
                {"readyReplicas": 3, "updatedReplicas": 1},
            ),
            True,
            "partitioned roll out complete: 1 new pods have been updated...",
        ),
        (
            _obj("DaemonSet", {}, {"desiredNumberScheduled": 3, "updatedNumberScheduled": 2}),
            False,
            'Waiting for daemon set "x" rollout to finish: 2 out of 3 new pods have been updated...',
        ),
        (
            _obj("DaemonSet", {}, {"desiredNumberScheduled": 3, "updatedNumberScheduled": 3, "numberAvailable": 3}),
            True,
            'daemon set "x" successfully rolled out',
        ),
    ],
)
def test_rollouts_read_as_kubectl_reads_them(obj, done, message):
    state = progress(obj["kind"], obj, "healthy")
    assert (state.done, state.message, state.failed) == (done, message, None)


def test_a_deployment_past_its_progress_deadline_has_failed():
    # The deployment controller's condition (pkg/controller/deployment/util/deployment_util.go)
    cond = {
        "type": "Progressing",
        "status": "False",
        "reason": "ProgressDeadlineExceeded",
        "message": 'ReplicaSet "x-5d4f8c7b9" has timed out progressing.',
    }
    state = progress("Deployment", _obj("Deployment", {"replicas": 1}, {"conditions": [cond]}), "healthy")
    assert state.failed == 'ReplicaSet "x-5d4f8c7b9" has timed out progressing.'
    assert state.message == 'deployment "x" exceeded its progress deadline'
