"""The columns `kubectl get KIND` prints for the kinds k8sdoctor diagnoses (besides NAMESPACE and NAME).

A cell is text, or a moment (`Since`) whose age is shown as kubectl shows it ("5m", "2d3h"), computed
when it is painted so ages keep moving while nothing else changes. kubectl's wide columns (-o wide)
are left out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from k8sdoctor.core.kube.raw import as_dict, as_int, as_str, dicts, dig
from k8sdoctor.core.kube.timeutil import human_duration, parse_time


@dataclass(frozen=True, slots=True)
class Since:
    """A moment shown as its age ("5m"), or a duration from it to now while `running`."""

    moment: datetime

    def text(self, now: datetime) -> str:
        return human_duration(max(0.0, (now - self.moment).total_seconds()))


Cell = str | Since | None  # None: "<unknown>" (a moment the object does not record)


def cell_text(cell: Cell, now: datetime) -> str:
    if cell is None:
        return "<unknown>"
    return cell if isinstance(cell, str) else cell.text(now)


def _age(obj: dict) -> Cell:
    moment = parse_time(dig(obj, "metadata", "creationTimestamp"))
    return Since(moment) if moment is not None else None


def _count(value: object) -> str:
    return str(as_int(value) or 0)


def _true(obj: dict, ctype: str) -> bool:
    return any(c.get("type") == ctype and c.get("status") == "True" for c in dicts(dig(obj, "status", "conditions")))


def _deployment(obj: dict) -> list[Cell]:
    spec, status = as_dict(obj.get("spec")), as_dict(obj.get("status"))
    replicas = as_int(spec.get("replicas"))
    return [
        f"{_count(status.get('readyReplicas'))}/{1 if replicas is None else replicas}",
        _count(status.get("updatedReplicas")),
        _count(status.get("availableReplicas")),
        _age(obj),
    ]


def _replicaset(obj: dict) -> list[Cell]:
    spec, status = as_dict(obj.get("spec")), as_dict(obj.get("status"))
    return [_count(spec.get("replicas")), _count(status.get("replicas")), _count(status.get("readyReplicas")), _age(obj)]


def _statefulset(obj: dict) -> list[Cell]:
    spec, status = as_dict(obj.get("spec")), as_dict(obj.get("status"))
    return [f"{_count(status.get('readyReplicas'))}/{_count(spec.get('replicas'))}", _age(obj)]


def _daemonset(obj: dict) -> list[Cell]:
    status = as_dict(obj.get("status"))
    selector = as_dict(dig(obj, "spec", "template", "spec", "nodeSelector"))
    counts = ("desiredNumberScheduled", "currentNumberScheduled", "numberReady", "updatedNumberScheduled", "numberAvailable")
    return [
        *(_count(status.get(k)) for k in counts),
        ",".join(f"{k}={as_str(v)}" for k, v in sorted(selector.items())) or "<none>",
        _age(obj),
    ]


def _job(obj: dict) -> list[Cell]:
    spec, status = as_dict(obj.get("spec")), as_dict(obj.get("status"))
    succeeded = _count(status.get("succeeded"))
    completions = as_int(spec.get("completions"))
    parallelism = as_int(spec.get("parallelism")) or 0
    if completions is not None:
        done = f"{succeeded}/{completions}"
    else:
        done = f"{succeeded}/1 of {parallelism}" if parallelism > 1 else f"{succeeded}/1"
    state = "Running"
    if _true(obj, "Complete"):
        state = "Complete"
    elif _true(obj, "Failed"):
        state = "Failed"
    elif dig(obj, "metadata", "deletionTimestamp"):
        state = "Terminating"
    elif _true(obj, "Suspended"):
        state = "Suspended"
    elif _true(obj, "FailureTarget"):
        state = "FailureTarget"
    start, end = parse_time(status.get("startTime")), parse_time(status.get("completionTime"))
    duration: Cell = ""
    if start is not None:
        duration = human_duration((end - start).total_seconds()) if end is not None else Since(start)
    return [state, done, duration, _age(obj)]


def _cronjob(obj: dict) -> list[Cell]:
    spec, status = as_dict(obj.get("spec")), as_dict(obj.get("status"))
    suspend = spec.get("suspend")
    last = parse_time(status.get("lastScheduleTime"))
    return [
        as_str(spec.get("schedule")),
        as_str(spec.get("timeZone")) or "<none>",
        "<unset>" if suspend is None else str(bool(suspend)),
        str(len(dicts(status.get("active")))),
        Since(last) if last is not None else "<none>",
        _age(obj),
    ]


def _service_ports(spec: dict) -> str:
    out = []
    for p in dicts(spec.get("ports")):
        port = f"{as_int(p.get('port')) or 0}"
        if as_int(p.get("nodePort")):
            port += f":{as_int(p.get('nodePort'))}"
        out.append(f"{port}/{as_str(p.get('protocol')) or 'TCP'}")
    return ",".join(out) or "<none>"


def _service(obj: dict) -> list[Cell]:
    spec = as_dict(obj.get("spec"))
    kind = as_str(spec.get("type")) or "ClusterIP"
    ingress = [as_str(i.get("ip")) or as_str(i.get("hostname")) for i in dicts(dig(obj, "status", "loadBalancer", "ingress"))]
    external = [as_str(ip) for ip in spec.get("externalIPs") or () if as_str(ip)]
    if kind == "ExternalName":
        shown = as_str(spec.get("externalName")) or "<none>"
    elif kind == "LoadBalancer":
        shown = ",".join([*ingress, *external]) or "<pending>"
    else:
        shown = ",".join(external) or "<none>"
    return [kind, as_str(spec.get("clusterIP")) or "<none>", shown, _service_ports(spec), _age(obj)]


def _ingress(obj: dict) -> list[Cell]:
    spec = as_dict(obj.get("spec"))
    hosts = [as_str(r.get("host")) for r in dicts(spec.get("rules"))]
    addresses = [as_str(i.get("ip")) or as_str(i.get("hostname")) for i in dicts(dig(obj, "status", "loadBalancer", "ingress"))]
    return [
        as_str(spec.get("ingressClassName")) or "<none>",
        ",".join(h or "*" for h in hosts) or "*",
        ",".join(a for a in addresses if a),
        "80, 443" if dicts(spec.get("tls")) else "80",
        _age(obj),
    ]


_MODES = {"ReadWriteOnce": "RWO", "ReadOnlyMany": "ROX", "ReadWriteMany": "RWX", "ReadWriteOncePod": "RWOP"}


def _claim(obj: dict) -> list[Cell]:
    spec, status = as_dict(obj.get("spec")), as_dict(obj.get("status"))
    phase = as_str(status.get("phase")) or "Pending"
    bound = phase == "Bound"
    modes = [_MODES.get(as_str(m), as_str(m)) for m in (status.get("accessModes") or ()) if as_str(m)]
    return [
        "Terminating" if dig(obj, "metadata", "deletionTimestamp") else phase,
        as_str(spec.get("volumeName")),
        as_str(dig(status, "capacity", "storage")) if bound else "",
        ",".join(modes) if bound else "",
        as_str(spec.get("storageClassName")) or "<unset>",
        as_str(status.get("currentVolumeAttributesClassName")) or "<unset>",
        _age(obj),
    ]


def _node(obj: dict) -> list[Cell]:
    spec = as_dict(obj.get("spec"))
    ready = next((c for c in dicts(dig(obj, "status", "conditions")) if c.get("type") == "Ready"), None)
    states = ["Unknown" if ready is None else "Ready" if ready.get("status") == "True" else "NotReady"]
    if spec.get("unschedulable") is True:
        states.append("SchedulingDisabled")
    labels = as_dict(dig(obj, "metadata", "labels"))
    roles = {k.split("/", 1)[1] for k in labels if k.startswith("node-role.kubernetes.io/")}
    if as_str(labels.get("kubernetes.io/role")):
        roles.add(as_str(labels.get("kubernetes.io/role")))
    roles.discard("")
    return [",".join(states), ",".join(sorted(roles)) or "<none>", _age(obj), as_str(dig(obj, "status", "nodeInfo", "kubeletVersion"))]


def _metric_target(metric: dict, current: dict | None) -> str:
    """`cpu: 40%/80%` as kubectl prints a resource metric; `<unknown>` where no current value is known."""
    resource = as_dict(metric.get("resource"))
    name = as_str(resource.get("name")) or as_str(metric.get("type")).lower() or "metric"
    target = as_dict(resource.get("target"))
    now = as_dict(as_dict(current).get("resource")).get("current") if current else None
    if as_int(target.get("averageUtilization")) is not None:
        value = as_int(as_dict(now).get("averageUtilization"))
        return f"{name}: {'<unknown>' if value is None else f'{value}%'}/{as_int(target.get('averageUtilization'))}%"
    wanted = as_str(target.get("averageValue")) or as_str(target.get("value"))
    value_text = as_str(as_dict(now).get("averageValue")) or as_str(as_dict(now).get("value"))
    return f"{name}: {value_text or '<unknown>'}/{wanted or '?'}"


def _autoscaler(obj: dict) -> list[Cell]:
    spec, status = as_dict(obj.get("spec")), as_dict(obj.get("status"))
    target = as_dict(spec.get("scaleTargetRef"))
    metrics = dicts(spec.get("metrics"))
    currents = dicts(status.get("currentMetrics"))
    shown = [_metric_target(m, currents[i] if i < len(currents) else None) for i, m in enumerate(metrics[:2])]
    if len(metrics) > 2:
        shown.append(f"+ {len(metrics) - 2} more...")
    return [
        f"{as_str(target.get('kind'))}/{as_str(target.get('name'))}",
        ", ".join(shown) or "<none>",
        str(as_int(spec.get("minReplicas")) or 1),
        _count(spec.get("maxReplicas")),
        _count(status.get("currentReplicas")),
        _age(obj),
    ]


@dataclass(frozen=True, slots=True)
class KindColumns:
    """kubectl's columns after NAMESPACE and NAME, and how to compute them from the raw object."""

    labels: tuple[str, ...]
    cells: Callable[[dict], list[Cell]]


