"""A one-word status for objects other than pods, in the words `kubectl get` uses for them."""

from __future__ import annotations

from k8sdoctor.core.kube.raw import as_dict, as_int, as_str, dicts, dig


def _condition(obj: dict, ctype: str) -> dict:
    return next((c for c in dicts(dig(obj, "status", "conditions")) if c.get("type") == ctype), {})


def _ready_of(obj: dict, ready_key: str, desired: int | None) -> str:
    ready = as_int(dig(obj, "status", ready_key)) or 0
    return f"{ready}/{desired if desired is not None else 0}"


def object_status(kind: str, obj: dict) -> str:
    """READY for workloads (`2/3`), Complete/Failed/Running for Jobs, the phase of claims, Ready/NotReady
    for nodes, TYPE for Services, replicas for autoscalers."""
    status = as_dict(obj.get("status"))
    spec = as_dict(obj.get("spec"))
    if kind in ("Deployment", "ReplicaSet", "StatefulSet"):
        replicas = as_int(spec.get("replicas"))
        return _ready_of(obj, "readyReplicas", 1 if replicas is None else replicas)
    if kind == "DaemonSet":
        return _ready_of(obj, "numberReady", as_int(status.get("desiredNumberScheduled")))
    if kind == "Job":
        for ctype, word in (("Complete", "Complete"), ("Failed", "Failed"), ("Suspended", "Suspended")):
            if _condition(obj, ctype).get("status") == "True":
                return word
        return "Running"
    if kind == "CronJob":
        if spec.get("suspend") is True:
            return "Suspended"
        active = len(dicts(status.get("active")))
        return f"{active} active" if active else "Scheduled"
    if kind == "PersistentVolumeClaim":
        return as_str(status.get("phase")) or "Pending"
    if kind == "Node":
        ready = _condition(obj, "Ready").get("status")
        word = "Ready" if ready == "True" else "NotReady" if ready in ("False", "Unknown") else "Unknown"
        return f"{word},SchedulingDisabled" if spec.get("unschedulable") is True else word
    if kind == "Service":
        return as_str(spec.get("type")) or "ClusterIP"
    if kind == "Ingress":
        return as_str(spec.get("ingressClassName")) or "<none>"
    if kind == "HorizontalPodAutoscaler":
        return f"{as_int(status.get('currentReplicas')) or 0}/{as_int(spec.get('maxReplicas')) or 0}"
    return ""
