"""Demo workloads that fail beyond their pods: a Deployment a ResourceQuota refuses, one Pod Security
refuses, the previous revision of the shop's stalled cloudnative-pg rollout (so the rollout has a revision
to roll back to), and a Job that ran past its deadline and whose pod the job controller deleted.

None of them adds a pod: their failures are on the workloads (ReplicaSet conditions and events,
Job status), which is what `diagnose all` and `diagnose deploy/NAME` show. Every message is copied from
the public report cited next to it (rows of tests/fixtures/beyond-pods-public.jsonl and
../shared/cases/beyond-pods.jsonl).
"""

from __future__ import annotations

from k8sdoctor.demo.objects import workload

PSA_LABELS = {"pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/enforce-version": "latest"}


def _namespace(name: str, labels: dict | None = None) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": name, "creationTimestamp": "-30d", "labels": {"kubernetes.io/metadata.name": name, **(labels or {})}},
        "status": {"phase": "Active"},
    }


def _event(
    kind: str, namespace: str, name: str, type_: str, reason: str, message: str, *, component: str, count: int, first: str, last: str
) -> dict:
    api = {"ReplicaSet": "apps/v1", "Job": "batch/v1"}[kind]
    return {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": f"{name}.{reason.lower()}", "namespace": namespace, "creationTimestamp": first},
        "involvedObject": {"apiVersion": api, "kind": kind, "namespace": namespace, "name": name},
        "type": type_,
        "reason": reason,
        "message": message,
        "source": {"component": component},
        "count": count,
        "firstTimestamp": first,
        "lastTimestamp": last,
        "reportingComponent": component,
        "reportingInstance": "",
    }


def _rename_hash(rs: dict, template_hash: str) -> None:
    """Give a ReplicaSet the pod-template-hash its report names (name, labels, selector)."""
    old = rs["metadata"]["labels"]["pod-template-hash"]
    rs["metadata"]["name"] = rs["metadata"]["name"].removesuffix(old) + template_hash
    for labels in (rs["metadata"]["labels"], rs["spec"]["selector"]["matchLabels"], rs["spec"]["template"]["metadata"]["labels"]):
        labels["pod-template-hash"] = template_hash


def _refused(dep: dict, rs: dict, *, condition_message: str | None = None) -> None:
    """No pod was ever created: the Deployment and its ReplicaSet count none."""
    dep["status"] = {"replicas": 0, "updatedReplicas": 0, "readyReplicas": 0, "observedGeneration": dep["metadata"]["generation"]}
    rs["status"] = {"replicas": 0, "readyReplicas": 0}
    if condition_message is not None:
        failure = {
            "type": "ReplicaFailure",
            "status": "True",
            "reason": "FailedCreate",
            "message": condition_message,
            "lastTransitionTime": "-40m",
        }
        rs["status"]["conditions"] = [failure]
        dep["status"]["conditions"] = [failure]


def quota_refused() -> list[dict]:
    """PodsNotCreated / quota-exceeded: the pod asks 1G of memory; the quota allows 500m in all (the
    exercise's 'm' for 'Mi'). The API server's error is what the ReplicaSet controller puts in its
    ReplicaFailure condition.
    https://github.com/freqq/ckad-prep/blob/main/bmuschko-crash-course/05-defining-resource-requirements.md"""
    message = 'pods "mypod" is forbidden: exceeded quota: app, requested: requests.memory=1G, used: requests.memory=0, limited: requests.memory=500m'
    c = [{"name": "busybox", "image": "busybox:1.36", "command": ["sleep", "3600"], "resources": {"requests": {"memory": "1G"}}}]
    dep, rs, _h = workload("rq-demo", "busybox", replicas=1, containers=c, created="-45m")
    _refused(dep, rs, condition_message=message)
    quota = {
        "apiVersion": "v1",
        "kind": "ResourceQuota",
        "metadata": {"name": "app", "namespace": "rq-demo", "creationTimestamp": "-1h"},
        "spec": {"hard": {"pods": "2", "requests.cpu": "2", "requests.memory": "500m"}},
        "status": {
            "hard": {"pods": "2", "requests.cpu": "2", "requests.memory": "500m"},
            "used": {"pods": "0", "requests.cpu": "0", "requests.memory": "0"},
        },
    }
    return [_namespace("rq-demo"), quota, dep, rs]