COLUMNS: dict[str, KindColumns] = {
    "Deployment": KindColumns(("READY", "UP-TO-DATE", "AVAILABLE", "AGE"), _deployment),
    "ReplicaSet": KindColumns(("DESIRED", "CURRENT", "READY", "AGE"), _replicaset),
    "StatefulSet": KindColumns(("READY", "AGE"), _statefulset),
    "DaemonSet": KindColumns(("DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"), _daemonset),
    "Job": KindColumns(("STATUS", "COMPLETIONS", "DURATION", "AGE"), _job),
    "CronJob": KindColumns(("SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE"), _cronjob),
    "Service": KindColumns(("TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"), _service),
    "Ingress": KindColumns(("CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"), _ingress),
    "PersistentVolumeClaim": KindColumns(
        ("STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "AGE"), _claim
    ),
    "Node": KindColumns(("STATUS", "ROLES", "AGE", "VERSION"), _node),
    "HorizontalPodAutoscaler": KindColumns(("REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE"), _autoscaler),
}


def kubectl_cells(kind: str, obj: dict) -> tuple[Cell, ...]:
    """The cells of `COLUMNS[kind]` for one object; () for a kind without columns here. Never raises on
    odd objects."""
    columns = COLUMNS.get(kind)
    return tuple(columns.cells(obj)) if columns is not None else ()
