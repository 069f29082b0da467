"""Joins between objects, built on the inventory's indexes: the workload a pod belongs to, a workload's
pods, the Services that select a pod, an autoscaler's target. Each is O(the objects it returns)."""

from __future__ import annotations

from typing import NamedTuple

from k8sdoctor.core.inventory import Inventory, controller_ref, obj_key
from k8sdoctor.core.kube.raw import as_dict, as_str, dig

REVISION_ANNOTATION = "deployment.kubernetes.io/revision"


class WorkloadRef(NamedTuple):
    """The workload a user manages (Deployment over ReplicaSet, CronJob over Job) and its revision."""

    kind: str
    namespace: str
    name: str
    revision: str | None = None

    @property
    def ref(self) -> str:
        """`deployment/web`: as kubectl takes it."""
        return f"{self.kind.lower()}/{self.name}"

    def owner_dict(self) -> dict:
        """The `owner` field of the JSON output."""
        return {"kind": self.kind, "name": self.name}


def workload_of(inventory: Inventory, kind: str, obj: dict) -> WorkloadRef | None:
    """The workload that manages an object (a pod, a ReplicaSet, a Job), following controllers up to the
    one a user edits. None for an object nothing owns."""
    owner = controller_ref(obj)
    if not owner:
        return None
    okind, oname = as_str(owner.get("kind")), as_str(owner.get("name"))
    if not okind or not oname:
        return None
    namespace = obj_key(obj)[0]
    if kind != "Pod":
        return _workload(inventory, kind, obj, namespace, okind, oname)
    # Replicas share the answer: once per owner (and the labels read below) per inventory state.
    labels = as_dict(dig(obj, "metadata", "labels"))
    key = (namespace, okind, oname, labels.get("pod-template-hash"), labels.get("controller-revision-hash"))
    known = inventory.derived("relations.workloads", lambda _inv: {})
    if key not in known:
        known[key] = _workload(inventory, kind, obj, namespace, okind, oname)
    return known[key]


def _workload(inventory: Inventory, kind: str, obj: dict, namespace: str, okind: str, oname: str) -> WorkloadRef | None:
    if okind == "ReplicaSet":
        rs = inventory.get("ReplicaSet", namespace, oname)
        if rs is not None:
            revision = as_str(dig(rs, "metadata", "annotations", REVISION_ANNOTATION)) or None
            parent = controller_ref(rs)
            if parent.get("kind") == "Deployment" and as_str(parent.get("name")):
                return WorkloadRef("Deployment", namespace, as_str(parent.get("name")), revision)
            return WorkloadRef(okind, namespace, oname, revision)
        template_hash = as_str(dig(obj, "metadata", "labels", "pod-template-hash"))
        if template_hash and oname.endswith("-" + template_hash):
            return WorkloadRef("Deployment", namespace, oname[: -len(template_hash) - 1])
        return WorkloadRef(okind, namespace, oname)
    if okind == "Job":
        job = inventory.get("Job", namespace, oname)
        parent = controller_ref(job) if job is not None else {}
        if parent.get("kind") == "CronJob" and as_str(parent.get("name")):
            return WorkloadRef("CronJob", namespace, as_str(parent.get("name")))
        return WorkloadRef(okind, namespace, oname)
    if okind in ("StatefulSet", "DaemonSet") and kind == "Pod":
        return WorkloadRef(okind, namespace, oname, as_str(dig(obj, "metadata", "labels", "controller-revision-hash")) or None)
    return WorkloadRef(okind, namespace, oname)


def owned_pods(inventory: Inventory, kind: str, obj: dict) -> list[dict]:
    """The pods a workload runs, through its controllers: Deployment → ReplicaSets → pods,
    CronJob → Jobs → pods, StatefulSet/DaemonSet/Job/ReplicaSet → pods."""
    namespace, name = obj_key(obj)
    if kind in ("Deployment", "CronJob"):
        middle = "ReplicaSet" if kind == "Deployment" else "Job"
        pods: list[dict] = []
        for _k, child in inventory.children(kind, namespace, name, middle):
            pods += [p for _k2, p in inventory.children(middle, namespace, obj_key(child)[1], "Pod")]
        return pods
    return [p for _k, p in inventory.children(kind, namespace, name, "Pod")]


def services_selecting(inventory: Inventory, pod: dict) -> list[dict]:
    """The Services of the pod's namespace whose selector matches the pod's labels."""
    from k8sdoctor.core.kube.selectors import string_map

    namespace = obj_key(pod)[0]
    labels = as_dict(dig(pod, "metadata", "labels"))
    out = []
    for svc in inventory.in_namespace("Service", namespace):
        selector = string_map(dig(svc, "spec", "selector"))
        if selector and all(labels.get(k) == v for k, v in selector.items()):
            out.append(svc)
    return out


def selected_pods(inventory: Inventory, namespace: str, selector: object) -> list[dict]:
    """Pods of a namespace a metav1.LabelSelector matches (a PDB's, a workload's)."""
    from k8sdoctor.core.kube.selectors import label_selector_matches, string_map

    if not isinstance(selector, dict):
        return []
    candidates = inventory.pods_matching(namespace, string_map(selector.get("matchLabels")))
    if not selector.get("matchExpressions"):
        return candidates
    return [p for p in candidates if label_selector_matches(selector, dig(p, "metadata", "labels"))]


def scale_target(inventory: Inventory, hpa: dict) -> tuple[str, dict | None]:
    """(kind, object or None) an autoscaler scales."""
    target = as_dict(dig(hpa, "spec", "scaleTargetRef"))
    kind = as_str(target.get("kind"))
    return kind, inventory.get(kind, obj_key(hpa)[0], as_str(target.get("name"))) if kind else None


def claims_of(inventory: Inventory, pod: dict) -> list[tuple[str, dict | None]]:
    """(claim name, claim or None) for every PersistentVolumeClaim a pod mounts."""
    namespace = obj_key(pod)[0]
    out = []
    for vol in dig(pod, "spec", "volumes") or ():
        name = as_str(dig(vol, "persistentVolumeClaim", "claimName"))
        if name:
            out.append((name, inventory.get("PersistentVolumeClaim", namespace, name)))
    return out