def pod_security_refused() -> list[dict]:
    """PodsNotCreated / pod-security-violation: the namespace enforces restricted; the controller's pod
    template sets no securityContext. https://github.com/tektoncd/triggers/pull/1477"""
    message = (
        'Error creating: pods "tekton-triggers-controller-7887549bc5-74px6" is forbidden: violates PodSecurity "restricted:latest": '
        'unrestricted capabilities (container "tekton-triggers-controller" must set securityContext.capabilities.drop=["ALL"]), '
        'runAsNonRoot != true (pod or container "tekton-triggers-controller" must set securityContext.runAsNonRoot=true), '
        'seccompProfile (pod or container "tekton-triggers-controller" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")'
    )
    image = "gcr.io/tekton-releases/github.com/tektoncd/triggers/cmd/controller:v0.20.0"
    c = [{"name": "tekton-triggers-controller", "image": image, "resources": {"requests": {"cpu": "100m", "memory": "100Mi"}}}]
    dep, rs, _h = workload("tekton-pipelines", "tekton-triggers-controller", replicas=1, containers=c, created="-30m")
    _rename_hash(rs, "7887549bc5")  # as the report names it
    _refused(dep, rs)
    ev = _event(
        "ReplicaSet",
        "tekton-pipelines",
        rs["metadata"]["name"],
        "Warning",
        "FailedCreate",
        message,
        component="replicaset-controller",
        count=15,
        first="-30m",
        last="-2m",
    )
    return [_namespace("tekton-pipelines", PSA_LABELS), dep, rs, ev]


def cloudnative_pg_previous_revision() -> list[dict]:
    """The revision the shop's cloudnative-pg rolled out from (image 1.20.0), scaled to zero by the
    rollout to 1.20.1, whose pods cannot pull their image (see cluster.shop): RolloutStuck, with the
    rollback to this revision. https://github.com/cloudnative-pg/cloudnative-pg/issues/2265"""
    c = [
        {
            "name": "manager",
            "image": "ghcr.io/cloudnative-pg/cloudnative-pg:1.20.0",
            "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}},
        }
    ]
    _dep, rs, _h = workload("shop", "cloudnative-pg", replicas=0, containers=c, revision=1, created="-12d")
    rs["status"] = {"replicas": 0, "readyReplicas": 0}
    return [rs]


def job_past_deadline() -> list[dict]:
    """JobFailed / deadline-exceeded: activeDeadlineSeconds ended the run and the job controller deleted
    its pod, so no log is left. https://github.com/zxspec/edu-slurm/blob/master/lecture11/readme.md"""
    job = {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": "hello", "namespace": "batch", "creationTimestamp": "-14m", "labels": {"job-name": "hello"}},
        "spec": {
            "activeDeadlineSeconds": 60,
            "backoffLimit": 10,
            "template": {
                "metadata": {"labels": {"job-name": "hello"}},
                "spec": {"restartPolicy": "Never", "containers": [{"name": "hello", "image": "busybox:1.36", "command": ["sleep", "600"]}]},
            },
        },
        "status": {
            "startTime": "-13m",
            "failed": 1,
            "conditions": [
                {
                    "type": "Failed",
                    "status": "True",
                    "reason": "DeadlineExceeded",
                    "message": "Job was active longer than specified deadline",
                    "lastTransitionTime": "-12m",
                }
            ],
        },
    }
    events = [
        _event(
            "Job",
            "batch",
            "hello",
            "Normal",
            "SuccessfulCreate",
            "Created pod: hello-6mk4q",
            component="job-controller",
            count=1,
            first="-13m",
            last="-13m",
        ),
        _event(
            "Job",
            "batch",
            "hello",
            "Normal",
            "SuccessfulDelete",
            "Deleted pod: hello-6mk4q",
            component="job-controller",
            count=1,
            first="-12m",
            last="-12m",
        ),
        _event(
            "Job",
            "batch",
            "hello",
            "Warning",
            "DeadlineExceeded",
            "Job was active longer than specified deadline",
            component="job-controller",
            count=2,
            first="-12m",
            last="-12m",
        ),
    ]
    return [_namespace("batch"), job, *events]


def workloads() -> list[dict]:
    """Every object this module adds to the demo scenario."""
    return quota_refused() + pod_security_refused() + cloudnative_pg_previous_revision() + job_past_deadline()
