"""Server-side printing: `meta.k8s.io/v1` Table responses, the columns `kubectl get` shows.

Pods, events, nodes, namespaces, workloads (Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs,
CronJobs), ResourceQuotas and webhook configurations get kubectl's real columns (ported from printers.go);
the kinds of `tables_network.py` (Services, Ingresses, claims, autoscalers...) theirs too;
LimitRanges the API server's default NAME and CREATED AT; other kinds NAME and AGE. Cells are computed
when the request is served, so AGE is fresh.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from k8sdoctor.core.kube.podstatus import summarize
from k8sdoctor.core.kube.timeutil import age, format_time, human_duration, parse_time
from k8sdoctor.fakeapi.tables_network import PRINTERS as NETWORK_PRINTERS
from k8sdoctor.fakeapi.views import partial_metadata


def _column(name: str, description: str, *, priority: int = 0, fmt: str = "", kind: str = "string") -> dict:
    return {"name": name, "type": kind, "format": fmt, "description": description, "priority": priority}


_NAME = _column("Name", "Name must be unique within a namespace.", fmt="name")
_AGE = _column("Age", "CreationTimestamp is a timestamp representing the server time when this object was created.")

POD_COLUMNS = [
    _NAME,
    _column("Ready", "The aggregate readiness state of this pod for accepting traffic."),
    _column("Status", "The aggregate status of the containers in this pod."),
    _column(
        "Restarts",
        "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.",
    ),
    _AGE,
    _column("IP", "podIP address allocated to the pod.", priority=1),
    _column("Node", "NodeName indicates in which node this pod is scheduled.", priority=1),
    _column("Nominated Node", "nominatedNodeName is set when this pod preempts other pods on the node.", priority=1),
    _column("Readiness Gates", "If specified, all readiness gates will be evaluated for pod readiness.", priority=1),
]

EVENT_COLUMNS = [
    _column("Last Seen", "The time at which the most recent occurrence of this event was recorded."),
    _column("Type", "Type of this event (Normal, Warning), new types could be added in the future"),
    _column(
        "Reason",
        "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
    ),
    _column("Object", "The object that this event is about."),
    _column("Subobject", "The field of the object this event is about.", priority=1),
    _column("Source", "The component reporting this event.", priority=1),
    _column("Message", "A human-readable description of the status of this operation."),
    _column("First Seen", "The time at which the event was first recorded.", priority=1),
    _column("Count", "The number of times this event has occurred.", priority=1),
    _column("Name", "Name must be unique within a namespace.", priority=1, fmt="name"),
]

NODE_COLUMNS = [
    _NAME,
    _column("Status", "The status of the node"),
    _column("Roles", "The roles of the node"),
    _AGE,
    _column("Version", "Kubelet Version reported by the node."),
    _column("Internal-IP", "List of addresses reachable to the node.", priority=1),
    _column("External-IP", "List of addresses reachable to the node.", priority=1),
    _column("OS-Image", "OS Image reported by the node from /etc/os-release.", priority=1),
    _column("Kernel-Version", "Kernel Version reported by the node.", priority=1),
    _column("Container-Runtime", "ContainerRuntime Version reported by the node.", priority=1),
]

NAMESPACE_COLUMNS = [_NAME, _column("Status", "The status of the namespace"), _AGE]

DEPLOYMENT_COLUMNS = [
    _NAME,
    _column("Ready", "Number of the pod with ready state"),
    _column(
        "Up-to-date", "Total number of non-terminated pods targeted by this deployment that have the desired template spec.", kind="integer"
    ),
    _column(
        "Available", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.", kind="integer"
    ),
    _AGE,
    _column("Containers", "Names of each container in the template.", priority=1),
    _column("Images", "Images referenced by each container in the template.", priority=1),
    _column("Selector", "Label selector for pods.", priority=1),
]
GENERIC_COLUMNS = [_NAME, _AGE]
_CONTAINERS = _column("Containers", "Names of each container in the template.", priority=1)
_IMAGES = _column("Images", "Images referenced by each container in the template.", priority=1)

REPLICASET_COLUMNS = [
    _NAME,
    _column("Desired", "Replicas is the number of desired pods.", kind="integer"),
    _column("Current", "Replicas is the most recently observed number of non-terminating pods.", kind="integer"),
    _column("Ready", "The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.", kind="integer"),
    _AGE,
    _CONTAINERS,
    _IMAGES,
    _column("Selector", "Selector is a label query over pods that should match the replica count.", priority=1),
]
STATEFULSET_COLUMNS = [_NAME, _column("Ready", "Number of the pod with ready state"), _AGE, _CONTAINERS, _IMAGES]
DAEMONSET_COLUMNS = [
    _NAME,
    _column("Desired", "The total number of nodes that should be running the daemon pod.", kind="integer"),
    _column(
        "Current", "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.", kind="integer"
    ),
    _column(
        "Ready",
        "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.",
        kind="integer",
    ),
    _column("Up-to-date", "The total number of nodes that are running updated daemon pod", kind="integer"),
    _column(
        "Available",
        "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.",
        kind="integer",
    ),
    _column("Node Selector", "NodeSelector is a selector which must be true for the pod to fit on a node."),
    _AGE,
    _CONTAINERS,
    _IMAGES,
    _column("Selector", "A label query over pods that are managed by the daemon set.", priority=1),
]
JOB_COLUMNS = [
    _NAME,
    _column("Status", "Status of the job."),
    _column("Completions", "The number of pods which reached phase Succeeded."),
    _column("Duration", "Time required to complete the job."),
    _AGE,
    _CONTAINERS,
    _IMAGES,
    _column("Selector", "A label query over pods that should match the pod count.", priority=1),
]
CRONJOB_COLUMNS = [
    _NAME,
    _column("Schedule", "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."),
    _column("Timezone", "The time zone name for the given schedule."),
    _column("Suspend", "This flag tells the controller to suspend subsequent executions.", kind="boolean"),
    _column("Active", "A list of pointers to currently running jobs.", kind="integer"),
    _column("Last Schedule", "Information when was the last time the job was successfully scheduled."),
    _AGE,
    _CONTAINERS,
    _IMAGES,
    _column("Selector", "A label query over pods that should match the pod count.", priority=1),
]
RESOURCEQUOTA_COLUMNS = [
    _NAME,
    _AGE,
    _column("Request", "Request represents a minimum amount of cpu/memory that a container may consume."),
    _column("Limit", "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node."),
]
#: The API server's default table (kinds printers.go has no handler for, such as LimitRange).
DEFAULT_COLUMNS = [
    _NAME,
    _column("Created At", "CreationTimestamp is a timestamp representing the server time when this object was created.", kind="date"),
]
WEBHOOK_COLUMNS = [
    _NAME,
    _column("Webhooks", "Webhooks indicates the number of webhooks registered in this configuration", kind="integer"),
    _AGE,
]

_POD_DONE = {
    "Succeeded": [{"type": "Completed", "status": "True", "reason": "Succeeded", "message": "The pod has completed successfully."}],
    "Failed": [{"type": "Completed", "status": "True", "reason": "Failed", "message": "The pod failed."}],
}


def pod_cells(pod: dict, now: datetime) -> list:
    summary = summarize(pod)
    spec, status, meta = pod.get("spec") or {}, pod.get("status") or {}, pod.get("metadata") or {}
    restarts = str(summary.restarts)
    if summary.restarts and summary.last_restart is not None:
        restarts = f"{summary.restarts} ({human_duration((now - summary.last_restart).total_seconds())} ago)"
    pod_ips = status.get("podIPs") or []
    gates = spec.get("readinessGates") or []
    gates_cell = "<none>"
    if gates:
        conditions = {c.get("type"): c.get("status") for c in status.get("conditions") or ()}
        passed = sum(1 for g in gates if conditions.get(g.get("conditionType")) == "True")
        gates_cell = f"{passed}/{len(gates)}"
    return [
        meta.get("name", ""),
        f"{summary.ready}/{summary.total}",
        summary.status,
        restarts,
        age(meta.get("creationTimestamp"), now),
        (pod_ips[0].get("ip") if pod_ips else "") or "<none>",
        spec.get("nodeName") or "<none>",
        status.get("nominatedNodeName") or "<none>",
        gates_cell,
    ]


def event_cells(event: dict, now: datetime) -> list:
    first = age(event.get("firstTimestamp"), now)
    if not event.get("firstTimestamp"):
        first = age(event.get("eventTime"), now)
    last = age(event.get("lastTimestamp"), now) if event.get("lastTimestamp") else first
    count = event.get("count") or 1
    series = event.get("series")
    if series:
        last = age(series.get("lastObservedTime"), now)
        count = series.get("count") or count
    subject = event.get("involvedObject") or {}
    kind = (subject.get("kind") or "").lower()
    target = f"{kind}/{subject['name']}" if subject.get("name") else kind
    source = event.get("source") or {}
    component = source.get("component") or event.get("reportingComponent") or ""
    instance = source.get("host") or event.get("reportingInstance") or ""
    return [
        last,
        event.get("type", ""),
        event.get("reason", ""),
        target,
        subject.get("fieldPath", ""),
        f"{component}, {instance}" if instance else component,
        (event.get("message") or "").strip(),
        first,
        count,
        (event.get("metadata") or {}).get("name", ""),
    ]


def node_cells(node: dict, now: datetime) -> list:
    meta, spec, status = node.get("metadata") or {}, node.get("spec") or {}, node.get("status") or {}
    states = [
        ("Ready" if c.get("status") == "True" else "NotReady") for c in status.get("conditions") or () if c.get("type") == "Ready"
    ] or ["Unknown"]
    if spec.get("unschedulable"):
        states.append("SchedulingDisabled")
    labels = meta.get("labels") or {}
    roles = {k.split("/", 1)[1] for k in labels if k.startswith("node-role.kubernetes.io/") and "/" in k}
    if labels.get("kubernetes.io/role"):
        roles.add(labels["kubernetes.io/role"])
    roles.discard("")
    addresses = status.get("addresses") or []
    info = status.get("nodeInfo") or {}

    def address(kind: str) -> str:
        return next((a.get("address") for a in addresses if a.get("type") == kind), None) or "<none>"

    return [
        meta.get("name", ""),
        ",".join(states),
        ",".join(sorted(roles)) or "<none>",
        age(meta.get("creationTimestamp"), now),
        info.get("kubeletVersion", ""),
        address("InternalIP"),
        address("ExternalIP"),
        info.get("osImage") or "<unknown>",
        info.get("kernelVersion") or "<unknown>",
        info.get("containerRuntimeVersion") or "<unknown>",
    ]


def namespace_cells(namespace: dict, now: datetime) -> list:
    meta = namespace.get("metadata") or {}
    return [meta.get("name", ""), (namespace.get("status") or {}).get("phase", ""), age(meta.get("creationTimestamp"), now)]


def _selector(selector: dict) -> str:
    """metav1.LabelSelectorAsSelector(...).String(): requirements sorted by key."""
    terms = [(k, f"{k}={v}") for k, v in (selector.get("matchLabels") or {}).items()]
    for expr in selector.get("matchExpressions") or ():
        key, op, values = expr.get("key", ""), expr.get("operator", ""), ",".join(sorted(expr.get("values") or ()))
        terms.append(
            (key, {"In": f"{key} in ({values})", "NotIn": f"{key} notin ({values})", "Exists": key, "DoesNotExist": f"!{key}"}.get(op, key))
        )
    return ",".join(term for _, term in sorted(terms))


def deployment_cells(deployment: dict, now: datetime) -> list:
    meta, spec = deployment.get("metadata") or {}, deployment.get("spec") or {}
    status = deployment.get("status") or {}
    containers = ((spec.get("template") or {}).get("spec") or {}).get("containers") or []
    return [
        meta.get("name", ""),
        f"{status.get('readyReplicas', 0)}/{spec.get('replicas', 1)}",
        status.get("updatedReplicas", 0),
        status.get("availableReplicas", 0),
        age(meta.get("creationTimestamp"), now),
        ",".join(c.get("name", "") for c in containers),
        ",".join(c.get("image", "") for c in containers),
        _selector(spec.get("selector") or {}),
    ]


def _template_cells(template: dict) -> list[str]:
    containers = ((template.get("spec") or {}).get("containers")) or []
    return [",".join(c.get("name", "") for c in containers), ",".join(c.get("image", "") for c in containers)]


def replicaset_cells(rs: dict, now: datetime) -> list:
    meta, spec, status = rs.get("metadata") or {}, rs.get("spec") or {}, rs.get("status") or {}
    return [
        meta.get("name", ""),
        spec.get("replicas", 0),
        status.get("replicas", 0),
        status.get("readyReplicas", 0),
        age(meta.get("creationTimestamp"), now),
        *_template_cells(spec.get("template") or {}),
        _selector(spec.get("selector") or {}),
    ]


def statefulset_cells(sts: dict, now: datetime) -> list:
    meta, spec, status = sts.get("metadata") or {}, sts.get("spec") or {}, sts.get("status") or {}
    return [
        meta.get("name", ""),
        f"{status.get('readyReplicas', 0)}/{spec.get('replicas', 0)}",
        age(meta.get("creationTimestamp"), now),
        *_template_cells(spec.get("template") or {}),
    ]


def daemonset_cells(ds: dict, now: datetime) -> list:
    meta, spec, status = ds.get("metadata") or {}, ds.get("spec") or {}, ds.get("status") or {}
    template = spec.get("template") or {}
    node_selector = (template.get("spec") or {}).get("nodeSelector") or {}
    return [
        meta.get("name", ""),
        *(
            status.get(k, 0)
            for k in ("desiredNumberScheduled", "currentNumberScheduled", "numberReady", "updatedNumberScheduled", "numberAvailable")
        ),
        ",".join(f"{k}={v}" for k, v in sorted(node_selector.items())) or "<none>",
        age(meta.get("creationTimestamp"), now),
        *_template_cells(template),
        _selector(spec.get("selector") or {}),
    ]


def _condition_true(obj: dict, ctype: str) -> bool:
    return next((c.get("status") == "True" for c in (obj.get("status") or {}).get("conditions") or () if c.get("type") == ctype), False)


def job_cells(job: dict, now: datetime) -> list:
    meta, spec, status = job.get("metadata") or {}, job.get("spec") or {}, job.get("status") or {}
    succeeded = status.get("succeeded", 0)
    if spec.get("completions") is not None:
        completions = f"{succeeded}/{spec['completions']}"
    else:
        parallelism = spec.get("parallelism") or 0
        completions = f"{succeeded}/1 of {parallelism}" if parallelism > 1 else f"{succeeded}/1"
    start, done = parse_time(status.get("startTime")), parse_time(status.get("completionTime"))
    duration = "" if start is None else human_duration(((done or now) - start).total_seconds())
    state = "Running"
    for ctype, word in (("Complete", "Complete"), ("Failed", "Failed")):
        if _condition_true(job, ctype):
            state = word
            break
    else:
        if meta.get("deletionTimestamp"):
            state = "Terminating"
        elif _condition_true(job, "Suspended"):
            state = "Suspended"
        elif _condition_true(job, "FailureTarget"):
            state = "FailureTarget"
    return [
        meta.get("name", ""),
        state,
        completions,
        duration,
        age(meta.get("creationTimestamp"), now),
        *_template_cells(spec.get("template") or {}),
        _selector(spec.get("selector") or {}),
    ]


def cronjob_cells(cj: dict, now: datetime) -> list:
    meta, spec, status = cj.get("metadata") or {}, cj.get("spec") or {}, cj.get("status") or {}
    job_spec = (spec.get("jobTemplate") or {}).get("spec") or {}
    suspend = spec.get("suspend")
    return [
        meta.get("name", ""),
        spec.get("schedule", ""),
        spec.get("timeZone") or "<none>",
        "<unset>" if suspend is None else str(bool(suspend)),
        len(status.get("active") or ()),
        age(status["lastScheduleTime"], now) if status.get("lastScheduleTime") else "<none>",
        age(meta.get("creationTimestamp"), now),
        *_template_cells(job_spec.get("template") or {}),
        _selector(job_spec.get("selector") or {}),
    ]


def resourcequota_cells(quota: dict, now: datetime) -> list:
    meta, status = quota.get("metadata") or {}, quota.get("status") or {}
    hard, used = status.get("hard") or {}, status.get("used") or {}
    requests: list[str] = []
    limits: list[str] = []
    for resource in sorted(hard):
        (limits if resource.startswith("limits.") else requests).append(f"{resource}: {used.get(resource, '0')}/{hard[resource]}")
    return [meta.get("name", ""), age(meta.get("creationTimestamp"), now), ", ".join(requests), ", ".join(limits)]


def default_cells(obj: dict, now: datetime) -> list:
    meta = obj.get("metadata") or {}
    created = parse_time(meta.get("creationTimestamp"))
    return [meta.get("name", ""), format_time(created) if created else ""]


def webhook_cells(config: dict, now: datetime) -> list:
    meta = config.get("metadata") or {}
    return [meta.get("name", ""), len(config.get("webhooks") or ()), age(meta.get("creationTimestamp"), now)]


def generic_cells(obj: dict, now: datetime) -> list:
    meta = obj.get("metadata") or {}
    return [meta.get("name", ""), age(meta.get("creationTimestamp"), now)]


_PRINTERS: dict[str, tuple[list[dict], Callable[[dict, datetime], list]]] = {
    "Pod": (POD_COLUMNS, pod_cells),
    "Event": (EVENT_COLUMNS, event_cells),
    "Node": (NODE_COLUMNS, node_cells),
    "Namespace": (NAMESPACE_COLUMNS, namespace_cells),
    "Deployment": (DEPLOYMENT_COLUMNS, deployment_cells),
    "ReplicaSet": (REPLICASET_COLUMNS, replicaset_cells),
    "StatefulSet": (STATEFULSET_COLUMNS, statefulset_cells),
    "DaemonSet": (DAEMONSET_COLUMNS, daemonset_cells),
    "Job": (JOB_COLUMNS, job_cells),
    "CronJob": (CRONJOB_COLUMNS, cronjob_cells),
    "ResourceQuota": (RESOURCEQUOTA_COLUMNS, resourcequota_cells),
    "LimitRange": (DEFAULT_COLUMNS, default_cells),
    "MutatingWebhookConfiguration": (WEBHOOK_COLUMNS, webhook_cells),
    "ValidatingWebhookConfiguration": (WEBHOOK_COLUMNS, webhook_cells),
    **NETWORK_PRINTERS,
}


def table(kind: str, objects: Iterable[dict], now: datetime, *, include_object: str = "Metadata", list_meta: dict | None = None) -> dict:
    """A Table of `objects` (core representation). include_object: None, Metadata or Object."""
    columns, cells = _PRINTERS.get(kind, (GENERIC_COLUMNS, generic_cells))
    rows = []
    for obj in objects:
        row: dict = {"cells": cells(obj, now)}
        if kind == "Pod":
            done = _POD_DONE.get((obj.get("status") or {}).get("phase", ""))
            if done:
                row["conditions"] = done
        if include_object == "Object":
            row["object"] = obj
        elif include_object != "None":
            row["object"] = partial_metadata(obj)
        rows.append(row)
    return {
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": list_meta or {},
        "columnDefinitions": columns,
        "rows": rows,
    }
